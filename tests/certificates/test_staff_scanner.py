"""The staff certificate scanner from the outside: who may use it, what a scan answers (the full
record, unmasked), what is logged (who, where, when, and an offline scan's own time), tampered
codes, lookups by number, the server decoder, and the scan log's scope, filters and exports."""

import io
import json
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from accounts.models import Role
from certificates import links, services
from certificates.models import CertificateEvent, VerificationLog
from certificates.views.staff import parse_scanned
from config.navigation import navigation_for
from core.documents.qr import qr_png as share_qr_png
from core.models import AuditEvent
from exams.models import CenterStaff
from tests.certificates.builders import passed
from tests.exams import practical_builders as pb
from tests.factories import (
    DistrictFactory,
    EnterpriseFactory,
    RoleAssignmentFactory,
    UserFactory,
    WorkerProfileFactory,
)

pytestmark = pytest.mark.django_db

VERIFY = reverse("certificate_staff:verify")
LOOKUP = reverse("certificate_staff:lookup")
SCANNER = reverse("certificate_staff:scanner")
LOG = reverse("certificate_staff:log")
DECODE = reverse("certificate_staff:decode")


def scan_of(certificate, **extra) -> dict:
    """What the page sends for a scanned certificate: the token, c and s from its QR code."""
    url = links.verification_url(certificate)
    query = parse_qs(urlsplit(url).query)
    token = urlsplit(url).path.rsplit("/", 1)[1]
    return {"token": token, "c": query["c"][0], "s": query["s"][0], **extra}


def post_json(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def officer(role, **scope):
    """A user holding ``role`` with the scope the role needs."""
    if role == Role.DISTRICT_OFFICER:
        scope.setdefault("district", DistrictFactory())
    if role == Role.ENTERPRISE_ADMIN:
        scope.setdefault("enterprise", EnterpriseFactory())
    return RoleAssignmentFactory(role=role, **scope).user


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (30, 40), "navy").save(buffer, format="JPEG")
    return buffer.getvalue()


@pytest.fixture
def world():
    certificate, _result, staff = passed(real_name="李建国")
    holder = certificate.holder
    holder.photo.save("holder.jpg", ContentFile(jpeg()), save=True)
    # The certificate's own copy, as at issue, is what staff are shown.
    certificate.holder_photo.save("holder.jpg", ContentFile(jpeg()), save=True)
    return {"certificate": certificate, "holder": holder, **staff}


# --- Who may -----------------------------------------------------------------------------------


def test_anonymous_visitors_go_to_the_login_page_and_json_gets_401(client, world):
    for url in (SCANNER, LOG):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    for url, body in ((VERIFY, scan_of(world["certificate"])), (LOOKUP, {"number": "AX1"})):
        response = post_json(client, url, body)
        assert response.status_code == 401 and response.json()["error"] == "login_required"
    assert client.post(DECODE).status_code == 401
    assert not VerificationLog.objects.exists()


@pytest.mark.parametrize("role", [None, Role.PUBLICITY_EDITOR, Role.ENTERPRISE_ADMIN])
def test_workers_editors_and_enterprise_officers_are_refused(client, world, role):
    user = WorkerProfileFactory().user if role is None else officer(role)
    client.force_login(user)
    assert client.get(SCANNER).status_code == 403
    assert client.get(LOG).status_code == 403
    response = post_json(client, VERIFY, scan_of(world["certificate"]))
    assert response.status_code == 403 and response.json()["error"] == "forbidden"
    assert post_json(client, LOOKUP, {"number": world["certificate"].number}).status_code == 403
    assert client.post(DECODE).status_code == 403
    assert not VerificationLog.objects.exists()
    assert "Verify certificates" not in [str(item.label) for item in navigation_for(user)]


@pytest.mark.parametrize("role", [Role.DISTRICT_OFFICER, Role.BUREAU_OFFICER])
def test_officers_may_verify(client, world, role):
    user = officer(role)
    client.force_login(user)
    assert client.get(SCANNER).status_code == 200
    answer = post_json(client, VERIFY, scan_of(world["certificate"])).json()["results"][0]
    assert answer["record"]["holder_name"] == "李建国"
    log = VerificationLog.objects.get()
    assert log.actor == user and log.center is None  # not posted at a centre


def test_centre_staff_see_the_scanner_in_their_navigation(client, world):
    labels = [str(item.url) for item in navigation_for(world["desk"])]
    assert reverse("certificate_staff:scanner") in labels
    client.force_login(world["desk"])
    html = client.get(SCANNER).content.decode()
    assert "data-certificate-scanner" in html
    # The polyfill and its WebAssembly come from our own static files, never a CDN.
    assert "/static/vendor/barcode-detector/ponyfill.js" in html
    assert "/static/vendor/barcode-detector/zxing_reader.wasm" in html
    assert "jsdelivr" not in html and "unpkg" not in html
    assert world["center"].name in html  # the centre the scans are logged at


# --- Scanning ----------------------------------------------------------------------------------


def test_a_scan_answers_the_full_record_and_logs_who_where_and_when(client, world):
    certificate, desk = world["certificate"], world["desk"]
    client.force_login(desk)
    before = timezone.now()
    response = post_json(client, VERIFY, scan_of(certificate))
    assert response.status_code == 200
    (answer,) = response.json()["results"]
    assert answer["outcome"] == "valid" and answer["genuine"] is True
    record = answer["record"]
    holder = world["holder"]
    # Unmasked, unlike the public page.
    assert record["holder_name"] == "李建国" == holder.real_name
    assert record["holder_id_number"] == holder.id_number
    assert record["number"] == certificate.number
    assert record["status"] == "valid"
    assert record["valid_until"] == certificate.valid_until.isoformat()
    assert record["review_due"] == certificate.review_due.isoformat()
    log = VerificationLog.objects.get()
    assert log.channel == VerificationLog.Channel.STAFF
    assert log.actor == desk and log.center == world["center"]
    assert log.certificate == certificate and log.outcome == "valid"
    assert log.at >= before and log.scanned_at is None
    assert CertificateEvent.objects.filter(
        certificate=certificate, kind=CertificateEvent.Kind.VERIFIED, actor=desk
    ).exists()

    # The photo: to the user the link was made for, within the hour; to nobody else.
    photo = client.get(record["photo_url"])
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    assert "no-store" in photo["Cache-Control"]
    client.force_login(world["examiner"])
    assert client.get(record["photo_url"]).status_code == 404
    assert client.get(reverse("certificate_staff:photo", args=["1:forged"])).status_code == 404


def test_a_scan_by_someone_working_at_two_centres_is_logged_without_a_centre(client, world):
    CenterStaff.objects.create(center=pb.center(code="second-centre"), user=world["desk"])
    client.force_login(world["desk"])
    post_json(client, VERIFY, scan_of(world["certificate"]))
    assert VerificationLog.objects.get().center is None


def test_a_batch_of_offline_scans_keeps_their_times_and_is_logged_once(client, world):
    certificate = world["certificate"]
    other, _result, _staff = passed(code="welding")
    client.force_login(world["desk"])
    morning = (timezone.now() - timedelta(hours=3)).replace(microsecond=123000)
    noon = timezone.now() - timedelta(hours=1)
    batch = {
        "scans": [
            scan_of(certificate, scanned_at=morning.isoformat()),
            scan_of(other, scanned_at=noon.isoformat().replace("+00:00", "Z")),
        ]
    }
    first = post_json(client, VERIFY, batch).json()["results"]
    assert [answer["outcome"] for answer in first] == ["valid", "valid"]
    assert first[1]["record"]["number"] == other.number
    logs = VerificationLog.objects.order_by("scanned_at")
    assert [log.scanned_at for log in logs] == [morning, noon.replace(microsecond=noon.microsecond)]
    assert all(log.actor == world["desk"] and log.center == world["center"] for log in logs)
    # The answer got lost and the page sends the batch again: answered, not logged twice.
    again = post_json(client, VERIFY, batch).json()["results"]
    assert [answer["record"]["number"] for answer in again] == [certificate.number, other.number]
    assert VerificationLog.objects.count() == 2


def test_an_unbelievable_scan_time_is_not_recorded(client, world):
    client.force_login(world["desk"])
    future = (timezone.now() + timedelta(days=2)).isoformat()
    ancient = (timezone.now() - timedelta(days=400)).isoformat()
    for value in (future, ancient, "yesterday", 12):
        post_json(client, VERIFY, scan_of(world["certificate"], scanned_at=value))
    assert VerificationLog.objects.count() == 4
    assert not VerificationLog.objects.exclude(scanned_at=None).exists()


@pytest.mark.parametrize(
    "tamper",
    [
        lambda scan: {**scan, "s": ("A" if scan["s"][0] != "A" else "B") + scan["s"][1:]},
        lambda scan: {**scan, "c": scan["c"].replace(scan["c"].split("~")[4], "20991231")},
        lambda scan: {
            **scan,
            "token": scan["token"][:-1] + ("x" if scan["token"][-1] != "x" else "y"),
        },
        lambda scan: {**scan, "s": ""},
    ],
    ids=["signature", "valid-until", "token", "no-signature"],
)
def test_a_tampered_code_is_not_genuine(client, world, tamper):
    client.force_login(world["desk"])
    (answer,) = post_json(client, VERIFY, tamper(scan_of(world["certificate"]))).json()["results"]
    assert answer["outcome"] == "not_genuine" and answer["genuine"] is False
    assert answer["record"] is None
    log = VerificationLog.objects.get()
    assert log.outcome == "not_genuine" and log.certificate is None and log.actor == world["desk"]


def test_a_revoked_certificate_says_so_with_its_reason(client, world):
    bureau = RoleAssignmentFactory(role=Role.BUREAU_OFFICER).user
    services.certificate_revoke(
        actor=bureau, certificate_id=world["certificate"].pk, reason="冒名顶替参加考试"
    )
    client.force_login(world["desk"])
    (answer,) = post_json(client, VERIFY, scan_of(world["certificate"])).json()["results"]
    assert answer["outcome"] == "revoked"
    assert answer["record"]["revoked_reason"] == "冒名顶替参加考试"
    assert VerificationLog.objects.get().outcome == "revoked"


def test_malformed_scans_and_batches(client, world):
    client.force_login(world["desk"])
    assert post_json(client, VERIFY, []).status_code == 400
    assert post_json(client, VERIFY, {"scans": []}).status_code == 400
    too_many = {"scans": [scan_of(world["certificate"])] * 101}
    assert post_json(client, VERIFY, too_many).status_code == 400
    response = client.post(VERIFY, "{not json", content_type="application/json")
    assert response.status_code == 400
    token_only = {**scan_of(world["certificate"]), "c": "", "s": ""}
    answers = post_json(client, VERIFY, {"scans": [{"token": 5}, "text", token_only]})
    assert [answer["error"] for answer in answers.json()["results"]] == ["malformed"] * 3
    assert all(answer["record"] is None for answer in answers.json()["results"])
    assert not VerificationLog.objects.exists()


def test_scans_are_rate_limited_per_user(client, world, monkeypatch):
    monkeypatch.setattr("certificates.views.staff.LIMIT_SCANS", 2)
    client.force_login(world["desk"])
    batch = {"scans": [scan_of(world["certificate"])] * 3}
    assert len(post_json(client, VERIFY, batch).json()["results"]) == 2  # the rest wait
    response = post_json(client, VERIFY, scan_of(world["certificate"]))
    assert response.status_code == 429 and response.json()["error"] == "throttled"
    assert VerificationLog.objects.count() == 2


# --- By number, and without JavaScript -----------------------------------------------------------


def test_lookup_by_number_answers_the_record_and_logs_it(client, world):
    certificate = world["certificate"]
    client.force_login(world["examiner"])
    (answer,) = post_json(client, LOOKUP, {"number": certificate.number.lower()}).json()["results"]
    assert answer["record"]["holder_id_number"] == world["holder"].id_number
    (missing,) = post_json(client, LOOKUP, {"number": "AX2000999"}).json()["results"]
    assert missing["outcome"] == "not_genuine" and missing["record"] is None
    logs = list(VerificationLog.objects.order_by("pk"))
    assert [(log.certificate, log.outcome) for log in logs] == [
        (certificate, "valid"),
        (None, "not_genuine"),
    ]
    assert all(log.actor == world["examiner"] and log.center == world["center"] for log in logs)
    assert post_json(client, LOOKUP, {"number": ""}).status_code == 400


def test_lookups_by_number_are_rate_limited(client, world, monkeypatch):
    monkeypatch.setattr("certificates.views.staff.LIMIT_LOOKUPS", 3)
    client.force_login(world["desk"])
    codes = [post_json(client, LOOKUP, {"number": f"AX{n:07d}"}).status_code for n in range(5)]
    assert codes == [200, 200, 200, 429, 429]


def test_the_form_works_without_javascript(client, world):
    certificate = world["certificate"]
    client.force_login(world["desk"])
    html = client.post(SCANNER, {"scanned": links.verification_url(certificate)}).content
    html = html.decode()
    assert "李建国" in html and world["holder"].id_number in html and certificate.number in html
    by_number = client.post(SCANNER, {"scanned": certificate.number}).content.decode()
    assert world["holder"].id_number in by_number
    refused = client.post(SCANNER, {"scanned": "https://example.com/hello world"})
    assert refused.status_code == 400 and 'data-testid="refusal"' in refused.content.decode()
    assert VerificationLog.objects.filter(actor=world["desk"]).count() == 2


def test_parse_scanned_reads_the_qr_url_only():
    scan = parse_scanned("https://anxun.example/v/abcdefghijklmnop1234?c=k~AX1~x~1~2~3&s=sig")
    assert scan == {"token": "abcdefghijklmnop1234", "c": "k~AX1~x~1~2~3", "s": "sig"}
    assert parse_scanned("https://anxun.example/centre/check-in/?t=12:abc") is None
    assert parse_scanned("AX20260010000001") is None
    assert parse_scanned("https://anxun.example/v/abcdefghijklmnop1234") is None
    assert parse_scanned("https://anxun.example/v/abcdefghijklmnop1234?c=k~AX1~x~1~2~3") is None
    assert parse_scanned("x" * 600) is None


def test_the_server_decodes_a_camera_frame_of_a_certificate(client, world):
    client.force_login(world["desk"])
    url = links.verification_url(world["certificate"])
    try:
        from certificates.rendering import certificate_png

        picture = certificate_png(world["certificate"])
    except ImportError:  # the certificate drawing is not there yet: its QR code alone
        picture = share_qr_png(url=url)
    response = client.post(DECODE, {"frame": ContentFile(picture, name="frame.png")})
    assert response.status_code == 200 and response.json()["text"] == url
    blank = client.post(DECODE, {"frame": ContentFile(jpeg(), name="frame.jpg")})
    assert blank.status_code == 422
    assert client.post(DECODE, {"frame": ContentFile(b"nope", name="x.jpg")}).status_code == 422
    assert client.post(DECODE).status_code == 400


# --- The scan log ------------------------------------------------------------------------------


@pytest.fixture
def scans(world):
    """Scans at two centres in two districts, and one by a bureau officer (no centre)."""
    here = world["center"]
    there = pb.center(code="far-centre", name="远方考点")
    far_desk = pb.staff(there)
    bureau = RoleAssignmentFactory(role=Role.BUREAU_OFFICER).user
    district_officer = RoleAssignmentFactory(
        role=Role.DISTRICT_OFFICER, district=here.district
    ).user
    other_officer = RoleAssignmentFactory(role=Role.DISTRICT_OFFICER, district=there.district).user
    certificate = world["certificate"]
    token = certificate.token

    def scan(user, center, **extra):
        return services.certificate_verify(
            token=token, channel=VerificationLog.Channel.STAFF, actor=user, center=center, **extra
        )

    scan(world["desk"], here)
    scan(world["examiner"], here, scanned_at=timezone.now() - timedelta(days=3))
    scan(far_desk, there)
    scan(bureau, None)
    services.certificate_verify(
        token="unknown-token-0000", channel="staff", actor=far_desk, center=there
    )
    # Public page checks are not staff scans.
    services.certificate_verify(token=token, channel=VerificationLog.Channel.PAGE)
    return {
        "here": here,
        "there": there,
        "far_desk": far_desk,
        "bureau": bureau,
        "district_officer": district_officer,
        "other_officer": other_officer,
    }


def rows(client, **params):
    response = client.get(LOG, params)
    assert response.status_code == 200
    return response.context["table"].page.object_list.data


def test_the_scan_log_is_scoped_to_who_reads_it(client, world, scans):
    client.force_login(world["desk"])
    assert {log.actor for log in rows(client)} == {world["desk"], world["examiner"]}
    client.force_login(scans["far_desk"])
    assert {log.outcome for log in rows(client)} == {"valid", "not_genuine"}
    assert {log.center for log in rows(client)} == {scans["there"]}
    client.force_login(scans["district_officer"])
    assert {log.center for log in rows(client)} == {scans["here"]}
    client.force_login(scans["other_officer"])
    assert {log.center for log in rows(client)} == {scans["there"]}
    client.force_login(scans["bureau"])
    everything = rows(client)
    assert len(everything) == 5
    assert {log.channel for log in everything} == {"staff"}


def test_the_scan_log_filters_by_dates_outcome_centre_and_number(client, world, scans):
    client.force_login(scans["bureau"])
    assert len(rows(client, outcome="not_genuine")) == 1
    assert len(rows(client, center=scans["there"].pk)) == 2
    today = timezone.localdate()
    # The examiner's scan was made offline three days ago: it counts on the day it was made.
    earlier = rows(client, scanned_to=(today - timedelta(days=1)).isoformat())
    assert [log.actor for log in earlier] == [world["examiner"]]
    assert len(rows(client, scanned_from=today.isoformat())) == 4
    assert len(rows(client, number=world["certificate"].number)) == 4
    # A centre outside the reader's scope is not a choice.
    client.force_login(world["desk"])
    response = client.get(LOG, {"center": scans["there"].pk})
    assert response.context["filter"].errors


def test_the_scan_log_exports_csv_and_xlsx_and_the_export_is_audited(client, world, scans):
    client.force_login(world["desk"])
    response = client.get(LOG, {"_export": "csv"})
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert world["certificate"].number in text
    assert str(world["desk"]) in text and world["center"].name in text
    assert "远方考点" not in text
    header = text.splitlines()[0]
    assert header.startswith("扫码时间")  # Chinese first
    xlsx = client.get(LOG, {"_export": "xlsx"})
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxml")
    verbs = list(AuditEvent.objects.filter(actor=world["desk"]).values_list("verb", flat=True))
    assert verbs.count("export.certificate_scans") == 2


def test_staff_of_no_centre_see_only_their_own_scans(client, world):
    loner = UserFactory()
    RoleAssignmentFactory(user=loner, role=Role.CENTER_STAFF)
    services.certificate_verify(
        token=world["certificate"].token,
        channel="staff",
        actor=world["desk"],
        center=world["center"],
    )
    client.force_login(loner)
    assert len(rows(client)) == 0
    post_json(client, VERIFY, scan_of(world["certificate"]))
    assert [log.actor for log in rows(client)] == [loner]
