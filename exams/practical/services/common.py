"""What the practical services share: the waiting-list and reminder settings, the staff's
post check, reasons given by staff, the seat count and the notices sent to workers."""

from django.conf import settings
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from accounts.permissions import Action, may
from core.errors import DomainError, PermissionDenied
from core.notifications import user_notify

from ...models import Booking, CenterStaff, ExamCenter, PracticalSession
from ..selectors import center_posts


def offer_hours() -> int:
    """How long a waiting-list offer of a freed seat stays open."""
    return getattr(settings, "ANXUN_WAITLIST_OFFER_HOURS", 12)


def reminder_hours() -> int:
    return getattr(settings, "ANXUN_BOOKING_REMINDER_HOURS", 24)


def _reason(value, *, message) -> str:
    """A reason given by staff: kept in the audit trail and sent by SMS, so short plain text."""
    reason = value.strip() if isinstance(value, str) else ""
    if not 4 <= len(reason) <= 200 or any(ord(char) < 32 for char in reason):
        raise DomainError(message, code="reason", field="reason")
    return reason


def _not_own(actor, booking: Booking) -> None:
    """Nobody checks in, scores or corrects their own exam."""
    if booking.worker.user_id == getattr(actor, "pk", None):
        raise PermissionDenied(_("You cannot act on your own exam."))


def _staff_check(
    user, center: ExamCenter, *, action: Action | None = None, supervisor: bool = False
) -> CenterStaff:
    """The user's post at the centre, holding the role for ``action``; else PermissionDenied."""
    post = center_posts(user).get(center.pk) if user is not None else None
    if post is None:
        raise PermissionDenied(_("You do not work at %(center)s.") % {"center": center})
    if action is not None and not may(user, action):
        raise PermissionDenied(_("Your role does not allow this."))
    if supervisor and not post.supervisor:
        raise PermissionDenied(_("Only the centre's supervisor may do this."))
    return post


def _seats_change(session: PracticalSession, delta: int) -> None:
    session.seats_taken += delta
    PracticalSession.objects.filter(pk=session.pk).update(seats_taken=F("seats_taken") + delta)


def _notify(booking: Booking, *, kind: str, text, subject_line=None) -> None:
    """SMS to the worker's phone, and the same by e-mail when they gave one (each once)."""
    user_notify(
        booking.worker.user,
        key=f"booking-{kind}:{booking.pk}:{booking.session_id}",
        email_key=f"booking-{kind}-email:{booking.pk}:{booking.session_id}",
        text=text,
        subject=subject_line or _("Your practical exam"),
    )
