"""The seams of the certificate journey: the exam side registered with certificates' port (and
checked at start-up), the one QR decode view at both scanners' addresses, printing as a
service, and history written to both trails (the certificate's events and the audit trail)."""

import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from accounts.models import Role
from certificates import ports, services
from certificates.models import CertificateEvent
from core.documents.qr import qr_png as share_qr_png
from core.errors import DomainError, PermissionDenied
from core.models import AuditEvent
from tests.certificates.builders import passed
from tests.exams import practical_builders as pb
from tests.factories import RoleAssignmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued():
    certificate, _result, staff = passed()
    return {"certificate": certificate, **staff}


def test_the_exam_side_is_registered_and_the_check_fails_without_it(monkeypatch, issued):
    assert ports.exam_side_registered() and ports.exam_side_check() == []
    posts = ports.staff_posts(issued["desk"])
    assert list(posts) == [issued["center"].pk] and posts[issued["center"].pk].supervisor is False
    monkeypatch.setattr(ports, "_registered", None)
    (error,) = ports.exam_side_check()
    assert error.id == "certificates.E001"
    with pytest.raises(RuntimeError):
        ports.staff_posts(issued["desk"])


def test_certificates_reach_exam_rows_through_their_own_keys(issued):
    assert ports.exam_centers().get(pk=issued["center"].pk).code == issued["center"].code
    assert ports.exam_subjects().filter(pk=issued["certificate"].subject_id).exists()


def test_the_centre_decoder_is_the_scanner_decoder_for_staff_of_that_centre(client, issued):
    center = issued["center"]
    url = reverse("centre:decode", args=[center.code])
    text = "https://anxun.example/centre/check-in/?t=12:abc"
    frame = ContentFile(share_qr_png(url=text), name="frame.png")
    assert client.post(url).status_code == 401
    client.force_login(issued["desk"])
    response = client.post(url, {"frame": frame})
    assert response.status_code == 200 and response.json()["text"] == text
    blank = io.BytesIO()
    Image.new("RGB", (30, 40), "navy").save(blank, format="JPEG")
    assert (
        client.post(url, {"frame": ContentFile(blank.getvalue(), name="f.jpg")}).status_code == 422
    )
    assert client.post(url).status_code == 400
    elsewhere = pb.staff(pb.center(code="elsewhere"))
    client.force_login(elsewhere)
    refused = client.post(url)
    assert refused.status_code == 403 and refused.json()["error"] == "forbidden"
    # A district officer may verify certificates but does not check candidates in.
    officer = RoleAssignmentFactory(role=Role.DISTRICT_OFFICER, district=center.district).user
    client.force_login(officer)
    assert client.post(url).status_code == 403
    assert client.post(reverse("certificate_staff:decode")).status_code == 400


def test_printing_is_a_service_writing_both_trails(issued):
    certificate, desk, center = issued["certificate"], issued["desk"], issued["center"]
    printed = services.certificate_print(
        actor=desk, certificate_id=certificate.pk, center_id=center.pk
    )
    assert printed == certificate
    event = CertificateEvent.objects.get(certificate=certificate, kind="printed")
    assert event.actor == desk and event.data == {"center": center.pk}
    audit = AuditEvent.objects.get(verb="certificate.printed")
    assert audit.actor == desk and audit.target_id == str(certificate.pk)
    assert audit.after == {"center": center.pk}
    elsewhere = pb.center(code="elsewhere")
    with pytest.raises(DomainError):
        services.certificate_print(
            actor=pb.staff(elsewhere), certificate_id=certificate.pk, center_id=elsewhere.pk
        )
    with pytest.raises(PermissionDenied):
        services.certificate_print(
            actor=pb.staff(elsewhere), certificate_id=certificate.pk, center_id=center.pk
        )
    assert CertificateEvent.objects.filter(kind="printed").count() == 1


def test_every_certificate_event_is_in_the_audit_trail_too(issued):
    certificate = issued["certificate"]
    bureau = RoleAssignmentFactory(role=Role.BUREAU_OFFICER).user
    assert AuditEvent.objects.filter(
        verb="certificate.issued", target_id=str(certificate.pk), actor=None
    ).exists()
    new = services.certificate_replace(
        actor=bureau, certificate_id=certificate.pk, reason="证书遗失"
    )
    services.certificate_revoke(actor=bureau, certificate_id=new.pk, reason="违规操作被查处")
    kinds = {
        (event.certificate_id, event.kind)
        for event in CertificateEvent.objects.filter(certificate__in=[certificate, new])
    }
    audits = {
        (int(audit.target_id), audit.verb.removeprefix("certificate."))
        for audit in AuditEvent.objects.filter(verb__startswith="certificate.")
    }
    assert kinds == audits
    assert (new.pk, "revoked") in audits and (certificate.pk, "replaced") in audits


def test_both_trails_are_written_together_or_not_at_all(monkeypatch, issued):
    """Verifying writes its event outside any service transaction: a failure between the two
    rows must leave neither (the certificate's history and the audit trail agree)."""
    from certificates import events

    certificate = issued["certificate"]
    before = (CertificateEvent.objects.count(), AuditEvent.objects.count())

    def broken_audit(**kwargs):
        raise RuntimeError("audit table unavailable")

    monkeypatch.setattr(events, "audit_record", broken_audit)
    with pytest.raises(RuntimeError):
        events.certificate_event_record(certificate, kind=CertificateEvent.Kind.VERIFIED)
    assert (CertificateEvent.objects.count(), AuditEvent.objects.count()) == before
