"""The signed link in the QR code of a 学时证明: what the paper states, signed, so that anyone
can check it on the public page (no login) and a changed figure reads "not genuine".

The link is ``/training/proof/?c=<compact>&s=<signature>`` where::

    compact = <key id>~<worker id>~<issued YYYYMMDD>~<records>
    records = <record id>-<hours>-<completed YYYYMMDD>, joined by "_" (empty for none)

and the signature is Ed25519 over ``anxun-training-1|<compact>`` with the project's key ring
(``core.signing``, the certificates' keys under another domain string).
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from accounts.models import WorkerProfile
from core import signing
from core.notifications import absolute_url

from .models import TrainingRecord

DOMAIN = "anxun-training-1"
SEPARATOR = "~"
_RECORD = re.compile(r"^(\d{1,12})-(\d{1,4}\.\d)-(\d{8})$")
_NUMBER = re.compile(r"^\d{1,12}$")


@dataclass(frozen=True)
class ProofLine:
    record_id: int
    hours: Decimal
    completed_on: date


@dataclass(frozen=True)
class Proof:
    kid: str
    worker_id: int
    issued_on: date
    lines: tuple[ProofLine, ...]

    @property
    def total_hours(self) -> Decimal:
        return sum((line.hours for line in self.lines), Decimal("0.0"))


def _day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def proof_of(*, worker: WorkerProfile, records: list[TrainingRecord], issued_on: date) -> Proof:
    return Proof(
        kid=signing.signing_kid(),
        worker_id=worker.pk,
        issued_on=issued_on,
        lines=tuple(
            ProofLine(record_id=r.pk, hours=r.hours, completed_on=_day(r.completed_at))
            for r in records
        ),
    )


def compact_of(proof: Proof) -> str:
    lines = "_".join(
        f"{line.record_id}-{line.hours}-{line.completed_on:%Y%m%d}" for line in proof.lines
    )
    return SEPARATOR.join([proof.kid, str(proof.worker_id), f"{proof.issued_on:%Y%m%d}", lines])


def proof_url(proof: Proof) -> str:
    """What the 学时证明's QR code encodes: the public page with the signed statement."""
    compact = compact_of(proof)
    query = urlencode({"c": compact, "s": signing.sign(domain=DOMAIN, message=compact)})
    return absolute_url(reverse("training:proof") + "?" + query)


def _date(text: str) -> date | None:
    try:
        return datetime.strptime(text, "%Y%m%d").date() if len(text) == 8 else None
    except ValueError:
        return None


def proof_read(*, compact: str, signature: str) -> Proof | None:
    """The statement of a genuine link; None for a signature that does not verify (a changed
    field, an unknown key) or anything malformed."""
    parts = compact.split(SEPARATOR)
    if len(parts) != 4:
        return None
    kid, worker_id, issued, records = parts
    if not signing.verify(domain=DOMAIN, kid=kid, message=compact, signature=signature):
        return None
    issued_on = _date(issued)
    if not _NUMBER.match(worker_id) or issued_on is None:
        return None
    lines = []
    for text in records.split("_") if records else []:
        match = _RECORD.match(text)
        completed_on = _date(match.group(3)) if match else None
        if match is None or completed_on is None:
            return None
        lines.append(ProofLine(int(match.group(1)), Decimal(match.group(2)), completed_on))
    return Proof(kid=kid, worker_id=int(worker_id), issued_on=issued_on, lines=tuple(lines))
