"""A certificate as an Open Badges 3.0 / W3C Verifiable Credential, secured as a VC-JWT.

The holder downloads it for a wallet or to send to an employer. It is a compact JWS:

    header  {"alg": "EdDSA", "typ": "JWT", "kid": <the signing key's id>}
    claims  iss (this site's https address; its keys are at /.well-known/jwks.json),
            sub (an opaque, stable id of the holder), jti (the certificate's public page),
            nbf/exp (the first and last day of validity), iat, and ``vc``: the credential
            (OpenBadgeCredential) with the achievement (the operation category) and its criteria

signed with the key that signs certificates (``signing.key_ring()``), so anyone can check it
with the published public keys. The credential carries the holder as the certificate recorded
them at issue (``holder_name`` and the copy of the photo, as the subject's ``image``), never
the ID number. What it says is what the certificate said when it was downloaded; its
``credentialStatus`` (a W3C Bitstring Status List entry, statusPurpose "revocation") points
wallets at the public list (``status_list_jwt``, at ``/api/v1/certificates/status/1``) where
the certificate's bit reads 1 once it is revoked or replaced. The public page (its ``id``)
stays the authority on reviews.

The status list is one list for every certificate: a certificate's bit is its
``status_index``; the bitstring is at least 131,072 bits long (the specification's minimum,
so that one certificate's status cannot be told apart by the list's size), grows in steps of
that size, and is published GZIP-compressed and multibase base64url-encoded ("u" + the
characters, no padding), bit 0 being the most significant bit of the first byte.
"""

import base64
import gzip
import json
from datetime import date, datetime, time, timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from core.notifications import absolute_url

from . import links, signing
from .models import Certificate

CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
MEDIA_TYPE = "application/jwt"
STATUS_LIST_BITS = 131_072  # the minimum length of a bitstring status list (16 KiB)
STATUS_LIST_ID = 1  # one list for all certificates
STATUS_PURPOSE = "revocation"
STATUS_LIST_SECONDS = 300  # how long the list may be cached (and its ``ttl``)


def _site() -> str:
    return absolute_url()


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def holder_urn(certificate: Certificate) -> str:
    """The holder as an opaque, stable id: the same for all of a worker's credentials, and
    telling nothing about who the worker is."""
    digest = salted_hmac(
        "anxun.certificates.credentials.holder", str(certificate.holder_id), algorithm="sha256"
    ).hexdigest()
    return f"urn:anxun:holder:{digest[:32]}"


def status_list_url() -> str:
    """The stable public address of the revocation status list (DESIGN.md §4)."""
    return absolute_url(reverse("certificates:status_list", args=[STATUS_LIST_ID]))


def credential_status(certificate: Certificate) -> dict | None:
    """The credential's ``credentialStatus`` (a ``BitstringStatusListEntry``), or None for a
    certificate without a bit in the list."""
    if certificate.status_index is None:
        return None
    url = status_list_url()
    return {
        "id": f"{url}#{certificate.status_index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": STATUS_PURPOSE,
        "statusListIndex": str(certificate.status_index),
        "statusListCredential": url,
    }


def _photo_image(certificate: Certificate) -> dict | None:
    """The holder's photo as at issue, as an Open Badges ``Image`` (a data URL)."""
    if not certificate.holder_photo:
        return None
    try:
        with certificate.holder_photo.open("rb") as handle:
            data = handle.read()
    except OSError:
        return None
    return {
        "id": "data:image/jpeg;base64," + base64.b64encode(data).decode("ascii"),
        "type": "Image",
        "caption": _("Photo of the holder"),
    }


def credential_claims(certificate: Certificate, *, now: datetime | None = None) -> dict:
    """The JWT claims of ``certificate``'s credential (``vc`` holds the credential itself)."""
    now = now or timezone.now()
    site = _site()
    subject = certificate.subject
    credential_id = links.credential_id(certificate)
    valid_from = _start_of(certificate.issued_on)
    # The certificate is good through its last day: the credential ends when that day does.
    valid_until = _start_of(certificate.valid_until + timedelta(days=1))
    criteria = _(
        "Completed the required safety training, passed the theory exam (pass mark "
        "%(theory)d of 100) and the practical exam (pass mark %(practical)d of 100) of "
        "%(subject)s at an approved exam centre. Review every %(review)d years."
    ) % {
        "theory": subject.pass_mark,
        "practical": subject.practical_pass_mark,
        "subject": subject.name,
        "review": subject.review_interval_years,
    }
    credential: dict[str, Any] = {
        "@context": CONTEXT,
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": _("Special operations certificate: %(subject)s") % {"subject": subject.name},
        "issuer": {
            "id": site,
            "type": ["Profile"],
            "name": certificate.issuer,
            "url": site,
        },
        "validFrom": valid_from.isoformat(),
        "validUntil": valid_until.isoformat(),
        "credentialSubject": {
            "id": holder_urn(certificate),
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": certificate.holder_name,
                }
            ],
            "achievement": {
                "id": f"urn:anxun:subject:{subject.code}",
                "type": ["Achievement"],
                "achievementType": "License",
                "name": subject.name,
                "description": _("Special operations certificate (特种作业操作证): %(subject)s")
                % {"subject": subject.name},
                "criteria": {"narrative": criteria},
                "humanCode": subject.code,
            },
            "licenseNumber": certificate.number,
        },
    }
    image = _photo_image(certificate)
    if image is not None:
        credential["credentialSubject"]["image"] = image
    status = credential_status(certificate)
    if status is not None:
        credential["credentialStatus"] = status
    return {
        "iss": site,
        "sub": holder_urn(certificate),
        "jti": credential_id,
        "iat": int(now.timestamp()),
        "nbf": int(valid_from.timestamp()),
        "exp": int(valid_until.timestamp()),
        "vc": credential,
    }


def _segment(value: dict) -> str:
    return signing.b64url(
        json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
    )


def _jws(claims: dict) -> str:
    ring = signing.key_ring()
    header = {"alg": "EdDSA", "typ": "JWT", "kid": ring.signing_kid}
    signing_input = f"{_segment(header)}.{_segment(claims)}"
    signature = ring.signing_key.sign(signing_input.encode("ascii"))
    return f"{signing_input}.{signing.b64url(signature)}"


def credential_jwt(certificate: Certificate, *, now: datetime | None = None) -> str:
    """The credential as a compact JWS (EdDSA over Ed25519), ready to download."""
    return _jws(credential_claims(certificate, now=now))


def encoded_list(set_bits: list[int]) -> str:
    """A bitstring with ``set_bits`` set, GZIP-compressed and multibase base64url-encoded."""
    highest = max(set_bits, default=-1)
    length = max(STATUS_LIST_BITS, -(-(highest + 1) // STATUS_LIST_BITS) * STATUS_LIST_BITS)
    bits = bytearray(length // 8)
    for index in set_bits:
        bits[index // 8] |= 0x80 >> (index % 8)
    return "u" + signing.b64url(gzip.compress(bytes(bits), mtime=0))


def status_list_claims(*, now: datetime | None = None) -> dict:
    """The JWT claims of the revocation status list (``vc``: a BitstringStatusListCredential):
    the bit of every revoked or replaced certificate is 1."""
    now = now or timezone.now()
    site = _site()
    url = status_list_url()
    withdrawn = list(
        Certificate.objects.exclude(state=Certificate.State.ACTIVE)
        .exclude(status_index=None)
        .values_list("status_index", flat=True)
    )
    credential = {
        "@context": CONTEXT[:1],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": site,
        "validFrom": now.isoformat(timespec="seconds"),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": STATUS_PURPOSE,
            "ttl": STATUS_LIST_SECONDS * 1000,
            "encodedList": encoded_list([index for index in withdrawn if index is not None]),
        },
    }
    return {"iss": site, "jti": url, "iat": int(now.timestamp()), "vc": credential}


def status_list_jwt(*, now: datetime | None = None) -> str:
    """The revocation status list as a compact JWS, signed like the credentials."""
    return _jws(status_list_claims(now=now))
