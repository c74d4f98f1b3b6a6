"""Ed25519 signing of certificates, verifiable offline with the published public keys.

Keys come from ``settings.ANXUN_SIGNING_KEYS``: comma-separated ``<key id>=<key>`` entries, where
``<key>`` is a base64url Ed25519 private key (32 bytes), or ``pub:<base64url public key>`` for a
retired key kept only to verify old certificates. The first private key signs new certificates.
``manage.py certificate_keygen`` makes a new entry. Rotation: put the new private key first and
keep the old one (its private part may be replaced by ``pub:`` + its public key).

What is signed (and carried in the QR code's URL, so a scanner can check it offline):

    anxun-cert-2|<token>|<compact>
    compact = <key id>~<number>~<subject code>~<issued YYYYMMDD>~<valid until>~<review due>
              ~<holder's masked name>~<holder's ID hash>

The last two fields bind the holder: the masked name (张*三) tells an offline scanner whose
certificate it is, and the ID hash (``id_hash``) lets staff check a typed ID number against it,
so a genuine QR code pasted on someone else's paper is recognisable. Certificates signed before
these fields existed carry the first six only, signed under the domain ``anxun-cert-1``; they
verify as before (``verify`` tells the two apart by the number of fields, and each domain has a
fixed number, so a code of one cannot pass for the other). A certificate whose payload changes
(a recorded review, a re-issue) is signed again, under the current domain.

The signature is 64 bytes, sent as 86 base64url characters.
"""

import hashlib
import hmac
from datetime import date

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from core import signing as core_signing
from core.signing import KeyRing, b64url, b64url_decode, key_ring, key_ring_parse

__all__ = [
    "DOMAIN",
    "DOMAIN_V1",
    "SEPARATOR",
    "KeyRing",
    "b64url",
    "b64url_decode",
    "compact_fields",
    "domain_of",
    "id_hash",
    "id_hash_key",
    "jwks",
    "key_ring",
    "new_key_entry",
    "sign",
    "signing_keys_check",
    "verify",
]

DOMAIN = "anxun-cert-2"
DOMAIN_V1 = "anxun-cert-1"  # six fields, no holder: printed before the holder was bound
FIELDS = {DOMAIN: 8, DOMAIN_V1: 6}
SEPARATOR = "~"
ID_HASH_LENGTH = 12  # base64url characters: 72 bits


def signing_keys_check(value: str, *, development_keys: list[str]) -> None:
    """Raise ImproperlyConfigured unless ``value`` holds a usable signing key that is not one
    of the public development keys (production settings call this at start-up)."""
    ring = key_ring_parse(value)
    for development in development_keys:
        if ring.signing_kid in key_ring_parse(development).public:
            raise ImproperlyConfigured(
                "ANXUN_SIGNING_KEYS signs with the public development key: run "
                "`manage.py certificate_keygen` and set your own."
            )


def new_key_entry(kid: str) -> str:
    private = Ed25519PrivateKey.generate()
    raw = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return f"{kid}={b64url(raw)}"


def id_hash_key() -> bytes:
    """The secret key of ``id_hash``: ``settings.ANXUN_HOLDER_HASH_KEY`` (base64url, 32 bytes)
    when set, else derived from ``SECRET_KEY``. It must stay the same for as long as printed
    certificates are in use (a new one makes their ID hashes read "no match")."""
    configured = getattr(settings, "ANXUN_HOLDER_HASH_KEY", "")
    if configured:
        return b64url_decode(configured)
    return hmac.new(
        settings.SECRET_KEY.encode(), b"anxun.certificates.id-hash", hashlib.sha256
    ).digest()


def id_hash(token: str, id_number: str) -> str:
    """A short keyed hash of the holder's ID number, bound to one certificate (its token).

    HMAC-SHA256 with a secret key (``id_hash_key``), over ``anxun-id-1|<token>|<ID number>``,
    cut to 72 bits (12 base64url characters). Why keyed: an ID number has little entropy —
    a region code, a birth date, a sequence number and a check digit, and the public page
    shows the first three and the last four characters — so an unkeyed hash, however slow,
    could be reversed by trying the few million ID numbers left; without the key, a code's
    hash says nothing about whose ID number it is. The key never leaves the server (not even
    for staff scanners: with it, anyone could reverse the hash of any code they photograph);
    the server checks the hash against the record when a code is verified online. The token
    in the message makes the hashes of one person's certificates unrelated to each other.
    """
    digest = hmac.new(
        id_hash_key(), f"anxun-id-1|{token}|{id_number.upper()}".encode(), hashlib.sha256
    ).digest()
    return b64url(digest)[:ID_HASH_LENGTH]


def _clean(text: str) -> str:
    """A field's text without the separator (a name never holds one; belt and braces)."""
    return text.replace(SEPARATOR, "").replace("|", "")


def compact_fields(
    *,
    kid: str,
    number: str,
    subject_code: str,
    issued: date,
    valid_until: date,
    review_due: date,
    holder_mask: str,
    holder_id_hash: str,
) -> str:
    return SEPARATOR.join(
        [
            kid,
            number,
            subject_code,
            issued.strftime("%Y%m%d"),
            valid_until.strftime("%Y%m%d"),
            review_due.strftime("%Y%m%d"),
            _clean(holder_mask),
            holder_id_hash,
        ]
    )


def domain_of(compact: str) -> str | None:
    """The domain a compact string is signed under, by its number of fields (None: neither)."""
    count = len(compact.split(SEPARATOR))
    return next((domain for domain, fields in FIELDS.items() if fields == count), None)


def sign(token: str, compact: str) -> str:
    ring = key_ring()
    if not compact.startswith(ring.signing_kid + SEPARATOR):
        raise ValueError("the compact fields must name the signing key")
    if domain_of(compact) != DOMAIN:
        raise ValueError("new signatures carry the holder's fields")
    return core_signing.sign(domain=DOMAIN, message=f"{token}|{compact}")


def verify(token: str, compact: str, signature: str) -> bool:
    """True if ``signature`` is a signature by a known key (the one named in ``compact``),
    under the domain its number of fields says (``anxun-cert-2``, or ``anxun-cert-1`` for
    codes printed before the holder was bound)."""
    domain = domain_of(compact)
    if domain is None:
        return False
    return core_signing.verify(
        domain=domain,
        kid=compact.split(SEPARATOR, 1)[0],
        message=f"{token}|{compact}",
        signature=signature,
    )


def jwks() -> dict:
    """The public keys as a JSON Web Key Set (RFC 8037: OKP, Ed25519)."""
    keys = []
    for kid, key in key_ring().public.items():
        raw = key.public_bytes(Encoding.Raw, PublicFormat.Raw)
        keys.append(
            {
                "kty": "OKP",
                "crv": "Ed25519",
                "x": b64url(raw),
                "kid": kid,
                "alg": "EdDSA",
                "use": "sig",
            }
        )
    return {"keys": keys}
