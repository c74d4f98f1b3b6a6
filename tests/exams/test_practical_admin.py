"""The practical exams in the Wagtail admin: centres, centre staff, rubric items and sessions
list for a superuser; a session is created by ``session_create`` and ``seats_taken`` is never a
form field; an edit keeps the seats booked."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from core.models import AuditEvent
from exams.models import CenterStaff, ExamCenter, PracticalSession, RubricItem
from exams.practical import services
from tests.factories import UserFactory

from . import builders
from . import practical_builders as build

pytestmark = pytest.mark.django_db

VIEWSETS = ("exam_center", "exam_center_staff", "exam_rubric", "exam_session")


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


@pytest.fixture
def subject(db):
    item = builders.subject()
    build.rubric(item)
    return item


@pytest.fixture
def centre(subject):
    return build.center(subjects=[subject])


def _form_time(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _session_form(subject, centre, *, starts=None, **overrides) -> dict:
    starts = starts or timezone.now() + timedelta(days=10)
    return {
        "subject": subject.pk,
        "center": centre.pk,
        "starts_at": _form_time(starts),
        "ends_at": _form_time(starts + timedelta(hours=3)),
        "capacity": 20,
        "held_back": 2,
        "booking_opens_at": "",
        "booking_closes_at": "",
        "cancel_cutoff_hours": 48,
        **overrides,
    }


def test_the_listings_answer_for_a_superuser(admin_client, subject, centre):
    staff = build.staff(centre, role=Role.EXAMINER)
    for n in range(3):
        session = build.session(center=centre, subject=subject, starts_in=timedelta(days=n + 2))
        services.booking_create(worker=build.candidate(subject), session_id=session.pk)
    for name in VIEWSETS:
        response = admin_client.get(reverse(f"{name}:index"))
        assert response.status_code == 200, name
    html = admin_client.get(reverse("exam_session:index")).content.decode()
    assert centre.name in html and subject.name in html
    assert str(staff) in admin_client.get(reverse("exam_center_staff:index")).content.decode()
    response = admin_client.get(
        reverse("exam_session:index"),
        {
            "subject": subject.pk,
            "center": centre.pk,
            "starts_at_from": (timezone.localdate() + timedelta(days=3)).isoformat(),
            "starts_at_to": (timezone.localdate() + timedelta(days=4)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert len(response.context["object_list"]) == 2
    response = admin_client.get(reverse("exam_rubric:index"), {"subject": subject.pk})
    titles = [item.title for item in response.context["object_list"]]
    assert titles == [title for _part, title, _points, _critical in build.RUBRIC]


def test_the_session_listing_does_not_grow_its_queries_with_the_sessions(admin_client, subject):
    centre = build.center(subjects=[subject])
    build.session(center=centre, subject=subject)
    url = reverse("exam_session:index")
    admin_client.get(url)
    with CaptureQueriesContext(connection) as few:
        admin_client.get(url)
    for n in range(6):
        other = build.center(code=f"c{n}", subjects=[subject])
        build.session(center=other, subject=subject, starts_in=timedelta(days=n + 1))
    with CaptureQueriesContext(connection) as many:
        admin_client.get(url)
    assert len(many) == len(few)


@pytest.mark.parametrize("name", VIEWSETS)
def test_the_create_forms_open_and_never_offer_seats_taken(admin_client, subject, name):
    response = admin_client.get(reverse(f"{name}:add"))
    assert response.status_code == 200
    assert 'name="seats_taken"' not in response.content.decode()
    assert "seats_taken" not in response.context["form"].fields


def test_a_session_is_created_through_the_service(admin_client, subject, centre):
    starts = timezone.now() + timedelta(days=10)
    response = admin_client.post(
        reverse("exam_session:add"), _session_form(subject, centre, starts=starts, seats_taken=7)
    )
    assert response.status_code == 302
    session = PracticalSession.objects.get()
    assert (session.capacity, session.held_back, session.seats_taken) == (20, 2, 0)
    assert session.booking_closes_at == session.starts_at - timedelta(days=1)
    assert AuditEvent.objects.filter(verb="session.created", target_id=str(session.pk)).exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"starts": "past"}, "starts_at"),
        ({"capacity": 0}, "capacity"),
        ({"held_back": 30}, "held_back"),
        ({"offered": False}, "subject"),
    ],
)
def test_the_service_rules_refuse_a_bad_session(admin_client, subject, centre, overrides, field):
    if overrides.pop("offered", True) is False:
        centre.subjects.clear()
    starts = None
    if overrides.pop("starts", None) == "past":
        starts = timezone.now() - timedelta(days=1)
    response = admin_client.post(
        reverse("exam_session:add"), _session_form(subject, centre, starts=starts, **overrides)
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not PracticalSession.objects.exists()


def test_an_edit_keeps_the_seats_taken_and_fixes_a_booked_session(admin_client, subject, centre):
    session = build.session(center=centre, subject=subject, capacity=10)
    for _n in range(3):
        services.booking_create(worker=build.candidate(subject), session_id=session.pk)
    url = reverse("exam_session:edit", args=[session.pk])
    form = admin_client.get(url).context["form"]
    assert "seats_taken" not in form.fields
    assert form.fields["starts_at"].disabled and form.fields["center"].disabled

    data = _session_form(subject, centre, starts=session.starts_at, capacity=2, seats_taken=0)
    data["booking_opens_at"] = _form_time(session.booking_opens_at)
    data["booking_closes_at"] = _form_time(session.booking_closes_at)
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["capacity"]

    starts = session.starts_at
    data.update(capacity=12, starts_at=_form_time(starts + timedelta(days=3)))
    response = admin_client.post(url, data)
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.capacity, session.seats_taken) == (12, 3)
    assert session.starts_at == starts  # fixed once booked: the posted start is ignored
    event = AuditEvent.objects.get(verb="session.updated", target_id=str(session.pk))
    assert event.after["capacity"] == 12 and event.before["capacity"] == 10
    assert not {"seats_taken", "starts_at", "center"} & set(event.after)


def test_a_session_with_bookings_is_not_deleted(admin_client, subject, centre):
    session = build.session(center=centre, subject=subject)
    services.booking_create(worker=build.candidate(subject), session_id=session.pk)
    response = admin_client.post(reverse("exam_session:delete", args=[session.pk]))
    assert response.status_code == 302
    assert PracticalSession.objects.filter(pk=session.pk).exists()
    errors = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]
    assert len(errors) == 1


def test_the_admin_warns_when_the_rubric_does_not_add_up_to_100(admin_client, subject):
    item = RubricItem.objects.filter(subject=subject).first()
    response = admin_client.post(
        reverse("exam_rubric:edit", args=[item.pk]),
        {
            "subject": subject.pk,
            "part": item.part,
            "position": item.position,
            "title": item.title,
            "max_points": item.max_points - 5,
            "critical": "on" if item.critical else "",
        },
    )
    assert response.status_code == 302
    warnings = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert len(warnings) == 1 and "95" in warnings[0]


def test_only_centre_staff_and_examiners_can_be_posted(admin_client, subject, centre):
    examiner = UserFactory()
    build.staff(build.center(code="other", subjects=[subject]), role=Role.EXAMINER, user=examiner)
    bystander = UserFactory()
    form = admin_client.get(reverse("exam_center_staff:add")).context["form"]
    users = set(form.fields["user"].queryset)
    assert examiner in users and bystander not in users
    response = admin_client.post(
        reverse("exam_center_staff:add"),
        {"center": centre.pk, "user": examiner.pk, "supervisor": "on"},
    )
    assert response.status_code == 302
    assert CenterStaff.objects.get(center=centre, user=examiner).supervisor
    assert ExamCenter.objects.get(pk=centre.pk).staff.count() == 1
