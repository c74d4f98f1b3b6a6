"""Check-in at the centre: finding the booking a scanned ticket (or a typed ID number) stands
for, the reasons it cannot be checked in, and the check-in itself."""

from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.permissions import Action
from accounts.validators import mask_id_number
from core.errors import DomainError
from core.exports import local_time_text

from ... import events
from ...locks import booking_lock
from ...models import Booking, ExamCenter
from ..selectors import TICKET_SALT, day_bounds
from .common import _not_own, _staff_check


def _token_from(scanned: str) -> str:
    scanned = scanned.strip()
    if "t=" in scanned:
        scanned = scanned.rsplit("t=", 1)[1].split("&", 1)[0]
    return scanned


def checkin_lookup(*, user, center: ExamCenter, scanned: str, now=None) -> Booking:
    """Find the booking a scanned ticket (or a typed ID number) stands for at this centre today,
    or raise DomainError with the reason it cannot be checked in."""
    now = now or timezone.now()
    _staff_check(user, center, action=Action.CHECK_IN_CANDIDATES)
    today = timezone.localdate(now)
    value = _token_from(scanned)
    bookings = Booking.objects.select_related("worker__user", "session__center", "session__subject")
    if ":" in value:
        try:
            booking_id = int(signing.Signer(salt=TICKET_SALT).unsign(value))
        except (signing.BadSignature, ValueError):
            raise DomainError(_("This is not a genuine admission ticket."), code="forged") from None
        booking = bookings.filter(pk=booking_id).first()
        if booking is None:
            raise DomainError(_("This is not a genuine admission ticket."), code="forged")
    else:
        # A typed ID number finds only this centre's bookings: the desk learns nothing about
        # where else, or whether, someone is booked (a genuine ticket may say so).
        id_number = value.upper()
        start, end = day_bounds(today)
        booking = (
            bookings.filter(
                worker__id_number=id_number,
                session__center=center,
                session__starts_at__gte=start,
                session__starts_at__lt=end,
            )
            .exclude(status__in=Booking.WITHDRAWN)
            .order_by("session__starts_at")
            .first()
        )
        if booking is None:
            raise DomainError(
                _("%(id)s has no booking at this centre today.")
                % {"id": mask_id_number(id_number)},
                code="no_booking",
            )
    _checkin_refusal(booking, center=center, today=today)
    return booking


def _checkin_refusal(booking: Booking, *, center: ExamCenter, today) -> None:
    session = booking.session
    if session.center_id != center.pk:
        raise DomainError(
            _("This ticket is for another centre: %(center)s, %(time)s.")
            % {"center": session.center, "time": local_time_text(session.starts_at)},
            code="other_center",
        )
    if session.cancelled:
        raise DomainError(_("This session has been cancelled."), code="cancelled")
    day = timezone.localdate(session.starts_at)
    if day != today:
        raise DomainError(
            _("This ticket is for %(date)s, not today.") % {"date": day.isoformat()},
            code="not_today",
        )
    if booking.status not in Booking.TICKETED:
        raise DomainError(
            _("This booking is not confirmed: it is %(status)s.")
            % {"status": booking.get_status_display()},
            code="not_confirmed",
        )


@transaction.atomic
def checkin_confirm(*, user, booking_id: int, center: ExamCenter, now=None) -> Booking:
    """Check a candidate in after staff compared photo and identity. Twice is harmless."""
    now = now or timezone.now()
    _staff_check(user, center, action=Action.CHECK_IN_CANDIDATES)
    booking = booking_lock(booking_id, related=("session__center", "session__subject"))
    if booking is None:
        raise DomainError(_("No such booking."), code="not_found")
    _checkin_refusal(booking, center=center, today=timezone.localdate(now))
    _not_own(user, booking)
    if booking.status != Booking.Status.CONFIRMED:
        return booking  # checked in already (or scored): nothing to change
    booking.status, booking.checked_in_at, booking.checked_in_by = (
        Booking.Status.CHECKED_IN,
        now,
        user,
    )
    booking.save(update_fields=["status", "checked_in_at", "checked_in_by", "updated_at"])
    events.booking_checked_in(actor=user, booking=booking, center=center)
    return booking
