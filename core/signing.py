"""Ed25519 signatures with the project's key ring, for documents below the certificates app
(the 学时证明 of ``training``), which may not import ``certificates.signing``.

The keys are the certificates' keys (``settings.ANXUN_SIGNING_KEYS``, read the same way:
comma-separated ``<key id>=<base64url private key>`` or ``<key id>=pub:<base64url public key>``;
the first private key signs), published at ``/.well-known/jwks.json``. Every signed message
starts with a *domain* string naming the kind of document and its version (``anxun-cert-2``
is the certificates'), so a signature made for one kind never verifies as another.

A signature is 64 bytes, sent as 86 base64url characters.
"""

import base64
import functools
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

SIGNATURE_LENGTH = 86


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class KeyRing:
    signing_kid: str
    signing_key: Ed25519PrivateKey
    public: dict[str, Ed25519PublicKey]


def key_ring_parse(value: str) -> KeyRing:
    """The key ring of an ``ANXUN_SIGNING_KEYS`` value; ``ImproperlyConfigured`` if an entry is
    malformed or no private key is given."""
    signing: tuple[str, Ed25519PrivateKey] | None = None
    public: dict[str, Ed25519PublicKey] = {}
    for entry in filter(None, (part.strip() for part in value.split(","))):
        kid, sep, material = entry.partition("=")
        if not sep or not kid or "~" in kid or "|" in kid:
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
            "ANXUN_SIGNING_KEYS has no private key to sign with: run "
            "`manage.py certificate_keygen` and set the line it prints."
        )
    return KeyRing(signing_kid=signing[0], signing_key=signing[1], public=public)


@functools.lru_cache(maxsize=4)
def _ring(value: str) -> KeyRing:
    return key_ring_parse(value)


def key_ring() -> KeyRing:
    return _ring(settings.ANXUN_SIGNING_KEYS)


def signing_kid() -> str:
    """The id of the key that signs now (the message names it, so it is known before)."""
    return key_ring().signing_kid


def _message(domain: str, message: str) -> bytes:
    return f"{domain}|{message}".encode()


def sign(*, domain: str, message: str) -> str:
    """The signature of ``message`` in ``domain`` by the signing key (``signing_kid()``)."""
    return b64url(key_ring().signing_key.sign(_message(domain, message)))


def verify(*, domain: str, kid: str, message: str, signature: str) -> bool:
    """True if ``signature`` is the signature of ``message`` in ``domain`` by the known key
    ``kid``; False for an unknown key, a malformed signature or any other text."""
    key = key_ring().public.get(kid)
    if key is None or len(signature) != SIGNATURE_LENGTH:
        return False
    try:
        raw = b64url_decode(signature)
        if b64url(raw) != signature:  # one encoding only: no ignored bits in the last character
            return False
        key.verify(raw, _message(domain, message))
    except (InvalidSignature, ValueError):
        return False
    return True
