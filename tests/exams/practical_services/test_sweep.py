"""The beat sweep: lapsed offers, no-shows and reminders. Time is driven by ``now=``."""

from datetime import timedelta

import pytest

from core.models import OutboundMessage
from exams.models import (
    Booking,
    PracticalSession,
)
from exams.practical import selectors, services
from tests.exams import practical_builders as pb
from tests.exams.practical_services.support import (
    assert_seats,
    audit_mark,
    book,
    check_in,
    verbs_since,
)

pytestmark = pytest.mark.django_db


# --- The sweep: no-shows and reminders -------------------------------------------------------


def test_no_shows_are_recorded_after_the_session_ends(make_session, subject, desk, centre, now):
    session = make_session(5, capacity=3)
    absent = [book(pb.candidate(subject), session, now) for _ in range(2)]
    present = book(pb.candidate(subject), session, now)
    waiting = book(pb.candidate(subject), session, now, waitlist=True)
    check_in(present, desk=desk, centre=centre)
    assert services.bookings_sweep(now=session.ends_at - timedelta(minutes=1))["no_shows"] == 0
    assert Booking.objects.filter(status=Booking.Status.NO_SHOW).count() == 0
    mark = audit_mark()
    after = session.ends_at + timedelta(minutes=1)
    assert services.bookings_sweep(now=after) == {"lapsed": 0, "no_shows": 2, "reminded": 0}
    assert sorted(verbs_since(mark)) == ["booking.lapsed", "booking.no_show", "booking.no_show"]
    for booking in absent:
        booking.refresh_from_db()
        assert (booking.status, booking.ended_at) == (Booking.Status.NO_SHOW, after)
    present.refresh_from_db()
    waiting.refresh_from_db()
    assert present.status == Booking.Status.CHECKED_IN
    assert waiting.status == Booking.Status.LAPSED
    session.refresh_from_db()
    assert session.closed_at == after
    assert_seats(session)
    assert services.bookings_sweep(now=after + timedelta(hours=1))["no_shows"] == 0
    assert verbs_since(mark)[3:] == []


def test_reminders_go_once_a_day_ahead(make_session, worker, subject, now):
    session = make_session(5)
    booking = book(worker, session, now)
    cancelled_worker = pb.candidate(subject)
    cancelled = book(cancelled_worker, session, now)
    services.booking_cancel(booking_id=cancelled.pk, worker=cancelled_worker, now=now)
    early = session.starts_at - timedelta(hours=25)
    assert services.bookings_sweep(now=early)["reminded"] == 0
    assert not OutboundMessage.objects.exists()
    due = session.starts_at - timedelta(hours=23)
    assert services.bookings_sweep(now=due)["reminded"] == 1
    assert services.bookings_sweep(now=due + timedelta(minutes=5))["reminded"] == 0
    message = OutboundMessage.objects.get()
    assert message.recipient == worker.user.phone
    assert message.dedupe_key == f"booking-reminder:{booking.pk}:{booking.session_id}"
    assert session.center.address in message.body
    assert "http://testserver/" in message.body
    booking.refresh_from_db()
    assert booking.reminded_at == due
    assert_seats(session)


def test_a_cancelled_session_sends_no_reminder_and_records_no_no_shows(make_session, worker, now):
    session = make_session(5)
    booking = book(worker, session, now)
    PracticalSession.objects.filter(pk=session.pk).update(cancelled=True)
    assert services.bookings_sweep(now=session.starts_at - timedelta(hours=2))["reminded"] == 0
    assert not OutboundMessage.objects.exists()
    assert services.bookings_sweep(now=session.ends_at + timedelta(minutes=1))["no_shows"] == 0
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert not selectors.practical_fails(worker=worker, subject=session.subject, since=None)
    assert_seats(session)
    assert session.seats_taken == 0


def test_a_booking_of_a_cancelled_session_can_be_given_up_after_the_cutoff(
    make_session, worker, now
):
    session = make_session(5)
    booking = book(worker, session, now)
    PracticalSession.objects.filter(pk=session.pk).update(cancelled=True)
    late = session.starts_at - timedelta(hours=3)
    cancelled = services.booking_cancel(booking_id=booking.pk, worker=worker, now=late)
    assert cancelled.status == Booking.Status.CANCELLED
    assert_seats(session)
    assert session.seats_taken == 0


def test_a_booking_of_a_cancelled_session_can_be_moved_after_the_cutoff(make_session, worker, now):
    session, replacement = make_session(5), make_session(9)
    booking = book(worker, session, now)
    PracticalSession.objects.filter(pk=session.pk).update(cancelled=True)
    late = session.starts_at - timedelta(hours=3)
    moved = services.booking_reschedule(
        booking_id=booking.pk, new_session_id=replacement.pk, worker=worker, now=late
    )
    assert (moved.session_id, moved.status) == (replacement.pk, Booking.Status.CONFIRMED)
    assert_seats(session, replacement)
    assert (session.seats_taken, replacement.seats_taken) == (0, 1)
