"""A registration is confirmed by an SMS that carries what the person needs to check in:
the event, the local time, the place, the registration number and how many come — once."""

import datetime as dt
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings

from cms.models import EventRegistration
from cms.notifications import registration_accepted_tell
from tests.cms import builders

pytestmark = pytest.mark.django_db


def register(client, event, **data):
    payload = {"name": "李晓梅", "phone": "13911112222", "attendees": "2", **data}
    return client.post(event.url, payload)


def an_event_at_half_past_nine():
    starts = dt.datetime.now(ZoneInfo("Asia/Shanghai")).replace(
        hour=9, minute=30, second=0, microsecond=0
    ) + timedelta(days=7)
    return builders.event(capacity=10, starts_in=starts - dt.datetime.now(dt.UTC)), starts


def test_an_accepted_registration_gets_one_sms_to_check_in_with(
    client, sms_outbox, django_capture_on_commit_callbacks
):
    event, starts = an_event_at_half_past_nine()
    with django_capture_on_commit_callbacks(execute=True):
        page = register(client, event).content.decode()
    registration = EventRegistration.objects.get()
    assert f"{registration.pk:06d}" in page and "凭短信签到" in page
    [sms] = sms_outbox
    assert sms["phone"] == "+8613911112222"
    text = sms["text"]
    assert text.startswith("【安训】李晓梅") and event.title in text
    assert f"{starts:%Y-%m-%d} 09:30" in text  # local time, not 01:30 UTC
    assert "地点：杭州市西湖文化广场" in text and "2 人" in text
    assert f"报名号 {registration.pk:06d}" in text and "凭本短信签到" in text

    # The same person again is refused, and a replay of the notice sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        register(client, event)
        registration_accepted_tell(registration, event=event)
    assert len(sms_outbox) == 1


def test_a_refused_registration_sends_nothing(
    client, sms_outbox, django_capture_on_commit_callbacks
):
    event = builders.event(capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        register(client, event)  # two people, one seat
    assert not EventRegistration.objects.exists()
    assert sms_outbox == []


@override_settings(LANGUAGE_CODE="en")
def test_the_registration_sms_is_in_english_on_an_english_site(
    client, sms_outbox, django_capture_on_commit_callbacks
):
    event, _ = an_event_at_half_past_nine()
    with django_capture_on_commit_callbacks(execute=True):
        register(client, event)
    [sms] = sms_outbox
    assert "your registration for" in sms["text"] and "2 people" in sms["text"]
    assert "Show this message to check in." in sms["text"]
