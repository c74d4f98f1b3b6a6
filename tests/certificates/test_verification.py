"""Public verification: the page inside the QR code and the JSON API, what they say for each
status, that any tampering gets the same plain "not found", personal data masked, the public
keys checked with an independent JOSE library, the OpenAPI schema, and throttling."""

import base64
import json
import secrets
from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from accounts.validators import mask_id_number, mask_name
from certificates import links, services, signing
from certificates.models import Certificate, Status, VerificationLog
from certificates.services import add_years
from certificates.views import public as views
from tests.certificates.builders import passed
from tests.factories import RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db

B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


@pytest.fixture
def client(client):
    """Pages in English, so tests can read them."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def bureau():
    user = UserFactory()
    RoleAssignmentFactory(user=user, role=Role.BUREAU_OFFICER)
    return user


@pytest.fixture
def certificate():
    return passed()[0]


def qr_parts(certificate: Certificate) -> tuple[str, str, str]:
    """(token, c, s) as the QR code's URL carries them."""
    url = urlsplit(links.verification_url(certificate))
    query = parse_qs(url.query)
    return url.path.rsplit("/", 1)[1], query["c"][0], query["s"][0]


def page_url(token: str, c: str | None = None, s: str | None = None) -> str:
    query = {key: value for key, value in (("c", c), ("s", s)) if value is not None}
    return reverse("certificates:verify", args=[token]) + ("?" + urlencode(query) if query else "")


def api_url(token: str, c: str | None = None, s: str | None = None) -> str:
    return page_url(token, c, s).replace("/v/", "/api/v1/certificates/verify/", 1)


_addresses = iter(range(1, 10**6))


def fresh_ip() -> str:
    """Each call a new client address (the per-client limits stay out of the way)."""
    n = next(_addresses)
    return f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"


def ask(client, url: str, ip: str | None = None):
    return client.get(url, REMOTE_ADDR=ip or fresh_ip())


def status_text(response) -> str:
    html = response.content.decode()
    start = html.index('data-testid="status">') + len('data-testid="status">')
    return html[start : html.index("<", start)].strip()


def backdate(certificate: Certificate, issued_on) -> None:
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
    cache.clear()  # saved behind the services' back: the verification cache must forget it


# --- What each status says ---------------------------------------------------------------------


def test_a_valid_certificate_page_and_api(client, certificate):
    token, c, s = qr_parts(certificate)
    holder = certificate.holder

    page = ask(client, page_url(token, c, s))
    api = ask(client, api_url(token, c, s))

    assert page.status_code == 200 and api.status_code == 200
    assert status_text(page) == "valid"
    html = page.content.decode()
    for shown in (
        certificate.number,
        certificate.subject.name,
        certificate.issued_on.isoformat(),
        certificate.review_due.isoformat(),
        certificate.valid_until.isoformat(),
        certificate.issuer,
        certificate.center.name,
        mask_name(holder.real_name),
        mask_id_number(holder.id_number),
    ):
        assert shown in html
    record = api.json()
    assert record["number"] == certificate.number
    assert record["status"] == "valid" and record["revoked_reason"] is None
    assert record["holder_name"] == mask_name(holder.real_name)
    assert record["holder_id_number"] == mask_id_number(holder.id_number)
    assert (record["issued_on"], record["review_due"], record["valid_until"]) == (
        certificate.issued_on.isoformat(),
        certificate.review_due.isoformat(),
        certificate.valid_until.isoformat(),
    )
    assert page["Cache-Control"].startswith("max-age=0")
    # The token alone (typed in from a printed number) also finds it.
    assert ask(client, api_url(token)).json()["number"] == certificate.number


def test_no_full_name_or_id_number_anywhere_in_the_page_or_the_json(client, certificate):
    token, c, s = qr_parts(certificate)
    holder = certificate.holder
    assert mask_name(holder.real_name) != holder.real_name

    html = ask(client, page_url(token, c, s)).content.decode()
    record = json.dumps(ask(client, api_url(token, c, s)).json(), ensure_ascii=False)

    for text in (html, record):
        for secret in (holder.id_number, holder.id_number[:-4], holder.real_name):
            assert secret not in text
        assert holder.user.phone not in text


def test_a_revoked_certificate_says_so_with_the_reason(client, certificate, bureau):
    services.certificate_revoke(
        actor=bureau, certificate_id=certificate.pk, reason="考试舞弊，证书作废"
    )
    token, c, s = qr_parts(certificate)

    page = ask(client, page_url(token, c, s))
    api = ask(client, api_url(token, c, s))

    assert page.status_code == 200 and status_text(page) == "revoked"
    assert "考试舞弊，证书作废" in page.content.decode()
    assert api.json()["status"] == "revoked"
    assert api.json()["revoked_reason"] == "考试舞弊，证书作废"


def test_a_replaced_certificate_names_its_replacement(client, certificate, bureau):
    token, c, s = qr_parts(certificate)  # the QR code printed on the lost certificate
    new = services.certificate_replace(
        actor=bureau, certificate_id=certificate.pk, reason="证书遗失补发"
    )

    page = ask(client, page_url(token, c, s))
    api = ask(client, api_url(token, c, s)).json()

    assert status_text(page) == "replaced"
    assert new.number in page.content.decode()
    assert api["status"] == "replaced" and api["replaced_by"] == new.number
    new_token, new_c, new_s = qr_parts(new)
    assert new_token != token
    assert ask(client, api_url(new_token, new_c, new_s)).json()["status"] == "valid"


def test_a_verified_certificate_is_cached_until_revoked_replaced_or_reviewed(
    client, certificate, bureau
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    token, c, s = qr_parts(certificate)
    with CaptureQueriesContext(connection) as first:
        assert ask(client, api_url(token, c, s)).json()["status"] == "valid"
    with CaptureQueriesContext(connection) as again:
        assert ask(client, api_url(token, c, s)).json()["status"] == "valid"
    assert len(again) == len(first) - 1  # the lookup came from the cache; the log row did not
    assert VerificationLog.objects.filter(certificate=certificate).count() == 2
    services.certificate_revoke(actor=bureau, certificate_id=certificate.pk, reason="考试舞弊")
    assert ask(client, api_url(token, c, s)).json()["status"] == "revoked"
    # A verifier that read the row before the revocation committed cannot cache it afterwards.
    stale = Certificate.objects.get(pk=certificate.pk)
    stale.state = Certificate.State.ACTIVE
    assert not cache.add(services._verify_cache_key(token), stale)
    assert ask(client, api_url(token, c, s)).json()["status"] == "revoked"
    with CaptureQueriesContext(connection) as unknown:
        ask(client, api_url("A" * 22, c, s))
    with CaptureQueriesContext(connection) as unknown_again:
        ask(client, api_url("A" * 22, c, s))
    assert len(unknown_again) == len(unknown)  # guesses are never cached


def test_an_expired_and_a_review_due_certificate(client, certificate):
    today = timezone.localdate()
    backdate(certificate, add_years(today, -6) - timedelta(days=10))
    token, c, s = qr_parts(certificate)

    page = ask(client, page_url(token, c, s))
    assert status_text(page) == "expired"
    assert certificate.valid_until.isoformat() in page.content.decode()
    assert ask(client, api_url(token, c, s)).json()["status"] == "expired"

    backdate(certificate, add_years(today, -3) - timedelta(days=10))
    token, c, s = qr_parts(certificate)
    assert status_text(ask(client, page_url(token, c, s))) == "review due"
    assert ask(client, api_url(token, c, s)).json()["status"] == "review_due"


# --- Tampering ---------------------------------------------------------------------------------


def one_changed(text: str, position: int) -> str:
    """``text`` with the character at ``position`` changed; in base64url text the new value
    differs in its highest bit, so the bytes it stands for change too."""
    old = text[position]
    new = B64URL[(B64URL.index(old) + 32) % 64] if old in B64URL else "A"
    return text[:position] + new + text[position + 1 :]


def test_a_one_character_change_anywhere_gets_the_same_404(client, certificate):
    token, c, s = qr_parts(certificate)
    assert ask(client, api_url(token, c, s)).status_code == 200
    not_found_api = ask(client, api_url("x" * 22, c, s))
    not_found_page = ask(client, page_url("x" * 22, c, s))
    assert not_found_api.status_code == not_found_page.status_code == 404
    tampered = [
        *((one_changed(token, n), c, s) for n in range(len(token))),
        *((token, one_changed(c, n), s) for n in range(len(c))),
        *((token, c, one_changed(s, n)) for n in range(len(s))),
        (token, c, None),
        (token, None, s),
        (token, c, ""),
        (token, c, s[:-1]),
        (token, c + "~", s),
    ]

    for parts in tampered:
        api = ask(client, api_url(*parts))
        page = ask(client, page_url(*parts))
        assert api.status_code == page.status_code == 404, parts
        assert api.content == not_found_api.content, parts
        assert status_text(page) == status_text(not_found_page) == "Not found, or not genuine"

    logged = VerificationLog.objects.filter(outcome=VerificationLog.Outcome.NOT_GENUINE)
    assert logged.count() == 2 * len(tampered) + 2
    assert not logged.exclude(certificate=None).exists()


def test_unknown_token_and_bad_signature_get_identical_answers(client, certificate):
    token, c, s = qr_parts(certificate)
    unknown = secrets.token_urlsafe(16)
    forged = one_changed(s, 10)

    api_unknown, api_forged = (
        ask(client, api_url(unknown, c, s)),
        ask(client, api_url(token, c, forged)),
    )
    assert api_unknown.status_code == api_forged.status_code == 404
    assert api_unknown.content == api_forged.content
    assert api_unknown.json() == {"error": "not_found", "message": "Not found, or not genuine."}

    page_unknown, page_forged = (
        ask(client, page_url(unknown, c, s)),
        ask(client, page_url(token, c, forged)),
    )
    assert page_unknown.status_code == page_forged.status_code == 404

    def without_own_address(response, path):
        # The language and text-size forms return to the page asked for: set that aside.
        html = response.content.decode()
        return html.replace(path.replace("&", "&amp;"), "PATH").replace(path, "PATH")

    assert without_own_address(page_unknown, page_url(unknown, c, s)) == without_own_address(
        page_forged, page_url(token, c, forged)
    )
    assert certificate.number not in without_own_address(page_forged, page_url(token, c, forged))


def test_every_other_last_character_of_the_signature_is_refused(client, certificate):
    token, c, s = qr_parts(certificate)
    accepted = [
        char
        for char in B64URL
        if char != s[-1] and ask(client, api_url(token, c, s[:-1] + char)).status_code != 404
    ]
    assert accepted == []


# --- Keys and schema ---------------------------------------------------------------------------


def test_the_published_keys_verify_a_certificate_with_an_independent_library(client, certificate):
    response = client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    keys = jwt.PyJWKSet.from_dict(response.json())
    token, c, s = qr_parts(certificate)
    kid = c.split("~", 1)[0]
    assert kid == certificate.key_id
    key = keys[kid]
    assert key.algorithm_name == "EdDSA"
    assert all("d" not in entry for entry in response.json()["keys"])  # no private part

    # The signed message as signing.py's docstring documents it, built here by hand.
    message = f"{signing.DOMAIN}|{token}|{c}".encode()
    signature = base64.urlsafe_b64decode(s + "==")
    assert key.Algorithm.verify(message, key.key, signature)
    assert not key.Algorithm.verify(
        message.replace(certificate.number.encode(), b"AX0"), key.key, signature
    )
    forged = bytes([signature[0] ^ 1]) + signature[1:]
    assert not key.Algorithm.verify(message, key.key, forged)


def test_the_openapi_schema_describes_the_verification_api(client):
    response = client.get("/api/schema/")

    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.1")
    operation = schema["paths"]["/api/v1/certificates/verify/{token}"]["get"]
    assert {"200", "404", "429"} <= set(operation["responses"])
    assert {p["name"] for p in operation["parameters"]} == {"token", "c", "s"}


# --- Throttling --------------------------------------------------------------------------------


def test_guessing_from_one_address_finds_nothing_and_is_throttled(client, certificate):
    guesser = "203.0.113.7"
    answers = {200: 0, 404: 0, 429: 0}
    found = []

    for _n in range(10_000):
        response = client.get(api_url(secrets.token_urlsafe(16)), REMOTE_ADDR=guesser)
        answers[response.status_code] += 1
        if response.status_code == 200:
            found.append(response.json()["number"])

    assert found == [] and answers[200] == 0
    # Not-found answers stop at the miss limit.
    assert answers[404] == views.LIMIT_MISSES
    assert answers[429] == 10_000 - answers[404]
    throttled = client.get(api_url(certificate.token), REMOTE_ADDR=guesser)
    assert throttled.status_code == 429 and throttled["Retry-After"]
    assert client.get(page_url(certificate.token), REMOTE_ADDR=guesser).status_code == 429

    # Every answer given was logged; throttled requests never reached the lookup.
    client_hash = services.client_hash(guesser)
    logs = VerificationLog.objects.filter(client=client_hash)
    assert logs.count() == answers[404]
    assert set(logs.values_list("outcome", flat=True)) == {"not_genuine"}
    assert not logs.exclude(certificate=None).exists()

    # Another address is unaffected.
    other = client.get(api_url(*qr_parts(certificate)), REMOTE_ADDR="198.51.100.20")
    assert other.status_code == 200 and other.json()["number"] == certificate.number
    log = VerificationLog.objects.get(client=services.client_hash("198.51.100.20"))
    assert (log.certificate, log.outcome, log.channel) == (certificate, "valid", "api")


def test_exactly_the_miss_limit_of_not_found_answers_is_given(client):
    codes = [
        client.get(api_url(secrets.token_urlsafe(16)), REMOTE_ADDR="203.0.113.9").status_code
        for _n in range(views.LIMIT_MISSES + 5)
    ]
    assert codes.count(404) == views.LIMIT_MISSES


def test_one_address_verifying_real_certificates_is_limited_too(client, certificate):
    url = api_url(*qr_parts(certificate))
    codes = [
        client.get(url, REMOTE_ADDR="192.0.2.44").status_code for _n in range(views.LIMIT_ALL + 1)
    ]
    assert codes.count(200) == views.LIMIT_ALL
    assert codes[-1] == 429
    assert client.get(url, REMOTE_ADDR="192.0.2.45").status_code == 200


def test_every_verification_is_logged_with_its_channel(client, certificate):
    token, c, s = qr_parts(certificate)
    ask(client, page_url(token, c, s), ip="192.0.2.1")
    ask(client, api_url(token, c, s), ip="192.0.2.1")
    ask(client, api_url("y" * 22), ip="192.0.2.1")

    logs = list(VerificationLog.objects.order_by("pk"))
    assert [(log.channel, log.outcome) for log in logs] == [
        ("page", "valid"),
        ("api", "valid"),
        ("api", "not_genuine"),
    ]
    assert {log.client for log in logs} == {services.client_hash("192.0.2.1")}
    assert "192.0.2.1" not in {log.client for log in logs}  # only a keyed hash is stored
    assert logs[0].certificate == certificate and logs[2].certificate is None
    assert Status(logs[0].outcome) == Status.VALID
