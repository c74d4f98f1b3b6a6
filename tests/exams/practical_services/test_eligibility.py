"""Who may book a practical exam: the theory pass, retakes and retraining. Time is driven by ``now=``."""

from datetime import timedelta

import pytest
from django.utils import timezone

from exams.models import (
    Booking,
)
from exams.practical import services
from tests.exams import builders
from tests.exams import practical_builders as pb
from tests.exams.practical_services.support import (
    assert_seats,
    book,
    refused,
    sit,
)
from tests.factories import WorkerProfileFactory
from training.models import TrainingRecord

pytestmark = pytest.mark.django_db


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
    worker = pb.with_photo(WorkerProfileFactory())
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
