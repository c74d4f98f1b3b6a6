"""Writes for practical exams: sessions, booking (race-free seats, waiting list, cancel and
reschedule), the beat sweep (lapsed offers, no-shows, reminders), check-in, scoring and results.

Seats: every change of a session's ``seats_taken`` happens with that session's row locked
(``sessions_lock``, in primary-key order when there are two), so concurrent requests queue on
the row and the count always equals the bookings that hold a seat; the database refuses more
than ``capacity`` as a last line. Lock order everywhere: sessions, then bookings.

Rules (DESIGN.md §2, per subject): a theory pass valid on the session's date; one live booking
per subject; after a practical fail (a no-show counts as one) one free retake within
``free_retake_days``; after ``fails_before_retraining`` the required training again.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from accounts.models import WorkerProfile
from accounts.permissions import Action, may
from accounts.validators import mask_id_number
from core.errors import DomainError, PermissionDenied
from core.events import audit_record
from core.exports import local_time_text
from core.notifications import absolute_url, user_notify

from ..models import (
    Booking,
    CenterStaff,
    ExamCenter,
    ExamResult,
    PracticalScore,
    PracticalSession,
    RubricItem,
    Subject,
    TheoryAttempt,
)
from ..services import _is_int, _last_training_at
from .selectors import day_bounds

TICKET_SALT = "anxun.admission-ticket"
SEAT_HOLDING = [
    Booking.Status.CONFIRMED,
    Booking.Status.OFFERED,
    Booking.Status.CHECKED_IN,
    Booking.Status.SCORES_DIFFER,
    Booking.Status.COMPLETED,
    Booking.Status.NO_SHOW,
]


def offer_hours() -> int:
    """How long a waiting-list offer of a freed seat stays open."""
    return getattr(settings, "ANXUN_WAITLIST_OFFER_HOURS", 12)


def reminder_hours() -> int:
    return getattr(settings, "ANXUN_BOOKING_REMINDER_HOURS", 24)


def _audit(booking: Booking, verb: str, actor, before: str | None = None, **after) -> None:
    audit_record(
        actor=actor,
        verb=verb,
        target=booking,
        before={"status": before} if before else None,
        after={"status": booking.status, **after},
    )


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


# --- Locks -----------------------------------------------------------------------------------


def sessions_lock(*session_ids: int) -> dict[int, PracticalSession]:
    """Lock sessions' rows in primary-key order (a fixed order cannot deadlock)."""
    locked = (
        PracticalSession.objects.select_for_update(of=("self",))
        .filter(pk__in=session_ids)
        .order_by("pk")
    )
    sessions = {session.pk: session for session in locked.select_related("subject", "center")}
    if len(sessions) != len(set(session_ids)):
        raise DomainError(_("No such session."), code="not_found")
    return sessions


def _seats_change(session: PracticalSession, delta: int) -> None:
    session.seats_taken += delta
    PracticalSession.objects.filter(pk=session.pk).update(seats_taken=F("seats_taken") + delta)


# --- Sessions --------------------------------------------------------------------------------


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
    """Publish a session at a centre. Booking opens now and closes a day before, unless given."""
    now = now or timezone.now()
    if not center.subjects.filter(pk=subject.pk).exists():
        raise DomainError(
            _("%(center)s does not offer %(subject)s.") % {"center": center, "subject": subject},
            code="subject_not_offered",
            field="subject",
        )
    if starts_at <= now:
        raise DomainError(_("A session must start in the future."), code="past", field="starts_at")
    if ends_at <= starts_at:
        raise DomainError(_("A session must end after it starts."), code="ends", field="ends_at")
    if capacity < 1:
        raise DomainError(
            _("A session needs at least one seat."), code="capacity", field="capacity"
        )
    if not 0 <= held_back <= capacity:
        raise DomainError(
            _("Seats held back cannot exceed the seats."), code="held_back", field="held_back"
        )
    booking_opens_at = booking_opens_at or now
    booking_closes_at = booking_closes_at or starts_at - timedelta(days=1)
    if not booking_opens_at < booking_closes_at <= starts_at:
        raise DomainError(
            _("Booking must open before it closes, and close by the start."),
            code="window",
            field="booking_closes_at",
        )
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
    audit_record(
        actor=actor,
        verb="session.created",
        target=session,
        after={"starts_at": starts_at.isoformat(), "capacity": capacity, "held_back": held_back},
    )
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
        raise DomainError(
            _("%(taken)d seats are booked already: the session needs at least that many.")
            % {"taken": session.seats_taken},
            code="capacity",
            field="capacity",
        )
    if not 0 <= session.held_back <= session.capacity:
        raise DomainError(
            _("Seats held back cannot exceed the seats."), code="held_back", field="held_back"
        )
    if not changes:
        return session
    session.save(update_fields=[*changes, "updated_at"])

    def jsonable(value):
        return value.isoformat() if hasattr(value, "isoformat") else getattr(value, "pk", value)

    audit_record(
        actor=actor,
        verb="session.updated",
        target=session,
        before={name: jsonable(value) for name, value in before.items()},
        after={name: jsonable(getattr(session, name)) for name in changes},
    )
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
    audit_record(actor=actor, verb="session.cancelled", target=session, after={"reason": reason})
    live = (
        Booking.objects.select_for_update(of=("self",))
        .filter(session=session, status__in=Booking.LIVE)
        .select_related("worker__user")
    )
    for booking in live:
        before = booking.status
        if before != Booking.Status.WAITLISTED:
            _seats_change(session, -1)
        booking.status, booking.ended_at = Booking.Status.CANCELLED, now
        booking.save(update_fields=["status", "ended_at", "updated_at"])
        _audit(booking, "booking.cancelled", actor, before, reason=reason)
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


# --- Eligibility -----------------------------------------------------------------------------


def theory_pass_for(*, worker: WorkerProfile, subject: Subject, on) -> TheoryAttempt | None:
    """The latest theory pass still valid at ``on`` (a session's start), or None."""
    last_pass = (
        TheoryAttempt.objects.filter(
            worker=worker, subject=subject, status=TheoryAttempt.Status.SUBMITTED, passed=True
        )
        .order_by("-submitted_at")
        .first()
    )
    if last_pass and last_pass.submitted_at + timedelta(days=subject.theory_valid_days) >= on:
        return last_pass
    return None


def practical_fails(*, worker: WorkerProfile, subject: Subject, since) -> list:
    """Times of failed practical exams and no-shows after ``since``, newest first."""
    results = ExamResult.objects.filter(worker=worker, subject=subject, passed=False)
    no_shows = Booking.objects.filter(worker=worker, subject=subject, status=Booking.Status.NO_SHOW)
    if since:
        results = results.filter(decided_at__gt=since)
        no_shows = no_shows.filter(ended_at__gt=since)
    times = list(results.values_list("decided_at", flat=True))
    times += list(no_shows.values_list("ended_at", flat=True))
    return sorted(times, reverse=True)


def booking_eligibility_check(
    *, worker: WorkerProfile, session: PracticalSession, now=None
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
        filter(None, [theory.submitted_at, _last_training_at(worker=worker, subject=subject)])
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
    return theory


def session_bookable_check(session: PracticalSession, *, now, urgent: bool) -> None:
    """Raise DomainError if the session cannot take bookings now (window, start, cancelled)."""
    if session.cancelled:
        raise DomainError(_("This session has been cancelled."), code="cancelled")
    if session.starts_at <= now:
        raise DomainError(_("This session has already started."), code="past")
    if urgent:
        return  # the centre may seat an urgent case until the session starts
    if now < session.booking_opens_at:
        raise DomainError(
            _("Booking for this session opens at %(time)s.")
            % {"time": local_time_text(session.booking_opens_at)},
            code="not_open",
        )
    if now >= session.booking_closes_at:
        raise DomainError(_("Booking for this session has closed."), code="closed")


def live_booking(worker: WorkerProfile, subject: Subject) -> Booking | None:
    return (
        Booking.objects.filter(worker=worker, subject=subject, status__in=Booking.LIVE)
        .select_related("session__center")
        .first()
    )


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


# --- Booking ---------------------------------------------------------------------------------


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
    theory = booking_eligibility_check(worker=worker, session=session, now=now)
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
    _audit(booking, "booking.created", actor or worker.user, urgent=urgent)
    return booking


def _cutoff(session: PracticalSession):
    return session.starts_at - timedelta(hours=session.cancel_cutoff_hours)


def _session_of(booking_id: int, worker: WorkerProfile | None) -> int:
    """The session of a booking (of this worker, when given), read before locking it."""
    bookings = Booking.objects.filter(pk=booking_id)
    if worker is not None:
        bookings = bookings.filter(worker=worker)
    session_id = bookings.values_list("session_id", flat=True).first()
    if session_id is None:
        raise DomainError(_("No such booking."), code="not_found")
    return session_id


def _locked_booking(booking_id: int, session: PracticalSession) -> Booking:
    booking = Booking.objects.select_for_update().get(pk=booking_id)
    if booking.session_id != session.pk:
        # Moved to another session (rescheduled) after its session was read and before the lock.
        raise DomainError(
            _("This booking has just been changed. Reload the page and try again."),
            code="conflict",
        )
    booking.session = session
    return booking


@transaction.atomic
def booking_cancel(
    *, booking_id: int, worker: WorkerProfile | None = None, actor=None, now=None
) -> Booking:
    """Cancel a booking (or leave the waiting list, or decline an offer). A confirmed seat can
    be given up until the session's cut-off; the freed seat is offered to the waiting list."""
    now = now or timezone.now()
    session_id = _session_of(booking_id, worker)
    session = sessions_lock(session_id)[session_id]
    booking = _locked_booking(booking_id, session)
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
    _audit(booking, "booking.cancelled", actor or booking.worker.user, before)
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
    booking = _locked_booking(booking_id, old)
    if booking.status != Booking.Status.CONFIRMED:
        raise DomainError(_("Only a confirmed booking can be moved."), code="not_confirmed")
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
    audit_record(
        actor=worker.user,
        verb="booking.rescheduled",
        target=booking,
        before={"session": old.pk},
        after={"session": new.pk, "status": booking.status},
    )
    waitlist_offer_free_seats(old, now=now)
    return booking


def waitlist_offer_free_seats(session: PracticalSession, *, now) -> list[Booking]:
    """Offer each free public seat to the next on the waiting list. The caller holds the
    session's row lock (``sessions_lock``)."""
    if session.cancelled or session.starts_at <= now:
        return []
    offered = []
    free = session.capacity - session.held_back - session.seats_taken
    waiting = (
        Booking.objects.select_for_update(of=("self",))
        .filter(session=session, status=Booking.Status.WAITLISTED)
        .select_related("worker__user")
        .order_by("waitlisted_at", "pk")
    )
    for booking in waiting[: max(free, 0)]:
        booking.status = Booking.Status.OFFERED
        booking.offer_expires_at = min(now + timedelta(hours=offer_hours()), session.starts_at)
        booking.save(update_fields=["status", "offer_expires_at", "updated_at"])
        _seats_change(session, +1)
        _audit(booking, "booking.offered", None, Booking.Status.WAITLISTED)
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
    booking = _locked_booking(booking_id, session)
    if booking.status != Booking.Status.OFFERED:
        raise DomainError(_("There is no open offer on this booking."), code="no_offer")
    if session.cancelled:
        raise DomainError(_("This session has been cancelled."), code="cancelled")
    if now > booking.offer_expires_at:
        raise DomainError(_("The offer has lapsed."), code="offer_lapsed")
    booking.status, booking.offer_expires_at = Booking.Status.CONFIRMED, None
    booking.save(update_fields=["status", "offer_expires_at", "updated_at"])
    _audit(booking, "booking.offer_accepted", worker.user, Booking.Status.OFFERED)
    return booking


# --- Beat: lapsed offers, no-shows, reminders ------------------------------------------------


def _notify(booking: Booking, *, kind: str, text, subject_line=None) -> None:
    """SMS to the worker's phone, and the same by e-mail when they gave one (each once)."""
    user_notify(
        booking.worker.user,
        key=f"booking-{kind}:{booking.pk}:{booking.session_id}",
        email_key=f"booking-{kind}-email:{booking.pk}:{booking.session_id}",
        text=text,
        subject=subject_line or _("Your practical exam"),
    )


@transaction.atomic
def _lapse_offer(booking_id: int, *, now) -> bool:
    session_id = Booking.objects.filter(pk=booking_id).values_list("session_id", flat=True).get()
    session = sessions_lock(session_id)[session_id]
    booking = _locked_booking(booking_id, session)
    if booking.status != Booking.Status.OFFERED or booking.offer_expires_at > now:
        return False
    booking.status, booking.ended_at = Booking.Status.LAPSED, now
    booking.save(update_fields=["status", "ended_at", "updated_at"])
    _audit(booking, "booking.offer_lapsed", None, Booking.Status.OFFERED)
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
    bookings = Booking.objects.select_for_update().filter(
        session=session,
        status__in=[Booking.Status.CONFIRMED, Booking.Status.WAITLISTED, Booking.Status.OFFERED],
    )
    for booking in bookings:
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
        _audit(booking, f"booking.{booking.status}", None, before)
    session.closed_at = now
    session.save(update_fields=["closed_at", "updated_at"])
    return no_shows


def _remind(booking_id: int, *, now) -> bool:
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("session__center", "session__subject", "worker__user")
            .get(pk=booking_id)
        )
        if booking.reminded_at is not None or booking.status != Booking.Status.CONFIRMED:
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


# --- Admission tickets and check-in ----------------------------------------------------------


def ticket_token(booking: Booking) -> str:
    """The signed token in a ticket's QR code: the booking id and a signature (the secret key
    never leaves the server, so a token cannot be made up or altered)."""
    return signing.Signer(salt=TICKET_SALT).sign(str(booking.pk))


def ticket_url(booking: Booking) -> str:
    """What the ticket's QR encodes: the check-in address with the token, so a staff phone's
    camera app opens the check-in page directly."""
    return absolute_url(reverse("centre:check_in_scan")) + "?t=" + ticket_token(booking)


def _token_from(scanned: str) -> str:
    scanned = scanned.strip()
    if "t=" in scanned:
        scanned = scanned.rsplit("t=", 1)[1].split("&", 1)[0]
    return scanned


def center_posts(user) -> dict[int, CenterStaff]:
    """The centres a user works at, by centre id."""
    if not user.is_authenticated:
        return {}
    return {post.center_id: post for post in CenterStaff.objects.filter(user=user)}


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
            .exclude(status__in=[Booking.Status.CANCELLED, Booking.Status.LAPSED])
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
    if booking.status in (
        Booking.Status.CANCELLED,
        Booking.Status.LAPSED,
        Booking.Status.NO_SHOW,
        Booking.Status.WAITLISTED,
        Booking.Status.OFFERED,
    ):
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
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("session__center", "session__subject")
        .filter(pk=booking_id)
        .first()
    )
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
    _audit(booking, "booking.checked_in", user, Booking.Status.CONFIRMED, center=center.pk)
    return booking


# --- Scoring and results ---------------------------------------------------------------------


def rubric_for(subject: Subject) -> list[RubricItem]:
    items = list(RubricItem.objects.filter(subject=subject))
    if not items or sum(item.max_points for item in items) != 100:
        raise DomainError(
            _("This subject's rubric does not add up to 100 points; tell the exam office."),
            code="rubric_invalid",
        )
    return items


def rubric_marks(
    *, subject: Subject, points: dict[int, int], critical_failed
) -> tuple[list[dict], list[int], int]:
    """Check a full scoring of the rubric; return the item snapshot, failed critical items and
    the total. A failed critical item scores 0."""
    items = rubric_for(subject)
    by_id = {item.pk: item for item in items}
    failed = set(critical_failed)
    if set(points) != set(by_id):
        raise DomainError(_("Score every item of the rubric."), code="incomplete")
    if not failed <= {item.pk for item in items if item.critical}:
        raise DomainError(_("Only critical items can fail the exam outright."), code="malformed")
    snapshot, total = [], 0
    for item in items:
        given = points[item.pk]
        if not _is_int(given) or not 0 <= given <= item.max_points:
            raise DomainError(
                _("“%(item)s” takes 0 to %(max)d points.")
                % {"item": item.title, "max": item.max_points},
                code="out_of_range",
            )
        given = 0 if item.pk in failed else given
        total += given
        snapshot.append(
            {
                "item": item.pk,
                "part": item.part,
                "title": item.title,
                "max": item.max_points,
                "critical": item.critical,
                "points": given,
                "failed": item.pk in failed,
            }
        )
    return snapshot, sorted(failed), total


def certificate_issuer():
    """The seam to the certificates app: the function a passing result calls, in the same
    transaction. ``settings.ANXUN_CERTIFICATE_ISSUER`` names it (empty: nothing is issued)."""
    path = getattr(settings, "ANXUN_CERTIFICATE_ISSUER", "")
    return import_string(path) if path else None


def _result_record(
    booking: Booking, *, practical: int, critical: bool, actor, now, corrected=False
) -> ExamResult:
    subject = booking.subject
    passed = practical >= subject.practical_pass_mark and not critical
    result = ExamResult.objects.create(
        booking=booking,
        worker=booking.worker,
        subject=subject,
        theory_score=booking.theory_attempt.score,
        practical_score=practical,
        critical_failed=critical,
        passed=passed,
        decided_at=now,
        corrected=corrected,
    )
    before = booking.status
    booking.status = Booking.Status.COMPLETED
    booking.save(update_fields=["status", "updated_at"])
    _audit(booking, "booking.completed", actor, before, score=practical, passed=passed)
    audit_record(
        actor=actor,
        verb="result.decided",
        target=result,
        after={"practical": practical, "theory": result.theory_score, "passed": passed},
    )
    if passed and (issue := certificate_issuer()):
        issue(result=result)
    return result


def _examiner_booking(
    *, examiner, booking_id: int, action: Action | None = None, supervisor: bool = False
) -> Booking:
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("session__center", "subject", "theory_attempt", "worker__user")
        .filter(pk=booking_id)
        .first()
    )
    if booking is None:
        raise DomainError(_("No such booking."), code="not_found")
    _staff_check(examiner, booking.session.center, action=action, supervisor=supervisor)
    _not_own(examiner, booking)
    return booking


@transaction.atomic
def score_submit(
    *, examiner, booking_id: int, points: dict[int, int], critical_failed=(), now=None
) -> PracticalScore:
    """Record one examiner's locked scoring of a checked-in candidate. When the subject's
    examiners have all scored, the result is decided (and a pass issues the certificate) —
    unless two examiners' totals differ by more than the subject's margin, which waits for the
    supervisor."""
    now = now or timezone.now()
    booking = _examiner_booking(
        examiner=examiner, booking_id=booking_id, action=Action.SCORE_PRACTICAL
    )
    if booking.status == Booking.Status.CONFIRMED:
        raise DomainError(_("Check the candidate in before scoring."), code="not_checked_in")
    if booking.status != Booking.Status.CHECKED_IN:
        raise DomainError(_("This candidate has been scored."), code="scored")
    scores = list(PracticalScore.objects.filter(booking=booking))
    if any(score.examiner_id == examiner.pk for score in scores):
        raise DomainError(_("You have scored this candidate already."), code="scored")
    snapshot, failed, total = rubric_marks(
        subject=booking.subject, points=points, critical_failed=critical_failed
    )
    score = PracticalScore.objects.create(
        booking=booking,
        examiner=examiner,
        items=snapshot,
        critical_failed=failed,
        total=total,
        submitted_at=now,
    )
    audit_record(
        actor=examiner,
        verb="score.submitted",
        target=score,
        after={"total": total, "failed": failed},
    )
    scores.append(score)
    if len(scores) < booking.subject.practical_examiners:
        return score
    totals = [s.total for s in scores]
    verdicts = {bool(s.critical_failed) for s in scores}
    if max(totals) - min(totals) > booking.subject.examiner_margin or len(verdicts) > 1:
        booking.status = Booking.Status.SCORES_DIFFER
        booking.save(update_fields=["status", "updated_at"])
        _audit(booking, "booking.scores_differ", examiner, Booking.Status.CHECKED_IN, totals=totals)
        return score
    _result_record(
        booking,
        practical=(sum(totals) * 2 + len(totals)) // (2 * len(totals)),  # the mean, halves up
        critical=any(s.critical_failed for s in scores),
        actor=examiner,
        now=now,
    )
    return score


@transaction.atomic
def result_correct(
    *,
    supervisor,
    booking_id: int,
    points: dict[int, int],
    critical_failed=(),
    reason: str,
    now=None,
) -> ExamResult:
    """A centre supervisor's scoring that decides a result (examiners' totals differ) or
    corrects one, with a reason, as an audit event. A pass cannot be corrected into a fail
    here: its certificate has been issued and only a bureau officer may revoke it."""
    now = now or timezone.now()
    reason = _reason(reason, message=_("Give the reason for the correction (4 to 200 characters)."))
    booking = _examiner_booking(examiner=supervisor, booking_id=booking_id, supervisor=True)
    if booking.status not in (Booking.Status.COMPLETED, Booking.Status.SCORES_DIFFER):
        raise DomainError(_("There is no score to correct yet."), code="not_scored")
    snapshot, failed, total = rubric_marks(
        subject=booking.subject, points=points, critical_failed=critical_failed
    )
    if booking.status == Booking.Status.SCORES_DIFFER:
        result = _result_record(
            booking,
            practical=total,
            critical=bool(failed),
            actor=supervisor,
            now=now,
            corrected=True,
        )
        audit_record(
            actor=supervisor,
            verb="result.corrected",
            target=result,
            after={"practical": total, "items": snapshot, "reason": reason},
        )
        return result
    result = ExamResult.objects.select_for_update().get(booking=booking)
    if result.passed:
        raise DomainError(
            _("A certificate has been issued on this pass; a bureau officer must revoke it."),
            code="passed",
        )
    before = {"practical": result.practical_score, "passed": result.passed}
    result.practical_score, result.critical_failed = total, bool(failed)
    result.passed = total >= booking.subject.practical_pass_mark and not failed
    result.corrected, result.decided_at = True, now
    result.save()
    audit_record(
        actor=supervisor,
        verb="result.corrected",
        target=result,
        before=before,
        after={"practical": total, "passed": result.passed, "items": snapshot, "reason": reason},
    )
    if result.passed and (issue := certificate_issuer()):
        issue(result=result)
    return result


@transaction.atomic
def booking_abandon(*, supervisor, booking_id: int, reason: str, now=None) -> Booking:
    """A checked-in candidate who left before being scored (or was sent away): the supervisor
    records it, with a reason, as not attended — it counts as an attempt, and the worker may
    book again under the retake rules instead of staying booked for good."""
    now = now or timezone.now()
    reason = _reason(reason, message=_("Give the reason (4 to 200 characters)."))
    booking = _examiner_booking(examiner=supervisor, booking_id=booking_id, supervisor=True)
    if booking.status != Booking.Status.CHECKED_IN or booking.scores.exists():
        raise DomainError(
            _("Only a checked-in candidate with no score can be recorded as not attended."),
            code="not_abandonable",
        )
    booking.status, booking.ended_at = Booking.Status.NO_SHOW, now
    booking.save(update_fields=["status", "ended_at", "updated_at"])
    _audit(booking, "booking.abandoned", supervisor, Booking.Status.CHECKED_IN, reason=reason)
    return booking
