"""Heartbeats from many tabs at once on PostgreSQL: the worker's clock row lock lets only one
of them earn the time."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from tests.factories import WorkerProfileFactory
from tests.training import builders
from training import services
from training.models import LearningClock, LessonProgress

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_simultaneous_heartbeats_credit_the_interval_once(settings):
    settings.ANXUN_HEARTBEAT_SECONDS = 15
    course = builders.course(lessons=2, min_seconds=600)
    worker = WorkerProfileFactory()
    services.enrollment_create(worker=worker, course=course, actor=None)
    lessons = list(course.lessons())
    start = timezone.now() - timedelta(seconds=15)
    LearningClock.objects.create(worker=worker, last_heartbeat_at=start)
    barrier = threading.Barrier(10)
    credited: list[int] = []
    lock = threading.Lock()

    def beat(n: int):
        try:
            barrier.wait(timeout=10)
            result = services.lesson_heartbeat(worker=worker, lesson=lessons[n % 2])
            with lock:
                credited.append(result.credited)
        finally:
            connection.close()

    threads = [threading.Thread(target=beat, args=(n,)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(credited) == 10
    assert sum(credited) <= 20  # one interval (plus the grace), however many tabs
    total = sum(LessonProgress.objects.values_list("seconds_credited", flat=True))
    assert total == sum(credited)


# --- Hours are measured time, and the roster sums them once (the same as on SQLite) ---------


def test_a_record_credits_the_measured_time_capped_by_the_course(settings):
    from decimal import Decimal

    from tests.training.test_hours import INTERVAL, study
    from training.models import TrainingRecord

    settings.ANXUN_HEARTBEAT_SECONDS = INTERVAL
    worker = WorkerProfileFactory()
    measured = builders.course(code="measured", hours="4.0", lessons=2, min_seconds=1800)
    capped = builders.course(
        code="capped", title="封顶课程", hours="0.5", lessons=1, min_seconds=1800
    )
    for course in (measured, capped):
        services.enrollment_create(worker=worker, course=course, actor=None)
    study(worker, measured, extra_beats=1)
    study(worker, capped, start=timezone.now() - timedelta(days=5))
    records = {r.course_id: r for r in TrainingRecord.objects.filter(worker=worker)}
    assert (records[measured.pk].seconds, records[measured.pk].hours) == (4800, Decimal("1.3"))
    assert (records[capped.pk].seconds, records[capped.pk].hours) == (1800, Decimal("0.5"))


def test_the_roster_sums_a_workers_hours_once_across_enrolments():
    from decimal import Decimal

    from accounts import services as account_services
    from accounts.models import Role
    from tests.factories import EnterpriseFactory, UserFactory
    from tests.training.test_figures import enrolled_in_three
    from training.selectors import roster_progress

    enterprise = EnterpriseFactory()
    worker = WorkerProfileFactory(employer=enterprise)
    enrolled_in_three(worker)
    idle = WorkerProfileFactory(employer=enterprise)
    admin = UserFactory()
    account_services.role_grant(
        user=admin, role=Role.ENTERPRISE_ADMIN, actor=None, enterprise=enterprise
    )
    rows = {row.pk: row for row in roster_progress(viewer=admin)}
    assert (rows[worker.pk].hours, rows[worker.pk].courses_enrolled) == (Decimal("1.5"), 3)
    assert (rows[idle.pk].hours, rows[idle.pk].courses_enrolled) == (Decimal("0.0"), 0)


def test_the_migration_recomputes_records_on_postgresql(settings):
    import importlib
    from decimal import Decimal

    from django.apps import apps as django_apps

    from tests.training.test_hours import INTERVAL, study
    from training.models import TrainingRecord

    settings.ANXUN_HEARTBEAT_SECONDS = INTERVAL
    migration = importlib.import_module("training.migrations.0004_training_record_measured_seconds")
    course = builders.course(code="migrated", hours="4.0", lessons=2, min_seconds=1800)
    worker = WorkerProfileFactory()
    services.enrollment_create(worker=worker, course=course, actor=None)
    study(worker, course)
    TrainingRecord.objects.update(hours=Decimal("4.0"), seconds=0)
    migration.records_recompute(django_apps, None)
    record = TrainingRecord.objects.get()
    assert (record.seconds, record.hours) == (3600, Decimal("1.0"))


def test_reminders_reach_everyone_in_batches_on_postgresql(settings):
    from core.models import OutboundMessage
    from training.models import Enrollment

    course = builders.course(code="remind", lessons=1)
    workers = [WorkerProfileFactory() for _ in range(5)]
    for worker in workers:
        services.enrollment_create(worker=worker, course=course, actor=None)
    Enrollment.objects.update(created_at=timezone.now() - timedelta(days=10))
    sent = [services.reminders_send_not_started(batch=2) for _run in range(4)]
    assert sent == [2, 2, 1, 0]
    assert sorted(OutboundMessage.objects.values_list("recipient", flat=True)) == sorted(
        worker.user.phone for worker in workers
    )
