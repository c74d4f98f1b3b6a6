"""Storing a certificate's drawn files: their stable names, the digest of what the drawing
depends on, atomic writes to the private storage, and the idempotent ``certificate_render``
the Celery task calls to keep the files in step with the record.

Files live in the private storage (``accounts.models.private_storage``, as the model's fields
declare: they hold a photo and an ID number), under a stable name per certificate; drawing
again overwrites them. The drawing itself is ``certificates.rendering``; its
``RENDER_VERSION`` is read at call time, so bumping it redraws the stock.
"""

import contextlib
import hashlib
import json
import logging
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import transaction
from django.utils import timezone, translation

from accounts.models import private_storage

from . import events, locks, rendering
from .models import Certificate, CertificateEvent

__all__ = ["certificate_render", "file_names"]

logger = logging.getLogger(__name__)


def file_names(certificate: Certificate) -> tuple[str, str]:
    """The stable names (in the private storage) of a certificate's PNG and PDF."""
    return (
        f"certificates/png/{certificate.number}.png",
        f"certificates/pdf/{certificate.number}.pdf",
    )


def _digest(certificate: Certificate) -> str:
    """What the drawing depends on besides the template: a new signature (a recorded review
    re-signs the dates) gives a new digest; the holder's fields are the certificate's own copy
    (a re-issue after a correction is a new certificate)."""
    facts = {
        "version": rendering.RENDER_VERSION,
        "language": settings.LANGUAGE_CODE,
        "url": settings.WAGTAILADMIN_BASE_URL,
        "certificate": [
            certificate.number,
            certificate.token,
            certificate.key_id,
            certificate.signature,
            str(certificate.issued_on),
            str(certificate.review_due),
            str(certificate.valid_until),
            certificate.issuer,
            certificate.subject.name,
            certificate.center.name,
        ],
        "holder": [
            certificate.holder_name,
            certificate.holder_sex,
            certificate.holder_id_number,
            certificate.holder_photo.name or "",
        ],
    }
    return hashlib.sha256(json.dumps(facts, sort_keys=True).encode()).hexdigest()[:32]


def _store(storage: Storage, name: str, data: bytes) -> None:
    """Write ``data`` under ``name``, replacing what is there. On a file system the new file is
    written beside the old one and renamed over it, so a reader never sees half a file."""
    try:
        target = Path(storage.path(name))
    except NotImplementedError:  # a remote storage: overwrite the object
        storage.delete(name)
        if storage.save(name, ContentFile(data)) != name:
            raise OSError(f"The storage saved {name} under another name.") from None
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".part"
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        mode = getattr(storage, "file_permissions_mode", None)
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def _drawn(certificate: Certificate, storage: Storage, digest: str) -> bool:
    # A file field is true when it names a file.
    png, pdf = certificate.png.name, certificate.pdf.name
    if certificate.rendered_version != rendering.RENDER_VERSION or not (png and pdf):
        return False
    if not (storage.exists(png) and storage.exists(pdf)):
        return False
    last = (
        CertificateEvent.objects.filter(
            certificate=certificate, kind=CertificateEvent.Kind.RENDERED
        )
        .order_by("-at", "-pk")
        .values_list("data", flat=True)
        .first()
    )
    return isinstance(last, dict) and last.get("digest") == digest


@transaction.atomic
def certificate_render(*, certificate_id: int) -> str:
    """Draw a certificate's PNG and PDF into the private storage unless they are drawn already.

    Idempotent: the row is locked, and when the files exist at ``rendering.RENDER_VERSION``
    for the same content (see ``_digest``) nothing happens and "unchanged" is returned. Otherwise both are
    drawn in the site's language, written over the certificate's previous files (one PNG and
    one PDF per certificate, however often this runs), the row records the version and time,
    a RENDERED event is written, and "rendered" is returned. A revoked or replaced certificate
    is drawn like any other: the verification page, not the paper, says what it is.

    Raise ``FontUnavailable`` (nothing is written) when the font cannot draw every character,
    e.g. a rare character in the holder's name. A certificate without a readable photo of its
    holder is not drawn at all (never with an empty photo box): "no_photo" is returned and
    logged, nothing written.
    """
    certificate = locks.certificate_lock(certificate_id, related=("subject", "center"))
    if certificate is None:
        raise Certificate.DoesNotExist(f"No certificate {certificate_id}.")
    storage = private_storage()
    digest = _digest(certificate)
    if _drawn(certificate, storage, digest):
        return "unchanged"
    with translation.override(settings.LANGUAGE_CODE):
        try:
            png = rendering.certificate_png(certificate)
            pdf = rendering.certificate_pdf(certificate)
        except rendering.PhotoUnavailable:
            logger.error("Certificate %s is not drawn: no readable photo.", certificate.number)
            return "no_photo"
    png_name, pdf_name = file_names(certificate)
    _store(storage, png_name, png)
    _store(storage, pdf_name, pdf)
    certificate.png.name, certificate.pdf.name = png_name, pdf_name
    certificate.rendered_version = rendering.RENDER_VERSION
    certificate.rendered_at = timezone.now()
    certificate.save(update_fields=["png", "pdf", "rendered_version", "rendered_at"])
    events.certificate_rendered(
        certificate,
        version=rendering.RENDER_VERSION,
        digest=digest,
        png=png_name,
        pdf=pdf_name,
        png_bytes=len(png),
        pdf_bytes=len(pdf),
    )
    return "rendered"
