"""The refusal rules of booking, written once: the booking page shows them and the booking
services enforce them (DESIGN.md §2, per subject: a theory pass valid on the session's date;
one live booking per subject; after a practical fail, a no-show counting as one, one free
retake within ``free_retake_days``; after ``fails_before_retraining`` the training again)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import WorkerProfile
from core.errors import DomainError
from core.exports import local_time_text

from ...models import Booking, ExamResult, PracticalSession, TheoryAttempt
from ...selectors import last_training_at
from ..selectors import practical_fails, theory_pass_for


def has_photo(worker: WorkerProfile) -> bool:
    """A stored photo: every upload passed ``accounts.photos.photo_prepare`` (format, size,
    pixels), which is the only photo check the product has (there is no separate review)."""
    return bool(worker.photo)


def photo_required_check(worker: WorkerProfile, *, by_staff: bool = False) -> None:
    """Raise DomainError(code="photo_required") when the worker has no photo: the examiners
    compare it with the candidate at check-in and the certificate prints it; and
    (code="id_number_required") when an approved claim took the ID number the worker had
    registered, until they file their own through a correction request."""
    if not worker.id_number:
        raise DomainError(
            _(
                "There is no ID number on this profile: it belonged to someone else. Request a "
                "correction with your own ID number before booking a practical exam."
            ),
            code="id_number_required",
        )
    if has_photo(worker):
        return
    if by_staff:
        raise DomainError(
            _(
                "%(name)s has no photo on their profile. A practical exam can only be booked "
                "with one: ask them to upload it under My profile first."
            )
            % {"name": worker.real_name},
            code="photo_required",
        )
    raise DomainError(
        _(
            "Upload your photo before booking a practical exam: the examiners compare it with "
            "you at check-in and it is printed on your certificate. Upload it under My profile "
            "(%(url)s)."
        )
        % {"url": reverse("accounts:profile")},
        code="photo_required",
    )


def booking_eligibility_check(
    *, worker: WorkerProfile, session: PracticalSession, now=None, by_staff: bool = False
) -> TheoryAttempt:
    """Return the theory pass a booking rests on, or raise DomainError saying why not."""
    now = now or timezone.now()
    subject = session.subject
    theory = theory_pass_for(worker=worker, subject=subject, on=session.starts_at)
    if theory is None:
        raise DomainError(
            _(
                "Book the practical exam after passing the theory exam; the pass must still be "
                "valid on the day of the session."
            ),
            code="theory_required",
        )
    if ExamResult.objects.filter(
        worker=worker, subject=subject, passed=True, decided_at__gt=theory.submitted_at
    ).exists():
        raise DomainError(
            _("You have already passed the practical exam of %(subject)s.") % {"subject": subject},
            code="already_passed",
        )
    fresh_start = max(
        filter(None, [theory.submitted_at, last_training_at(worker=worker, subject=subject)])
    )
    fails = practical_fails(worker=worker, subject=subject, since=fresh_start)
    if len(fails) >= subject.fails_before_retraining:
        raise DomainError(
            _(
                "You have not passed the practical exam %(n)d times (a missed session counts). "
                "Complete the required training again, then book."
            )
            % {"n": len(fails)},
            code="retraining_required",
        )
    if fails and session.starts_at > fails[0] + timedelta(days=subject.free_retake_days):
        raise DomainError(
            _(
                "The free retake must be taken by %(date)s; this session is later. Choose an "
                "earlier session, or complete the required training again."
            )
            % {"date": timezone.localdate(fails[0] + timedelta(days=subject.free_retake_days))},
            code="retake_expired",
        )
    photo_required_check(worker, by_staff=by_staff)
    return theory


def session_bookable_check(session: PracticalSession, *, now, urgent: bool) -> None:
    """Raise DomainError if the session cannot take bookings now (window, start, cancelled)."""
    if session.cancelled:
        raise DomainError(_("This session has been cancelled."), code="cancelled")
    if urgent:  # the desk seats an urgent case or a walk-in candidate until the session ends
        if session.ends_at <= now:
            raise DomainError(_("This session has ended."), code="past")
        return
    if session.starts_at <= now:
        raise DomainError(_("This session has already started."), code="past")
    if now < session.booking_opens_at:
        raise DomainError(
            _("Booking for this session opens at %(time)s.")
            % {"time": local_time_text(session.booking_opens_at)},
            code="not_open",
        )
    if now >= session.booking_closes_at:
        raise DomainError(_("Booking for this session has closed."), code="closed")


def _already_booked(existing: Booking | None) -> DomainError:
    if existing is None:  # the other booking was cancelled in the meantime: try again
        return DomainError(
            _("This booking has just been changed. Reload the page and try again."),
            code="conflict",
        )
    return DomainError(
        _(
            "You already have a booking for this subject (%(time)s, %(center)s). Cancel or "
            "reschedule it instead."
        )
        % {"time": local_time_text(existing.session.starts_at), "center": existing.session.center},
        code="already_booked",
    )
