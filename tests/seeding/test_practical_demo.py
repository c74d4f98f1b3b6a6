"""The practical-exam demo (seeding/demo/exams_practical.py, ``practical_seed``): rubrics of 100 points with a
critical item, centres with staff, sessions relative to today, candidates whose bookings hold
exactly the seats counted, a session today the check-in demo works with, and seeding twice
changes nothing."""

from collections import Counter
from datetime import datetime, time

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from accounts.models import Role, RoleAssignment, User
from exams.models import (
    Booking,
    CenterStaff,
    ExamCenter,
    ExamResult,
    PracticalScore,
    PracticalSession,
    RubricItem,
    Subject,
    TheoryAttempt,
)
from exams.practical import selectors, services
from seeding.demo.exams_practical import MAIN_CENTRE, _today_slot

pytestmark = pytest.mark.django_db

SUBJECT_CODES = {
    "low-voltage-electrician",
    "welding-cutting",
    "work-at-height",
    "hazchem-principal",
}


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)


def _today_session() -> PracticalSession:
    today = timezone.localdate()
    sessions = [
        session
        for session in PracticalSession.objects.filter(
            center__code=MAIN_CENTRE, subject__code="low-voltage-electrician"
        )
        if timezone.localdate(session.starts_at) == today
    ]
    assert len(sessions) == 1
    return sessions[0]


def _state():
    return (
        sorted(ExamCenter.objects.values_list("code", flat=True)),
        sorted(CenterStaff.objects.values_list("center_id", "user_id", "supervisor")),
        sorted(RubricItem.objects.values_list("pk", "max_points", "critical")),
        sorted(PracticalSession.objects.values_list("pk", "capacity", "held_back", "seats_taken")),
        sorted(Booking.objects.values_list("pk", "worker_id", "session_id", "status")),
        PracticalScore.objects.count(),
        ExamResult.objects.count(),
        TheoryAttempt.objects.count(),
        User.objects.count(),
    )


def test_seeding_twice_changes_nothing_and_every_seat_is_a_booking(demo):
    before = _state()
    call_command("seed_demo", verbosity=0)
    assert _state() == before
    holding = dict(
        Booking.objects.filter(status__in=Booking.SEAT_HOLDING)
        .values_list("session")
        .annotate(n=Count("pk"))
        .order_by()
    )
    sessions = list(PracticalSession.objects.all())
    assert len(sessions) >= 30
    for session in sessions:
        assert session.seats_taken == holding.get(session.pk, 0), session
        assert session.seats_taken <= session.capacity


def test_rubrics_centres_staff_and_sessions(demo):
    subjects = Subject.objects.filter(code__in=SUBJECT_CODES)
    assert subjects.count() == 4
    for subject in subjects:
        items = list(subject.rubric.all())
        assert sum(item.max_points for item in items) == 100, subject.code
        assert 1 <= sum(item.critical for item in items) <= 2, subject.code
        assert {item.part for item in items} == set(RubricItem.Part.values), subject.code
        assert len({item.position for item in items}) == len(items), subject.code

    centres = list(ExamCenter.objects.annotate(offered=Count("subjects")))
    assert 4 <= len(centres) <= 5
    assert len({centre.district_id for centre in centres}) == len(centres)
    assert all(2 <= centre.offered <= 4 for centre in centres)
    assert all(centre.phone and centre.address.startswith("杭州市") for centre in centres)

    main = ExamCenter.objects.get(code=MAIN_CENTRE)
    posts = {
        post.user.phone: post
        for post in CenterStaff.objects.filter(center=main).select_related("user")
    }
    assert posts["+8613800000003"].supervisor
    assert not posts["+8613800000004"].supervisor
    examiners = RoleAssignment.objects.filter(role=Role.EXAMINER).values_list(
        "user__phone", flat=True
    )
    assert {"+8613800000004", "+8613800000010"} <= set(examiners)

    today = timezone.localdate()
    upcoming = [
        session
        for session in PracticalSession.objects.all()
        if timezone.localdate(session.starts_at) > today
    ]
    assert len(upcoming) >= 30
    assert all(10 <= session.capacity <= 30 for session in upcoming)
    assert {timezone.localtime(s.starts_at).time() for s in upcoming} == {time(9), time(14)}
    last = max(timezone.localdate(session.starts_at) for session in upcoming)
    assert 14 <= (last - today).days <= 21

    full = [s for s in upcoming if s.public_seats_left == 0]
    assert full, "one session is full"
    waiting = Booking.objects.filter(session__in=full, status=Booking.Status.WAITLISTED)
    assert 1 <= waiting.count() <= 3
    assert any(0 < s.public_seats_left <= 3 for s in upcoming), "some sessions nearly full"


def test_today_the_demo_worker_can_be_checked_in_and_scored(demo):
    session = _today_session()
    assert session.ends_at > timezone.now()  # not yet over: the sweep leaves it alone
    worker = User.objects.get(phone="+8613800000001").worker_profile
    booking = Booking.objects.get(worker=worker, session=session)
    assert booking.status == Booking.Status.CONFIRMED
    assert selectors.theory_pass_for(worker=worker, subject=session.subject, on=session.starts_at)

    statuses = Counter(session.bookings.values_list("status", flat=True))
    assert statuses["checked_in"] >= 2 and statuses["completed"] == 2
    results = {
        result.passed: result for result in ExamResult.objects.filter(booking__session=session)
    }
    assert results[True].practical_score >= 80
    assert results[False].critical_failed  # 一票否决
    retaker = results[False].worker
    assert Booking.objects.filter(
        worker=retaker, status=Booking.Status.CONFIRMED, session__starts_at__gt=session.starts_at
    ).exists()
    assert Booking.objects.filter(status=Booking.Status.CONFIRMED).count() >= 12

    desk = User.objects.get(phone="+8613800000003")
    examiner = User.objects.get(phone="+8613800000004")
    found = services.checkin_lookup(user=desk, center=session.center, scanned=worker.id_number)
    assert found == booking
    services.checkin_confirm(user=desk, booking_id=booking.pk, center=session.center)
    services.score_submit(
        examiner=examiner,
        booking_id=booking.pk,
        points={item.pk: item.max_points for item in session.subject.rubric.all()},
    )
    result = ExamResult.objects.get(booking=booking)
    assert result.passed and result.practical_score == 100


@pytest.mark.parametrize(
    ("clock", "start", "end"),
    [
        (time(6, 30), time(9), time(12)),
        (time(11, 59), time(9), time(12)),
        (time(12, 0), time(14), time(17)),
        (time(16, 45), time(14), time(17)),
        (time(19, 0), time(18, 30), time(21, 30)),
        (time(22, 30), time(19), time(23, 59, 59)),
        (time(23, 59, 30), time(19), time(23, 59, 59)),
    ],
)
def test_today_session_has_not_ended_whenever_the_seed_runs(clock, start, end):
    now = timezone.make_aware(datetime.combine(timezone.localdate(), clock))
    starts, ends = _today_slot(now)
    assert (timezone.localtime(starts).time(), timezone.localtime(ends).time()) == (start, end)
    assert timezone.localdate(starts) == timezone.localdate(now) and ends > now
