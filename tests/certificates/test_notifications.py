"""A holder is told, once and after commit, that their certificate was issued (with the link its
QR code holds), revoked (with the reason) or replaced (with the new one's link); by SMS, and by
e-mail where they gave an address, in the site's language."""

import pytest
from django.test import override_settings

from accounts.models import Role
from certificates import events, services
from certificates.links import verification_url
from core.models import OutboundMessage
from tests.certificates import builders
from tests.exams import practical_builders as pb
from tests.factories import RoleAssignmentFactory, UserFactory, WorkerProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bureau():
    user = UserFactory()
    RoleAssignmentFactory(user=user, role=Role.BUREAU_OFFICER)
    return user


def told(outbox, certificate) -> list[str]:
    phone = certificate.holder.user.phone
    return [
        sms["text"] for sms in outbox if sms["phone"] == phone and certificate.number in sms["text"]
    ]


def test_an_issued_certificate_is_told_once_with_its_link(
    sms_outbox, mailoutbox, django_capture_on_commit_callbacks
):
    worker = pb.with_photo(WorkerProfileFactory(user__email="zhang@example.cn"))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        certificate, result, _ = builders.passed(worker=worker)
    assert sms_outbox == [] and mailoutbox == []  # nothing before the commit
    for callback in callbacks:
        callback()
    [text] = told(sms_outbox, certificate)
    assert text.startswith("【安训】") and "已签发" in text
    assert certificate.number in text and certificate.valid_until.isoformat() in text
    assert verification_url(certificate) in text
    [mail] = [mail for mail in mailoutbox if mail.subject == "您的证书已签发"]
    assert len(mailoutbox) == 2  # the practical result, then the certificate
    assert mail.to == ["zhang@example.cn"] and mail.body == text

    # The issuer retried for the same result, and the event replayed: nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.certificate_issue(result=result).pk == certificate.pk
        events.certificate_issued(certificate)
    assert len(told(sms_outbox, certificate)) == 1
    assert OutboundMessage.objects.filter(dedupe_key__startswith="certificate-issued:").count() == 2


def test_a_revocation_is_told_once_with_its_reason(
    bureau, sms_outbox, django_capture_on_commit_callbacks
):
    certificate, _, _ = builders.passed()
    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_revoke(
            actor=bureau, certificate_id=certificate.pk, reason="考试期间替考，成绩作废"
        )
        events.certificate_revoked(certificate, actor=bureau, reason="考试期间替考，成绩作废")
    revoked = [text for text in told(sms_outbox, certificate) if "注销" in text]
    assert len(revoked) == 1
    assert certificate.number in revoked[0] and "考试期间替考，成绩作废" in revoked[0]


def test_a_replacement_is_told_once_with_the_new_certificates_link(
    bureau, sms_outbox, django_capture_on_commit_callbacks
):
    old, _, _ = builders.passed()
    with django_capture_on_commit_callbacks(execute=True):
        new = services.certificate_replace(actor=bureau, certificate_id=old.pk, reason="证书遗失")
    [replaced] = told(sms_outbox, old)  # the re-issue is not told a second time as "issued"
    assert not OutboundMessage.objects.filter(dedupe_key=f"certificate-issued:{new.pk}").exists()
    assert old.number in replaced and new.number in replaced and "证书遗失" in replaced
    assert verification_url(new) in replaced
    assert verification_url(old) not in replaced
    with django_capture_on_commit_callbacks(execute=True):
        events.certificate_replaced(old, actor=bureau, reason="证书遗失", by=new)
    assert len(told(sms_outbox, old)) == 1


@override_settings(LANGUAGE_CODE="en")
def test_certificate_messages_are_in_english_on_an_english_site(
    bureau, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        certificate, _, _ = builders.passed()
        services.certificate_revoke(actor=bureau, certificate_id=certificate.pk, reason="forged")
    phone = certificate.holder.user.phone
    texts = [sms["text"] for sms in sms_outbox if sms["phone"] == phone]
    assert any("certificate has been issued" in text for text in texts)
    assert any("has been revoked by the bureau. Reason: forged" in text for text in texts)
