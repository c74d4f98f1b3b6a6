"""Booking a seat (race-free), the waiting list and its offers, cancelling and rescheduling.

Every change of a session's ``seats_taken`` happens with that session's row locked
(``exams.locks.sessions_lock``, in primary-key order when there are two), so concurrent
requests queue on the row and the count always equals the bookings that hold a seat
(``Booking.SEAT_HOLDING``); the database refuses more than ``capacity`` as a last line."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import WorkerProfile
from accounts.permissions import Action
from core.errors import DomainError
from core.exports import local_time_text
from core.notifications import absolute_url

from ... import events
from ...locks import booking_in_session_lock, sessions_lock, waiting_bookings_lock
from ...models import Booking, PracticalSession
from ..selectors import live_booking
from .common import _notify, _seats_change, _staff_check, offer_hours
from .eligibility import _already_booked, booking_eligibility_check, session_bookable_check


@transaction.atomic
def booking_create(
    *,
    worker: WorkerProfile,
    session_id: int,
    waitlist: bool = False,
    urgent: bool = False,
    actor=None,
    now=None,
) -> Booking:
    """Book a seat, or join the waiting list when asked and the session is full.

    A full session raises DomainError(code="full"). ``urgent`` is for centre staff: the seats
    held back may be used and the booking window does not apply.
    """
    now = now or timezone.now()
    session = sessions_lock(session_id)[session_id]
    if urgent:
        _staff_check(actor, session.center, action=Action.MANAGE_SESSIONS)
    session_bookable_check(session, now=now, urgent=urgent)
    theory = booking_eligibility_check(worker=worker, session=session, now=now, by_staff=urgent)
    if existing := live_booking(worker, session.subject):
        raise _already_booked(existing)
    seats_left = session.capacity - session.seats_taken - (0 if urgent else session.held_back)
    if seats_left <= 0 and not waitlist:
        raise DomainError(_("This session is full."), code="full")
    status = Booking.Status.CONFIRMED if seats_left > 0 else Booking.Status.WAITLISTED
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                worker=worker,
                session=session,
                subject=session.subject,
                theory_attempt=theory,
                status=status,
                urgent=urgent,
                waitlisted_at=now if status == Booking.Status.WAITLISTED else None,
            )
    except IntegrityError:
        # The same worker booked another session of the subject at the same moment.
        raise _already_booked(live_booking(worker, session.subject)) from None
    if status == Booking.Status.CONFIRMED:
        _seats_change(session, +1)
    events.booking_created(actor=actor or worker.user, booking=booking, urgent=urgent)
    return booking


def _cutoff(session: PracticalSession):
    return session.starts_at - timedelta(hours=session.cancel_cutoff_hours)


def _started(session: PracticalSession, now) -> bool:
    """The session has begun (and was not cancelled): its seats are no longer given up."""
    return session.starts_at <= now and not session.cancelled


def _started_error(session: PracticalSession) -> DomainError:
    return DomainError(
        _(
            "This session has already started: the booking can no longer be cancelled or "
            "moved. Call the centre (%(phone)s) if you cannot come."
        )
        % {"phone": session.center.phone or "—"},
        code="started",
    )


def _session_of(booking_id: int, worker: WorkerProfile | None) -> int:
    """The session of a booking (of this worker, when given), read before locking it."""
    bookings = Booking.objects.filter(pk=booking_id)
    if worker is not None:
        bookings = bookings.filter(worker=worker)
    session_id = bookings.values_list("session_id", flat=True).first()
    if session_id is None:
        raise DomainError(_("No such booking."), code="not_found")
    return session_id


@transaction.atomic
def booking_cancel(
    *, booking_id: int, worker: WorkerProfile | None = None, actor=None, now=None
) -> Booking:
    """Cancel a booking (or leave the waiting list, or decline an offer). A confirmed seat can
    be given up until the session's cut-off; the freed seat is offered to the waiting list."""
    now = now or timezone.now()
    session_id = _session_of(booking_id, worker)
    session = sessions_lock(session_id)[session_id]
    booking = booking_in_session_lock(booking_id, session)
    before = booking.status
    if booking.status not in (
        Booking.Status.CONFIRMED,
        Booking.Status.WAITLISTED,
        Booking.Status.OFFERED,
    ):
        raise DomainError(
            _("This booking cannot be cancelled: it is %(status)s.")
            % {"status": booking.get_status_display()},
            code="not_cancellable",
        )
    if booking.status != Booking.Status.WAITLISTED and _started(session, now):
        raise _started_error(session)
    if (
        booking.status == Booking.Status.CONFIRMED
        and now > _cutoff(session)
        and not session.cancelled
    ):
        raise DomainError(
            _(
                "Bookings can be cancelled or moved until %(time)s. Call the centre "
                "(%(phone)s) if you cannot come: a missed session counts as an attempt."
            )
            % {"time": local_time_text(_cutoff(session)), "phone": session.center.phone or "—"},
            code="cutoff",
        )
    holds_seat = booking.status != Booking.Status.WAITLISTED
    booking.status, booking.ended_at = Booking.Status.CANCELLED, now
    booking.save(update_fields=["status", "ended_at", "updated_at"])
    events.booking_cancelled(actor=actor or booking.worker.user, booking=booking, before=before)
    if holds_seat:
        _seats_change(session, -1)
        waitlist_offer_free_seats(session, now=now)
    return booking


@transaction.atomic
def booking_reschedule(
    *, booking_id: int, new_session_id: int, worker: WorkerProfile, now=None
) -> Booking:
    """Move a confirmed booking to another session of the same subject, or change nothing."""
    now = now or timezone.now()
    old_session_id = _session_of(booking_id, worker)
    if old_session_id == new_session_id:
        raise DomainError(_("That is the session you are booked on."), code="same_session")
    sessions = sessions_lock(old_session_id, new_session_id)
    old, new = sessions[old_session_id], sessions[new_session_id]
    booking = booking_in_session_lock(booking_id, old)
    if booking.status != Booking.Status.CONFIRMED:
        raise DomainError(_("Only a confirmed booking can be moved."), code="not_confirmed")
    if _started(old, now):
        raise _started_error(old)
    if now > _cutoff(old) and not old.cancelled:
        raise DomainError(
            _("Bookings can be cancelled or moved until %(time)s.")
            % {"time": local_time_text(_cutoff(old))},
            code="cutoff",
        )
    if new.subject_id != old.subject_id:
        raise DomainError(_("Choose a session of the same subject."), code="other_subject")
    session_bookable_check(new, now=now, urgent=False)
    booking.theory_attempt = booking_eligibility_check(worker=worker, session=new, now=now)
    if new.capacity - new.held_back - new.seats_taken <= 0:
        raise DomainError(_("This session is full."), code="full")
    booking.status, booking.session = Booking.Status.CONFIRMED, new
    booking.reminded_at = None  # the new session gets its own reminder
    booking.save(update_fields=["session", "theory_attempt", "status", "reminded_at", "updated_at"])
    _seats_change(new, +1)
    _seats_change(old, -1)
    events.booking_rescheduled(actor=worker.user, booking=booking, old_session=old)
    waitlist_offer_free_seats(old, now=now)
    return booking


def waitlist_offer_free_seats(session: PracticalSession, *, now) -> list[Booking]:
    """Offer each free public seat to the next on the waiting list. The caller holds the
    session's row lock (``sessions_lock``)."""
    if session.cancelled or session.starts_at <= now:
        return []
    offered = []
    free = session.capacity - session.held_back - session.seats_taken
    for booking in waiting_bookings_lock(session, limit=free):
        booking.status = Booking.Status.OFFERED
        booking.offer_expires_at = min(now + timedelta(hours=offer_hours()), session.starts_at)
        booking.save(update_fields=["status", "offer_expires_at", "updated_at"])
        _seats_change(session, +1)
        events.booking_offered(booking=booking)
        _notify(
            booking,
            kind="offer",
            text=lambda booking=booking: (
                _(
                    "【安训】A seat is free in the practical exam you are waiting for (%(subject)s, "
                    "%(time)s, %(center)s). Accept it by %(until)s: %(url)s"
                )
                % {
                    "subject": session.subject,
                    "time": local_time_text(session.starts_at),
                    "center": session.center,
                    "until": local_time_text(booking.offer_expires_at),
                    "url": absolute_url(reverse("practical:bookings")),
                }
            ),
        )
        offered.append(booking)
    return offered


@transaction.atomic
def booking_offer_accept(*, booking_id: int, worker: WorkerProfile, now=None) -> Booking:
    now = now or timezone.now()
    session_id = _session_of(booking_id, worker)
    session = sessions_lock(session_id)[session_id]
    booking = booking_in_session_lock(booking_id, session)
    if booking.status != Booking.Status.OFFERED:
        raise DomainError(_("There is no open offer on this booking."), code="no_offer")
    if session.cancelled:
        raise DomainError(_("This session has been cancelled."), code="cancelled")
    if now > booking.offer_expires_at:
        raise DomainError(_("The offer has lapsed."), code="offer_lapsed")
    booking.status, booking.offer_expires_at = Booking.Status.CONFIRMED, None
    booking.save(update_fields=["status", "offer_expires_at", "updated_at"])
    events.booking_offer_accepted(actor=worker.user, booking=booking)
    return booking
