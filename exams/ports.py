"""The ports of exams: what exams calls in other apps without importing them.

The certificate issuer
----------------------
A passing practical result earns a certificate, but exams does not import certificates (the
journey reads one way: exams → certificates). Instead ``settings.ANXUN_CERTIFICATE_ISSUER``
names, as a dotted path, the function a pass calls (``certificates.services.certificate_issue``
in every settings module). It is called:

- with one keyword argument, ``result``: the ``ExamResult`` just decided or corrected into a
  pass (saved, ``passed`` true);
- inside the transaction that decided the result, so whatever it writes commits or rolls back
  with the result; an exception it raises rolls the score and the result back;
- possibly more than once for the same result (a retried request): it must return what the
  first call issued instead of issuing twice.

What it returns (the certificate) is not read by exams. An empty setting issues nothing (the
tests use that, and doubles named by their dotted path, with ``override_settings``); at start-up
the system check below refuses an empty, unimportable, uncallable or wrongly shaped issuer, so
a deployment cannot silently stop issuing certificates.
"""

import inspect
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.core import checks
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from .models import ExamResult

ISSUER_SETTING = "ANXUN_CERTIFICATE_ISSUER"


class CertificateIssuer(Protocol):
    """Issues the certificate of a passing result, once (see the module docstring)."""

    def __call__(self, *, result: "ExamResult") -> object: ...


def certificate_issuer() -> CertificateIssuer | None:
    """The issuer ``settings.ANXUN_CERTIFICATE_ISSUER`` names, or None when it is empty (then
    a pass issues nothing). Read at each call, so ``override_settings`` swaps it."""
    path = getattr(settings, ISSUER_SETTING, "")
    return import_string(path) if path else None


def _issuer_problem(path) -> str | None:
    """Why the dotted path cannot be the issuer, or None when it can."""
    if not isinstance(path, str) or not path.strip():
        return "is empty: a passing exam would issue no certificate"
    try:
        issuer = import_string(path)
    except ImportError as error:
        return f"names {path!r}, which cannot be imported ({error})"
    if not callable(issuer):
        return f"names {path!r}, which is not callable"
    try:
        signature = inspect.signature(issuer)
    except (TypeError, ValueError):
        return None  # a callable without a readable signature (a C function): trust it
    try:
        signature.bind(result=None)
    except TypeError:
        return f"names {path!r}, which cannot be called as issue(result=...) {signature}"
    return None


def certificate_issuer_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """System check (registered in ``ExamsConfig.ready``): the issuer setting names a
    function that can be called as ``issue(result=...)``."""
    problem = _issuer_problem(getattr(settings, ISSUER_SETTING, ""))
    if problem is None:
        return []
    return [
        checks.Error(
            f"settings.{ISSUER_SETTING} {problem}.",
            hint=(
                "Name the function a passing result calls, as a dotted path, for example "
                '"certificates.services.certificate_issue"; it is called as issue(result=...).'
            ),
            obj=ISSUER_SETTING,
            id="exams.E001",
        )
    ]


# --- The exam side of accounts' port (registered in ``ExamsConfig.ready``) -------------------


def profile_bookings(profile_id: int) -> list[str]:
    """The bookings whose admission ticket shows the worker's name and photo (accounts fixes a
    profile they use: ``accounts.ports``)."""
    from django.utils.translation import gettext

    from .models import Booking

    bookings = (
        Booking.objects.filter(worker_id=profile_id, status__in=Booking.TICKETED)
        .select_related("session__subject", "session__center")
        .order_by("session__starts_at", "pk")
    )
    return [
        gettext("Booking: %(subject)s at %(center)s")
        % {"subject": b.session.subject, "center": b.session.center}
        for b in bookings
    ]
