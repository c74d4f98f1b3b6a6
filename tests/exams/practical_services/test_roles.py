"""Roles are checked by the services too, not only by the pages. Time is driven by ``now=``."""

from datetime import timedelta

import pytest

from core.errors import PermissionDenied
from core.models import OutboundMessage
from exams.models import (
    ExamResult,
    PracticalSession,
    Subject,
)
from exams.practical import services
from tests.exams import practical_builders as pb
from tests.exams.practical_services.support import (
    book,
    refused,
    scored,
)

pytestmark = pytest.mark.django_db


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
