"""Certificate services: issuing once (retries, races), numbers and dates per subject policy,
revoking, re-issuing, recording reviews, review reminders, and the status that follows dates."""

from datetime import date, datetime, timedelta
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.db.models.query import QuerySet
from django.utils import timezone, translation

from accounts.models import Role
from certificates import links, services, signing
from certificates.models import Certificate, CertificateEvent, Status, VerificationLog
from certificates.services import add_years
from core.errors import DomainError, PermissionDenied
from core.models import OutboundMessage
from exams.models import Subject
from exams.practical import services as practical
from tests.certificates.builders import passed
from tests.exams import builders
from tests.exams import practical_builders as pb
from tests.factories import RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db


# --- Helpers -----------------------------------------------------------------------------------


def officer(role=Role.BUREAU_OFFICER, **scope):
    user = UserFactory()
    RoleAssignmentFactory(user=user, role=role, **scope)
    return user


@pytest.fixture
def bureau():
    return officer()


def scored(*, code="low-voltage", fail=False, **policy):
    """Book, check in and score a candidate; returns the booking's result (full marks, or
    none with ``fail``)."""
    subject = Subject.objects.filter(code=code).first()
    if subject is None:
        subject = builders.subject(code=code, **policy)
        pb.rubric(subject)
    center = subject.centers.first() or pb.center(code=f"{code}-centre", subjects=[subject])
    desk = pb.staff(center)
    examiner = pb.staff(center, role=Role.EXAMINER)
    session = pb.session(
        center=center, subject=subject, starts_at=timezone.now() + timedelta(minutes=30)
    )
    worker = pb.candidate(subject)
    booking = practical.booking_create(worker=worker, session_id=session.pk)
    practical.checkin_confirm(user=desk, booking_id=booking.pk, center=center)
    practical.score_submit(
        examiner=examiner,
        booking_id=booking.pk,
        points={pk: 0 if fail else most for pk, most in pb.full_marks(subject).items()},
    )
    booking.refresh_from_db()
    return booking.result


@pytest.fixture
def unissued(settings):
    """Passes scored while the seam issues nothing, so a test can issue by hand."""
    settings.ANXUN_CERTIFICATE_ISSUER = ""
    return scored


def backdate(certificate: Certificate, issued_on: date) -> Certificate:
    """Move a certificate's dates as if it had been issued on ``issued_on`` (signed again)."""
    subject = certificate.subject
    certificate.issued_on = issued_on
    certificate.valid_until = add_years(issued_on, subject.certificate_valid_years) - timedelta(
        days=1
    )
    certificate.review_due = min(
        add_years(issued_on, subject.review_interval_years), certificate.valid_until
    )
    certificate.signature = signing.sign(certificate.token, links.compact_of(certificate))
    certificate.save()
    return certificate


def state_of(certificate: Certificate):
    """Everything a refused action must leave as it was."""
    row = Certificate.objects.filter(pk=certificate.pk).values().get()
    return (
        row,
        CertificateEvent.objects.count(),
        Certificate.objects.count(),
        OutboundMessage.objects.count(),
    )


def refused_roles(certificate, staff):
    district = certificate.holder.district
    return {
        "holder": certificate.holder.user,
        "other worker": pb.candidate(certificate.subject).user,
        "centre staff": staff["desk"],
        "examiner": staff["examiner"],
        "district officer": officer(Role.DISTRICT_OFFICER, district=district),
        "enterprise admin": officer(Role.ENTERPRISE_ADMIN, enterprise=certificate.holder.employer),
        "anonymous": AnonymousUser(),
    }


# --- Issuing -----------------------------------------------------------------------------------


def test_a_pass_issues_one_signed_certificate_and_a_retry_returns_it():
    certificate, result, _staff = passed()

    again = services.certificate_issue(result=result)
    once_more = services.certificate_issue(result=result)

    assert again.pk == once_more.pk == certificate.pk
    assert Certificate.objects.filter(result=result).count() == 1
    assert certificate.events.filter(kind=CertificateEvent.Kind.ISSUED).count() == 1
    assert certificate.holder == result.worker and certificate.subject == result.subject
    assert certificate.key_id == signing.key_ring().signing_kid
    assert signing.verify(certificate.token, links.compact_of(certificate), certificate.signature)
    assert len(certificate.token) >= 22  # 16 random bytes: 128 bits


def test_a_retry_that_lost_the_race_returns_the_certificate_the_winner_issued():
    """The retry's first look misses (the other transaction had not committed); its insert
    then hits the constraint and it returns the winner's certificate, adding nothing."""
    certificate, result, _staff = passed()
    events = CertificateEvent.objects.count()
    original_first = QuerySet.first
    looks = []

    def first_misses_once(queryset):
        if queryset.model is Certificate and not looks:
            looks.append(queryset)
            return None
        return original_first(queryset)

    with mock.patch.object(QuerySet, "first", first_misses_once):
        returned = services.certificate_issue(result=result)

    assert looks, "the first look was not made through .first()"
    assert returned.pk == certificate.pk
    assert Certificate.objects.filter(result=result).count() == 1
    assert CertificateEvent.objects.count() == events


def test_a_failed_exam_earns_no_certificate(unissued):
    result = unissued(fail=True)
    assert result.passed is False

    with pytest.raises(DomainError) as refused:
        services.certificate_issue(result=result)

    assert refused.value.code == "not_passed"
    assert not Certificate.objects.filter(result=result).exists()


def test_number_and_dates_follow_the_subject_policy(unissued):
    result = unissued()  # special operations: 6 years, review every 3
    result.decided_at = timezone.make_aware(datetime(2026, 5, 14, 16, 30))
    result.save()

    certificate = services.certificate_issue(result=result)

    center = result.booking.session.center
    assert certificate.number == f"AX2026{center.pk:03d}{result.pk:07d}"
    assert certificate.issued_on == date(2026, 5, 14)
    assert certificate.review_due == date(2029, 5, 14)
    assert certificate.valid_until == date(2032, 5, 13)
    assert certificate.center == center
    assert certificate.issuer == django_settings.ANXUN_CERTIFICATE_ISSUER_NAME


def test_a_three_year_certificate_is_due_for_review_when_it_expires(unissued):
    result = unissued(code="principal", certificate_valid_years=3, review_interval_years=3)
    result.decided_at = timezone.make_aware(datetime(2026, 5, 14, 9, 0))
    result.save()

    certificate = services.certificate_issue(result=result)

    assert certificate.valid_until == date(2029, 5, 13)
    assert certificate.review_due == certificate.valid_until


def test_a_certificate_issued_on_29_february(unissued):
    """The anniversary of 29 February in a common year is 1 March (``add_years``): the review
    is due then, and the certificate is valid through the day before, 28 February."""
    result = unissued()
    result.decided_at = timezone.make_aware(datetime(2028, 2, 29, 10, 0))
    result.save()

    certificate = services.certificate_issue(result=result)

    assert certificate.issued_on == date(2028, 2, 29)
    assert certificate.review_due == date(2031, 3, 1)
    assert certificate.valid_until == date(2034, 2, 28)
    assert certificate.number.startswith("AX2028")
    assert add_years(date(2028, 2, 29), 4) == date(2032, 2, 29)  # leap to leap: the same day


# --- Revoking ----------------------------------------------------------------------------------


def test_the_bureau_revokes_with_a_reason_every_verifier_sees(bureau):
    certificate, _result, _staff = passed()

    services.certificate_revoke(
        actor=bureau, certificate_id=certificate.pk, reason="  持证人提供虚假材料  "
    )

    certificate.refresh_from_db()
    assert certificate.state == Certificate.State.REVOKED
    assert certificate.status == Status.REVOKED
    assert certificate.revoked_reason == "持证人提供虚假材料"
    assert certificate.revoked_by == bureau and certificate.revoked_at is not None
    event = certificate.events.get(kind=CertificateEvent.Kind.REVOKED)
    assert event.actor == bureau and event.data == {"reason": "持证人提供虚假材料"}
    found, outcome = services.certificate_verify(token=certificate.token, channel="api")
    assert found == certificate and outcome == Status.REVOKED


def test_only_the_bureau_may_revoke_and_a_refusal_changes_nothing():
    certificate, _result, staff = passed()

    for who, user in refused_roles(certificate, staff).items():
        before = state_of(certificate)
        with pytest.raises(PermissionDenied):
            services.certificate_revoke(
                actor=user, certificate_id=certificate.pk, reason="不应被接受的吊销"
            )
        assert state_of(certificate) == before, who


@pytest.mark.parametrize("reason", ["", "   ", "假", "abc"])
def test_a_revocation_needs_a_reason(bureau, reason):
    certificate, _result, _staff = passed()
    before = state_of(certificate)

    with pytest.raises(DomainError) as refused:
        services.certificate_revoke(actor=bureau, certificate_id=certificate.pk, reason=reason)

    assert refused.value.code == "reason" and refused.value.field == "reason"
    assert state_of(certificate) == before


def test_a_revoked_certificate_cannot_be_revoked_again(bureau):
    certificate, _result, _staff = passed()
    services.certificate_revoke(actor=bureau, certificate_id=certificate.pk, reason="第一次吊销")
    before = state_of(certificate)

    with translation.override("en"), pytest.raises(DomainError) as refused:
        services.certificate_revoke(
            actor=bureau, certificate_id=certificate.pk, reason="第二次吊销"
        )

    assert refused.value.code == "not_active"
    assert "revoked" in str(refused.value.message)
    assert state_of(certificate) == before
    assert Certificate.objects.get(pk=certificate.pk).revoked_reason == "第一次吊销"


def test_an_unknown_certificate_is_refused(bureau):
    with pytest.raises(DomainError) as refused:
        services.certificate_revoke(actor=bureau, certificate_id=999_999, reason="没有这本证")
    assert refused.value.code == "not_found"


# --- Re-issuing --------------------------------------------------------------------------------


def test_a_reissue_gets_a_new_number_and_token_and_the_old_one_answers_replaced(bureau):
    certificate, result, _staff = passed()

    new = services.certificate_replace(
        actor=bureau, certificate_id=certificate.pk, reason="证书遗失，申请补发"
    )

    certificate.refresh_from_db()
    assert certificate.state == Certificate.State.REPLACED
    assert certificate.replaced_by == new and new.replaces == certificate
    assert new.number == f"{certificate.number}R1"
    assert new.token != certificate.token
    assert new.signature != certificate.signature
    assert signing.verify(new.token, links.compact_of(new), new.signature)
    assert (new.issued_on, new.review_due, new.valid_until) == (
        certificate.issued_on,
        certificate.review_due,
        certificate.valid_until,
    )
    assert new.result == result and new.holder == certificate.holder
    assert new.status == Status.VALID

    found, outcome = services.certificate_verify(token=certificate.token, channel="api")
    assert found == certificate and outcome == Status.REPLACED
    assert found.replaced_by.number == new.number
    assert certificate.events.get(kind=CertificateEvent.Kind.REPLACED).data == {
        "reason": "证书遗失，申请补发",
        "by": new.number,
    }

    newer = services.certificate_replace(actor=bureau, certificate_id=new.pk, reason="再次遗失补发")
    assert newer.number == f"{certificate.number}R2"
    # The original issue is still the result's only first issue.
    assert Certificate.objects.get(result=result, replaces__isnull=True) == certificate


def test_a_result_has_exactly_one_first_issue():
    certificate, result, _staff = passed()
    duplicate = Certificate(
        number="AX-DUPLICATE",
        token="duplicate-token-0123456789",
        result=result,
        holder=certificate.holder,
        subject=certificate.subject,
        center=certificate.center,
        issuer=certificate.issuer,
        issued_on=certificate.issued_on,
        valid_until=certificate.valid_until,
        review_due=certificate.review_due,
        key_id=certificate.key_id,
        signature="x",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_only_the_bureau_may_reissue_and_only_a_certificate_in_force(bureau):
    certificate, _result, staff = passed()
    for who, user in refused_roles(certificate, staff).items():
        before = state_of(certificate)
        with pytest.raises(PermissionDenied):
            services.certificate_replace(
                actor=user, certificate_id=certificate.pk, reason="补发证书"
            )
        assert state_of(certificate) == before, who

    before = state_of(certificate)
    with pytest.raises(DomainError) as refused:
        services.certificate_replace(actor=bureau, certificate_id=certificate.pk, reason=" ")
    assert refused.value.code == "reason"
    assert state_of(certificate) == before

    services.certificate_revoke(actor=bureau, certificate_id=certificate.pk, reason="吊销测试")
    before = state_of(certificate)
    with pytest.raises(DomainError) as refused:
        services.certificate_replace(actor=bureau, certificate_id=certificate.pk, reason="补发证书")
    assert refused.value.code == "not_active"
    assert state_of(certificate) == before


# --- Reviews -----------------------------------------------------------------------------------


def test_a_recorded_review_extends_the_dates_and_signs_again(bureau, client):
    today = timezone.localdate()
    certificate, _result, _staff = passed()
    backdate(certificate, add_years(today, -3) + timedelta(days=20))  # review due in 20 days
    old_path = links.verification_path(certificate)
    old_compact, old_signature = links.compact_of(certificate), certificate.signature
    old_review_due, old_valid_until = certificate.review_due, certificate.valid_until

    services.certificate_review_record(actor=bureau, certificate_id=certificate.pk, passed_on=today)

    certificate.refresh_from_db()
    assert certificate.review_due == add_years(today, 3)
    # Good through the day before the anniversary, as an issued certificate is.
    assert certificate.valid_until == add_years(add_years(today, 3), 3) - timedelta(days=1)
    assert certificate.valid_until > old_valid_until
    assert certificate.signature != old_signature
    assert signing.verify(certificate.token, links.compact_of(certificate), certificate.signature)
    event = certificate.events.get(kind=CertificateEvent.Kind.REVIEW_RECORDED)
    assert event.actor == bureau
    assert event.data["before"] == {
        "review_due": str(old_review_due),
        "valid_until": str(old_valid_until),
    }
    assert event.data["passed_on"] == str(today)

    # The QR code printed before the review was signed by us: still genuine, and the page
    # shows the dates now in force.
    assert signing.verify(certificate.token, old_compact, old_signature)
    response = client.get(old_path)
    assert response.status_code == 200
    page = response.content.decode()
    assert certificate.review_due.isoformat() in page
    assert certificate.valid_until.isoformat() in page
    assert old_review_due.isoformat() not in page
    api = client.get(old_path.replace("/v/", "/api/v1/certificates/verify/", 1)).json()
    assert api["review_due"] == certificate.review_due.isoformat()


def test_a_review_on_a_certificate_already_due_counts_from_the_review_day(bureau):
    today = timezone.localdate()
    certificate, _result, _staff = passed()
    backdate(certificate, add_years(today, -3) - timedelta(days=30))  # due 30 days ago
    assert certificate.status == Status.REVIEW_DUE
    passed_on = today - timedelta(days=2)

    services.certificate_review_record(
        actor=bureau, certificate_id=certificate.pk, passed_on=passed_on
    )

    certificate.refresh_from_db()
    assert certificate.review_due == add_years(passed_on, 3)
    assert certificate.status == Status.VALID


def test_a_review_is_refused_for_others_for_impossible_dates_and_for_dead_certificates(bureau):
    today = timezone.localdate()
    certificate, _result, staff = passed()
    backdate(certificate, add_years(today, -3) + timedelta(days=20))

    for who, user in refused_roles(certificate, staff).items():
        before = state_of(certificate)
        with pytest.raises(PermissionDenied):
            services.certificate_review_record(
                actor=user, certificate_id=certificate.pk, passed_on=today
            )
        assert state_of(certificate) == before, who

    for passed_on in (today + timedelta(days=1), certificate.issued_on - timedelta(days=1)):
        before = state_of(certificate)
        with pytest.raises(DomainError) as refused:
            services.certificate_review_record(
                actor=bureau, certificate_id=certificate.pk, passed_on=passed_on
            )
        assert refused.value.code == "date" and refused.value.field == "passed_on"
        assert state_of(certificate) == before

    expired, _result, _staff = passed()
    backdate(expired, add_years(today, -6) - timedelta(days=3))
    assert expired.status == Status.EXPIRED
    before = state_of(expired)
    with pytest.raises(DomainError) as refused:
        services.certificate_review_record(actor=bureau, certificate_id=expired.pk, passed_on=today)
    assert refused.value.code == "not_active"
    assert state_of(expired) == before

    services.certificate_revoke(actor=bureau, certificate_id=certificate.pk, reason="吊销测试")
    before = state_of(certificate)
    with pytest.raises(DomainError) as refused:
        services.certificate_review_record(
            actor=bureau, certificate_id=certificate.pk, passed_on=today
        )
    assert refused.value.code == "not_active"
    assert state_of(certificate) == before


# --- Reminders ---------------------------------------------------------------------------------


def due_on(certificate: Certificate, review_due: date) -> Certificate:
    Certificate.objects.filter(pk=certificate.pk).update(
        issued_on=add_years(review_due, -3),
        review_due=review_due,
        valid_until=add_years(review_due, 3),
    )
    certificate.refresh_from_db()
    return certificate


def reminders_of(certificate: Certificate) -> list[OutboundMessage]:
    return list(
        OutboundMessage.objects.filter(
            dedupe_key__startswith=f"cert-review:{certificate.pk}:"
        ).order_by("pk")
    )


def test_each_reminder_threshold_is_sent_once_whatever_how_often_the_task_runs():
    certificate, _result, _staff = passed()
    today = timezone.localdate()
    due_on(certificate, today + timedelta(days=90))

    for _run in range(3):
        services.review_reminders_send(today=today)

    (message,) = reminders_of(certificate)
    assert message.channel == "sms" and message.recipient == certificate.holder.user.phone
    assert certificate.number in message.body and "90" in message.body
    assert message.dedupe_key.endswith(":90")


def test_running_daily_for_100_days_sends_exactly_four_reminders_and_none_when_revoked(bureau):
    today = timezone.localdate()
    first, _result, _staff = passed()
    second, _result, _staff = passed()
    revoked, _result, _staff = passed()
    due_on(first, today + timedelta(days=100))
    due_on(second, today + timedelta(days=75))  # late in the window: the 90-day one at once
    due_on(revoked, today + timedelta(days=95))
    services.certificate_revoke(actor=bureau, certificate_id=revoked.pk, reason="吊销测试")

    for day in range(100):
        services.review_reminders_send(today=today + timedelta(days=day))

    assert [m.dedupe_key.rsplit(":", 1)[1] for m in reminders_of(first)] == [
        "90",
        "60",
        "30",
        "7",
    ]
    assert [m.dedupe_key.rsplit(":", 1)[1] for m in reminders_of(second)] == [
        "90",
        "60",
        "30",
        "7",
    ]
    assert reminders_of(revoked) == []


def test_a_recorded_review_starts_the_reminders_afresh(bureau):
    today = timezone.localdate()
    certificate, _result, _staff = passed()
    backdate(certificate, add_years(today, -3) + timedelta(days=7))
    services.review_reminders_send(today=today)
    assert len(reminders_of(certificate)) == 1

    services.certificate_review_record(actor=bureau, certificate_id=certificate.pk, passed_on=today)
    certificate.refresh_from_db()
    services.review_reminders_send(today=certificate.review_due - timedelta(days=90))

    assert len(reminders_of(certificate)) == 2


def test_the_reminder_count_is_the_number_of_messages_queued():
    certificate, _result, _staff = passed()
    due_on(certificate, timezone.localdate() + timedelta(days=40))

    assert services.review_reminders_send() == 1
    assert services.review_reminders_send() == 0


def test_a_full_batch_of_certificates_already_reminded_does_not_starve_the_others():
    today = timezone.localdate()
    soon = [due_on(passed()[0], today + timedelta(days=3)) for _n in range(2)]
    services.review_reminders_send(today=today, batch=2)
    later = due_on(passed()[0], today + timedelta(days=90))

    services.review_reminders_send(today=today, batch=2)

    assert all(len(reminders_of(certificate)) == 1 for certificate in soon)
    assert len(reminders_of(later)) == 1


# --- Status ------------------------------------------------------------------------------------


def test_the_status_follows_the_dates(bureau):
    certificate, _result, _staff = passed()
    issued, review_due, valid_until = (
        certificate.issued_on,
        certificate.review_due,
        certificate.valid_until,
    )

    assert certificate.status_on(issued) == Status.VALID
    assert certificate.status_on(review_due - timedelta(days=1)) == Status.VALID
    assert certificate.status_on(review_due) == Status.REVIEW_DUE
    assert certificate.status_on(valid_until) == Status.REVIEW_DUE
    assert certificate.status_on(valid_until + timedelta(days=1)) == Status.EXPIRED
    assert certificate.status == certificate.status_on(timezone.localdate()) == Status.VALID

    services.certificate_revoke(actor=bureau, certificate_id=certificate.pk, reason="吊销测试")
    certificate.refresh_from_db()
    assert {certificate.status_on(day) for day in (issued, review_due, valid_until)} == {
        Status.REVOKED
    }


def test_the_status_of_a_replaced_certificate_does_not_follow_dates(bureau):
    certificate, _result, _staff = passed()
    services.certificate_replace(actor=bureau, certificate_id=certificate.pk, reason="遗失补发")
    certificate.refresh_from_db()

    assert certificate.status_on(certificate.issued_on) == Status.REPLACED
    assert certificate.status_on(certificate.valid_until + timedelta(days=1)) == Status.REPLACED


def test_a_staff_scan_is_logged_and_recorded_in_the_history():
    certificate, _result, staff = passed()

    found, outcome = services.certificate_verify(
        token=certificate.token,
        compact=links.compact_of(certificate),
        signature=certificate.signature,
        channel=VerificationLog.Channel.STAFF,
        actor=staff["desk"],
        center=staff["center"],
    )

    assert found == certificate and outcome == Status.VALID
    log = VerificationLog.objects.get()
    assert (log.actor, log.center, log.certificate, log.outcome) == (
        staff["desk"],
        staff["center"],
        certificate,
        "valid",
    )
    assert certificate.events.filter(kind=CertificateEvent.Kind.VERIFIED).count() == 1
