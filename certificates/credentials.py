"""A certificate as an Open Badges 3.0 / W3C Verifiable Credential, secured as a VC-JWT.

The holder downloads it for a wallet or to send to an employer. It is a compact JWS:

    header  {"alg": "EdDSA", "typ": "JWT", "kid": <the signing key's id>}
    claims  iss (this site's https address; its keys are at /.well-known/jwks.json),
            sub (an opaque, stable id of the holder), jti (the certificate's public page),
            nbf/exp (the first and last day of validity), iat, and ``vc``: the credential
            (OpenBadgeCredential) with the achievement (the operation category) and its criteria

signed with the key that signs certificates (``signing.key_ring()``), so anyone can check it
with the published public keys. The credential carries the holder's name, never the ID number.
What it says is what the certificate said when it was downloaded: the public page (its ``id``)
stays the authority on revocation and reviews.
"""

import json
from datetime import date, datetime, time, timedelta

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
    credential = {
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
                    "identityHash": certificate.holder.real_name,
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


def credential_jwt(certificate: Certificate, *, now: datetime | None = None) -> str:
    """The credential as a compact JWS (EdDSA over Ed25519), ready to download."""
    ring = signing.key_ring()
    header = {"alg": "EdDSA", "typ": "JWT", "kid": ring.signing_kid}
    signing_input = f"{_segment(header)}.{_segment(credential_claims(certificate, now=now))}"
    signature = ring.signing_key.sign(signing_input.encode("ascii"))
    return f"{signing_input}.{signing.b64url(signature)}"
