"""Practical exams: sessions, booking rules, the waiting list, cancel and reschedule, the beat
sweep, check-in, scoring and results (with the certificate seam). Time is driven by ``now=``."""

from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from accounts.models import Role
from core.errors import DomainError, PermissionDenied
from core.models import AuditEvent, OutboundMessage
from exams.models import (
    Booking,
    ExamResult,
    PracticalScore,
    PracticalSession,
    RubricItem,
    Subject,
)
from exams.practical import services
from exams.practical.services import booking as booking_services
from tests.exams import builders
from tests.exams import practical_builders as pb
from tests.factories import WorkerProfileFactory
from training.models import TrainingRecord

pytestmark = pytest.mark.django_db

HERE = "tests.exams.test_practical_services"


# --- Certificate issuer doubles (named by dotted path in ANXUN_CERTIFICATE_ISSUER) -------------

issued: list[dict] = []


def record_issue(*, result):
    """Records each call with what the database says at that moment (same transaction)."""
    booking = Booking.objects.get(pk=result.booking_id)
    issued.append(
        {
            "result": result.pk,
            "passed": result.passed,
            "stored": ExamResult.objects.filter(pk=result.pk, passed=True).exists(),
            "booking_status": booking.status,
            "in_atomic_block": connection.in_atomic_block,
        }
    )


def failing_issue(*, result):
    raise RuntimeError("certificate service down")


@pytest.fixture(autouse=True)
def _no_issued():
    issued.clear()
    yield
    issued.clear()


# --- Helpers ---------------------------------------------------------------------------------


def day(days: int, hour: int = 9):
    """``hour`` o'clock local time, ``days`` days from today."""
    start = timezone.localtime().replace(hour=hour, minute=0, second=0, microsecond=0)
    return start + timedelta(days=days)


def snapshot() -> dict:
    """Everything a refused action must leave as it was."""
    return {
        "bookings": sorted(
            Booking.objects.values_list(
                "pk",
                "session_id",
                "status",
                "offer_expires_at",
                "checked_in_at",
                "ended_at",
                "reminded_at",
                "theory_attempt_id",
            )
        ),
        "sessions": sorted(PracticalSession.objects.values_list("pk", "seats_taken", "closed_at")),
        "scores": PracticalScore.objects.count(),
        "results": sorted(
            ExamResult.objects.values_list("pk", "practical_score", "passed", "corrected")
        ),
        "audit": AuditEvent.objects.count(),
        "messages": OutboundMessage.objects.count(),
    }


@contextmanager
def refused(code: str, error=DomainError):
    """The block raises ``error`` with ``code`` and changes nothing."""
    before = snapshot()
    with pytest.raises(error) as caught:
        yield caught
    assert caught.value.code == code, caught.value.message
    assert snapshot() == before


def assert_seats(*sessions) -> None:
    """The invariant: a session's seats_taken is the number of its bookings holding a seat."""
    for session in sessions or PracticalSession.objects.all():
        session.refresh_from_db()
        holding = Booking.objects.filter(session=session, status__in=services.SEAT_HOLDING).count()
        assert session.seats_taken == holding, session
        assert session.seats_taken <= session.capacity


def audit_mark() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def verbs_since(mark: int) -> list[str]:
    return list(
        AuditEvent.objects.filter(pk__gt=mark).order_by("pk").values_list("verb", flat=True)
    )


def scored(subject, total: int) -> dict[int, int]:
    """Points for every rubric item adding up to ``total`` (taken off the later items first)."""
    points = pb.full_marks(subject)
    missing = 100 - total
    for item in RubricItem.objects.filter(subject=subject).order_by("-position"):
        off = min(missing, points[item.pk])
        points[item.pk] -= off
        missing -= off
    return points


def critical_item(subject) -> RubricItem:
    return RubricItem.objects.filter(subject=subject, critical=True).order_by("position").first()


# --- Fixtures --------------------------------------------------------------------------------


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def subject():
    item = builders.subject()
    pb.rubric(item)
    return item


@pytest.fixture
def centre(subject):
    return pb.center(subjects=[subject])


@pytest.fixture
def other_centre(subject):
    return pb.center(code="gongshu-1", subjects=[subject])


@pytest.fixture
def desk(centre):
    return pb.staff(centre)


@pytest.fixture
def examiner(centre):
    return pb.staff(centre, role=Role.EXAMINER)


@pytest.fixture
def examiner2(centre):
    return pb.staff(centre, role=Role.EXAMINER)


@pytest.fixture
def supervisor(centre):
    return pb.staff(centre, role=Role.EXAMINER, supervisor=True)


@pytest.fixture
def worker(subject):
    return pb.candidate(subject)


@pytest.fixture
def make_session(centre, subject):
    def make(days=5, *, capacity=20, at=None, **fields):
        return pb.session(
            center=fields.pop("center", centre),
            subject=fields.pop("subject", subject),
            starts_at=at or day(days),
            capacity=capacity,
            **fields,
        )

    return make


def book(worker, session, now, **options) -> Booking:
    return services.booking_create(worker=worker, session_id=session.pk, now=now, **options)


def check_in(booking, *, desk, centre) -> Booking:
    return services.checkin_confirm(
        user=desk,
        booking_id=booking.pk,
        center=centre,
        now=booking.session.starts_at + timedelta(minutes=10),
    )


def score(booking, examiner, points, critical_failed=()):
    return services.score_submit(
        examiner=examiner,
        booking_id=booking.pk,
        points=points,
        critical_failed=critical_failed,
        now=booking.session.starts_at + timedelta(hours=1),
    )


def sit(worker, session, *, now, desk, centre, examiner, total, critical_failed=()) -> Booking:
    """Book, check in and be scored by one examiner."""
    booking = book(worker, session, now)
    check_in(booking, desk=desk, centre=centre)
    score(booking, examiner, scored(session.subject, total), critical_failed)
    booking.refresh_from_db()
    return booking


# --- Sessions --------------------------------------------------------------------------------


def test_a_session_is_published_with_a_default_window(centre, subject, desk, now):
    mark = audit_mark()
    session = services.session_create(
        actor=desk,
        center=centre,
        subject=subject,
        starts_at=day(10),
        ends_at=day(10, hour=12),
        capacity=12,
        held_back=2,
        now=now,
    )
    assert session.booking_opens_at == now
    assert session.booking_closes_at == day(10) - timedelta(days=1)
    assert (session.capacity, session.held_back, session.seats_taken) == (12, 2, 0)
    assert session.public_seats_left == 10
    assert verbs_since(mark) == ["session.created"]


BAD_SESSIONS = {
    "past": ({"starts_at": -1, "ends_at": 2}, "past"),
    "ends": ({"ends_at": 0}, "ends"),
    "no seats": ({"capacity": 0}, "capacity"),
    "held back": ({"held_back": 13}, "held_back"),
    "closes after start": ({"booking_closes_at": 1}, "window"),
    "closes before opening": ({"booking_opens_at": -48, "booking_closes_at": -72}, "window"),
}


@pytest.mark.parametrize("case", list(BAD_SESSIONS))
def test_bad_sessions_are_refused(centre, subject, desk, now, case):
    changes, code = BAD_SESSIONS[case]
    starts = day(10)
    arguments = {
        "actor": desk,
        "center": centre,
        "subject": subject,
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=3),
        "capacity": 12,
        "now": now,
    }
    for key, value in changes.items():
        if key in ("capacity", "held_back"):
            arguments[key] = value
        elif case == "past":
            arguments[key] = now + timedelta(hours=value)
        else:
            arguments[key] = starts + timedelta(hours=value)
    with refused(code):
        services.session_create(**arguments)
    assert not PracticalSession.objects.exists()


def test_a_centre_publishes_only_subjects_it_offers(centre, desk, now):
    welding = builders.subject(code="welding")
    with refused("subject_not_offered"):
        services.session_create(
            actor=desk,
            center=centre,
            subject=welding,
            starts_at=day(10),
            ends_at=day(10, hour=12),
            capacity=12,
            now=now,
        )


# --- Eligibility -----------------------------------------------------------------------------


def test_without_a_theory_pass_nobody_books(make_session, subject, now):
    session = make_session()
    worker = WorkerProfileFactory()
    builders.complete_training(worker, subject)
    with refused("theory_required"):
        book(worker, session, now)
    failed_theory = pb.theory_pass(worker, subject, score=60)
    assert failed_theory.passed is False
    with refused("theory_required"):
        book(worker, session, now)


def test_the_theory_pass_must_still_be_valid_on_the_session_day(make_session, subject, now):
    worker = WorkerProfileFactory()
    pb.theory_pass(worker, subject, at=now - timedelta(days=360))  # valid 365 days
    late, early = make_session(10), make_session(2)
    with refused("theory_required"):
        book(worker, late, now)
    booking = book(worker, early, now)
    assert booking.status == Booking.Status.CONFIRMED
    assert_seats(late, early)


def test_after_passing_the_practical_there_is_nothing_more_to_book(
    make_session, worker, desk, centre, examiner, now
):
    first = make_session(5)
    booking = sit(worker, first, now=now, desk=desk, centre=centre, examiner=examiner, total=90)
    assert booking.result.passed
    again = make_session(20)
    with refused("already_passed"):
        book(worker, again, first.ends_at)


def test_one_free_retake_within_the_retake_days(
    make_session, worker, desk, centre, examiner, subject, now
):
    assert subject.free_retake_days == 30
    first = make_session(5)
    failed = sit(worker, first, now=now, desk=desk, centre=centre, examiner=examiner, total=60)
    assert failed.status == Booking.Status.COMPLETED and not failed.result.passed
    decided = failed.result.decided_at
    later = first.ends_at + timedelta(hours=1)
    too_late = make_session(at=decided + timedelta(days=30, hours=1))
    with refused("retake_expired") as caught:
        book(worker, too_late, later)
    assert str(timezone.localdate(decided + timedelta(days=30))) in str(caught.value.message)
    in_time = make_session(at=decided + timedelta(days=29))
    retake = book(worker, in_time, later)
    assert retake.status == Booking.Status.CONFIRMED
    assert_seats()


def test_a_no_show_counts_as_a_fail(make_session, worker, now):
    first = make_session(5)
    booking = book(worker, first, now)
    after = first.ends_at + timedelta(minutes=1)
    assert services.bookings_sweep(now=after)["no_shows"] == 1
    booking.refresh_from_db()
    assert booking.status == Booking.Status.NO_SHOW
    too_late = make_session(40)
    with refused("retake_expired"):
        book(worker, too_late, after)
    second = make_session(20)
    book(worker, second, after)
    after_second = second.ends_at + timedelta(minutes=1)
    services.bookings_sweep(now=after_second)
    third = make_session(25)
    with refused("retraining_required") as caught:
        book(worker, third, after_second)
    assert "2" in str(caught.value.message)
    assert_seats()


def test_two_fails_require_retraining_and_retraining_reopens_booking(
    make_session, worker, desk, centre, examiner, subject, now
):
    assert subject.fails_before_retraining == 2
    first, second, third = make_session(5), make_session(20), make_session(30)
    sit(worker, first, now=now, desk=desk, centre=centre, examiner=examiner, total=50)
    after_first = first.ends_at + timedelta(hours=1)
    sit(worker, second, now=after_first, desk=desk, centre=centre, examiner=examiner, total=70)
    after_second = second.ends_at + timedelta(hours=1)
    with refused("retraining_required"):
        book(worker, third, after_second)
    TrainingRecord.objects.filter(worker=worker).update(completed_at=after_second)
    booking = book(worker, third, after_second + timedelta(minutes=1))
    assert booking.status == Booking.Status.CONFIRMED
    assert_seats(first, second, third)


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


def test_an_urgent_booking_ignores_the_window_but_not_the_start(make_session, worker, desk, now):
    session = make_session(5, booking_opens_at=now + timedelta(days=1))
    with refused("past"):
        book(worker, session, session.starts_at, urgent=True, actor=desk)
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
    monkeypatch.setattr(booking_services, "_session_of", lambda booking_id, worker: old.pk)  # stale read
    with refused("conflict"):
        services.booking_cancel(booking_id=booking.pk, worker=worker, now=now)
    assert_seats(old, new)


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
    assert not services.practical_fails(worker=worker, subject=session.subject, since=None)
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


# --- Check-in --------------------------------------------------------------------------------


def test_a_scanned_ticket_checks_the_candidate_in_once(make_session, worker, desk, centre, now):
    session = make_session(5)
    booking = book(worker, session, now)
    url = services.ticket_url(booking)
    assert url.startswith("http://testserver/") and "?t=" in url
    on_the_day = session.starts_at - timedelta(minutes=30)
    found = services.checkin_lookup(user=desk, center=centre, scanned=url, now=on_the_day)
    assert found.pk == booking.pk
    found = services.checkin_lookup(
        user=desk, center=centre, scanned=services.ticket_token(booking), now=on_the_day
    )
    assert found.pk == booking.pk
    mark = audit_mark()
    checked = services.checkin_confirm(
        user=desk, booking_id=booking.pk, center=centre, now=on_the_day
    )
    assert (checked.status, checked.checked_in_at, checked.checked_in_by) == (
        Booking.Status.CHECKED_IN,
        on_the_day,
        desk,
    )
    assert verbs_since(mark) == ["booking.checked_in"]
    before = snapshot()
    again = services.checkin_confirm(
        user=desk, booking_id=booking.pk, center=centre, now=on_the_day + timedelta(minutes=3)
    )
    assert again.status == Booking.Status.CHECKED_IN
    assert snapshot() == before
    assert_seats(session)


def test_a_changed_ticket_is_refused(make_session, worker, desk, centre, now):
    session = make_session(5)
    booking = book(worker, session, now)
    token = services.ticket_token(booking)
    on_the_day = session.starts_at - timedelta(minutes=30)
    separator = token.index(":")
    for position, char in enumerate(token):
        changed = token[:position] + ("A" if char != "A" else "B") + token[position + 1 :]
        code = "no_booking" if position == separator else "forged"
        with refused(code):
            services.checkin_lookup(user=desk, center=centre, scanned=changed, now=on_the_day)
        with refused(code):
            services.checkin_lookup(
                user=desk, center=centre, scanned=f"http://x/?t={changed}", now=on_the_day
            )
    for changed in (
        token[:-1],
        token + "x",
        token.swapcase(),
        f"{booking.pk + 1}:{token[separator + 1 :]}",
    ):
        with refused("forged"):
            services.checkin_lookup(user=desk, center=centre, scanned=changed, now=on_the_day)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def test_tickets_for_another_centre_day_or_cancelled_booking_are_refused(
    make_session, subject, desk, centre, other_centre, now
):
    elsewhere = make_session(5, center=other_centre)
    here = make_session(5)
    tomorrow = make_session(6)
    on_the_day = here.starts_at - timedelta(minutes=30)
    away = book(pb.candidate(subject), elsewhere, now)
    not_today = book(pb.candidate(subject), tomorrow, now)
    given_up_worker = pb.candidate(subject)
    given_up = book(given_up_worker, here, now)
    services.booking_cancel(booking_id=given_up.pk, worker=given_up_worker, now=now)
    cases = [(away, "other_center"), (not_today, "not_today"), (given_up, "not_confirmed")]
    for booking, code in cases:
        with refused(code):
            services.checkin_lookup(
                user=desk,
                center=centre,
                scanned=services.ticket_token(booking),
                now=on_the_day,
            )
        with refused(code):
            services.checkin_confirm(
                user=desk, booking_id=booking.pk, center=centre, now=on_the_day
            )


def test_a_cancelled_session_checks_nobody_in(make_session, worker, desk, centre, now):
    session = make_session(5)
    booking = book(worker, session, now)
    PracticalSession.objects.filter(pk=session.pk).update(cancelled=True)
    with refused("cancelled"):
        services.checkin_confirm(
            user=desk, booking_id=booking.pk, center=centre, now=session.starts_at
        )


def test_a_typed_id_number_finds_todays_booking_here(
    make_session, subject, desk, centre, other_centre, now
):
    worker = pb.candidate(subject)
    here = make_session(5)
    booking = book(worker, here, now)
    on_the_day = here.starts_at - timedelta(minutes=30)
    for typed in (worker.id_number, f"  {worker.id_number.lower()} "):
        found = services.checkin_lookup(user=desk, center=centre, scanned=typed, now=on_the_day)
        assert found.pk == booking.pk
    stranger = WorkerProfileFactory()
    with refused("no_booking") as caught:
        services.checkin_lookup(
            user=desk, center=centre, scanned=stranger.id_number, now=on_the_day
        )
    assert stranger.id_number not in str(caught.value.message)  # masked
    # Typed, an ID number finds only this centre's bookings of the day, and says nothing of
    # other days or centres (a genuine ticket may).
    with refused("no_booking") as caught:
        services.checkin_lookup(
            user=desk, center=centre, scanned=worker.id_number, now=on_the_day - timedelta(days=1)
        )
    outsider = pb.staff(other_centre)
    with refused("no_booking") as caught:
        services.checkin_lookup(
            user=outsider, center=other_centre, scanned=worker.id_number, now=on_the_day
        )
    assert centre.name not in str(caught.value.message)


def test_staff_of_another_centre_are_refused(make_session, worker, centre, other_centre, now):
    session = make_session(5)
    booking = book(worker, session, now)
    outsider = pb.staff(other_centre)
    on_the_day = session.starts_at
    with refused("forbidden", PermissionDenied):
        services.checkin_lookup(
            user=outsider, center=centre, scanned=services.ticket_token(booking), now=on_the_day
        )
    with refused("forbidden", PermissionDenied):
        services.checkin_confirm(
            user=outsider, booking_id=booking.pk, center=centre, now=on_the_day
        )
    with refused("forbidden", PermissionDenied):
        services.checkin_confirm(
            user=worker.user, booking_id=booking.pk, center=centre, now=on_the_day
        )


# --- Scoring ---------------------------------------------------------------------------------


def test_scoring_needs_a_checked_in_candidate(make_session, worker, examiner, subject, now):
    session = make_session(5)
    booking = book(worker, session, now)
    with refused("not_checked_in"):
        score(booking, examiner, pb.full_marks(subject))


def test_bad_points_are_refused(make_session, worker, examiner, desk, centre, subject, now):
    session = make_session(5)
    booking = book(worker, session, now)
    check_in(booking, desk=desk, centre=centre)
    items = list(RubricItem.objects.filter(subject=subject).order_by("position"))
    full = pb.full_marks(subject)
    missing = {pk: points for pk, points in full.items() if pk != items[1].pk}
    with refused("incomplete"):
        score(booking, examiner, missing)
    with refused("incomplete"):
        score(booking, examiner, {**full, 999999: 0})
    for bad in (items[0].max_points + 1, -1, "20", 12.5, True, None):
        with refused("out_of_range"):
            score(booking, examiner, {**full, items[0].pk: bad})
    non_critical = next(item for item in items if not item.critical)
    with refused("malformed"):
        score(booking, examiner, full, critical_failed=[non_critical.pk])
    outsider = pb.staff(pb.center(code="other", subjects=[subject]), role=Role.EXAMINER)
    with refused("forbidden", PermissionDenied):
        score(booking, outsider, full)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CHECKED_IN


def test_a_failed_critical_item_fails_whatever_the_total(
    make_session, worker, examiner, desk, centre, subject, now
):
    session = make_session(5)
    booking = book(worker, session, now)
    check_in(booking, desk=desk, centre=centre)
    critical = critical_item(subject)
    with override_settings(ANXUN_CERTIFICATE_ISSUER=f"{HERE}.record_issue"):
        given = score(booking, examiner, pb.full_marks(subject), critical_failed=[critical.pk])
    assert given.total == 100 - critical.max_points >= subject.practical_pass_mark
    assert given.critical_failed == [critical.pk]
    failed_item = next(entry for entry in given.items if entry["item"] == critical.pk)
    assert (failed_item["points"], failed_item["failed"]) == (0, True)
    result = ExamResult.objects.get(booking=booking)
    assert (result.passed, result.critical_failed) == (False, True)
    assert issued == []


def test_one_examiner_decides_and_a_pass_issues_the_certificate_once(
    make_session, worker, examiner, desk, centre, subject, now
):
    session = make_session(5)
    booking = book(worker, session, now)
    check_in(booking, desk=desk, centre=centre)
    second_examiner = pb.staff(centre, role=Role.EXAMINER)
    mark = audit_mark()
    with override_settings(ANXUN_CERTIFICATE_ISSUER=f"{HERE}.record_issue"):
        given = score(booking, examiner, scored(subject, 85))
        result = ExamResult.objects.get(booking=booking)
        assert issued == [
            {
                "result": result.pk,
                "passed": True,
                "stored": True,
                "booking_status": Booking.Status.COMPLETED,
                "in_atomic_block": True,
            }
        ]
        with refused("scored"):
            score(booking, examiner, pb.full_marks(subject))
        with refused("scored"):
            score(booking, second_examiner, pb.full_marks(subject))
    assert given.total == 85
    assert (result.practical_score, result.theory_score, result.passed) == (85, 90, True)
    assert result.worker == worker and not result.corrected
    booking.refresh_from_db()
    assert booking.status == Booking.Status.COMPLETED
    assert verbs_since(mark) == ["score.submitted", "booking.completed", "result.decided"]
    assert len(issued) == 1
    assert_seats(session)


def test_a_fail_issues_nothing(make_session, worker, examiner, desk, centre, subject, now):
    session = make_session(5)
    booking = book(worker, session, now)
    check_in(booking, desk=desk, centre=centre)
    with override_settings(ANXUN_CERTIFICATE_ISSUER=f"{HERE}.record_issue"):
        score(booking, examiner, scored(subject, subject.practical_pass_mark - 1))
    assert ExamResult.objects.get(booking=booking).passed is False
    assert issued == []


def test_without_an_issuer_configured_a_pass_issues_nothing(
    make_session, worker, examiner, desk, centre, subject, now
):
    session = make_session(5)
    booking = book(worker, session, now)
    check_in(booking, desk=desk, centre=centre)
    with override_settings(ANXUN_CERTIFICATE_ISSUER=""):
        assert services.certificate_issuer() is None
        score(booking, examiner, pb.full_marks(subject))
    assert ExamResult.objects.get(booking=booking).passed


def test_a_failing_issuer_rolls_the_result_back(
    make_session, worker, examiner, desk, centre, subject, now
):
    session = make_session(5)
    booking = book(worker, session, now)
    check_in(booking, desk=desk, centre=centre)
    before = snapshot()
    with (
        override_settings(ANXUN_CERTIFICATE_ISSUER=f"{HERE}.failing_issue"),
        pytest.raises(RuntimeError),
    ):
        score(booking, examiner, pb.full_marks(subject))
    assert snapshot() == before
    assert not ExamResult.objects.exists() and not PracticalScore.objects.exists()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CHECKED_IN
    # Once the certificate service is back, the same scoring goes through.
    with override_settings(ANXUN_CERTIFICATE_ISSUER=f"{HERE}.record_issue"):
        score(booking, examiner, pb.full_marks(subject))
    assert len(issued) == 1 and ExamResult.objects.get().passed


@pytest.fixture
def two_examiners(subject):
    subject.practical_examiners = 2
    subject.examiner_margin = 10
    subject.save()
    return subject


def test_two_examiners_within_the_margin_are_averaged(
    two_examiners, make_session, worker, examiner, examiner2, desk, centre, now
):
    subject = two_examiners
    session = make_session(5)
    booking = book(worker, session, now)
    check_in(booking, desk=desk, centre=centre)
    mark = audit_mark()
    with override_settings(ANXUN_CERTIFICATE_ISSUER=f"{HERE}.record_issue"):
        score(booking, examiner, scored(subject, 90))
        booking.refresh_from_db()
        assert booking.status == Booking.Status.CHECKED_IN
        assert not ExamResult.objects.exists() and issued == []
        with refused("scored"):
            score(booking, examiner, scored(subject, 95))
        score(booking, examiner2, scored(subject, 85))
    result = ExamResult.objects.get(booking=booking)
    assert (result.practical_score, result.passed, result.corrected) == (88, True, False)
    assert len(issued) == 1
    assert verbs_since(mark) == [
        "score.submitted",
        "score.submitted",
        "booking.completed",
        "result.decided",
    ]


def test_two_examiners_beyond_the_margin_wait_for_the_supervisor(
    two_examiners, make_session, worker, examiner, examiner2, supervisor, desk, centre, now
):
    subject = two_examiners
    session = make_session(5)
    booking = book(worker, session, now)
    check_in(booking, desk=desk, centre=centre)
    mark = audit_mark()
    with override_settings(ANXUN_CERTIFICATE_ISSUER=f"{HERE}.record_issue"):
        score(booking, examiner, scored(subject, 92))
        score(booking, examiner2, scored(subject, 75))
        booking.refresh_from_db()
        assert booking.status == Booking.Status.SCORES_DIFFER
        assert not ExamResult.objects.exists()
        assert verbs_since(mark) == ["score.submitted", "score.submitted", "booking.scores_differ"]
        with refused("scored"):
            score(booking, supervisor, scored(subject, 80))
        with refused("reason"):
            services.result_correct(
                supervisor=supervisor, booking_id=booking.pk, points=scored(subject, 84), reason=" "
            )
        with refused("forbidden", PermissionDenied):
            services.result_correct(
                supervisor=examiner,
                booking_id=booking.pk,
                points=scored(subject, 84),
                reason="复核录像，操作规范",
            )
        mark = audit_mark()
        result = services.result_correct(
            supervisor=supervisor,
            booking_id=booking.pk,
            points=scored(subject, 84),
            reason="复核录像，操作规范",
            now=session.ends_at,
        )
    assert (result.practical_score, result.passed, result.corrected) == (84, True, True)
    assert result.decided_at == session.ends_at
    booking.refresh_from_db()
    assert booking.status == Booking.Status.COMPLETED
    assert verbs_since(mark) == ["booking.completed", "result.decided", "result.corrected"]
    corrected = AuditEvent.objects.get(verb="result.corrected")
    assert corrected.actor == supervisor and corrected.after["reason"] == "复核录像，操作规范"
    assert len(issued) == 1 and issued[0]["result"] == result.pk


def test_correcting_needs_a_score_and_never_turns_a_pass_into_a_fail(
    make_session, worker, examiner, supervisor, desk, centre, subject, now
):
    session = make_session(5)
    booking = book(worker, session, now)
    with refused("not_scored"):
        services.result_correct(
            supervisor=supervisor,
            booking_id=booking.pk,
            points=scored(subject, 50),
            reason="复核录像",
        )
    check_in(booking, desk=desk, centre=centre)
    with refused("not_scored"):
        services.result_correct(
            supervisor=supervisor,
            booking_id=booking.pk,
            points=scored(subject, 50),
            reason="复核录像",
        )
    score(booking, examiner, scored(subject, 90))
    with refused("passed"):
        services.result_correct(
            supervisor=supervisor,
            booking_id=booking.pk,
            points=scored(subject, 50),
            reason="复核录像",
        )


def test_a_failed_result_corrected_to_a_pass_issues_the_certificate(
    make_session, worker, examiner, supervisor, desk, centre, subject, now
):
    session = make_session(5)
    booking = book(worker, session, now)
    check_in(booking, desk=desk, centre=centre)
    with override_settings(ANXUN_CERTIFICATE_ISSUER=f"{HERE}.record_issue"):
        score(booking, examiner, scored(subject, 70))
        result = ExamResult.objects.get(booking=booking)
        assert not result.passed and issued == []
        with refused("forbidden", PermissionDenied):
            services.result_correct(
                supervisor=examiner,
                booking_id=booking.pk,
                points=scored(subject, 82),
                reason="计分错误，重新合计",
            )
        with refused("incomplete"):
            services.result_correct(
                supervisor=supervisor, booking_id=booking.pk, points={}, reason="计分错误，重新合计"
            )
        mark = audit_mark()
        corrected = services.result_correct(
            supervisor=supervisor,
            booking_id=booking.pk,
            points=scored(subject, 82),
            reason="计分错误，重新合计",
            now=session.ends_at,
        )
    assert corrected.pk == result.pk
    assert (corrected.practical_score, corrected.passed, corrected.corrected) == (82, True, True)
    assert verbs_since(mark) == ["result.corrected"]
    event = AuditEvent.objects.get(verb="result.corrected")
    assert event.before == {"practical": 70, "passed": False}
    assert event.after["reason"] == "计分错误，重新合计"
    assert [entry["result"] for entry in issued] == [result.pk]
    assert ExamResult.objects.count() == 1


def test_a_correction_that_still_fails_issues_nothing(
    make_session, worker, examiner, supervisor, desk, centre, subject, now
):
    session = make_session(5)
    booking = book(worker, session, now)
    check_in(booking, desk=desk, centre=centre)
    with override_settings(ANXUN_CERTIFICATE_ISSUER=f"{HERE}.record_issue"):
        score(booking, examiner, scored(subject, 60))
        corrected = services.result_correct(
            supervisor=supervisor,
            booking_id=booking.pk,
            points=pb.full_marks(subject),
            critical_failed=[critical_item(subject).pk],
            reason="急救操作未完成",
        )
    assert (corrected.practical_score, corrected.passed, corrected.critical_failed) == (
        80,
        False,
        True,
    )
    assert issued == []


# --- Roles are checked by the services too (not only by the pages) ---------------------------


def test_desk_staff_cannot_score_even_by_calling_the_service(desk, worker, make_session, now):
    session = make_session(at=now + timedelta(minutes=30))
    booking = book(worker, session, now)
    services.checkin_confirm(user=desk, booking_id=booking.pk, center=session.center, now=now)
    with refused("forbidden", PermissionDenied):
        services.score_submit(
            examiner=desk, booking_id=booking.pk, points=pb.full_marks(session.subject), now=now
        )


def test_an_urgent_booking_needs_centre_staff_of_that_centre(
    worker, examiner, make_session, other_centre, now
):
    session = make_session(capacity=1, held_back=1)
    for actor in (None, worker.user, examiner, pb.staff(other_centre)):
        with refused("forbidden", PermissionDenied):
            book(worker, session, now, urgent=True, actor=actor)


def test_a_rescheduled_booking_is_reminded_again_for_its_new_session(worker, make_session, now):
    first = make_session(at=now + timedelta(hours=20), cancel_cutoff_hours=2)
    second = make_session(at=now + timedelta(hours=22), cancel_cutoff_hours=2)
    booking = book(worker, first, now)
    assert services.bookings_sweep(now=now)["reminded"] == 1
    services.booking_reschedule(
        booking_id=booking.pk, new_session_id=second.pk, worker=worker, now=now
    )
    booking.refresh_from_db()
    assert booking.reminded_at is None
    assert services.bookings_sweep(now=now)["reminded"] == 1
    reminders = OutboundMessage.objects.filter(
        recipient=worker.user.phone, dedupe_key__startswith="booking-reminder:"
    )
    assert reminders.count() == 2  # one per session, the second naming the new time


def test_an_offer_in_a_cancelled_session_cannot_be_accepted(subject, make_session, now):
    session = make_session(capacity=1)
    holder, waiting = pb.candidate(subject), pb.candidate(subject)
    held = book(holder, session, now)
    offered = book(waiting, session, now, waitlist=True)
    services.booking_cancel(booking_id=held.pk, worker=holder, now=now)
    PracticalSession.objects.filter(pk=session.pk).update(cancelled=True)
    with refused("cancelled"):
        services.booking_offer_accept(booking_id=offered.pk, worker=waiting, now=now)


def test_two_examiners_totals_are_averaged_rounding_halves_up(
    subject, examiner, examiner2, desk, worker, make_session, now
):
    Subject.objects.filter(pk=subject.pk).update(practical_examiners=2)
    session = make_session(at=now + timedelta(minutes=30))
    booking = book(worker, session, now)
    services.checkin_confirm(user=desk, booking_id=booking.pk, center=session.center, now=now)
    services.score_submit(
        examiner=examiner, booking_id=booking.pk, points=scored(subject, 81), now=now
    )
    services.score_submit(
        examiner=examiner2, booking_id=booking.pk, points=scored(subject, 80), now=now
    )
    assert ExamResult.objects.get(booking=booking).practical_score == 81


# --- Changing and cancelling sessions ----------------------------------------------------------


def test_more_seats_go_to_the_waiting_list_at_once(subject, make_session, now):
    session = make_session(capacity=1)
    book(pb.candidate(subject), session, now)
    waiting = book(pb.candidate(subject), session, now, waitlist=True)
    services.session_update(actor=None, session_id=session.pk, changes={"capacity": 2}, now=now)
    waiting.refresh_from_db()
    assert waiting.status == Booking.Status.OFFERED
    assert_seats(session)


def test_a_session_cannot_shrink_below_its_bookings_or_move_once_booked(subject, make_session, now):
    session = make_session(capacity=2)
    book(pb.candidate(subject), session, now)
    book(pb.candidate(subject), session, now)
    with refused("capacity"):
        services.session_update(actor=None, session_id=session.pk, changes={"capacity": 1})
    with refused("fixed"):
        services.session_update(
            actor=None,
            session_id=session.pk,
            changes={"starts_at": session.starts_at + timedelta(hours=1)},
        )


def test_cancelling_a_session_frees_every_seat_and_tells_everyone(
    subject, desk, examiner, make_session, now
):
    session = make_session(capacity=1)
    held = book(pb.candidate(subject), session, now)
    waiting = book(pb.candidate(subject), session, now, waitlist=True)
    with refused("reason"):
        services.session_cancel(actor=desk, session_id=session.pk, reason="", now=now)
    with refused("forbidden", PermissionDenied):
        services.session_cancel(actor=examiner, session_id=session.pk, reason="停电检修", now=now)
    mark = audit_mark()
    services.session_cancel(actor=desk, session_id=session.pk, reason="考场停电检修", now=now)
    for booking in (held, waiting):
        booking.refresh_from_db()
        assert booking.status == Booking.Status.CANCELLED
        assert OutboundMessage.objects.filter(
            recipient=booking.worker.user.phone, body__contains="考场停电检修"
        ).exists()
    assert verbs_since(mark) == ["session.cancelled", "booking.cancelled", "booking.cancelled"]
    assert_seats(session)
    # Not an attempt: the worker books again straight away.
    book(held.worker, make_session(days=6), now)


def test_examiners_disagreeing_on_a_critical_item_wait_for_the_supervisor(
    subject, examiner, examiner2, desk, worker, make_session, now
):
    Subject.objects.filter(pk=subject.pk).update(practical_examiners=2)
    session = make_session(at=now + timedelta(minutes=30))
    booking = book(worker, session, now)
    services.checkin_confirm(user=desk, booking_id=booking.pk, center=session.center, now=now)
    marks = pb.full_marks(subject)
    services.score_submit(examiner=examiner, booking_id=booking.pk, points=marks, now=now)
    services.score_submit(
        examiner=examiner2,
        booking_id=booking.pk,
        points=marks,
        critical_failed=[critical_item(subject).pk],
        now=now,
    )
    booking.refresh_from_db()
    assert booking.status == Booking.Status.SCORES_DIFFER
    assert not ExamResult.objects.filter(booking=booking).exists()


def test_a_started_session_cannot_be_cancelled(desk, subject, make_session, now):
    session = make_session(at=now + timedelta(minutes=30))
    book(pb.candidate(subject), session, now)
    with refused("past"):
        services.session_cancel(
            actor=desk, session_id=session.pk, reason="考场停电", now=now + timedelta(hours=1)
        )


@pytest.mark.parametrize("reason", ["", "abc", "x" * 201, "停电\x00检修", "停电\n\n检修"])
def test_staff_reasons_must_be_short_plain_text(desk, subject, make_session, now, reason):
    session = make_session()
    with refused("reason"):
        services.session_cancel(actor=desk, session_id=session.pk, reason=reason, now=now)


def test_messages_to_workers_are_in_the_sites_language(desk, subject, make_session, now):
    from django.utils import translation

    session = make_session(capacity=1)
    worker = pb.candidate(subject)
    book(worker, session, now)
    with translation.override("en"):
        services.session_cancel(actor=desk, session_id=session.pk, reason="考场停电检修", now=now)
    body = OutboundMessage.objects.get(recipient=worker.user.phone).body
    assert "已取消" in body and "cancelled" not in body


def test_a_candidate_who_left_unscored_is_recorded_as_not_attended(
    subject, desk, examiner, supervisor, worker, make_session, now
):
    session = make_session(at=now + timedelta(minutes=30))
    booking = book(worker, session, now)
    services.checkin_confirm(user=desk, booking_id=booking.pk, center=session.center, now=now)
    for actor in (desk, examiner):  # only the supervisor
        with refused("forbidden", PermissionDenied):
            services.booking_abandon(supervisor=actor, booking_id=booking.pk, reason="中途离场")
    with refused("reason"):
        services.booking_abandon(supervisor=supervisor, booking_id=booking.pk, reason="")
    mark = audit_mark()
    services.booking_abandon(
        supervisor=supervisor, booking_id=booking.pk, reason="考生身体不适中途离场", now=now
    )
    booking.refresh_from_db()
    assert booking.status == Booking.Status.NO_SHOW
    assert verbs_since(mark) == ["booking.abandoned"]
    assert len(services.practical_fails(worker=worker, subject=subject, since=None)) == 1
    # No longer stuck: the free retake can be booked.
    book(worker, make_session(days=7), now)


def test_a_scored_candidate_cannot_be_recorded_as_not_attended(
    subject, desk, examiner, supervisor, worker, make_session, now
):
    session = make_session(at=now + timedelta(minutes=30))
    booking = book(worker, session, now)
    services.checkin_confirm(user=desk, booking_id=booking.pk, center=session.center, now=now)
    services.score_submit(
        examiner=examiner, booking_id=booking.pk, points=pb.full_marks(subject), now=now
    )
    with refused("not_abandonable"):
        services.booking_abandon(supervisor=supervisor, booking_id=booking.pk, reason="中途离场")
