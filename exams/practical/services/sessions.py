"""Publishing, changing and cancelling practical sessions (with the session's row locked)."""

from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.permissions import Action
from core.errors import DomainError
from core.exports import local_time_text
from core.notifications import absolute_url

from ... import events
from ...locks import session_bookings_lock, sessions_lock
from ...models import Booking, ExamCenter, PracticalSession, Subject
from .booking import waitlist_offer_free_seats
from .common import _notify, _reason, _seats_change, _staff_check

WALK_IN_HOURS = 1  # a session starting within this many hours is a walk-in session


def session_window_defaults(*, starts_at, now) -> tuple:
    """The booking window of a new session when none is given: booking opens now and closes a
    day before the start; a session later the same day stays bookable until it starts. A
    walk-in session (starting now or within ``WALK_IN_HOURS``) is booked at the desk: its
    window is what is left before the start (the desk seats candidates until it ends)."""
    opens = min(now, starts_at - timedelta(minutes=1))
    closes = starts_at - timedelta(days=1)
    if closes <= opens:
        closes = starts_at
    return opens, closes


def session_plan_problems(
    *,
    center: ExamCenter | None,
    subject: Subject | None,
    starts_at,
    ends_at,
    capacity: int | None,
    held_back: int | None,
    booking_opens_at,
    booking_closes_at,
    seats_taken: int = 0,
    check_start: bool = True,
    now,
) -> list[DomainError]:
    """The refusal rules of a session's plan, written once, in the order they are checked:
    ``session_create`` raises the first, the admin's session form shows each on its field.

    A value given as None (a field the form could not read) skips the rules that need it, and
    so does a start in the past for the rules measured from the start. ``seats_taken`` is the
    floor of the seats of an existing session; ``check_start`` is false when an edit leaves the
    start as it was (a session that has begun may still be corrected).
    """
    problems = []
    if subject and center and not center.subjects.filter(pk=subject.pk).exists():
        problems.append(
            DomainError(
                _("%(center)s does not offer %(subject)s.")
                % {"center": center, "subject": subject},
                code="subject_not_offered",
                field="subject",
            )
        )
    # "now" to the minute: a walk-in session may start at the time the form shows as now.
    if check_start and starts_at and starts_at < now.replace(second=0, microsecond=0):
        problems.append(
            DomainError(_("A session cannot start in the past."), code="past", field="starts_at")
        )
        starts_at = None
    if starts_at and ends_at and ends_at <= starts_at:
        problems.append(
            DomainError(_("A session must end after it starts."), code="ends", field="ends_at")
        )
    if capacity is not None:
        if capacity < 1:
            problems.append(
                DomainError(
                    _("A session needs at least one seat."), code="capacity", field="capacity"
                )
            )
        elif capacity < seats_taken:
            problems.append(_seats_taken_error(seats_taken))
        if held_back is not None and not 0 <= held_back <= capacity:
            problems.append(
                DomainError(
                    _("Seats held back cannot exceed the seats."),
                    code="held_back",
                    field="held_back",
                )
            )
    if (
        starts_at
        and booking_opens_at
        and booking_closes_at
        and not booking_opens_at < booking_closes_at <= starts_at
    ):
        problems.append(
            DomainError(
                _("Booking must open before it closes, and close by the start."),
                code="window",
                field="booking_closes_at",
            )
        )
    return problems


def _seats_taken_error(taken: int) -> DomainError:
    return DomainError(
        _("%(taken)d seats are booked already: the session needs at least that many.")
        % {"taken": taken},
        code="capacity",
        field="capacity",
    )


@transaction.atomic
def session_create(
    *,
    actor,
    center: ExamCenter,
    subject: Subject,
    starts_at,
    ends_at,
    capacity: int,
    held_back: int = 0,
    booking_opens_at=None,
    booking_closes_at=None,
    cancel_cutoff_hours: int = 48,
    now=None,
) -> PracticalSession:
    """Publish a session at a centre: later today, or a walk-in session starting now or within
    the hour, too. The booking window is ``session_window_defaults`` unless given."""
    now = now or timezone.now()
    default_opens, default_closes = session_window_defaults(starts_at=starts_at, now=now)
    booking_opens_at = booking_opens_at or default_opens
    booking_closes_at = booking_closes_at or default_closes
    problems = session_plan_problems(
        center=center,
        subject=subject,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        held_back=held_back,
        booking_opens_at=booking_opens_at,
        booking_closes_at=booking_closes_at,
        now=now,
    )
    if problems:
        raise problems[0]
    session = PracticalSession.objects.create(
        center=center,
        subject=subject,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        held_back=held_back,
        booking_opens_at=booking_opens_at,
        booking_closes_at=booking_closes_at,
        cancel_cutoff_hours=cancel_cutoff_hours,
    )
    events.session_created(actor=actor, session=session)
    return session


@transaction.atomic
def session_update(*, actor, session_id: int, changes: dict, now=None) -> PracticalSession:
    """Change a session's seats, window or cut-off (and, before anyone booked, its subject,
    centre and times), with the row locked. More public seats are offered to the waiting list
    at once; fewer seats than are taken are refused."""
    now = now or timezone.now()
    session = sessions_lock(session_id)[session_id]
    if session.bookings.exists() and {"subject", "center", "starts_at", "ends_at"} & set(changes):
        raise DomainError(
            _("Fixed once candidates have booked: their admission tickets show it."),
            code="fixed",
        )
    before = {name: getattr(session, name) for name in changes}
    for name, value in changes.items():
        setattr(session, name, value)
    if session.capacity < session.seats_taken:
        raise _seats_taken_error(session.seats_taken)
    if not 0 <= session.held_back <= session.capacity:
        raise DomainError(
            _("Seats held back cannot exceed the seats."), code="held_back", field="held_back"
        )
    if not changes:
        return session
    session.save(update_fields=[*changes, "updated_at"])
    events.session_updated(actor=actor, session=session, before=before)
    waitlist_offer_free_seats(session, now=now)
    return session


@transaction.atomic
def session_cancel(*, actor, session_id: int, reason: str, now=None) -> PracticalSession:
    """Cancel a session (the centre cannot hold it): every live booking is cancelled, its
    seat freed, and the worker told by SMS (and e-mail) why and that they may book again. A
    cancelled session counts as nobody's attempt."""
    now = now or timezone.now()
    reason = _reason(
        reason, message=_("Give the reason for the cancellation (4 to 200 characters).")
    )
    session = sessions_lock(session_id)[session_id]
    _staff_check(actor, session.center, action=Action.MANAGE_SESSIONS)
    if session.cancelled:
        return session
    if session.starts_at <= now:
        raise DomainError(
            _("This session has started: candidates are being examined."), code="past"
        )
    session.cancelled = True
    session.save(update_fields=["cancelled", "updated_at"])
    events.session_cancelled(actor=actor, session=session, reason=reason)
    for booking in session_bookings_lock(session, statuses=Booking.LIVE):
        before = booking.status
        if before != Booking.Status.WAITLISTED:
            _seats_change(session, -1)
        booking.status, booking.ended_at = Booking.Status.CANCELLED, now
        booking.save(update_fields=["status", "ended_at", "updated_at"])
        events.booking_cancelled(actor=actor, booking=booking, before=before, reason=reason)
        _notify(
            booking,
            kind="session-cancelled",
            text=lambda: (
                _(
                    "【安训】The practical exam session (%(subject)s, %(time)s, %(center)s) is "
                    "cancelled: %(reason)s. It does not count as an attempt; please book another "
                    "session: %(url)s"
                )
                % {
                    "subject": session.subject,
                    "time": local_time_text(session.starts_at),
                    "center": session.center,
                    "reason": reason,
                    "url": absolute_url(reverse("practical:sessions")),
                }
            ),
        )
    return session
