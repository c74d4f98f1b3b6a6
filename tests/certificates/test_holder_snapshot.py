"""A certificate records its holder at issue (issue 16, item 1): the name, ID number, sex and a
copy of the photo are the certificate's own, every reader shows them, the signed QR payload
binds the holder (masked name, keyed ID hash; old six-field codes still verify), the
verifiable credential carries the snapshot and a Bitstring Status List entry, a holder without
a photo gets no certificate (item 5), and a recorded review keeps the day-before-anniversary
rule of issuing (item 9)."""

import base64
import gzip
import io
import json
from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from accounts.models import Role
from accounts.validators import mask_id_number, mask_name
from certificates import credentials, links, rendering, services, signing, storage
from certificates.models import Certificate
from certificates.views import staff as staff_views
from core.errors import DomainError
from tests.certificates.builders import passed
from tests.factories import RoleAssignmentFactory, UserFactory, make_id_number

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def bureau():
    user = UserFactory()
    RoleAssignmentFactory(user=user, role=Role.BUREAU_OFFICER)
    return user


def other_photo() -> bytes:
    image = Image.new("RGB", (150, 200), "#c14a4a")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG")
    return buffer.getvalue()


def qr_query(certificate: Certificate) -> dict[str, str]:
    query = parse_qs(urlsplit(links.verification_url(certificate)).query)
    return {"c": query["c"][0], "s": query["s"][0]}


def rename(holder, *, name="李四海") -> None:
    """What a worker could do at /me/profile/ after the certificate was printed."""
    holder.real_name = name
    holder.id_number = make_id_number()
    holder.sex = "F" if holder.sex == "M" else "M"
    holder.photo.save("swapped.jpg", ContentFile(other_photo()), save=False)
    holder.save()
    cache.clear()


def jws_claims(token: str) -> dict:
    key = jwt.PyJWK(signing.jwks()["keys"][0])
    return jwt.decode(token, key=key, algorithms=["EdDSA"], options={"verify_aud": False})


# --- The snapshot ----------------------------------------------------------------------------


def test_issuing_copies_the_holder_and_their_photo():
    certificate, _result, _staff = passed(real_name="张建国")
    holder = certificate.holder
    assert certificate.holder_name == "张建国"
    assert certificate.holder_id_number == holder.id_number
    assert certificate.holder_sex == holder.sex
    # A copy: its own file, the same picture.
    assert certificate.holder_photo.name and certificate.holder_photo.name != holder.photo.name
    with certificate.holder_photo.open("rb") as copy, holder.photo.open("rb") as original:
        assert copy.read() == original.read()
    assert certificate.status_index == certificate.pk


def test_renaming_the_holder_after_issue_changes_no_reader(client, bureau):
    certificate, _result, staff = passed(real_name="张建国")
    holder = certificate.holder
    issued_id = holder.id_number
    with certificate.holder_photo.open("rb") as handle:
        issued_photo = handle.read()
    query = qr_query(certificate)

    rename(holder)

    # The public page and the API: the masked name and ID number as issued.
    page = client.get(
        reverse("certificates:verify", args=[certificate.token]) + "?" + urlencode(query)
    )
    assert page.status_code == 200
    assert mask_name("张建国") in page.content.decode() and "李*海" not in page.content.decode()
    assert mask_id_number(issued_id) in page.content.decode()
    api = client.get(
        reverse("certificates:verify_api", args=[certificate.token]) + "?" + urlencode(query)
    ).json()
    assert api["holder_name"] == "张*国" and api["holder_id_number"] == mask_id_number(issued_id)

    # The verifiable credential.
    certificate.refresh_from_db()
    claims = jws_claims(credentials.credential_jwt(certificate))
    subject = claims["vc"]["credentialSubject"]
    assert subject["identifier"][0]["identityHash"] == "张建国"
    image = subject["image"]["id"]
    assert base64.b64decode(image.split(",", 1)[1]) == issued_photo

    # The staff scanner: full name, ID number and the photo as issued.
    answer = staff_views.verify_scan(
        staff["desk"], {"token": certificate.token, **query}, staff["center"]
    )
    assert answer["genuine"]
    assert answer["record"]["holder_name"] == "张建国"
    assert answer["record"]["holder_id_number"] == issued_id
    client.force_login(staff["desk"])
    photo = client.get(answer["record"]["photo_url"])
    assert b"".join(photo.streaming_content) == issued_photo

    # The holder's own page, the bureau's record and its search, the desk.
    client.force_login(holder.user)
    mine = client.get(reverse("my_certificates:detail", args=[certificate.pk])).content.decode()
    # (The page's header names the signed-in user as they are now: not the certificate.)
    assert "<dd>张建国</dd>" in mine and "<dd>李四海</dd>" not in mine
    client.force_login(bureau)
    record = client.get(reverse("certificate_bureau:detail", args=[certificate.pk]))
    assert "张建国" in record.content.decode() and "李四海" not in record.content.decode()
    listing = client.get(reverse("certificate_bureau:list"), {"q": "张建国"})
    assert certificate.number in listing.content.decode()
    assert (
        certificate.number
        not in client.get(reverse("certificate_bureau:list"), {"q": "李四海"}).content.decode()
    )

    # What is drawn: the name, sex and ID number as issued.
    with translation.override("en"):
        content = rendering._content(certificate)
    values = {label: value for label, value, _style in content.rows}
    assert values["Full name"] == "张建国" and values["ID number"] == issued_id


def test_a_replacement_snapshots_the_profile_as_it_is_now(bureau):
    certificate, _result, _staff = passed(real_name="张建国")
    rename(certificate.holder, name="张建华")

    new = services.certificate_replace(
        actor=bureau, certificate_id=certificate.pk, reason="lost at work"
    )

    certificate.refresh_from_db()
    holder = certificate.holder
    assert certificate.holder_name == "张建国"  # the old one keeps what it said
    assert new.holder_name == "张建华" and new.holder_id_number == holder.id_number
    assert new.holder_photo.name not in ("", holder.photo.name, certificate.holder_photo.name)
    with new.holder_photo.open("rb") as handle:
        assert handle.read() == other_photo()
    assert new.status_index == new.pk
    assert links.compact_of(new).split("~")[6] == "张*华"
    assert signing.verify(new.token, links.compact_of(new), new.signature)


def test_no_photo_no_certificate():
    with translation.override("zh-hans"):
        with pytest.raises(DomainError) as refused:
            passed(photo_lost_before_scoring=True)
        assert refused.value.code == "no_photo"
        assert "照片" in str(refused.value.message)
    assert not Certificate.objects.exists()


def test_the_copy_outlives_a_new_profile_photo():
    certificate, _result, _staff = passed()
    holder = certificate.holder
    holder.photo.delete(save=True)
    certificate.refresh_from_db()
    assert certificate.holder_photo.storage.exists(certificate.holder_photo.name)
    assert rendering.certificate_png(certificate, dpi=72)


# --- The renderer never draws an empty photo box ---------------------------------------------


def test_the_renderer_refuses_a_certificate_without_a_photo():
    certificate, _result, _staff = passed()
    certificate.holder_photo.delete(save=True)
    with pytest.raises(rendering.PhotoUnavailable):
        rendering.certificate_png(certificate, dpi=72)
    with pytest.raises(rendering.PhotoUnavailable):
        rendering.certificate_pdf(certificate)
    Certificate.objects.filter(pk=certificate.pk).update(png="", pdf="", rendered_version=0)
    assert storage.certificate_render(certificate_id=certificate.pk) == "no_photo"
    certificate.refresh_from_db()
    assert not certificate.png and not certificate.pdf


def test_the_renderer_refuses_an_unreadable_photo():
    certificate, _result, _staff = passed()
    with certificate.holder_photo.open("rb") as handle:
        data = handle.read()
    certificate.holder_photo.save("cut.jpg", ContentFile(data[: len(data) // 3]), save=True)
    with pytest.raises(rendering.PhotoUnavailable):
        rendering.certificate_png(certificate, dpi=72)


# --- The signed payload binds the holder -----------------------------------------------------


def test_the_signed_fields_carry_the_masked_name_and_a_keyed_id_hash(settings):
    certificate, _result, _staff = passed(real_name="张建国")
    fields = links.compact_of(certificate).split("~")
    assert len(fields) == 8 and fields[6] == "张*国"
    assert fields[7] == signing.id_hash(certificate.token, certificate.holder_id_number)
    assert len(fields[7]) == signing.ID_HASH_LENGTH
    assert certificate.holder_id_number not in links.verification_url(certificate)
    # Keyed: another key gives another hash; bound to the certificate: another token too.
    settings.ANXUN_HOLDER_HASH_KEY = signing.b64url(b"k" * 32)
    assert fields[7] != signing.id_hash(certificate.token, certificate.holder_id_number)
    settings.ANXUN_HOLDER_HASH_KEY = ""
    assert fields[7] != signing.id_hash("x" * 22, certificate.holder_id_number)
    assert fields[7] == signing.id_hash(certificate.token, certificate.holder_id_number.lower())


def test_a_code_with_another_holder_is_not_genuine(client):
    certificate, _result, _staff = passed(real_name="张建国")
    fields = links.compact_of(certificate).split("~")
    for index, value in ((6, "李*国"), (7, signing.id_hash(certificate.token, make_id_number()))):
        forged = fields.copy()
        forged[index] = value
        compact = "~".join(forged)
        # Even signed with our key (a leaked signature of other fields cannot be reused).
        found, outcome = services.certificate_verify(
            token=certificate.token,
            compact=compact,
            signature=signing.sign(certificate.token, compact),
            channel="api",
        )
        assert found is None and outcome == "not_genuine"


def test_codes_printed_before_the_holder_was_bound_still_verify(client):
    certificate, _result, _staff = passed()
    compact = "~".join(links.compact_of(certificate).split("~")[:6])
    ring = signing.key_ring()
    legacy = signing.b64url(
        ring.signing_key.sign(f"anxun-cert-1|{certificate.token}|{compact}".encode())
    )
    url = reverse("certificates:verify_api", args=[certificate.token])
    assert client.get(url, {"c": compact, "s": legacy}).status_code == 200
    # The six fields under the new domain, or the eight under the old one: not genuine.
    as_new = signing.b64url(
        ring.signing_key.sign(f"anxun-cert-2|{certificate.token}|{compact}".encode())
    )
    assert client.get(url, {"c": compact, "s": as_new}).status_code == 404
    full = links.compact_of(certificate)
    as_old = signing.b64url(
        ring.signing_key.sign(f"anxun-cert-1|{certificate.token}|{full}".encode())
    )
    assert client.get(url, {"c": full, "s": as_old}).status_code == 404
    with pytest.raises(ValueError):
        signing.sign(certificate.token, compact)  # new signatures bind the holder


def test_a_repeated_parameter_is_refused_by_the_page_the_api_and_the_scanner(client):
    certificate, _result, _staff = passed()
    query = qr_query(certificate)
    good = urlencode(query)
    for extra in (("c", query["c"]), ("s", query["s"])):
        doubled = good + "&" + urlencode([extra])
        page = client.get(reverse("certificates:verify", args=[certificate.token]) + "?" + doubled)
        api = client.get(
            reverse("certificates:verify_api", args=[certificate.token]) + "?" + doubled
        )
        assert page.status_code == 404 and api.status_code == 404
        url = links.verification_url(certificate) + "&" + urlencode([extra])
        assert staff_views.parse_scanned(url) is None
    assert staff_views.parse_scanned(links.verification_url(certificate)) is not None


def test_the_scanner_page_carries_subject_names_and_never_the_id_hash_key(client):
    certificate, _result, staff = passed()
    client.force_login(staff["desk"])
    html = client.get(reverse("certificate_staff:scanner")).content.decode()
    opening = 'id="certificate-subjects" type="application/json">'
    start = html.index(opening) + len(opening)
    subjects = json.loads(html[start : html.index("</script>", start)])
    assert subjects[certificate.subject.code] == certificate.subject.name
    # With the key, a code's hash of a number with so little entropy could be reversed.
    assert signing.b64url(signing.id_hash_key()) not in html


# --- The credential's status -----------------------------------------------------------------


def bit(encoded: str, index: int) -> int:
    assert encoded.startswith("u")
    raw = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert len(raw) * 8 >= credentials.STATUS_LIST_BITS
    return (raw[index // 8] >> (7 - index % 8)) & 1


def test_the_credential_points_at_a_status_list_that_reads_revoked_and_replaced(client, bureau):
    kept, _result, _staff = passed()
    revoked, _result, _staff = passed()
    replaced, _result, _staff = passed()
    entry = jws_claims(credentials.credential_jwt(kept))["vc"]["credentialStatus"]
    url = client.get(reverse("certificates:status_list", args=[1]))
    assert entry == {
        "id": f"{credentials.status_list_url()}#{kept.status_index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(kept.status_index),
        "statusListCredential": credentials.status_list_url(),
    }
    assert entry["statusListCredential"].endswith("/api/v1/certificates/status/1")

    services.certificate_revoke(actor=bureau, certificate_id=revoked.pk, reason="forged papers")
    new = services.certificate_replace(actor=bureau, certificate_id=replaced.pk, reason="lost it")

    response = client.get(reverse("certificates:status_list", args=[1]))
    assert response.status_code == 200 and response["Content-Type"] == "application/jwt"
    vc = jws_claims(response.content.decode())["vc"]
    assert vc["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert vc["id"] == entry["statusListCredential"]
    subject = vc["credentialSubject"]
    assert subject["type"] == "BitstringStatusList" and subject["statusPurpose"] == "revocation"
    listed = subject["encodedList"]
    assert bit(listed, kept.status_index) == 0
    assert bit(listed, revoked.status_index) == 1
    assert bit(listed, replaced.status_index) == 1
    assert bit(listed, new.status_index) == 0
    assert url.status_code == 200
    assert client.get(reverse("certificates:status_list", args=[2])).status_code == 404


def test_the_status_list_grows_past_its_minimum():
    encoded = credentials.encoded_list([credentials.STATUS_LIST_BITS + 5])
    assert bit(encoded, credentials.STATUS_LIST_BITS + 5) == 1
    raw = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert len(raw) * 8 == 2 * credentials.STATUS_LIST_BITS


def test_the_openapi_schema_lists_the_status_list(client):
    schema = client.get(reverse("certificates:schema")).json()
    assert "/api/v1/certificates/status/{list}" in schema["paths"]


# --- Item 9: a recorded review keeps the day before the anniversary --------------------------


def test_a_recorded_review_ends_the_day_before_the_anniversary(bureau):
    certificate, _result, _staff = passed()
    subject = certificate.subject
    assert certificate.valid_until == services.add_years(
        certificate.issued_on, subject.certificate_valid_years
    ) - timedelta(days=1)
    passed_on = timezone.localdate()
    services.certificate_review_record(
        actor=bureau, certificate_id=certificate.pk, passed_on=passed_on
    )
    certificate.refresh_from_db()
    next_review = services.add_years(passed_on, subject.review_interval_years)
    tail = subject.certificate_valid_years - subject.review_interval_years
    assert certificate.valid_until == services.add_years(next_review, tail) - timedelta(days=1)
    assert certificate.review_due == min(next_review, certificate.valid_until)


def test_a_review_where_validity_equals_the_review_interval():
    """Review every N years, valid N years: the review is due on the last day of validity."""
    certificate, _result, _staff = passed()
    subject = certificate.subject
    subject.certificate_valid_years = subject.review_interval_years = 3
    subject.save()
    last_day = services.add_years(certificate.issued_on, 3) - timedelta(days=1)
    Certificate.objects.filter(pk=certificate.pk).update(valid_until=last_day, review_due=last_day)
    user = UserFactory()
    RoleAssignmentFactory(user=user, role=Role.BUREAU_OFFICER)
    passed_on = timezone.localdate()
    services.certificate_review_record(
        actor=user, certificate_id=certificate.pk, passed_on=passed_on
    )
    certificate.refresh_from_db()
    assert certificate.valid_until == services.add_years(passed_on, 3) - timedelta(days=1)
    assert certificate.review_due == certificate.valid_until


# --- The data migration ----------------------------------------------------------------------


def test_the_data_migration_fills_earlier_certificates_from_their_holders():
    import importlib

    fill = importlib.import_module(
        "certificates.migrations.0004_certificate_holder_snapshot_fill"
    ).fill
    certificate, _result, _staff = passed(real_name="王建业")
    without, _result, _staff = passed(real_name="赵一")
    without.holder.photo.delete(save=True)
    Certificate.objects.update(
        holder_name="", holder_id_number="", holder_photo="", status_index=None, signature="x"
    )

    fill(apps, None)

    certificate.refresh_from_db()
    without.refresh_from_db()
    assert certificate.holder_name == "王建业"
    assert certificate.holder_id_number == certificate.holder.id_number
    assert certificate.holder_photo.name != certificate.holder.photo.name
    with certificate.holder_photo.open("rb") as copy, certificate.holder.photo.open("rb") as src:
        assert copy.read() == src.read()
    assert certificate.status_index == certificate.pk
    assert signing.verify(certificate.token, links.compact_of(certificate), certificate.signature)
    assert without.holder_name == "赵一" and not without.holder_photo
