import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accounts.models import WorkerProfile
from core.models import AuditEvent
from tests.factories import EnterpriseFactory, WorkerProfileFactory

pytestmark = pytest.mark.django_db


def picture(size=(900, 1200), fmt="JPEG", name="me.jpg", exif_rotated=False) -> SimpleUploadedFile:
    image = Image.new("RGB", size, (200, 160, 120))
    buffer = io.BytesIO()
    if exif_rotated:
        exif = Image.Exif()
        exif[0x0112] = 6  # orientation: rotate 90° when shown
        image.save(buffer, format=fmt, exif=exif)
    else:
        image.save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


@pytest.fixture
def worker(client):
    profile = WorkerProfileFactory()
    client.force_login(profile.user)
    return profile


def form_data(profile, **extra):
    data = {
        "real_name": profile.real_name,
        "district": profile.district_id,
        "employer": profile.employer.name if profile.employer else "",
        "industry": "",
    }
    data.update(extra)
    return data


def test_photo_is_stored_resized_as_jpeg_without_exif(client, worker):
    response = client.post(
        reverse("accounts:profile"),
        form_data(worker, photo=picture((1800, 2400), fmt="PNG", name="me.png")),
    )
    assert response.status_code == 302
    worker.refresh_from_db()
    with Image.open(worker.photo.path) as stored:
        assert stored.format == "JPEG"
        assert stored.size == (600, 800)
        assert not stored.getexif()
    assert AuditEvent.objects.filter(verb="worker_profile.changed").count() == 1


def test_exif_orientation_is_applied(client, worker):
    client.post(
        reverse("accounts:profile"),
        form_data(worker, photo=picture((1200, 900), exif_rotated=True)),
    )
    worker.refresh_from_db()
    with Image.open(worker.photo.path) as stored:
        assert stored.size == (600, 800)  # landscape pixels shown upright as a portrait


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("cv.pdf", b"%PDF-1.4 not a picture", "application/pdf"), "无法识别"),
        (picture((120, 150)), "不得小于"),
        (picture((400, 500), fmt="GIF", name="a.gif"), "GIF"),
        (SimpleUploadedFile("half.jpg", picture().read()[:3000], "image/jpeg"), "无法识别"),
    ],
)
def test_bad_photos_are_refused_and_nothing_changes(client, worker, upload, message):
    response = client.post(reverse("accounts:profile"), form_data(worker, photo=upload))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["photo"])
    worker.refresh_from_db()
    assert not worker.photo
    assert AuditEvent.objects.filter(verb="worker_profile.changed").count() == 0


def test_oversized_photo_is_refused(client, worker, settings):
    settings.ANXUN_PHOTO_MAX_BYTES = 1000
    response = client.post(reverse("accounts:profile"), form_data(worker, photo=picture()))
    assert "MB" in " ".join(response.context["form"].errors["photo"])
    worker.refresh_from_db()
    assert not worker.photo


def test_profile_change_is_saved_and_id_number_cannot_be_changed(client, worker):
    new_employer = EnterpriseFactory()
    response = client.post(
        reverse("accounts:profile"),
        form_data(worker, real_name="王新名", employer=new_employer.uscc, id_number="X"),
    )
    assert response.status_code == 302
    fresh = WorkerProfile.objects.get(pk=worker.pk)
    assert fresh.real_name == "王新名"
    assert fresh.employer == new_employer
    assert fresh.id_number == worker.id_number


def test_blank_name_is_refused(client, worker):
    response = client.post(reverse("accounts:profile"), form_data(worker, real_name=" "))
    assert response.status_code == 200
    assert "姓名" in " ".join(response.context["form"].errors["real_name"])
    assert WorkerProfile.objects.get(pk=worker.pk).real_name == worker.real_name


def test_photo_is_served_only_to_the_worker_and_staff_in_scope(client, worker, settings):
    from accounts import services
    from accounts.models import Role
    from tests.factories import UserFactory

    client.post(reverse("accounts:profile"), form_data(worker, photo=picture()))
    worker.refresh_from_db()
    assert str(worker.photo.path).startswith(str(settings.PRIVATE_MEDIA_ROOT))
    url = reverse("accounts:worker_photo", args=[worker.pk])

    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"

    own_officer, other_officer = UserFactory(), UserFactory()
    services.role_grant(
        user=own_officer, role=Role.ENTERPRISE_ADMIN, actor=None, enterprise=worker.employer
    )
    services.role_grant(
        user=other_officer, role=Role.ENTERPRISE_ADMIN, actor=None, enterprise=EnterpriseFactory()
    )
    for user, status in [
        (own_officer, 200),
        (other_officer, 404),
        (WorkerProfileFactory().user, 404),
    ]:
        client.force_login(user)
        assert client.get(url).status_code == status
    client.logout()
    assert client.get(url).status_code == 302


def test_an_unknown_employer_is_refused_and_nothing_changes(client, worker):
    response = client.post(reverse("accounts:profile"), form_data(worker, employer="不存在的公司"))
    assert response.status_code == 200
    assert "没有" in " ".join(response.context["form"].errors["employer"])
    assert WorkerProfile.objects.get(pk=worker.pk).employer == worker.employer
