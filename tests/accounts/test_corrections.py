"""Real-name corrections (issue 16, item 2): a worker asks with a reason and an ID card scan;
district or bureau officers decide; approving corrects the record, frees a claimed ID number from
the wrong account and re-issues the certificates in force (through ``accounts.ports``). Each
role tries from the outside what it must not do."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from stdnum.cn import ric

from accounts import ports, services
from accounts.models import CorrectionRequest, Role, WorkerProfile
from accounts.photos import evidence_prepare, photo_prepare
from accounts.validators import mask_name
from certificates.models import Certificate, Status
from core.errors import DomainError, PermissionDenied
from core.models import AuditEvent, OutboundMessage
from exams.practical import services as practical
from tests.certificates.builders import passed
from tests.exams import builders as exam_builders
from tests.exams import practical_builders as pb
from tests.factories import (
    DistrictFactory,
    EnterpriseFactory,
    RoleAssignmentFactory,
    UserFactory,
    WorkerProfileFactory,
    make_id_number,
)

pytestmark = pytest.mark.django_db

NEW, EVIDENCE = reverse("accounts:correction_new"), "evidence"


@pytest.fixture(autouse=True)
def _midday(settings):
    settings.TIME_ZONE = pb.midday_time_zone()


def scan(size=(1200, 760), fmt="JPEG", name="id-card.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (230, 230, 240)).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def portrait() -> SimpleUploadedFile:
    return scan(size=(600, 800), name="me.jpg")


def officer(role=Role.BUREAU_OFFICER, district=None):
    user = UserFactory()
    if role == Role.DISTRICT_OFFICER:
        RoleAssignmentFactory(user=user, role=role, district=district)
    else:
        RoleAssignmentFactory(user=user, role=role)
    return user


def file_request(profile, **fields) -> CorrectionRequest:
    fields.setdefault("reason", "身份证上的名字是另一个字")
    fields.setdefault("real_name", "李建国")
    return services.correction_request_file(
        profile=profile, actor=profile.user, evidence=evidence_prepare(scan()), **fields
    )


def audit_verbs(target) -> list[str]:
    return list(
        AuditEvent.objects.filter(
            target_type__model=target._meta.model_name, target_id=str(target.pk)
        )
        .order_by("pk")
        .values_list("verb", flat=True)
    )


# --- Filing ----------------------------------------------------------------------------------


def test_worker_files_a_request_and_nothing_changes_until_it_is_decided(client):
    worker = WorkerProfileFactory(real_name="王建国")
    client.force_login(worker.user)
    response = client.post(
        NEW, {"real_name": "李建国", "reason": "登记时写错了姓", EVIDENCE: scan()}
    )
    assert response.status_code == 302
    request = CorrectionRequest.objects.get(profile=worker)
    assert (request.status, request.real_name, request.id_number) == ("pending", "李建国", "")
    assert request.evidence.name.startswith("corrections/evidence/")
    worker.refresh_from_db()
    assert worker.real_name == "王建国"
    assert audit_verbs(request) == ["correction.filed"]
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "李建国" in page and "待处理" in page
    assert 'data-testid="request-correction"' not in page  # one at a time


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"real_name": "李建国", "reason": ""}, "请说明哪里有误"),
        ({"real_name": "李建国", "reason": "写错了姓", EVIDENCE: None}, "请上传身份证"),
        ({"reason": "写错了姓"}, "没有需要更正的内容"),
        ({"real_name": "王建国", "reason": "写错了姓"}, "没有需要更正的内容"),
        ({"id_number": "330106198501011234", "reason": "号码写错了"}, "校验位"),
        ({"real_name": "李建国", "reason": "写错了姓", EVIDENCE: "pdf"}, "无法识别"),
    ],
)
def test_bad_requests_are_refused_in_chinese_and_nothing_is_filed(client, data, message):
    worker = WorkerProfileFactory(real_name="王建国")
    client.force_login(worker.user)
    data = dict(data)
    evidence = data.pop(EVIDENCE, "scan")
    if evidence == "scan":
        data[EVIDENCE] = scan()
    elif evidence == "pdf":
        data[EVIDENCE] = SimpleUploadedFile("id.pdf", b"%PDF-1.4", "application/pdf")
    response = client.post(NEW, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CorrectionRequest.objects.exists()
    assert not AuditEvent.objects.filter(verb__startswith="correction.").exists()


def test_a_second_request_while_one_waits_is_refused(client):
    worker = WorkerProfileFactory()
    first = file_request(worker)
    client.force_login(worker.user)
    response = client.post(NEW, {"real_name": "赵建国", "reason": "又写错了", EVIDENCE: scan()})
    assert "已有一个更正申请在等待处理" in response.content.decode()
    assert list(CorrectionRequest.objects.values_list("pk", flat=True)) == [first.pk]


def test_the_database_allows_one_pending_request_per_worker():
    """What decides two requests filed at the same moment (the service's check reads before
    either is written): the partial unique constraint."""
    worker = WorkerProfileFactory()
    first = file_request(worker)
    second = CorrectionRequest(profile=worker, real_name="赵建国", reason="again")
    second.evidence.name = first.evidence.name
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()
    first.status, first.decided_at, first.decision_reason = "refused", first.created_at, "no"
    first.save()
    second.save()  # once the first is decided, a new one may wait


def test_the_losing_side_of_a_race_is_told_as_the_check_would(monkeypatch):
    worker = WorkerProfileFactory()
    file_request(worker)
    # The second filing read "nothing pending" before the first was written.
    monkeypatch.setattr(
        CorrectionRequest.objects, "filter", lambda **kw: CorrectionRequest.objects.none()
    )
    with pytest.raises(DomainError) as refused:
        file_request(worker, real_name="赵建国")
    assert refused.value.code == "correction_pending"
    monkeypatch.undo()
    assert CorrectionRequest.objects.filter(profile=worker).count() == 1


def test_a_worker_cannot_file_for_someone_else():
    worker, other = WorkerProfileFactory(), WorkerProfileFactory()
    with pytest.raises(PermissionDenied):
        services.correction_request_file(
            profile=other,
            actor=worker.user,
            reason="他的名字写错了",
            evidence=evidence_prepare(scan()),
            real_name="李建国",
        )
    assert not CorrectionRequest.objects.exists()


# --- The profile is fixed once a record uses it ---------------------------------------------


def test_once_a_certificate_uses_the_profile_name_and_photo_are_read_only(client):
    certificate, _, _ = passed(real_name="王建国")
    worker = certificate.holder
    worker.photo.save("before.jpg", photo_prepare(portrait()))
    photo_before = worker.photo.name
    client.force_login(worker.user)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert 'name="real_name"' in page and "disabled" in page.split('name="real_name"')[1][:200]
    assert 'name="photo"' not in page
    assert reverse("accounts:correction_new") in page
    response = client.post(
        reverse("accounts:profile"),
        {
            "real_name": "李建国",
            "district": worker.district_id,
            "employer": "",
            "industry": "",
            "photo": portrait(),
        },
    )
    assert response.status_code == 302
    worker.refresh_from_db()
    assert (worker.real_name, worker.photo.name) == ("王建国", photo_before)


def test_the_service_refuses_a_fixed_name_whatever_calls_it():
    certificate, _, _ = passed()
    with pytest.raises(DomainError) as refused:
        services.worker_profile_update(
            profile=certificate.holder, actor=certificate.holder.user, real_name="李建国"
        )
    assert refused.value.code == "profile_fixed"
    assert WorkerProfile.objects.get(pk=certificate.holder_id).real_name != "李建国"


def test_a_profile_no_record_uses_can_still_be_renamed():
    worker = WorkerProfileFactory(real_name="王建国")
    services.worker_profile_update(profile=worker, actor=worker.user, real_name="李建国")
    assert WorkerProfile.objects.get(pk=worker.pk).real_name == "李建国"


# --- Deciding --------------------------------------------------------------------------------


def test_approval_corrects_the_name_and_reissues_the_certificate(client, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    certificate, _, _ = passed(real_name="王建国")
    worker = certificate.holder
    request = file_request(worker, real_name="李建国")
    bureau = officer()
    client.force_login(bureau)
    response = client.post(
        reverse("accounts:correction_detail", args=[request.pk]),
        {"decision": "approve", "decision_reason": "与身份证核对一致"},
    )
    assert response.status_code == 302
    worker.refresh_from_db()
    assert worker.real_name == "李建国"
    old = Certificate.objects.get(pk=certificate.pk)
    assert old.status == Status.REPLACED
    new = Certificate.objects.get(replaces=old)
    assert new.holder_id == worker.pk
    assert (new.issued_on, new.valid_until, new.review_due) == (
        old.issued_on,
        old.valid_until,
        old.review_due,
    )
    assert new.status == Status.VALID
    assert set(audit_verbs(old)) >= {"certificate.replaced"}
    assert "certificate.issued" in audit_verbs(new)
    assert "worker_profile.corrected" in audit_verbs(worker)
    assert audit_verbs(request) == ["correction.filed", "correction.approved"]
    sms = OutboundMessage.objects.get(dedupe_key=f"correction:{request.pk}:approved")
    assert sms.recipient == worker.user.phone and "更正申请已通过" in sms.body
    # The public pages: the new certificate shows the corrected (masked) name, the old one
    # reads replaced.
    client.logout()
    new_page = client.get(reverse("certificates:verify", args=[new.token])).content.decode()
    assert mask_name("李建国") in new_page
    old_page = client.get(reverse("certificates:verify", args=[old.token])).content.decode()
    assert str(Status.REPLACED.label) in old_page or "已换发" in old_page


def test_an_id_number_correction_moves_birth_date_and_sex_with_it():
    worker = WorkerProfileFactory(id_number=make_id_number(11))  # 17th digit odd: male
    assert worker.sex == "M"
    corrected = make_id_number(12)  # another birth date, 17th digit even: female
    request = file_request(worker, real_name="", id_number=corrected)
    services.correction_request_approve(actor=officer(), request_id=request.pk, reason="核对无误")
    worker.refresh_from_db()
    assert worker.id_number == corrected
    assert worker.birth_date == ric.get_birth_date(corrected)
    assert worker.sex == "F"


def test_refusal_needs_a_reason_changes_nothing_and_tells_the_worker():
    certificate, _, _ = passed(real_name="王建国")
    request = file_request(certificate.holder)
    bureau = officer()
    with pytest.raises(DomainError):
        services.correction_request_refuse(actor=bureau, request_id=request.pk, reason=" ")
    services.correction_request_refuse(
        actor=bureau, request_id=request.pk, reason="扫描件看不清，请重新拍摄"
    )
    request.refresh_from_db()
    assert request.status == "refused"
    assert WorkerProfile.objects.get(pk=certificate.holder_id).real_name == "王建国"
    assert Certificate.objects.get(pk=certificate.pk).status == Status.VALID
    assert Certificate.objects.count() == 1
    sms = OutboundMessage.objects.get(dedupe_key=f"correction:{request.pk}:refused")
    assert "扫描件看不清" in sms.body
    with pytest.raises(DomainError):  # decided once
        services.correction_request_approve(actor=bureau, request_id=request.pk, reason="ok")


def test_a_failing_reissue_rolls_the_whole_approval_back(monkeypatch):
    certificate, _, _ = passed(real_name="王建国")
    request = file_request(certificate.holder)

    def broken(*, actor, holder_id, reason):
        raise RuntimeError("renderer down")

    monkeypatch.setitem(ports._listeners, "certificates", broken)
    with pytest.raises(RuntimeError):
        services.correction_request_approve(actor=officer(), request_id=request.pk, reason="ok")
    request.refresh_from_db()
    assert request.status == "pending"
    assert WorkerProfile.objects.get(pk=certificate.holder_id).real_name == "王建国"
    assert not AuditEvent.objects.filter(verb="worker_profile.corrected").exists()


def test_a_photo_correction_replaces_the_fixed_photo():
    certificate, _, _ = passed()
    worker = certificate.holder
    worker.photo.save("before.jpg", photo_prepare(portrait()))
    before = worker.photo.name
    request = file_request(worker, real_name="", photo=photo_prepare(portrait()))
    services.correction_request_approve(actor=officer(), request_id=request.pk, reason="新照片")
    worker.refresh_from_db()
    assert worker.photo.name and worker.photo.name != before
    assert worker.photo.read() == CorrectionRequest.objects.get().photo.read()


# --- A claim on an ID number registered by someone else -------------------------------------


def test_a_claim_frees_the_number_from_the_wrong_account_in_the_same_transaction(client):
    district = DistrictFactory(code="330106")
    number = make_id_number(21)
    squatter = WorkerProfileFactory(id_number=number, employer=EnterpriseFactory(district=district))
    owner = WorkerProfileFactory(employer=EnterpriseFactory(district=district))
    request = file_request(owner, real_name="", id_number=number, reason="我的身份证号被别人注册了")
    assert request.claims_from_id == squatter.pk
    district_officer = officer(Role.DISTRICT_OFFICER, district=district)
    client.force_login(district_officer)
    page = client.get(reverse("accounts:correction_detail", args=[request.pk])).content.decode()
    assert 'data-testid="claim"' in page and squatter.real_name in page
    client.post(
        reverse("accounts:correction_detail", args=[request.pk]),
        {"decision": "approve", "decision_reason": "本人持身份证到窗口核验"},
    )
    owner.refresh_from_db()
    squatter.refresh_from_db()
    assert owner.id_number == number
    assert squatter.id_number == ""
    freed = AuditEvent.objects.get(verb="worker_profile.id_number_freed")
    assert freed.target_id == str(squatter.pk)
    assert freed.before["id_number"] == number and freed.after["id_number"] == ""
    assert "worker_profile.corrected" in audit_verbs(owner)
    assert OutboundMessage.objects.filter(recipient=squatter.user.phone).exists()
    # The freed account is told on its profile and may file its own number.
    client.force_login(squatter.user)
    assert "请申请更正" in client.get(reverse("accounts:profile")).content.decode()


def test_a_claim_revokes_what_the_wrong_account_holds_under_the_number_and_stops_its_bookings():
    number = make_id_number(23)
    certificate, _, _ = passed(id_number=number)
    squatter = certificate.holder
    owner = WorkerProfileFactory()
    request = file_request(owner, real_name="", id_number=number, reason="我的身份证号被别人注册了")
    services.correction_request_approve(actor=officer(), request_id=request.pk, reason="核验")
    certificate.refresh_from_db()
    # The certificate named the owner's identity: it is revoked, with a reason any verifier reads.
    assert certificate.status == Status.REVOKED
    assert f"{request.pk}" in certificate.revoked_reason
    squatter.refresh_from_db()
    # Nor may the account book another practical exam until it files its own number.
    welding = exam_builders.subject(code="welding")
    pb.rubric(welding)
    pb.theory_pass(squatter, welding)
    session = pb.session(
        center=pb.center(code="welding-centre", subjects=[welding]),
        subject=welding,
        starts_at=timezone.now() + timedelta(days=2),
    )
    with pytest.raises(DomainError) as refused:
        practical.booking_create(worker=squatter, session_id=session.pk)
    assert refused.value.code == "id_number_required"


def test_a_claim_on_an_account_of_another_district_is_for_the_bureau():
    ours, theirs = DistrictFactory(code="330106"), DistrictFactory(code="330108")
    number = make_id_number(22)
    squatter = WorkerProfileFactory(id_number=number, employer=EnterpriseFactory(district=theirs))
    owner = WorkerProfileFactory(employer=EnterpriseFactory(district=ours))
    request = file_request(owner, real_name="", id_number=number)
    with pytest.raises(PermissionDenied):
        services.correction_request_approve(
            actor=officer(Role.DISTRICT_OFFICER, district=ours), request_id=request.pk, reason="ok"
        )
    assert WorkerProfile.objects.get(pk=squatter.pk).id_number == number
    services.correction_request_approve(actor=officer(), request_id=request.pk, reason="核验")
    assert WorkerProfile.objects.get(pk=owner.pk).id_number == number


# --- Who may see and decide, tried from the outside ------------------------------------------


@pytest.fixture
def pending():
    ours, theirs = DistrictFactory(code="330106"), DistrictFactory(code="330108")
    worker = WorkerProfileFactory(real_name="王建国", employer=EnterpriseFactory(district=ours))
    return {
        "request": file_request(worker),
        "worker": worker,
        "ours": ours,
        "theirs": theirs,
    }


@pytest.mark.parametrize(
    "who",
    [
        "other_worker",
        "center_staff",
        "examiner",
        "enterprise_admin",
        "publicity_moderator",
        "other_district_officer",
    ],
)
def test_staff_out_of_scope_can_neither_see_nor_decide(client, pending, who):
    request = pending["request"]
    if who == "other_worker":
        user = WorkerProfileFactory().user
    elif who == "other_district_officer":
        user = officer(Role.DISTRICT_OFFICER, district=pending["theirs"])
    elif who == "enterprise_admin":
        user = UserFactory()
        RoleAssignmentFactory(user=user, role=Role.ENTERPRISE_ADMIN, enterprise=EnterpriseFactory())
    else:
        user = officer(Role(who))
    client.force_login(user)
    detail = reverse("accounts:correction_detail", args=[request.pk])
    assert client.get(detail).status_code == 403
    answer = client.post(detail, {"decision": "approve", "decision_reason": "ok"})
    assert answer.status_code == 403
    evidence = reverse("accounts:correction_file", args=[request.pk, "evidence"])
    assert client.get(evidence).status_code == 404
    listed = client.get(reverse("accounts:correction_list"))
    if who == "other_district_officer":
        assert listed.status_code == 200
        assert not list(listed.context["table"].page.object_list)
    else:
        assert listed.status_code == 403
    request.refresh_from_db()
    assert request.status == "pending"
    assert WorkerProfile.objects.get(pk=pending["worker"].pk).real_name == "王建国"


def test_the_worker_sees_their_own_evidence_but_cannot_decide(client, pending):
    request = pending["request"]
    client.force_login(pending["worker"].user)
    evidence = client.get(reverse("accounts:correction_file", args=[request.pk, "evidence"]))
    assert evidence.status_code == 200 and evidence["Cache-Control"] == "private, no-store"
    detail = reverse("accounts:correction_detail", args=[request.pk])
    assert client.post(detail, {"decision": "approve", "decision_reason": "ok"}).status_code == 403
    assert CorrectionRequest.objects.get(pk=request.pk).status == "pending"


def test_the_district_officer_lists_opens_and_decides_requests_of_the_district(client, pending):
    request = pending["request"]
    client.force_login(officer(Role.DISTRICT_OFFICER, district=pending["ours"]))
    listed = client.get(reverse("accounts:correction_list"))
    assert [row.record.pk for row in listed.context["table"].page.object_list] == [request.pk]
    page = client.get(reverse("accounts:correction_detail", args=[request.pk])).content.decode()
    assert "李建国" in page and 'data-testid="evidence"' in page
    evidence = client.get(reverse("accounts:correction_file", args=[request.pk, "evidence"]))
    assert evidence.status_code == 200
    client.post(
        reverse("accounts:correction_detail", args=[request.pk]),
        {"decision": "refuse", "decision_reason": "请到窗口办理"},
    )
    assert CorrectionRequest.objects.get(pk=request.pk).status == "refused"
    # Decided requests leave the default (pending) list but stay findable.
    listed = client.get(reverse("accounts:correction_list"))
    assert not list(listed.context["table"].page.object_list)
    listed = client.get(reverse("accounts:correction_list"), {"status": ""})
    assert len(listed.context["table"].page.object_list) == 1


def test_a_decision_without_a_reason_is_refused_on_the_page(client, pending):
    request = pending["request"]
    client.force_login(officer())
    response = client.post(
        reverse("accounts:correction_detail", args=[request.pk]),
        {"decision": "approve", "decision_reason": ""},
    )
    assert response.status_code == 200
    assert "请填写决定的理由" in response.content.decode()
    assert CorrectionRequest.objects.get(pk=request.pk).status == "pending"


def test_nothing_listening_for_corrections_fails_start_up(monkeypatch):
    monkeypatch.setattr(ports, "_listeners", {})
    assert [e.id for e in ports.correction_listener_check()] == ["accounts.E001"]
    monkeypatch.undo()
    assert ports.correction_listener_check() == []


@override_settings(LANGUAGE_CODE="en")
def test_staff_see_what_uses_the_record(client):
    certificate, _, _ = passed()
    request = file_request(certificate.holder)
    assert any(certificate.number in use for use in ports.profile_uses(certificate.holder_id))
    client.force_login(officer())
    page = client.get(reverse("accounts:correction_detail", args=[request.pk])).content.decode()
    assert certificate.number in page
