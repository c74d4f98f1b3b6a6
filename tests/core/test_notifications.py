import pytest

from core.models import OutboundMessage
from core.notifications import REDACTED, message_send
from core.sms import SmsDeliveryError
from core.tasks import deliver_message

pytestmark = pytest.mark.django_db


def test_message_is_delivered_once_after_commit(sms_outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = message_send(channel="sms", recipient="+8613800001111", body="您好")
    assert sms_outbox == []  # nothing leaves before the transaction commits
    for callback in callbacks:
        callback()
    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.SENT
    assert message.sent_at is not None
    assert sms_outbox == [{"phone": "+8613800001111", "text": "您好"}]


def test_running_the_delivery_again_sends_nothing_more(
    sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = message_send(channel="sms", recipient="+8613800001111", body="提醒")
    deliver_message.delay(message.pk)
    deliver_message.delay(message.pk)
    assert len(sms_outbox) == 1
    message.refresh_from_db()
    assert message.attempts == 1


def test_dedupe_key_makes_a_second_send_a_no_op(sms_outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = message_send(channel="sms", recipient="+86138", body="a", dedupe_key="k1")
        second = message_send(channel="sms", recipient="+86138", body="a", dedupe_key="k1")
    assert first.pk == second.pk
    assert len(sms_outbox) == 1


def test_sensitive_body_is_wiped_after_delivery(sms_outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = message_send(
            channel="sms", recipient="+86138", body="验证码 123456", sensitive=True
        )
    message.refresh_from_db()
    assert message.body == REDACTED
    assert sms_outbox[0]["text"] == "验证码 123456"


def test_email_goes_through_django_mail(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message_send(
            channel="email",
            recipient="a@example.cn",
            subject="主题",
            body="正文",
            html_body="<p>正文</p>",
        )
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == "主题"
    assert mailoutbox[0].alternatives[0][0] == "<p>正文</p>"


@pytest.fixture
def retries_run_eagerly(monkeypatch):
    """Let eager retries play out instead of raising at the first one."""
    monkeypatch.setitem(deliver_message.app.conf, "task_eager_propagates", False)


@pytest.mark.usefixtures("retries_run_eagerly")
def test_gateway_failures_are_retried_and_counted_until_it_works(sms_outbox, monkeypatch):
    from core.sms import LocmemSmsSender

    real_send, failures = LocmemSmsSender.send, []

    def flaky(self, *, phone, text):
        if len(failures) < 2:
            failures.append(phone)
            raise SmsDeliveryError("gateway busy")
        real_send(self, phone=phone, text=text)

    monkeypatch.setattr(LocmemSmsSender, "send", flaky)
    message = OutboundMessage.objects.create(channel="sms", recipient="+86138", body="重试")
    # Eagerly, Celery runs each retry at once instead of after its countdown.
    assert deliver_message.apply(args=[message.pk]).state == "SUCCESS"
    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.SENT
    assert message.attempts == 3
    assert sms_outbox == [{"phone": "+86138", "text": "重试"}]


@pytest.mark.usefixtures("retries_run_eagerly")
def test_a_gateway_that_never_answers_leaves_the_message_failed(monkeypatch):
    def refuse(self, *, phone, text):
        raise SmsDeliveryError("gateway down")

    monkeypatch.setattr("core.sms.LocmemSmsSender.send", refuse)
    message = OutboundMessage.objects.create(channel="sms", recipient="+86138", body="x")
    assert deliver_message.apply(args=[message.pk]).state == "FAILURE"
    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.FAILED
    assert message.attempts == deliver_message.max_retries + 1
    assert "gateway down" in message.last_error


def test_a_broker_down_at_commit_loses_no_message_and_breaks_no_action(
    sms_outbox, django_capture_on_commit_callbacks, monkeypatch
):
    """The row is the outbox: when the broker cannot take the delivery task at commit, the
    action still succeeds, the message waits, and the resend sweep hands it over once."""
    from datetime import timedelta

    from django.utils import timezone
    from kombu.exceptions import OperationalError

    from core.notifications import messages_resend

    real_delay = deliver_message.delay

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(deliver_message, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        message = message_send(
            channel="sms", recipient="+86138", body="证书已签发", dedupe_key="c1"
        )
    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.PENDING and sms_outbox == []

    later = timezone.now() + timedelta(minutes=6)
    assert messages_resend(now=later) == 0  # still down: it keeps waiting
    assert messages_resend(now=timezone.now()) == 0  # too young to be called lost
    monkeypatch.setattr(deliver_message, "delay", real_delay)
    assert messages_resend(now=later) == 1
    assert messages_resend(now=later) == 0  # sent: the next sweep leaves it alone
    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.SENT
    assert sms_outbox == [{"phone": "+86138", "text": "证书已签发"}]


def test_the_sweep_resends_a_failed_try_whose_retry_was_lost_and_gives_up_on_stale_messages(
    sms_outbox,
):
    """A message whose first try failed and whose retry never reached the broker is handed
    over again; a login code too old to use and a message out of attempts are given up."""
    from datetime import timedelta

    from django.utils import timezone

    from core.notifications import MAX_ATTEMPTS, message_record_failure, messages_resend

    retry_lost = message_send(channel="sms", recipient="+861", body="成绩已登记", dedupe_key="r1")
    message_record_failure(message_id=retry_lost.pk, error="timeout", final=False)
    code = message_send(channel="sms", recipient="+862", body="验证码 123456", sensitive=True)
    worn_out = message_send(channel="sms", recipient="+863", body="x", dedupe_key="w1")
    OutboundMessage.objects.filter(pk=worn_out.pk).update(attempts=MAX_ATTEMPTS)
    sms_outbox.clear()

    # Right after the failure its retry is due: the sweep leaves it alone.
    assert messages_resend(now=timezone.now()) == 0
    later = timezone.now() + timedelta(minutes=11)
    assert messages_resend(now=later) == 1
    assert [sent["phone"] for sent in sms_outbox] == ["+861"]
    for message, status in (
        (retry_lost, OutboundMessage.Status.SENT),
        (code, OutboundMessage.Status.FAILED),
        (worn_out, OutboundMessage.Status.FAILED),
    ):
        message.refresh_from_db()
        assert message.status == status
