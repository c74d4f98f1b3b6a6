"""Outbound SMS and e-mail: queued as rows, delivered once by a Celery task.

``message_send`` is called inside the caller's transaction; the delivery task is enqueued on
commit, so a rolled-back action sends nothing. ``message_deliver`` locks the row, so a retried
or duplicated task never sends a second message.

The row is the outbox: a broker that cannot be reached at commit loses nothing (and does not
turn the committed action into an error); ``messages_resend`` (a beat task) hands every message
still waiting for its first attempt to the broker again.
"""

import functools
import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from kombu.exceptions import OperationalError

from .models import OutboundMessage
from .sms import get_sms_sender

logger = logging.getLogger("anxun.notifications")

REDACTED = "[redacted]"


def absolute_url(path: str = "") -> str:
    """The public https address of ``path`` (for messages, QR codes, credentials)."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def user_notify(user, *, key: str, text, subject, email_key: str | None = None) -> None:
    """An SMS to the user's phone, and the same by e-mail when they gave one, each once per
    key. ``text`` is a callable composing the message and ``subject`` the e-mail's subject:
    both are put in the site's language, not that of whoever's action sent them."""
    with translation.override(settings.LANGUAGE_CODE):
        body, subject = str(text()), str(subject)
    if user.phone:
        message_send(channel="sms", recipient=user.phone, body=body, dedupe_key=key)
    if user.email:
        message_send(
            channel="email",
            recipient=user.email,
            subject=subject,
            body=body,
            dedupe_key=email_key or f"{key}:email",
        )


@transaction.atomic
def message_send(
    *,
    channel: str,
    recipient: str,
    body: str,
    subject: str = "",
    html_body: str = "",
    sensitive: bool = False,
    dedupe_key: str | None = None,
) -> OutboundMessage:
    """Queue one message. With ``dedupe_key``, a second call returns the first message."""
    defaults = {
        "channel": channel,
        "recipient": recipient,
        "subject": subject,
        "body": body,
        "html_body": html_body,
        "sensitive": sensitive,
    }
    if dedupe_key is None:
        message = OutboundMessage.objects.create(**defaults)
    else:
        message, created = OutboundMessage.objects.get_or_create(
            dedupe_key=dedupe_key, defaults=defaults
        )
        if not created:
            return message

    # robust: a failure here must not skip the caller's other on-commit work (a render).
    transaction.on_commit(functools.partial(_enqueue, message.pk), robust=True)
    return message


def _enqueue(message_id: int) -> bool:
    """Hand a queued message to the delivery task; False when the broker cannot be reached,
    in which case the row stays pending for ``messages_resend``."""
    from .tasks import deliver_message

    try:
        deliver_message.delay(message_id)
    except OperationalError:
        logger.warning("Broker unreachable: message %s waits for the resend sweep", message_id)
        return False
    return True


# A message handed to the broker is tried within seconds, and a failed try is retried within a
# minute; a pending one untouched for this long was never handed over (the broker was down at
# commit or at the retry, or the task was lost).
RESEND_AFTER = timedelta(minutes=5)
# Attempts before a message is given up (the delivery task's first try and its retries).
MAX_ATTEMPTS = 6
# A pending message older than this is given up: the news is stale. Sensitive ones (login and
# reset codes) are stale once their code has expired.
GIVE_UP_AFTER = timedelta(days=1)
SENSITIVE_GIVE_UP_AFTER = timedelta(minutes=10)


def messages_resend(*, now=None, batch: int = 500) -> int:
    """Beat task body: hand every pending message left untouched ``RESEND_AFTER`` to the
    delivery task again, and mark failed what is too old to send (``GIVE_UP_AFTER``; a
    sensitive code after ``SENSITIVE_GIVE_UP_AFTER``) or out of attempts. Safe to run twice and
    alongside a delivery: ``message_deliver`` sends a message once whoever asks. Returns how
    many were handed over."""
    now = now or timezone.now()
    pending = OutboundMessage.objects.filter(status=OutboundMessage.Status.PENDING)
    stale = (
        Q(created_at__lt=now - GIVE_UP_AFTER)
        | Q(sensitive=True, created_at__lt=now - SENSITIVE_GIVE_UP_AFTER)
        | Q(attempts__gte=MAX_ATTEMPTS)
    )
    pending.filter(stale).update(
        status=OutboundMessage.Status.FAILED,
        last_error="given up: not delivered in time",
        updated_at=now,
    )
    waiting = (
        pending.exclude(stale)
        .filter(updated_at__lte=now - RESEND_AFTER)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    handed, last = 0, 0
    while chunk := list(waiting.filter(pk__gt=last)[:batch]):
        for message_id in chunk:
            if not _enqueue(message_id):
                return handed  # still down: the next run tries again
            handed += 1
        last = chunk[-1]
    return handed


@transaction.atomic
def message_deliver(*, message_id: int) -> OutboundMessage:
    """Send a queued message unless it was sent already. Raises if the backend fails."""
    message = OutboundMessage.objects.select_for_update().get(pk=message_id)
    if message.status == OutboundMessage.Status.SENT:
        return message
    message.attempts += 1
    if message.channel == OutboundMessage.Channel.SMS:
        get_sms_sender().send(phone=message.recipient, text=message.body)
    else:
        email = EmailMultiAlternatives(message.subject, message.body, to=[message.recipient])
        if message.html_body:
            email.attach_alternative(message.html_body, "text/html")
        email.send()
    message.status = OutboundMessage.Status.SENT
    message.sent_at = timezone.now()
    message.last_error = ""
    if message.sensitive:
        message.body = REDACTED
        message.html_body = ""
    message.save()
    return message


def message_record_failure(*, message_id: int, error: str, final: bool) -> None:
    """Count a failed attempt (the delivery's own transaction rolled back) and, on the last
    one, give up: the message stays visible as failed."""
    unsent = OutboundMessage.objects.filter(pk=message_id).exclude(
        status=OutboundMessage.Status.SENT
    )
    # updated_at marks the try: the resend sweep leaves a message alone while its retry is due.
    changes = {
        "attempts": F("attempts") + 1,
        "last_error": error[:2000],
        "updated_at": timezone.now(),
    }
    if final:
        changes["status"] = OutboundMessage.Status.FAILED
    unsent.update(**changes)
