"""Sending SMS: one small interface, a backend per runtime profile (``settings.SMS_BACKEND``).

Backends never decide *whether* to send; ``core.notifications`` does that, exactly once.
"""

import json
import logging
import urllib.request
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("anxun.sms")


class SmsDeliveryError(Exception):
    """The gateway did not accept the message; the delivery task retries."""


class SmsSender(Protocol):
    def send(self, *, phone: str, text: str) -> None: ...


class LogSmsSender:
    """Development: the message, code included, goes to the log (the runserver console)."""

    def send(self, *, phone: str, text: str) -> None:
        logger.warning("SMS to %s: %s", phone, text)


class LocmemSmsSender:
    """Fast tests: messages collect in ``outbox`` like ``django.core.mail.outbox``."""

    outbox: list[dict[str, str]] = []

    def send(self, *, phone: str, text: str) -> None:
        LocmemSmsSender.outbox.append({"phone": phone, "text": text})


class FileSmsSender:
    """Integration tests: a JSON line per message, readable from another process."""

    def send(self, *, phone: str, text: str) -> None:
        with open(settings.ANXUN_SMS_FILE, "a", encoding="utf-8") as file:
            file.write(json.dumps({"phone": phone, "text": text}, ensure_ascii=False) + "\n")


class HttpGatewaySmsSender:
    """Production: POST ``{"phone", "text"}`` as JSON to the bureau's SMS gateway."""

    timeout_seconds = 10

    def send(self, *, phone: str, text: str) -> None:
        if not settings.ANXUN_SMS_GATEWAY_URL.startswith("https://"):
            raise SmsDeliveryError("ANXUN_SMS_GATEWAY_URL must be an https:// URL")
        request = urllib.request.Request(  # noqa: S310  (scheme checked above)
            settings.ANXUN_SMS_GATEWAY_URL,
            data=json.dumps({"phone": phone, "text": text}, ensure_ascii=False).encode(),
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Authorization": f"Bearer {settings.ANXUN_SMS_GATEWAY_TOKEN}",
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_seconds) as response:  # noqa: S310
                if not 200 <= response.status < 300:
                    raise SmsDeliveryError(f"gateway answered {response.status}")
        except OSError as error:
            raise SmsDeliveryError(str(error)) from error


def get_sms_sender() -> SmsSender:
    return import_string(settings.SMS_BACKEND)()
