"""What a holder is told about their certificate: issued (with its verification link), revoked
(with the reason) and replaced (with the new certificate's link). An SMS, and an e-mail where
the holder gave an address (``core.notifications.user_notify``), each once per certificate and
in the site's language.

Called from ``certificates.events`` as the event is written, inside the service's transaction:
the messages are queued as rows there and leave only once it commits. The deduplication keys
make a retried or replayed call a no-op.
"""

from django.utils.translation import gettext_lazy as _

from core.notifications import user_notify

from .links import verification_url
from .models import Certificate

__all__ = ["certificate_issued_tell", "certificate_replaced_tell", "certificate_revoked_tell"]


def certificate_issued_tell(certificate: Certificate) -> None:
    """A new certificate on a passing result: its number, validity and the link its QR holds."""
    holder = certificate.holder

    def text():
        return _(
            "【安训】%(name)s, your %(subject)s certificate has been issued: No. %(number)s, "
            "valid until %(until)s. Collect it at the centre's desk; view and verify it: %(url)s"
        ) % {
            "name": certificate.holder_name,
            "subject": certificate.subject.name,
            "number": certificate.number,
            "until": certificate.valid_until.isoformat(),
            "url": verification_url(certificate),
        }

    user_notify(
        holder.user,
        key=f"certificate-issued:{certificate.pk}",
        text=text,
        subject=_("Your certificate has been issued"),
    )


def certificate_revoked_tell(certificate: Certificate, *, reason: str) -> None:
    holder = certificate.holder

    def text():
        return _(
            "【安训】%(name)s, your %(subject)s certificate No. %(number)s has been revoked "
            "by the bureau. Reason: %(reason)s"
        ) % {
            "name": certificate.holder_name,
            "subject": certificate.subject.name,
            "number": certificate.number,
            "reason": reason,
        }

    user_notify(
        holder.user,
        key=f"certificate-revoked:{certificate.pk}",
        text=text,
        subject=_("Your certificate has been revoked"),
    )


def certificate_replaced_tell(certificate: Certificate, *, by: Certificate, reason: str) -> None:
    """``certificate`` is replaced by the re-issued ``by``: one message names both and links to
    the new one (the new certificate's own "issued" message would say less)."""
    holder = by.holder

    def text():
        return _(
            "【安训】%(name)s, your %(subject)s certificate No. %(old)s has been replaced by "
            "No. %(new)s (%(reason)s); the old one is no longer valid. The new certificate: "
            "%(url)s"
        ) % {
            "name": certificate.holder_name,
            "subject": by.subject.name,
            "old": certificate.number,
            "new": by.number,
            "reason": reason,
            "url": verification_url(by),
        }

    user_notify(
        holder.user,
        key=f"certificate-replaced:{certificate.pk}",
        text=text,
        subject=_("Your certificate has been replaced"),
    )
