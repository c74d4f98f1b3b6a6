"""The history of certificates: one function per event kind, called by a service inside its
transaction (the Saleor style).

Each writes the certificate's own append-only ``CertificateEvent`` row (what the register page
and the desk show, and what rendering reads back) *and* the project's one audit trail
(``core.models.AuditEvent``, verb ``certificate.<kind>``, target the certificate), so a
reviewer reading the audit trail sees certificates next to bookings, results and roles.

Nothing here decides anything or checks permissions: the service has done that. Issuing,
revoking and replacing also tell the holder (``certificates.notifications``), queued in the
same transaction and sent once it commits.
"""

from datetime import date

from django.db import transaction

from core.events import audit_record

from . import notifications
from .models import Certificate, CertificateEvent

Kind = CertificateEvent.Kind

__all__ = [
    "certificate_event_record",
    "certificate_issued",
    "certificate_printed",
    "certificate_rendered",
    "certificate_replaced",
    "certificate_review_recorded",
    "certificate_revoked",
    "certificate_verified",
]


def _signed_in(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def certificate_event_record(
    certificate: Certificate,
    *,
    kind: str,
    actor=None,
    data: dict | None = None,
    before: dict | None = None,
) -> CertificateEvent:
    """Write one event of ``kind`` to both trails. ``data`` is the certificate event's data
    (and the audit row's ``after``); ``before``, when given, is the audit row's ``before``.
    The typed functions below are what services call; this is their common body. Both rows are
    written in one transaction (the caller's, or their own where the caller has none, as
    verifying does), so neither trail holds an event the other lacks."""
    data = data or {}
    actor = _signed_in(actor)
    with transaction.atomic():
        event = CertificateEvent.objects.create(
            certificate=certificate, kind=kind, actor=actor, data=data
        )
        audit_record(
            actor=actor,
            verb=f"certificate.{kind}",
            target=certificate,
            before=before,
            after=data,
        )
    return event


def certificate_issued(
    certificate: Certificate, *, actor=None, replaces: Certificate | None = None
) -> CertificateEvent:
    """Issued on a passing result (no actor: the result's transaction issues it), or re-issued
    by ``actor`` in place of ``replaces``."""
    data = {"number": certificate.number}
    if replaces is not None:
        data["replaces"] = replaces.number
    event = certificate_event_record(certificate, kind=Kind.ISSUED, actor=actor, data=data)
    if replaces is None:  # a re-issue is told by ``certificate_replaced``, with both numbers
        notifications.certificate_issued_tell(certificate)
    return event


def certificate_rendered(
    certificate: Certificate,
    *,
    version: int,
    digest: str,
    png: str,
    pdf: str,
    png_bytes: int,
    pdf_bytes: int,
) -> CertificateEvent:
    """Drawn (PNG and PDF) at template ``version`` for the content ``digest``."""
    return certificate_event_record(
        certificate,
        kind=Kind.RENDERED,
        data={
            "version": version,
            "digest": digest,
            "png": png,
            "pdf": pdf,
            "png_bytes": png_bytes,
            "pdf_bytes": pdf_bytes,
        },
    )


def certificate_printed(certificate: Certificate, *, actor, center_id: int) -> CertificateEvent:
    """Printed at the desk of the centre ``center_id`` by ``actor``."""
    return certificate_event_record(
        certificate, kind=Kind.PRINTED, actor=actor, data={"center": center_id}
    )


def certificate_verified(certificate: Certificate, *, actor, outcome: str) -> CertificateEvent:
    """Checked by a staff scanner (``actor``), with the answer given."""
    return certificate_event_record(
        certificate, kind=Kind.VERIFIED, actor=actor, data={"outcome": outcome}
    )


def certificate_review_recorded(
    certificate: Certificate, *, actor, passed_on: date, before: dict, after: dict
) -> CertificateEvent:
    """A passed review: the review and validity dates ``before`` and ``after`` it."""
    return certificate_event_record(
        certificate,
        kind=Kind.REVIEW_RECORDED,
        actor=actor,
        data={"passed_on": str(passed_on), "before": before, "after": after},
        before=before,
    )


def certificate_revoked(certificate: Certificate, *, actor, reason: str) -> CertificateEvent:
    event = certificate_event_record(
        certificate, kind=Kind.REVOKED, actor=actor, data={"reason": reason}
    )
    notifications.certificate_revoked_tell(certificate, reason=reason)
    return event


def certificate_replaced(
    certificate: Certificate, *, actor, reason: str, by: Certificate
) -> CertificateEvent:
    """``certificate`` is replaced by the re-issued ``by``."""
    event = certificate_event_record(
        certificate, kind=Kind.REPLACED, actor=actor, data={"reason": reason, "by": by.number}
    )
    notifications.certificate_replaced_tell(certificate, by=by, reason=reason)
    return event
