"""A worker's own certificates: list, detail, files and the verifiable credential, for the
holder only (another user gets 404, an anonymous visitor the login page)."""

import json
from datetime import datetime, time, timedelta

import jwt
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, private_storage
from certificates import credentials, links, services
from certificates.models import Certificate
from tests.certificates.builders import passed
from tests.factories import RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"certificate image" * 10
PDF = b"%PDF-1.7\n" + b"certificate document" * 10
B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


@pytest.fixture
def client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def issued():
    certificate, _result, _staff = passed()
    return certificate


@pytest.fixture
def holder(client, issued):
    client.force_login(issued.holder.user)
    return client


def bureau():
    user = UserFactory()
    RoleAssignmentFactory(user=user, role=Role.BUREAU_OFFICER)
    return user


def drawn(certificate: Certificate) -> Certificate:
    """As ``certificates.rendering`` leaves it: both files in the private storage."""
    storage = private_storage()
    png = storage.save(f"certificates/png/{certificate.number}.png", ContentFile(PNG))
    pdf = storage.save(f"certificates/pdf/{certificate.number}.pdf", ContentFile(PDF))
    certificate.png.name, certificate.pdf.name = png, pdf
    certificate.rendered_at = timezone.now()
    certificate.save(update_fields=["png", "pdf", "rendered_at"])
    return certificate


def urls(certificate: Certificate) -> dict[str, str]:
    pk = certificate.pk
    file = reverse("my_certificates:file", args=[pk, "png"])
    return {
        "detail": reverse("my_certificates:detail", args=[pk]),
        "png": file,
        "png download": file + "?download=1",
        "pdf download": reverse("my_certificates:file", args=[pk, "pdf"]) + "?download=1",
        "credential": reverse("my_certificates:credential", args=[pk]),
    }


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


# --- List and detail ---------------------------------------------------------------------------


def test_the_holder_sees_the_list_and_a_certificate_being_prepared(holder, issued):
    response = holder.get(reverse("my_certificates:list"))

    assert response.status_code == 200
    html = response.content.decode()
    assert issued.number in html and issued.subject.name in html
    assert urls(issued)["detail"] in html
    assert 'data-testid="status">valid<' in html

    detail = holder.get(urls(issued)["detail"])

    assert detail.status_code == 200
    page = detail.content.decode()
    assert 'data-testid="being-prepared"' in page
    assert '<meta http-equiv="refresh" content="5">' in page
    assert 'data-testid="certificate-image"' not in page
    assert 'data-testid="download-png"' not in page
    for day in (issued.issued_on, issued.review_due, issued.valid_until):
        assert day.isoformat() in page
    share = links.verification_url(issued)
    assert f'value="{share.replace("&", "&amp;")}"' in page
    assert "data-copy=" in page
    assert urls(issued)["credential"] in page


def test_files_not_drawn_yet_are_not_served(holder, issued):
    assert holder.get(urls(issued)["png"]).status_code == 404

    response = holder.get(urls(issued)["png download"], follow=True)

    assert response.redirect_chain == [(urls(issued)["detail"], 302)]
    assert "being prepared" in response.content.decode()


def test_a_drawn_certificate_is_shown_and_downloaded_by_its_holder(holder, issued):
    drawn(issued)

    page = holder.get(urls(issued)["detail"]).content.decode()
    assert 'data-testid="certificate-image"' in page
    assert 'http-equiv="refresh"' not in page
    assert urls(issued)["png download"] in page and urls(issued)["pdf download"] in page

    shown = holder.get(urls(issued)["png"])
    assert shown.status_code == 200 and shown["Content-Type"] == "image/png"
    assert body(shown) == PNG
    assert shown["Content-Disposition"].startswith("inline")
    assert "no-store" in shown["Cache-Control"] and "private" in shown["Cache-Control"]

    png = holder.get(urls(issued)["png download"])
    assert body(png) == PNG
    assert png["Content-Disposition"] == f'attachment; filename="{issued.number}.png"'
    pdf = holder.get(urls(issued)["pdf download"])
    assert pdf["Content-Type"] == "application/pdf" and body(pdf) == PDF
    assert pdf["Content-Disposition"] == f'attachment; filename="{issued.number}.pdf"'

    assert holder.get(reverse("my_certificates:file", args=[issued.pk, "svg"])).status_code == 404


def test_another_worker_gets_404_for_everything_and_anonymous_goes_to_login(client, issued):
    drawn(issued)
    other, _result, _staff = passed()
    client.force_login(other.holder.user)

    listing = client.get(reverse("my_certificates:list")).content.decode()
    assert issued.number not in listing and other.number in listing
    for name, url in urls(issued).items():
        assert client.get(url).status_code == 404, name

    staff_user = UserFactory()
    RoleAssignmentFactory(user=staff_user, role=Role.BUREAU_OFFICER)
    client.force_login(staff_user)
    assert (
        'data-testid="no-certificates"'
        in client.get(reverse("my_certificates:list")).content.decode()
    )
    for name, url in urls(issued).items():
        assert client.get(url).status_code == 404, name

    client.logout()
    for name, url in {"list": reverse("my_certificates:list"), **urls(issued)}.items():
        response = client.get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("account_login")), name


def test_a_revoked_certificate_shows_the_reason_and_offers_nothing(holder, issued):
    drawn(issued)
    services.certificate_revoke(
        actor=bureau(), certificate_id=issued.pk, reason="违规操作，证书吊销"
    )

    page = holder.get(urls(issued)["detail"]).content.decode()

    assert "违规操作，证书吊销" in page and 'data-testid="status">revoked<' in page
    for absent in ("certificate-image", "download-png", "share-url", "download-credential"):
        assert f'data-testid="{absent}"' not in page
    assert 'http-equiv="refresh"' not in page
    for name in ("png", "png download", "pdf download", "credential"):
        assert holder.get(urls(issued)[name]).status_code == 404, name


def test_a_replaced_certificate_points_to_the_new_one(holder, issued):
    new = services.certificate_replace(actor=bureau(), certificate_id=issued.pk, reason="遗失补发")

    page = holder.get(urls(issued)["detail"]).content.decode()

    assert 'data-testid="status">replaced<' in page
    assert urls(new)["detail"] in page and new.number in page
    listing = holder.get(reverse("my_certificates:list")).content.decode()
    assert issued.number in listing and new.number in listing


def test_the_list_query_count_does_not_grow_with_the_certificates(holder, issued):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert holder.get(reverse("my_certificates:list")).status_code == 200
        return len(captured)

    queries()  # warm the per-process caches (site, navigation)
    few = queries()
    officer = bureau()
    current = issued
    for _n in range(4):
        current = services.certificate_replace(
            actor=officer, certificate_id=current.pk, reason="遗失补发"
        )
    assert Certificate.objects.filter(holder=issued.holder).count() == 5
    assert queries() == few


# --- The verifiable credential -----------------------------------------------------------------


def local_midnight(day) -> int:
    return int(timezone.make_aware(datetime.combine(day, time.min)).timestamp())


def test_the_credential_verifies_with_the_published_key_and_says_what_the_certificate_says(
    holder, issued
):
    response = holder.get(urls(issued)["credential"])

    assert response.status_code == 200
    assert response["Content-Type"] == "application/jwt"
    assert response["Content-Disposition"] == f'attachment; filename="{issued.number}.jwt"'
    token = response.content.decode()
    header = jwt.get_unverified_header(token)
    assert header == {"alg": "EdDSA", "typ": "JWT", "kid": issued.key_id}

    published = jwt.PyJWKSet.from_dict(holder.get("/.well-known/jwks.json").json())
    claims = jwt.decode(
        token,
        key=published[header["kid"]].key,
        algorithms=["EdDSA"],
        issuer=settings.WAGTAILADMIN_BASE_URL,
        options={"require": ["iss", "sub", "jti", "iat", "nbf", "exp"]},
    )

    site = settings.WAGTAILADMIN_BASE_URL
    public_page = site + reverse("certificates:verify", args=[issued.token])
    assert claims["jti"] == public_page
    assert claims["nbf"] == local_midnight(issued.issued_on)
    assert claims["exp"] == local_midnight(issued.valid_until + timedelta(days=1))
    assert claims["sub"].startswith("urn:anxun:holder:")
    vc = claims["vc"]
    assert vc["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert vc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert vc["id"] == public_page and vc["issuer"]["id"] == claims["iss"] == site
    assert vc["issuer"]["name"] == issued.issuer
    assert vc["validFrom"].startswith(issued.issued_on.isoformat())
    assert vc["validUntil"].startswith((issued.valid_until + timedelta(days=1)).isoformat())
    subject = vc["credentialSubject"]
    assert subject["id"] == claims["sub"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["licenseNumber"] == issued.number
    assert subject["identifier"][0]["identityHash"] == issued.holder.real_name
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"] and achievement["name"] == issued.subject.name
    assert issued.subject.name in achievement["criteria"]["narrative"]
    # The ID number is never in a credential.
    assert issued.holder.id_number not in json.dumps(claims, ensure_ascii=False)


def test_the_credential_fails_after_any_one_character_is_changed(holder, issued):
    token = holder.get(urls(issued)["credential"]).content.decode()
    key = jwt.PyJWKSet.from_dict(holder.get("/.well-known/jwks.json").json())[issued.key_id].key
    decode = {"key": key, "algorithms": ["EdDSA"], "issuer": settings.WAGTAILADMIN_BASE_URL}
    assert jwt.decode(token, **decode)["vc"]

    positions = [n for n, char in enumerate(token) if char != "."]
    for n in positions:
        char = token[n]
        changed = token[:n] + B64URL[(B64URL.index(char) + 32) % 64] + token[n + 1 :]
        with pytest.raises(jwt.InvalidTokenError):
            jwt.decode(changed, **decode)
    assert len(positions) > 500


def test_the_same_holder_is_the_same_subject_in_every_credential(holder, issued):
    new = services.certificate_replace(actor=bureau(), certificate_id=issued.pk, reason="遗失补发")
    other, _result, _staff = passed()

    assert credentials.holder_urn(new) == credentials.holder_urn(issued)
    assert credentials.holder_urn(other) != credentials.holder_urn(issued)


def test_no_credential_for_an_expired_certificate(holder, issued):
    Certificate.objects.filter(pk=issued.pk).update(
        issued_on=issued.issued_on - timedelta(days=7 * 365),
        review_due=issued.issued_on - timedelta(days=4 * 365),
        valid_until=issued.issued_on - timedelta(days=365),
    )

    assert holder.get(urls(issued)["credential"]).status_code == 404
    page = holder.get(urls(issued)["detail"]).content.decode()
    assert 'data-testid="status">expired<' in page
    assert 'data-testid="download-credential"' not in page
