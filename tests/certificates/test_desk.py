"""The certificate desk of an exam centre (即考即领, ``/centre/<code>/desk/``): a passing
result's certificate appears there, is shown once drawn, and each print is recorded; staff of
other centres and everyone else are refused. (Moved with the desk from
tests/exams/test_practical_views.py.)"""

import pytest
from django.urls import reverse

from exams.models import ExamResult
from exams.practical import services
from tests.exams import practical_builders as pb
from tests.exams.test_practical_views import checked_in, world  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def test_the_desk_shows_the_certificate_when_drawn_and_records_prints(client, world):  # noqa: F811
    from certificates.models import CertificateEvent

    booking = checked_in(world)
    services.score_submit(
        examiner=world["examiner"], booking_id=booking.pk, points=pb.full_marks(world["subject"])
    )
    certificate = ExamResult.objects.get(booking=booking).certificates.get()
    code = world["center"].code
    page = reverse("certificate_desk:certificate", args=[code, certificate.pk])
    png = reverse("certificate_desk:file", args=[code, certificate.pk, "png"])
    client.force_login(world["desk"])
    assert (
        certificate.number
        in client.get(reverse("certificate_desk:list", args=[code])).content.decode()
    )
    html = client.get(page).content.decode()
    assert 'data-testid="being-drawn"' in html and 'http-equiv="refresh"' not in html
    assert client.get(png).status_code == 404
    response = client.post(page)
    assert response.status_code == 302 and response["Location"].endswith("?print=1")
    assert CertificateEvent.objects.filter(certificate=certificate, kind="printed").count() == 1
    for outsider in (world["other_desk"], pb.candidate(world["subject"]).user):
        client.force_login(outsider)
        assert client.get(page).status_code == 403
        assert client.get(png).status_code == 403


def test_the_desk_asks_a_small_json_status_instead_of_reloading(client, world):  # noqa: F811
    """Issue 16, item 9e: both desk pages load ``desk.js`` (no refresh, no inline script),
    which asks a JSON status that says when the certificate is drawn, and where it is."""
    from certificates.models import Certificate
    from certificates.storage import certificate_render

    booking = checked_in(world)
    services.score_submit(
        examiner=world["examiner"], booking_id=booking.pk, points=pb.full_marks(world["subject"])
    )
    certificate = Certificate.objects.get(result__booking=booking)
    code = world["center"].code
    client.force_login(world["desk"])
    for page in (
        reverse("certificate_desk:list", args=[code]),
        reverse("certificate_desk:certificate", args=[code, certificate.pk]),
    ):
        html = client.get(page).content.decode()
        assert 'http-equiv="refresh"' not in html and "js/desk.js" in html
        assert "<script>" not in html  # no inline script
    status = reverse("certificate_desk:status", args=[code, certificate.pk])
    today = reverse("certificate_desk:today", args=[code])
    first = client.get(status)
    assert first["Cache-Control"] == "private, no-store"
    assert first.json()["ready"] is False and first.json()["number"] == certificate.number
    (row,) = client.get(today).json()["certificates"]
    assert row["id"] == certificate.pk and row["ready"] is False
    certificate_render(certificate_id=certificate.pk)
    drawn = client.get(status).json()
    assert drawn["ready"] is True
    assert drawn["image"] == reverse("certificate_desk:file", args=[code, certificate.pk, "png"])
    assert client.get(drawn["image"]).status_code == 200
    assert client.get(today).json()["certificates"][0]["ready"] is True
    client.force_login(world["other_desk"])
    assert client.get(status).status_code == 403 and client.get(today).status_code == 403
