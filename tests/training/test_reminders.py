from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import OutboundMessage
from tests.factories import WorkerProfileFactory
from tests.training import builders
from training import services
from training.models import Enrollment

pytestmark = pytest.mark.django_db


def test_workers_who_have_not_started_are_reminded_once_a_week(
    sms_outbox, django_capture_on_commit_callbacks
):
    course = builders.course(lessons=1)
    idle, busy = WorkerProfileFactory(), WorkerProfileFactory()
    for worker in (idle, busy):
        services.enrollment_create(worker=worker, course=course, actor=None)
    Enrollment.objects.update(created_at=timezone.now() - timedelta(days=10))
    services.lesson_heartbeat(worker=busy, lesson=course.lessons().first())
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_send_not_started()
        services.reminders_send_not_started()  # the beat ran twice: still one message
    assert [m["phone"] for m in sms_outbox] == [idle.user.phone]
    assert course.title in sms_outbox[0]["text"]
    assert OutboundMessage.objects.count() == 1


def test_new_enrolments_are_not_reminded_yet(sms_outbox, django_capture_on_commit_callbacks):
    course = builders.course(lessons=1)
    services.enrollment_create(worker=WorkerProfileFactory(), course=course, actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_send_not_started()
    assert sms_outbox == []


def test_successive_runs_reach_every_worker_once_whatever_the_batch(
    sms_outbox, django_capture_on_commit_callbacks
):
    course = builders.course(lessons=1)
    workers = [WorkerProfileFactory() for _ in range(7)]
    for worker in workers:
        services.enrollment_create(worker=worker, course=course, actor=None)
    Enrollment.objects.update(created_at=timezone.now() - timedelta(days=10))
    with django_capture_on_commit_callbacks(execute=True):
        sent = [services.reminders_send_not_started(batch=3) for _run in range(4)]
    assert sent == [3, 3, 1, 0]
    phones = [m["phone"] for m in sms_outbox]
    assert sorted(phones) == sorted(worker.user.phone for worker in workers)
    assert OutboundMessage.objects.count() == 7
