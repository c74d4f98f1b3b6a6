"""Event registration: the form builder's form, capacity, duplicates, deadlines, bad input."""

from datetime import timedelta

import pytest

from cms.models import EventFormField, EventRegistration
from tests.cms import builders

pytestmark = pytest.mark.django_db


def register(client, event, **data):
    payload = {"name": "李晓梅", "phone": "13911112222", "attendees": "1", **data}
    return client.post(event.url, payload)


def test_registration_is_saved_and_confirmed(client):
    event = builders.event(capacity=10)
    response = register(client, event, attendees="2")
    assert response.status_code == 200
    html = response.content.decode()
    assert "报名成功" in html and "李晓梅" in html
    registration = EventRegistration.objects.get()
    assert (registration.name, registration.phone, registration.attendees) == (
        "李晓梅",
        "+8613911112222",
        2,
    )
    assert event.seats_left() == 8


def test_editor_questions_are_asked_and_stored(client):
    event = builders.event(capacity=10)
    EventFormField.objects.create(
        page=event, label="所在单位", field_type="singleline", required=True
    )
    page = client.get(event.url).content.decode()
    assert "所在单位" in page
    response = register(client, event)
    assert "所在单位" in response.content.decode()  # required answer missing: asked again
    assert not EventRegistration.objects.exists()
    register(client, event, **{EventFormField.objects.get().clean_name: "杭州钱江精细化工有限公司"})
    assert EventRegistration.objects.get().form_data == {
        EventFormField.objects.get().clean_name: "杭州钱江精细化工有限公司"
    }


def test_a_full_event_refuses_and_saves_nothing(client):
    event = builders.event(capacity=2)
    register(client, event, phone="13900000001", attendees="2")
    response = register(client, event, phone="13900000002")
    assert "已满" in response.content.decode()
    assert EventRegistration.objects.count() == 1


def test_a_party_larger_than_the_seats_left_is_refused(client):
    event = builders.event(capacity=3)
    register(client, event, phone="13900000001", attendees="2")
    response = register(client, event, phone="13900000002", attendees="2")
    assert "仅剩 1" in response.content.decode() or "1 个名额" in response.content.decode()
    assert EventRegistration.objects.count() == 1


def test_the_same_mobile_number_registers_once(client):
    event = builders.event(capacity=10)
    register(client, event)
    response = register(client, event, phone="139 1111 2222", name="李晓梅")
    assert "已报名" in response.content.decode()
    assert EventRegistration.objects.count() == 1


def test_registration_closes_when_the_event_starts(client):
    event = builders.event(capacity=10, starts_in=timedelta(hours=-1))
    response = register(client, event)
    assert "已截止" in response.content.decode()
    assert not EventRegistration.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("phone", "12345"), ("name", "<script>alert(1)</script>"), ("attendees", "9"), ("name", "")],
)
def test_malformed_input_is_refused(client, field, value):
    event = builders.event(capacity=10)
    response = register(client, event, **{field: value})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert not EventRegistration.objects.exists()


def test_answers_are_escaped_when_shown(client):
    event = builders.event(capacity=10)
    EventFormField.objects.create(page=event, label="备注", field_type="singleline", required=False)
    clean_name = EventFormField.objects.get().clean_name
    response = register(client, event, **{clean_name: "<img src=x onerror=alert(1)>"})
    assert "<img src=x onerror" not in response.content.decode()
    assert EventRegistration.objects.get().form_data[clean_name] == "<img src=x onerror=alert(1)>"


def test_events_without_capacity_need_no_registration(client):
    event = builders.event(capacity=0, kind="live", stream_url="https://live.example.gov.cn/1")
    html = client.get(event.url).content.decode()
    assert 'name="phone"' not in html
    assert "https://live.example.gov.cn/1" in html
