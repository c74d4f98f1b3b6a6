"""A task goes from a committed transaction through Redis to a real worker and back to PostgreSQL."""

import json
import os
import re

import pytest
from django.db import transaction

from core.models import OutboundMessage
from core.notifications import message_send
from core.tasks import deliver_message
from tests.integration.conftest import wait_for

# serialized_rollback everywhere in this suite: mixing it with plain transactional tests makes
# the restore collide with content types that a plain flush re-creates.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def sms_lines(sms_file, phone):
    lines = [json.loads(line) for line in sms_file.read_text(encoding="utf-8").splitlines() if line]
    return [line for line in lines if line["phone"] == phone]


def status_of(message):
    message.refresh_from_db()
    return message.status


def test_message_round_trips_through_redis_to_the_worker(celery_worker, sms_file):
    with transaction.atomic():
        message = message_send(channel="sms", recipient="+8613800002222", body="集成测试：往返")
    wait_for(lambda: status_of(message) == OutboundMessage.Status.SENT, message="the worker")
    assert message.sent_at is not None
    assert sms_lines(sms_file, "+8613800002222") == [
        {"phone": "+8613800002222", "text": "集成测试：往返"}
    ]
    log = celery_worker.log_path.read_text()
    assert "core.tasks.deliver_message" in log and "succeeded" in log
    assert celery_worker.pid != os.getpid()


def received(log_path) -> int:
    """How many delivery tasks the worker has taken from the broker so far."""
    return len(
        re.findall(r"Task core\.tasks\.deliver_message\[[^\]]+\] received", log_path.read_text())
    )


def test_a_rolled_back_transaction_enqueues_nothing(celery_worker, sms_file):
    log = celery_worker.log_path
    before = received(log)
    with pytest.raises(RuntimeError), transaction.atomic():
        message_send(channel="sms", recipient="+8613800003333", body="不该发送")
        raise RuntimeError("the action failed")
    assert not OutboundMessage.objects.filter(recipient="+8613800003333").exists()
    # A probe sent afterwards is delivered; the worker received nothing else in between.
    with transaction.atomic():
        probe = message_send(channel="sms", recipient="+8613800003334", body="探针")
    wait_for(lambda: status_of(probe) == OutboundMessage.Status.SENT, message="the probe")
    assert received(log) - before == 1
    assert sms_lines(sms_file, "+8613800003333") == []


def test_redelivered_tasks_send_nothing_more(celery_worker, sms_file):
    with transaction.atomic():
        message = message_send(channel="sms", recipient="+8613800004444", body="只发一次")
    wait_for(lambda: status_of(message) == OutboundMessage.Status.SENT, message="first delivery")
    results = [deliver_message.delay(message.pk) for _ in range(3)]
    log_path = celery_worker.log_path
    wait_for(
        lambda: all(result.id in log_path.read_text() for result in results),
        message="the repeated tasks",
    )
    wait_for(lambda: log_path.read_text().count("succeeded") >= 4, message="the repeats to finish")
    message.refresh_from_db()
    assert message.attempts == 1
    assert len(sms_lines(sms_file, "+8613800004444")) == 1
