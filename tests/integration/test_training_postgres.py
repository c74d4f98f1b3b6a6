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
