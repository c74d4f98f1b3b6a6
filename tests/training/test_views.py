import subprocess
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from accounts.models import Role
from tests.factories import DistrictFactory, EnterpriseFactory, UserFactory, WorkerProfileFactory
from tests.training import builders
from training import services
from training.models import Enrollment

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    return builders.course(min_seconds=30)


def test_worker_enrols_and_is_sent_to_the_first_lesson(client, course):
    worker = WorkerProfileFactory()
    client.force_login(worker.user)
    response = client.post(reverse("training:enrol", args=[course.pk]))
    assert response["Location"] == course.lessons().first().url
    assert Enrollment.objects.filter(worker=worker, course=course).exists()
    page = client.get(course.lessons().first().url).content.decode()
    assert "data-heartbeat-url" in page


def test_heartbeat_endpoint_credits_only_the_enrolled_worker(client, course):
    lesson = course.lessons().first()
    url = reverse("training:heartbeat", args=[lesson.pk])
    worker = WorkerProfileFactory()
    client.force_login(worker.user)
    assert client.post(url).status_code == 403  # not enrolled: nothing credited
    services.enrollment_create(worker=worker, course=course, actor=None)
    assert client.post(url).json() == {
        "credited": 0,
        "seconds": 0,
        "required": 30,
        "completed": False,
    }
    assert client.get(url).status_code == 405
    staff = UserFactory()
    client.force_login(staff)
    assert client.post(url).status_code == 403
    client.logout()
    assert client.post(url).status_code == 302


def test_my_learning_shows_progress_and_hours(client, course):
    worker = WorkerProfileFactory()
    services.enrollment_create(worker=worker, course=course, actor=None)
    start = timezone.now() - timedelta(hours=1)
    for i, lesson in enumerate(course.lessons()):
        for step in range(4):
            services.lesson_heartbeat(
                worker=worker, lesson=lesson, now=start + timedelta(minutes=i, seconds=15 * step)
            )
        checkpoint = lesson.checkpoints.get()
        services.lesson_checkpoints_answer(worker=worker, lesson=lesson, answers={checkpoint.pk: 2})
    client.force_login(worker.user)
    html = client.get(reverse("training:learning")).content.decode()
    import re

    # Under two minutes measured: 0.0 of the course's 4.0 hours.
    assert re.findall(r'total-hours">([^<]*)<', html) == ["0.0"]
    pdf = client.get(reverse("training:record_pdf"))
    assert pdf["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True
    ).stdout.decode()
    assert course.title in text and "0.0" in text and "4.0" not in text


def test_enterprise_admin_bulk_enrols_only_own_workers(client, course):
    ours, theirs = EnterpriseFactory(), EnterpriseFactory()
    mine = [WorkerProfileFactory(employer=ours) for _ in range(2)]
    stranger = WorkerProfileFactory(employer=theirs)
    admin = UserFactory()
    account_services.role_grant(user=admin, role=Role.ENTERPRISE_ADMIN, actor=None, enterprise=ours)
    client.force_login(admin)
    page = client.get(reverse("training:roster"))
    assert {row.record.pk for row in page.context["table"].page.object_list} == {w.pk for w in mine}
    client.post(
        reverse("training:roster"),
        {"course": course.pk, "workers": [mine[0].pk, mine[1].pk, stranger.pk]},
    )
    assert set(Enrollment.objects.values_list("worker_id", flat=True)) == {mine[0].pk, mine[1].pk}


def test_district_officer_cannot_bulk_enrol(client, course):
    officer = UserFactory()
    account_services.role_grant(
        user=officer, role=Role.DISTRICT_OFFICER, actor=None, district=DistrictFactory()
    )
    client.force_login(officer)
    worker = WorkerProfileFactory()
    response = client.post(
        reverse("training:roster"), {"course": course.pk, "workers": [worker.pk]}
    )
    assert response.status_code == 403
    assert not Enrollment.objects.exists()


@pytest.mark.parametrize(
    ("url_name", "data"),
    [("training:roster", {"course": "x", "workers": ["²", "1"]})],
)
def test_junk_in_the_bulk_enrolment_form_is_not_a_500(client, course, url_name, data):
    ours = EnterpriseFactory()
    admin = UserFactory()
    account_services.role_grant(user=admin, role=Role.ENTERPRISE_ADMIN, actor=None, enterprise=ours)
    client.force_login(admin)
    assert client.post(reverse(url_name), data).status_code == 302
    assert not Enrollment.objects.exists()


def test_junk_checkpoint_answers_and_pages_are_not_500s(client, course):
    worker = WorkerProfileFactory()
    services.enrollment_create(worker=worker, course=course, actor=None)
    lesson = course.lessons().first()
    checkpoint = lesson.checkpoints.get()
    client.force_login(worker.user)
    response = client.post(
        reverse("training:checkpoints", args=[lesson.pk]), {f"checkpoint-{checkpoint.pk}": "²"}
    )
    assert response.status_code == 302
    bureau = UserFactory()
    account_services.role_grant(user=bureau, role=Role.BUREAU_OFFICER, actor=None)
    client.force_login(bureau)
    for page in ("abc", "99"):
        response = client.get(reverse("dashboards:enterprises"), {"page": page})
        assert response.status_code in (200, 404)
