"""Training hours are the time the heartbeat clock measured, capped by the course's hours."""

import importlib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.utils import timezone

from core.models import AuditEvent
from tests.factories import WorkerProfileFactory
from tests.training import builders
from training import services
from training.models import Enrollment, LessonProgress, TrainingRecord
from training.selectors import training_completed

pytestmark = pytest.mark.django_db

T0 = timezone.now() - timedelta(days=30)
INTERVAL = 600  # heartbeats ten minutes apart (fewer calls): half an hour of study is 4 beats


def study(worker, course, *, start=T0, extra_beats=0):
    """Study every lesson of ``course`` honestly: heartbeats until its minimum time is credited
    (and ``extra_beats`` more before the checkpoint is answered), then the right answers."""
    for number, lesson in enumerate(course.lessons()):
        begin = start + timedelta(hours=number)
        beats = lesson.min_seconds // INTERVAL + 1 + extra_beats
        for i in range(beats):  # the first beat of a lesson starts the clock: it earns nothing
            services.lesson_heartbeat(
                worker=worker,
                lesson=lesson,
                now=begin + timedelta(seconds=i * INTERVAL),
                resume=i == 0,
            )
        answers = {c.pk: c.correct_choice for c in lesson.checkpoints.all()}
        services.lesson_checkpoints_answer(worker=worker, lesson=lesson, answers=answers)


@pytest.fixture(autouse=True)
def _slow_beats(settings):
    settings.ANXUN_HEARTBEAT_SECONDS = INTERVAL


def enrolled(**course_spec):
    course = builders.course(**course_spec)
    worker = WorkerProfileFactory()
    services.enrollment_create(worker=worker, course=course, actor=worker.user)
    return worker, course


def test_the_record_credits_the_time_measured_not_the_course_figure():
    # A "4 hour" course whose two lessons take half an hour each: one hour measured.
    worker, course = enrolled(hours="4.0", lessons=2, min_seconds=1800)
    study(worker, course)
    record = TrainingRecord.objects.get(worker=worker, course=course)
    measured = sum(
        LessonProgress.objects.filter(enrollment__worker=worker).values_list(
            "seconds_credited", flat=True
        )
    )
    assert record.seconds == measured == 3600
    assert record.hours == Decimal("1.0")
    event = AuditEvent.objects.get(verb="training_record.credited")
    assert event.after["hours"] == "1.0" and event.after["seconds"] == 3600


def test_time_beyond_the_lessons_minimum_counts_and_is_rounded_down():
    # Ten more minutes on each lesson before its checkpoint: 80 minutes is 1.33 h → 1.3.
    worker, course = enrolled(hours="4.0", lessons=2, min_seconds=1800)
    study(worker, course, extra_beats=1)
    record = TrainingRecord.objects.get(worker=worker, course=course)
    assert record.seconds == 2 * (1800 + 600)
    assert record.hours == Decimal("1.3")


def test_the_course_hours_cap_the_record():
    worker, course = enrolled(hours="0.5", lessons=2, min_seconds=1800)
    study(worker, course)
    record = TrainingRecord.objects.get(worker=worker, course=course)
    assert record.seconds == 3600
    assert record.hours == Decimal("0.5")


def test_completing_the_course_still_makes_the_worker_eligible_whatever_the_hours():
    """Eligibility asks that every required course is completed (each lesson's minimum time
    and checkpoints); the hours on the record are what that study measured."""
    worker, course = enrolled(hours="8.0", lessons=1, min_seconds=600)
    assert not training_completed(worker=worker, courses=[course])
    study(worker, course)
    assert TrainingRecord.objects.get(worker=worker).hours == Decimal("0.1")
    assert training_completed(worker=worker, courses=[course])


def test_retraining_adds_the_time_of_the_new_study_up_to_the_course_hours():
    worker, course = enrolled(hours="1.5", lessons=2, min_seconds=1800)
    study(worker, course)
    services.training_restart(worker=worker, courses=[course], actor=None)
    study(worker, course, start=T0 + timedelta(days=10))
    record = TrainingRecord.objects.get(worker=worker, course=course)
    assert record.seconds == 7200
    assert record.hours == Decimal("1.5")  # two hours measured, the course credits 1.5
    assert record.completed_at == Enrollment.objects.get(worker=worker).completed_at
    event = AuditEvent.objects.get(verb="training_record.recredited")
    assert event.before == {"hours": "1.0", "seconds": 3600}
    assert event.after == {"hours": "1.5", "seconds": 7200}


def test_the_migration_recomputes_nominal_records_from_the_progress():
    migration = importlib.import_module("training.migrations.0004_training_record_measured_seconds")
    worker, course = enrolled(hours="4.0", lessons=2, min_seconds=1800)
    study(worker, course)
    restarted = WorkerProfileFactory()
    services.enrollment_create(worker=restarted, course=course, actor=None)
    study(restarted, course, extra_beats=1)
    services.training_restart(worker=restarted, courses=[course], actor=None)
    # What records looked like before: the course's nominal hours, no time.
    TrainingRecord.objects.update(hours=Decimal("4.0"), seconds=0)

    migration.records_recompute(django_apps, None)

    record = TrainingRecord.objects.get(worker=worker)
    assert (record.seconds, record.hours) == (3600, Decimal("1.0"))
    # Its progress is gone (retraining, not completed again): the least the completion took.
    gone = TrainingRecord.objects.get(worker=restarted)
    assert (gone.seconds, gone.hours) == (3600, Decimal("1.0"))
