"""Booking: the window and the seats, the waiting list and its offers, cancel and reschedule. Time is driven by ``now=``."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import AuditEvent, OutboundMessage
from exams.models import (
    Booking,
)
from exams.practical import services
from exams.practical.services import booking as booking_services
from tests.exams import builders
from tests.exams import practical_builders as pb
from tests.exams.practical_services.support import (
    assert_seats,
    audit_mark,
    book,
    day,
    refused,
    verbs_since,
)

pytestmark = pytest.mark.django_db


# --- Booking window and seats ----------------------------------------------------------------


WINDOW_CASES = {
    # case: (session fields from (now, starts), when to book from (now, starts), code)
    "not open yet": (
        lambda now, starts: {"booking_opens_at": now + timedelta(days=1)},
        lambda now, starts: now,
        "not_open",
    ),
    "closed": (
        lambda now, starts: {"booking_closes_at": starts - timedelta(days=1)},
        lambda now, starts: starts - timedelta(hours=21),
        "closed",
    ),
    "started": (lambda now, starts: {}, lambda now, starts: starts + timedelta(minutes=1), "past"),
    "cancelled": (lambda now, starts: {"cancelled": True}, lambda now, starts: now, "cancelled"),
}


@pytest.mark.parametrize("case", list(WINDOW_CASES))
def test_booking_outside_the_window_is_refused(make_session, worker, now, case):
    fields, when, code = WINDOW_CASES[case]
    starts = day(5)
    session = make_session(at=starts, **fields(now, starts))
    with refused(code):
        book(worker, session, when(now, starts))
    assert not Booking.objects.exists()


def test_an_urgent_booking_ignores_the_window_but_not_the_end(make_session, worker, desk, now):
    """The desk seats urgent cases and walk-in candidates until the session ends."""
    session = make_session(5, booking_opens_at=now + timedelta(days=1))
    with refused("past"):
        book(worker, session, session.ends_at, urgent=True, actor=desk)
    mark = audit_mark()
    booking = book(worker, session, now, urgent=True, actor=desk)
    assert booking.urgent and booking.status == Booking.Status.CONFIRMED
    assert verbs_since(mark) == ["booking.created"]
    assert AuditEvent.objects.get(pk__gt=mark).actor == desk
    assert_seats(session)


def test_a_full_session_refuses_and_changes_nothing(make_session, subject, now):
    session = make_session(capacity=1)
    first = book(pb.candidate(subject), session, now)
    assert first.status == Booking.Status.CONFIRMED
    assert_seats(session)
    with refused("full"):
        book(pb.candidate(subject), session, now)
    assert_seats(session)
    assert session.seats_taken == 1


def test_held_back_seats_are_only_for_urgent_cases(make_session, subject, desk, now):
    session = make_session(capacity=3, held_back=1)
    book(pb.candidate(subject), session, now)
    book(pb.candidate(subject), session, now)
    assert_seats(session)
    with refused("full"):
        book(pb.candidate(subject), session, now)
    with refused("full"):
        book(pb.candidate(subject), session, now, waitlist=False)
    urgent = book(pb.candidate(subject), session, now, urgent=True, actor=desk)
    assert urgent.status == Booking.Status.CONFIRMED
    assert_seats(session)
    assert session.seats_taken == 3
    with refused("full"):
        book(pb.candidate(subject), session, now, urgent=True, actor=desk)


def test_one_live_booking_per_subject(make_session, worker, subject, now):
    first, second = make_session(5), make_session(6)
    booking = book(worker, first, now)
    with refused("already_booked") as caught:
        book(worker, second, now)
    assert timezone.localtime(first.starts_at).strftime("%H:%M") in str(caught.value.message)
    full = make_session(7, capacity=1)
    book(pb.candidate(subject), full, now)
    with refused("already_booked"):
        book(worker, full, now, waitlist=True)
    services.booking_cancel(booking_id=booking.pk, worker=worker, now=now)
    waiting = book(worker, full, now, waitlist=True)
    assert waiting.status == Booking.Status.WAITLISTED
    with refused("already_booked"):
        book(worker, second, now)  # a place on a waiting list is live too
    assert_seats(first, second, full)


# --- Waiting list and offers -----------------------------------------------------------------


def test_waiting_list_gets_the_freed_seat_by_sms(make_session, subject, now):
    session = make_session(capacity=1)
    holder = pb.candidate(subject)
    held = book(holder, session, now)
    mark = audit_mark()
    first_in_line = pb.candidate(subject)
    second_in_line = pb.candidate(subject)
    waiting = book(first_in_line, session, now, waitlist=True)
    later = book(second_in_line, session, now + timedelta(minutes=5), waitlist=True)
    assert (waiting.status, waiting.waitlisted_at) == (Booking.Status.WAITLISTED, now)
    assert later.status == Booking.Status.WAITLISTED
    assert_seats(session)
    assert session.seats_taken == 1
    assert not OutboundMessage.objects.exists()

    cancel_at = now + timedelta(hours=1)
    services.booking_cancel(booking_id=held.pk, worker=holder, now=cancel_at)
    assert_seats(session)
    waiting.refresh_from_db()
    later.refresh_from_db()
    assert waiting.status == Booking.Status.OFFERED
    assert waiting.offer_expires_at == cancel_at + timedelta(hours=services.offer_hours())
    assert later.status == Booking.Status.WAITLISTED
    assert verbs_since(mark) == [
        "booking.created",
        "booking.created",
        "booking.cancelled",
        "booking.offered",
    ]
    message = OutboundMessage.objects.get()
    assert (message.channel, message.recipient) == ("sms", first_in_line.user.phone)
    assert message.dedupe_key == f"booking-offer:{waiting.pk}:{waiting.session_id}"
    assert "http://testserver/" in message.body
    # Offering again (a retried sweep) queues no second message.
    services._notify(waiting, kind="offer", text=lambda: "again")
    assert OutboundMessage.objects.count() == 1


def test_an_offer_is_also_emailed_when_the_worker_gave_an_address(make_session, subject, now):
    session = make_session(capacity=1)
    holder = pb.candidate(subject)
    held = book(holder, session, now)
    waiting_worker = pb.candidate(subject)
    waiting_worker.user.email = "wang@example.com"
    waiting_worker.user.save()
    book(waiting_worker, session, now, waitlist=True)
    services.booking_cancel(booking_id=held.pk, worker=holder, now=now)
    assert sorted(OutboundMessage.objects.values_list("channel", "recipient")) == [
        ("email", "wang@example.com"),
        ("sms", waiting_worker.user.phone),
    ]


def test_accepting_an_offer_confirms_the_seat(make_session, subject, now):
    session = make_session(capacity=1)
    holder, waiting_worker = pb.candidate(subject), pb.candidate(subject)
    held = book(holder, session, now)
    waiting = book(waiting_worker, session, now, waitlist=True)
    with refused("no_offer"):
        services.booking_offer_accept(booking_id=waiting.pk, worker=waiting_worker, now=now)
    services.booking_cancel(booking_id=held.pk, worker=holder, now=now)
    with refused("not_found"):
        services.booking_offer_accept(booking_id=waiting.pk, worker=holder, now=now)
    mark = audit_mark()
    accepted = services.booking_offer_accept(
        booking_id=waiting.pk, worker=waiting_worker, now=now + timedelta(hours=2)
    )
    assert (accepted.status, accepted.offer_expires_at) == (Booking.Status.CONFIRMED, None)
    assert verbs_since(mark) == ["booking.offer_accepted"]
    assert_seats(session)
    assert session.seats_taken == 1


def test_a_lapsed_offer_cannot_be_accepted_and_the_sweep_offers_the_next(
    make_session, subject, now
):
    session = make_session(capacity=1)
    holder = pb.candidate(subject)
    held = book(holder, session, now)
    workers = [pb.candidate(subject) for _ in range(3)]
    waiting = [
        book(w, session, now + timedelta(minutes=n), waitlist=True) for n, w in enumerate(workers)
    ]
    services.booking_cancel(booking_id=held.pk, worker=holder, now=now)
    assert_seats(session)
    first = Booking.objects.get(pk=waiting[0].pk)
    expired = first.offer_expires_at + timedelta(minutes=1)
    with refused("offer_lapsed"):
        services.booking_offer_accept(booking_id=first.pk, worker=workers[0], now=expired)

    mark = audit_mark()
    assert services.bookings_sweep(now=expired)["lapsed"] == 1
    assert verbs_since(mark) == ["booking.offer_lapsed", "booking.offered"]
    statuses = [Booking.objects.get(pk=b.pk).status for b in waiting]
    assert statuses == ["lapsed", "offered", "waitlisted"]
    assert_seats(session)
    assert session.seats_taken == 1
    assert services.bookings_sweep(now=expired)["lapsed"] == 0  # twice: nothing more
    assert OutboundMessage.objects.filter(recipient=workers[1].user.phone).count() == 1
    assert OutboundMessage.objects.count() == 2
    assert_seats(session)


def test_declining_an_offer_passes_it_on(make_session, subject, now):
    session = make_session(capacity=1)
    holder = pb.candidate(subject)
    held = book(holder, session, now)
    first_worker, second_worker = pb.candidate(subject), pb.candidate(subject)
    first = book(first_worker, session, now, waitlist=True)
    second = book(second_worker, session, now + timedelta(seconds=1), waitlist=True)
    services.booking_cancel(booking_id=held.pk, worker=holder, now=now)
    services.booking_cancel(booking_id=first.pk, worker=first_worker, now=now)
    second.refresh_from_db()
    assert second.status == Booking.Status.OFFERED
    assert_seats(session)
    assert session.seats_taken == 1


# --- Cancel and reschedule -------------------------------------------------------------------


def test_cancel_until_the_cutoff(make_session, worker, subject, now):
    session = make_session(5)
    assert session.cancel_cutoff_hours == 48
    booking = book(worker, session, now)
    cutoff = session.starts_at - timedelta(hours=48)
    with refused("cutoff") as caught:
        services.booking_cancel(
            booking_id=booking.pk, worker=worker, now=cutoff + timedelta(minutes=1)
        )
    assert "0571-88880000" in str(caught.value.message)
    stranger = pb.candidate(subject)
    with refused("not_found"):
        services.booking_cancel(booking_id=booking.pk, worker=stranger, now=now)
    mark = audit_mark()
    cancelled = services.booking_cancel(booking_id=booking.pk, worker=worker, now=cutoff)
    assert (cancelled.status, cancelled.ended_at) == (Booking.Status.CANCELLED, cutoff)
    assert verbs_since(mark) == ["booking.cancelled"]
    assert_seats(session)
    assert session.seats_taken == 0
    with refused("not_cancellable"):
        services.booking_cancel(booking_id=booking.pk, worker=worker, now=now)


def test_leaving_the_waiting_list_after_the_cutoff_is_allowed(make_session, subject, now):
    session = make_session(5, capacity=1)
    book(pb.candidate(subject), session, now)
    waiting_worker = pb.candidate(subject)
    waiting = book(waiting_worker, session, now, waitlist=True)
    left = services.booking_cancel(
        booking_id=waiting.pk, worker=waiting_worker, now=session.starts_at - timedelta(hours=1)
    )
    assert left.status == Booking.Status.CANCELLED
    assert_seats(session)
    assert session.seats_taken == 1


def test_reschedule_moves_the_seat_and_offers_the_old_one(make_session, worker, subject, now):
    old, new = make_session(5, capacity=1), make_session(8, capacity=2)
    booking = book(worker, old, now)
    waiting_worker = pb.candidate(subject)
    waiting = book(waiting_worker, old, now, waitlist=True)
    mark = audit_mark()
    moved = services.booking_reschedule(
        booking_id=booking.pk, new_session_id=new.pk, worker=worker, now=now
    )
    assert (moved.session_id, moved.status) == (new.pk, Booking.Status.CONFIRMED)
    assert verbs_since(mark) == ["booking.rescheduled", "booking.offered"]
    event = AuditEvent.objects.get(verb="booking.rescheduled")
    assert (event.before, event.after["session"]) == ({"session": old.pk}, new.pk)
    waiting.refresh_from_db()
    assert waiting.status == Booking.Status.OFFERED
    assert_seats(old, new)
    assert (old.seats_taken, new.seats_taken) == (1, 1)


def test_reschedule_refusals_leave_the_booking_where_it_was(make_session, worker, subject, now):
    old = make_session(5)
    booking = book(worker, old, now)
    other_subject = builders.subject(code="welding")
    pb.rubric(other_subject)
    old.center.subjects.add(other_subject)
    elsewhere = make_session(6, subject=other_subject)
    full = make_session(7, capacity=1)
    book(pb.candidate(subject), full, now)
    cancelled = make_session(9, cancelled=True)
    later, latest = make_session(12), make_session(13)
    stranger = pb.candidate(subject)
    with refused("same_session"):
        services.booking_reschedule(
            booking_id=booking.pk, new_session_id=old.pk, worker=worker, now=now
        )
    with refused("other_subject"):
        services.booking_reschedule(
            booking_id=booking.pk, new_session_id=elsewhere.pk, worker=worker, now=now
        )
    with refused("full"):
        services.booking_reschedule(
            booking_id=booking.pk, new_session_id=full.pk, worker=worker, now=now
        )
    with refused("cancelled"):
        services.booking_reschedule(
            booking_id=booking.pk, new_session_id=cancelled.pk, worker=worker, now=now
        )
    with refused("cutoff"):
        services.booking_reschedule(
            booking_id=booking.pk,
            new_session_id=later.pk,
            worker=worker,
            now=old.starts_at - timedelta(hours=47),
        )
    with refused("not_found"):
        services.booking_reschedule(
            booking_id=booking.pk,
            new_session_id=latest.pk,
            worker=stranger,
            now=now,
        )
    booking.refresh_from_db()
    assert (booking.session_id, booking.status) == (old.pk, Booking.Status.CONFIRMED)
    assert_seats()


def test_only_a_confirmed_booking_moves(make_session, subject, now):
    full, other = make_session(5, capacity=1), make_session(6)
    book(pb.candidate(subject), full, now)
    waiting_worker = pb.candidate(subject)
    waiting = book(waiting_worker, full, now, waitlist=True)
    with refused("not_confirmed"):
        services.booking_reschedule(
            booking_id=waiting.pk, new_session_id=other.pk, worker=waiting_worker, now=now
        )


def test_a_booking_moved_meanwhile_is_not_cancelled_against_the_wrong_session(
    make_session, worker, monkeypatch, now
):
    """Cancel reads the booking's session before locking it; a reschedule committed in between
    must not make it free a seat of the session the booking has left."""
    old, new = make_session(5), make_session(8)
    booking = book(worker, old, now)
    services.booking_reschedule(
        booking_id=booking.pk, new_session_id=new.pk, worker=worker, now=now
    )
    monkeypatch.setattr(
        booking_services, "_session_of", lambda booking_id, worker: old.pk
    )  # stale read
    with refused("conflict"):
        services.booking_cancel(booking_id=booking.pk, worker=worker, now=now)
    assert_seats(old, new)


def test_a_freed_seat_reads_and_locks_only_the_first_in_line(make_session, subject, now):
    """Cancelling a seat locks as many waiting rows as there are free seats, in waiting-list
    order, not the whole waiting list (every cancel and session edit would queue behind it)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    session = make_session(capacity=1)
    holder = pb.candidate(subject)
    held = book(holder, session, now)
    waiting = [
        book(pb.candidate(subject), session, now + timedelta(minutes=n), waitlist=True)
        for n in range(3)
    ]
    with CaptureQueriesContext(connection) as queries:
        services.booking_cancel(booking_id=held.pk, worker=holder, now=now + timedelta(hours=1))
    waiting_reads = [
        query["sql"]
        for query in queries.captured_queries
        if '"exams_booking"."waitlisted_at"' in query["sql"] and "ORDER BY" in query["sql"]
    ]
    assert len(waiting_reads) == 1 and "LIMIT 1" in waiting_reads[0]
    statuses = [Booking.objects.get(pk=booking.pk).status for booking in waiting]
    assert statuses == [
        Booking.Status.OFFERED,
        Booking.Status.WAITLISTED,
        Booking.Status.WAITLISTED,
    ]
