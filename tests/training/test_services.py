"""Honest training time: heartbeats, caps, tabs, forgeries, completion and hours."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from core.errors import DomainError
from tests.factories import WorkerProfileFactory
from tests.training import builders
from training import services
from training.models import Enrollment, LessonProgress, TrainingRecord
from training.selectors import training_completed

pytestmark = pytest.mark.django_db

T0 = timezone.now()


def beats(worker, lesson, seconds_apart, count, start=T0):
    return [
        services.lesson_heartbeat(
            worker=worker, lesson=lesson, now=start + timedelta(seconds=i * seconds_apart)
        )
        for i in range(count)
    ]


@pytest.fixture
def enrolled(settings):
    settings.ANXUN_HEARTBEAT_SECONDS = 15
    course = builders.course(min_seconds=60)
    worker = WorkerProfileFactory()
    services.enrollment_create(worker=worker, course=course, actor=worker.user)
    return worker, course, list(course.lessons())


def test_steady_heartbeats_credit_wall_clock_time(enrolled):
    worker, _course, lessons = enrolled
    results = beats(worker, lessons[0], 15, 5)
    assert [r.credited for r in results] == [0, 15, 15, 15, 15]
    assert results[-1].seconds == 60


def test_heartbeats_faster_than_half_the_interval_earn_nothing(enrolled):
    worker, _course, lessons = enrolled
    results = beats(worker, lessons[0], 2, 30)  # a script hammering the endpoint for a minute
    # Only beats at least half an interval after the last credited one earn anything.
    assert [r.credited for r in results[1:8]] == [0, 0, 0, 8, 0, 0, 0]
    assert sum(r.credited for r in results) <= 58


def test_a_long_pause_earns_one_interval_at_most(enrolled):
    worker, _course, lessons = enrolled
    services.lesson_heartbeat(worker=worker, lesson=lessons[0], now=T0)
    result = services.lesson_heartbeat(
        worker=worker, lesson=lessons[0], now=T0 + timedelta(hours=2)
    )
    assert result.credited == 20


def test_two_tabs_or_devices_share_one_clock(enrolled):
    worker, _course, lessons = enrolled
    # Two lessons open side by side, each beating every 15 s, offset by 5 s.
    total = 0
    for i in range(8):
        total += services.lesson_heartbeat(
            worker=worker, lesson=lessons[0], now=T0 + timedelta(seconds=15 * i)
        ).credited
        total += services.lesson_heartbeat(
            worker=worker, lesson=lessons[1], now=T0 + timedelta(seconds=15 * i + 5)
        ).credited
    assert total <= 15 * 7 + 5  # never more than the wall clock between first and last beat


def test_a_lesson_of_a_course_not_enrolled_credits_nothing(enrolled, settings):
    _worker, _course, lessons = enrolled
    stranger = WorkerProfileFactory()
    with pytest.raises(DomainError) as caught:
        services.lesson_heartbeat(worker=stranger, lesson=lessons[0], now=T0)
    assert caught.value.code == "not_enrolled"
    assert not LessonProgress.objects.filter(enrollment__worker=stranger).exists()


def test_time_and_checkpoints_complete_the_course_and_credit_hours_once(enrolled):
    worker, course, lessons = enrolled
    for lesson in lessons:
        start = T0 + timedelta(hours=lessons.index(lesson))
        results = beats(worker, lesson, 15, 5, start=start)
        assert not results[-1].completed  # the time is there, the checkpoint is not
        checkpoint = lesson.checkpoints.get()
        assert services.lesson_checkpoints_answer(
            worker=worker, lesson=lesson, answers={checkpoint.pk: 1}
        ) == [checkpoint.pk]
        assert (
            services.lesson_checkpoints_answer(
                worker=worker, lesson=lesson, answers={checkpoint.pk: 2}
            )
            == []
        )
    enrollment = Enrollment.objects.get(worker=worker, course=course)
    assert enrollment.completed_at is not None
    record = TrainingRecord.objects.get(worker=worker)
    # The time measured (60 s on the first lesson, 80 on the second, started after a pause
    # that earned one interval), not the course's 4 hours: under a tenth of an hour.
    assert record.seconds == 140
    assert record.hours == Decimal("0.0")
    assert training_completed(worker=worker, courses=[course])
    # More heartbeats and answers change nothing.
    beats(worker, lessons[0], 15, 3, start=T0 + timedelta(hours=5))
    assert TrainingRecord.objects.count() == 1


def test_not_enough_time_means_not_complete(enrolled):
    worker, course, lessons = enrolled
    checkpoint = lessons[0].checkpoints.get()
    services.lesson_checkpoints_answer(worker=worker, lesson=lessons[0], answers={checkpoint.pk: 2})
    beats(worker, lessons[0], 15, 3)
    assert LessonProgress.objects.get(lesson=lessons[0]).completed_at is None
    assert not training_completed(worker=worker, courses=[course])


def test_enrolment_is_idempotent_and_checks_prerequisites():
    first = builders.course(code="first", title="前置课程")
    second = builders.course(code="second", title="后续课程")
    second.prerequisites.add(first)
    second.save_revision().publish()
    worker = WorkerProfileFactory()
    with pytest.raises(DomainError) as caught:
        services.enrollment_create(worker=worker, course=second, actor=None)
    assert "前置课程" in str(caught.value.message)
    a = services.enrollment_create(worker=worker, course=first, actor=None)
    b = services.enrollment_create(worker=worker, course=first, actor=None)
    assert a.pk == b.pk


def test_training_completed_with_no_required_courses_is_true():
    assert training_completed(worker=WorkerProfileFactory(), courses=[])


def test_a_resume_beat_after_hiding_earns_nothing(enrolled):
    worker, _course, lessons = enrolled
    beats(worker, lessons[0], 15, 2)  # 15 s earned
    back = T0 + timedelta(seconds=15 + 8)  # hidden for 8 s, then visible again
    resumed = services.lesson_heartbeat(worker=worker, lesson=lessons[0], now=back, resume=True)
    assert resumed.credited == 0
    next_beat = services.lesson_heartbeat(
        worker=worker, lesson=lessons[0], now=back + timedelta(seconds=15)
    )
    assert next_beat.credited == 15 and next_beat.seconds == 30
