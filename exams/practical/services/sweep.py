"""The beat sweep (safe to run twice): lapsed offers, no-shows of ended sessions, reminders."""

from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.exports import local_time_text
from core.notifications import absolute_url

from ... import events
from ...locks import booking_in_session_lock, booking_lock, session_bookings_lock, sessions_lock
from ...models import Booking, PracticalSession
from .booking import waitlist_offer_free_seats
from .common import _notify, _seats_change, reminder_hours


@transaction.atomic
def _lapse_offer(booking_id: int, *, now) -> bool:
    session_id = Booking.objects.filter(pk=booking_id).values_list("session_id", flat=True).get()
    session = sessions_lock(session_id)[session_id]
    booking = booking_in_session_lock(booking_id, session)
    if booking.status != Booking.Status.OFFERED or booking.offer_expires_at > now:
        return False
    booking.status, booking.ended_at = Booking.Status.LAPSED, now
    booking.save(update_fields=["status", "ended_at", "updated_at"])
    events.booking_offer_lapsed(booking=booking)
    _seats_change(session, -1)
    waitlist_offer_free_seats(session, now=now)
    return True


@transaction.atomic
def _close_session(session_id: int, *, now) -> int:
    """After a session ends: the unseen confirmed bookings become no-shows, the waiting list
    lapses. Returns the number of no-shows. A cancelled session has none: its bookings are
    cancelled, since nobody missed a session that did not take place."""
    session = sessions_lock(session_id)[session_id]
    if session.closed_at is not None or session.ends_at > now:
        return 0
    no_shows = 0
    waiting_or_confirmed = [
        Booking.Status.CONFIRMED,
        Booking.Status.WAITLISTED,
        Booking.Status.OFFERED,
    ]
    for booking in session_bookings_lock(session, statuses=waiting_or_confirmed):
        before = booking.status
        if before == Booking.Status.CONFIRMED and session.cancelled:
            booking.status = Booking.Status.CANCELLED
            _seats_change(session, -1)
        elif before == Booking.Status.CONFIRMED:
            booking.status = Booking.Status.NO_SHOW
            no_shows += 1
        else:
            booking.status = Booking.Status.LAPSED
            if before == Booking.Status.OFFERED:
                _seats_change(session, -1)
        booking.ended_at = now
        booking.save(update_fields=["status", "ended_at", "updated_at"])
        if booking.status == Booking.Status.CANCELLED:
            events.booking_cancelled(actor=None, booking=booking, before=before)
        elif booking.status == Booking.Status.NO_SHOW:
            events.booking_no_show(booking=booking)
        else:
            events.booking_lapsed(booking=booking, before=before)
    session.closed_at = now
    session.save(update_fields=["closed_at", "updated_at"])
    return no_shows


def _remind(booking_id: int, *, now) -> bool:
    with transaction.atomic():
        booking = booking_lock(
            booking_id, related=("session__center", "session__subject", "worker__user")
        )
        if (
            booking is None
            or booking.reminded_at is not None
            or booking.status != Booking.Status.CONFIRMED
        ):
            return False
        session = booking.session
        _notify(
            booking,
            kind="reminder",
            text=lambda: (
                _(
                    "【安训】Reminder: your practical exam (%(subject)s) is at %(time)s, %(center)s, "
                    "%(address)s. Bring your ID card and admission ticket: %(url)s"
                )
                % {
                    "subject": session.subject,
                    "time": local_time_text(session.starts_at),
                    "center": session.center,
                    "address": session.center.address,
                    "url": absolute_url(reverse("practical:ticket", args=[booking.pk])),
                }
            ),
        )
        booking.reminded_at = now
        booking.save(update_fields=["reminded_at", "updated_at"])
        return True


def bookings_sweep(*, now=None, batch: int = 500) -> dict[str, int]:
    """Beat task body (safe to run twice): lapse expired offers (and offer the seat to the
    next), record no-shows of ended sessions, send reminders a day ahead."""
    now = now or timezone.now()
    lapsed = Booking.objects.filter(
        status=Booking.Status.OFFERED, offer_expires_at__lt=now
    ).values_list("pk", flat=True)[:batch]
    ended = PracticalSession.objects.filter(closed_at__isnull=True, ends_at__lte=now).values_list(
        "pk", flat=True
    )[:batch]
    due = Booking.objects.filter(
        status=Booking.Status.CONFIRMED,
        reminded_at__isnull=True,
        session__cancelled=False,
        session__starts_at__gt=now,
        session__starts_at__lte=now + timedelta(hours=reminder_hours()),
    ).values_list("pk", flat=True)[:batch]
    return {
        "lapsed": sum(_lapse_offer(pk, now=now) for pk in list(lapsed)),
        "no_shows": sum(_close_session(pk, now=now) for pk in list(ended)),
        "reminded": sum(_remind(pk, now=now) for pk in list(due)),
    }
