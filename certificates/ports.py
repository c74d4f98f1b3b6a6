"""What certificates need from the exam side, and the registry through which they get it.

Dependencies run one way: exams → certificates. A passing practical result calls the issuer
(``certificates.services.certificate_issue``); certificates never import an exams module. What
they read of the exam side comes in two ways:

- rows they point at (the passing result, its subject, the centre) arrive as objects or are
  reached through their own foreign keys (``exam_centers()``, ``exam_subjects()`` below). The
  Protocols here say which attributes certificates rely on: they are the type hints of exam
  objects inside this app.
- what only the exam side knows — where a user works (their posts at exam centres, which gate
  the certificate desk and say where a staff scan happened) — is a function the exams app
  registers at start-up (``exams.apps.ExamsConfig.ready`` calls ``exam_side_register``).

``exam_side_check`` is a system check (registered by ``certificates.apps``): start-up fails when
nothing was registered, rather than the first desk request.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from django.core import checks
from django.db.models import QuerySet

from accounts.models import WorkerProfile

__all__ = [
    "CenterRecord",
    "PassingResult",
    "StaffPost",
    "StaffPostsOf",
    "SubjectRecord",
    "exam_centers",
    "exam_side_check",
    "exam_side_register",
    "exam_side_registered",
    "exam_subjects",
    "staff_posts",
]


class CenterRecord(Protocol):
    """An exam centre (``exams.ExamCenter``) as certificates read it."""

    pk: int
    code: str
    name: str


class SubjectRecord(Protocol):
    """An exam subject (``exams.Subject``) with the validity rules of its certificates."""

    pk: int
    code: str
    name: str
    certificate_valid_years: int
    review_interval_years: int


class SessionRecord(Protocol):
    center_id: int


class BookingRecord(Protocol):
    session: SessionRecord


class PassingResult(Protocol):
    """The result a certificate is issued on (``exams.ExamResult``): whether it passed, when it
    was decided, whose it is, its subject and the booking (session, centre) it was earned at."""

    pk: int
    passed: bool
    decided_at: datetime
    worker: WorkerProfile
    subject: SubjectRecord
    booking: BookingRecord


class StaffPost(Protocol):
    """A user's post at an exam centre (``exams.CenterStaff``)."""

    center_id: int
    supervisor: bool


class StaffPostsOf(Protocol):
    """The posts a user holds, by centre id (empty for anonymous users and non-staff)."""

    def __call__(self, user, /) -> Mapping[int, StaffPost]: ...


@dataclass(frozen=True)
class _ExamSide:
    staff_posts: StaffPostsOf


_registered: _ExamSide | None = None


def exam_side_register(*, staff_posts: StaffPostsOf) -> None:
    """Called once by the exams app when it is ready (a second call replaces the first)."""
    global _registered
    _registered = _ExamSide(staff_posts=staff_posts)


def exam_side_registered() -> bool:
    return _registered is not None


def staff_posts(user) -> Mapping[int, StaffPost]:
    """The exam-centre posts of ``user``, by centre id, as the exam side answers."""
    if _registered is None:
        raise RuntimeError("No exam side is registered with certificates.ports.")
    return _registered.staff_posts(user)


def exam_centers() -> QuerySet:
    """All exam centres, reached through ``Certificate.center`` (no import of exams)."""
    from .models import Certificate

    return Certificate._meta.get_field("center").related_model._default_manager.all()


def exam_subjects() -> QuerySet:
    """All exam subjects, reached through ``Certificate.subject``."""
    from .models import Certificate

    return Certificate._meta.get_field("subject").related_model._default_manager.all()


def exam_side_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Fail start-up when no app registered the exam side (the desk could not know who works
    where, and staff scans would not know their centre)."""
    if exam_side_registered():
        return []
    return [
        checks.Error(
            "Nothing is registered as the exam side of certificates.",
            hint="The exams app calls certificates.ports.exam_side_register() in its "
            "AppConfig.ready(); is 'exams' in INSTALLED_APPS?",
            id="certificates.E001",
        )
    ]


# --- The certificates side of accounts' port (registered in ``CertificatesConfig.ready``) ----


def profile_certificates(profile_id: int) -> list[str]:
    """The holder's certificates not revoked or replaced: they print the worker's name and
    photo, so accounts fixes a profile they use (``accounts.ports``)."""
    from django.utils.translation import gettext

    from .models import Certificate

    certificates = Certificate.objects.filter(
        holder_id=profile_id, state=Certificate.State.ACTIVE
    ).select_related("subject")
    return [
        gettext("Certificate %(number)s: %(subject)s (%(status)s)")
        % {"number": c.number, "subject": c.subject, "status": c.status_label}
        for c in certificates.order_by("issued_on", "pk")
    ]
