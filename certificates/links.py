"""The addresses a certificate is reached by: the verification link its QR code encodes (with the
signed fields, so a scanner can check it offline), the credential's id, and the signed,
short-lived link to a holder's photo that the staff scanner shows.

The paths behind them are a contract (DESIGN.md §4, "Stable public addresses"): printed
certificates carry them for years.
"""

from django.core import signing as django_signing
from django.urls import reverse
from django.utils.http import urlencode

from accounts.validators import mask_name
from core.notifications import absolute_url

from . import signing
from .models import Certificate

__all__ = [
    "PHOTO_MAX_AGE",
    "compact_of",
    "credential_id",
    "holder_photo_key_read",
    "holder_photo_path",
    "verification_path",
    "verification_url",
]

PHOTO_SALT = "certificates.staff.photo"
PHOTO_MAX_AGE = 3600


def compact_of(certificate: Certificate) -> str:
    """The signed fields the QR code's link carries (``signing.compact_fields``)."""
    return signing.compact_fields(
        kid=certificate.key_id,
        number=certificate.number,
        subject_code=certificate.subject.code,
        issued=certificate.issued_on,
        valid_until=certificate.valid_until,
        review_due=certificate.review_due,
        holder_mask=mask_name(certificate.holder_name),
        holder_id_hash=signing.id_hash(certificate.token, certificate.holder_id_number),
    )


def verification_path(certificate: Certificate) -> str:
    """``/v/<token>?c=<signed fields>&s=<signature>``: the public page, checkable offline."""
    query = urlencode({"c": compact_of(certificate), "s": certificate.signature})
    return reverse("certificates:verify", args=[certificate.token]) + "?" + query


def verification_url(certificate: Certificate) -> str:
    """What the certificate's QR code encodes: the public page with the signed fields."""
    return absolute_url(verification_path(certificate))


def credential_id(certificate: Certificate) -> str:
    """The verifiable credential's id: the public page of the certificate, without the signed
    fields (the credential carries its own signature)."""
    return absolute_url() + reverse("certificates:verify", args=[certificate.token])


def holder_photo_path(certificate: Certificate, user) -> str | None:
    """A link to the holder's photo as at issue (the certificate's copy) that only ``user`` may open, within ``PHOTO_MAX_AGE``
    seconds; None when the holder has no photo."""
    if not certificate.holder_photo:
        return None
    key = django_signing.dumps([certificate.pk, user.pk], salt=PHOTO_SALT, compress=False)
    return reverse("certificate_staff:photo", args=[key])


def holder_photo_key_read(key: str, *, user) -> int | None:
    """The certificate id of a photo link made for ``user`` and not yet expired, else None."""
    try:
        certificate_id, user_id = django_signing.loads(key, salt=PHOTO_SALT, max_age=PHOTO_MAX_AGE)
    except (django_signing.BadSignature, ValueError, TypeError):
        return None
    if user_id != user.pk:
        return None
    return certificate_id
