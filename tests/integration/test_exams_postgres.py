"""Theory exams on PostgreSQL: concurrent starts and submits, deadlines, stale saves, resume."""

import json
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from exams import services
from exams.models import AttemptAnswer, TheoryAttempt
from exams.tasks import submit_expired_attempts
from tests.exams import builders
from tests.factories import WorkerProfileFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def together(n, work):
    barrier = threading.Barrier(n)
    results, lock = [], threading.Lock()

    def run(i):
        try:
            barrier.wait(timeout=10)
            outcome = work(i)
        except Exception as error:  # noqa: BLE001  (a crash is what we look for)
            outcome = f"crash: {error!r}"
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.fixture
def taker():
    subject = builders.subject()
    worker = WorkerProfileFactory()
    builders.complete_training(worker, subject)
    return worker, subject


def test_concurrent_starts_make_one_attempt(taker):
    worker, subject = taker
    ids = together(8, lambda i: services.attempt_start(worker=worker, subject=subject).pk)
    assert len(set(ids)) == 1 and not any(str(i).startswith("crash") for i in ids)
    assert TheoryAttempt.objects.count() == 1


def test_concurrent_submits_give_one_result(taker):
    worker, subject = taker
    attempt = services.attempt_start(worker=worker, subject=subject)
    builders.answer_all(attempt, worker, right=15)
    results = together(
        6, lambda i: services.attempt_submit(attempt_id=attempt.pk, worker=worker).submitted_at
    )
    assert len(set(results)) == 1
    from core.models import AuditEvent

    assert AuditEvent.objects.filter(verb="attempt.submitted").count() == 1


def test_concurrent_saves_keep_the_newest(taker):
    worker, subject = taker
    attempt = services.attempt_start(worker=worker, subject=subject)
    together(
        10,
        lambda i: (
            services.answer_save(
                attempt_id=attempt.pk, worker=worker, position=0, selected=[i % 2], seq=i + 1
            ).seq
        ),
    )
    answer = AttemptAnswer.objects.get()
    assert answer.seq == 10 and answer.selected == [9 % 2]


def test_deadline_sweep_submits_with_the_deadline_as_finish(taker):
    worker, subject = taker
    attempt = services.attempt_start(worker=worker, subject=subject)
    builders.answer_all(attempt, worker, right=3)
    TheoryAttempt.objects.filter(pk=attempt.pk).update(
        started_at=attempt.started_at - timedelta(hours=3),
        deadline=attempt.deadline - timedelta(hours=3),
    )
    submit_expired_attempts.apply()  # what beat runs
    attempt.refresh_from_db()
    assert attempt.status == "submitted" and attempt.auto_submitted
    assert attempt.submitted_at == attempt.deadline


def test_reload_resumes_with_every_saved_answer_and_the_same_clock(taker):
    worker, subject = taker
    client = Client()
    client.force_login(worker.user)
    client.post(reverse("exams:start", args=[subject.code]))
    attempt = TheoryAttempt.objects.get()
    for position in range(0, len(attempt.paper), 2):
        client.post(
            reverse("exams:answer", args=[attempt.pk]),
            json.dumps({"position": position, "selected": [0], "seq": 1}),
            content_type="application/json",
        )
    first = client.get(reverse("exams:attempt", args=[attempt.pk]))
    second = client.get(reverse("exams:attempt", args=[attempt.pk]))
    saved = [q["position"] for q in second.context["questions"] if q["saved"]]
    assert saved == list(range(0, len(attempt.paper), 2))
    assert 0 <= first.context["remaining"] - second.context["remaining"] <= 1
    assert second.context["remaining"] > 7000
