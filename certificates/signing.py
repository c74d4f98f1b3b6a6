"""Ed25519 signing of certificates, verifiable offline with the published public keys.

Keys come from ``settings.ANXUN_SIGNING_KEYS``: comma-separated ``<key id>=<key>`` entries, where
``<key>`` is a base64url Ed25519 private key (32 bytes), or ``pub:<base64url public key>`` for a
retired key kept only to verify old certificates. The first private key signs new certificates.
``manage.py certificate_keygen`` makes a new entry. Rotation: put the new private key first and
keep the old one (its private part may be replaced by ``pub:`` + its public key).

What is signed (and carried in the QR code's URL, so a scanner can check it offline):

    anxun-cert-1|<token>|<compact>
    compact = <key id>~<number>~<subject code>~<issued YYYYMMDD>~<valid until>~<review due>

The signature is 64 bytes, sent as 86 base64url characters.
"""

import base64
import functools
from dataclasses import dataclass
from datetime import date

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DOMAIN = "anxun-cert-1"
SEPARATOR = "~"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class KeyRing:
    signing_kid: str
    signing_key: Ed25519PrivateKey
    public: dict[str, Ed25519PublicKey]


def _parse(value: str) -> KeyRing:
    signing: tuple[str, Ed25519PrivateKey] | None = None
    public: dict[str, Ed25519PublicKey] = {}
    for entry in filter(None, (part.strip() for part in value.split(","))):
        kid, sep, material = entry.partition("=")
        if not sep or not kid or SEPARATOR in kid or "|" in kid:
            raise ImproperlyConfigured(f"ANXUN_SIGNING_KEYS: malformed entry for key {kid!r}")
        try:
            if material.startswith("pub:"):
                key = Ed25519PublicKey.from_public_bytes(b64url_decode(material[4:]))
            else:
                private = Ed25519PrivateKey.from_private_bytes(b64url_decode(material))
                key = private.public_key()
                signing = signing or (kid, private)
        except ValueError as error:
            raise ImproperlyConfigured(f"ANXUN_SIGNING_KEYS: key {kid!r} is not valid") from error
        public[kid] = key
    if signing is None:
        raise ImproperlyConfigured(
            "ANXUN_SIGNING_KEYS has no private key to sign certificates with: run "
            "`manage.py certificate_keygen` and set the line it prints."
        )
    return KeyRing(signing_kid=signing[0], signing_key=signing[1], public=public)


def signing_keys_check(value: str, *, development_keys: list[str]) -> None:
    """Raise ImproperlyConfigured unless ``value`` holds a usable signing key that is not one
    of the public development keys (production settings call this at start-up)."""
    ring = _parse(value)
    for development in development_keys:
        if ring.signing_kid in _parse(development).public:
            raise ImproperlyConfigured(
                "ANXUN_SIGNING_KEYS signs with the public development key: run "
                "`manage.py certificate_keygen` and set your own."
            )


@functools.lru_cache(maxsize=4)
def _ring(value: str) -> KeyRing:
    return _parse(value)


def key_ring() -> KeyRing:
    return _ring(settings.ANXUN_SIGNING_KEYS)


def new_key_entry(kid: str) -> str:
    private = Ed25519PrivateKey.generate()
    raw = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return f"{kid}={b64url(raw)}"


def compact_fields(
    *, kid: str, number: str, subject_code: str, issued: date, valid_until: date, review_due: date
) -> str:
    return SEPARATOR.join(
        [
            kid,
            number,
            subject_code,
            issued.strftime("%Y%m%d"),
            valid_until.strftime("%Y%m%d"),
            review_due.strftime("%Y%m%d"),
        ]
    )


def _message(token: str, compact: str) -> bytes:
    return f"{DOMAIN}|{token}|{compact}".encode()


def sign(token: str, compact: str) -> str:
    ring = key_ring()
    if not compact.startswith(ring.signing_kid + SEPARATOR):
        raise ValueError("the compact fields must name the signing key")
    return b64url(ring.signing_key.sign(_message(token, compact)))


def verify(token: str, compact: str, signature: str) -> bool:
    """True if ``signature`` is a signature by a known key (the one named in ``compact``)."""
    kid = compact.split(SEPARATOR, 1)[0]
    key = key_ring().public.get(kid)
    if key is None or len(signature) != 86:
        return False
    try:
        raw = b64url_decode(signature)
        if b64url(raw) != signature:  # one encoding only: no ignored bits in the last character
            return False
        key.verify(raw, _message(token, compact))
    except (InvalidSignature, ValueError):
        return False
    return True


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
