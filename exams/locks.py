"""Row locks of exams (``SELECT … FOR UPDATE``), the only place exams takes one.

Call inside the service's transaction. Rows are locked in primary-key order, and across kinds in
one order everywhere: sessions, then bookings, then results (an attempt is locked alone), so two
requests that lock the same rows queue instead of deadlocking.
"""

from django.utils.translation import gettext_lazy as _

from core.errors import DomainError

from .models import AttemptAnswer, Booking, ExamResult, PracticalSession, TheoryAttempt


def sessions_lock(*session_ids: int) -> dict[int, PracticalSession]:
    """Lock sessions' rows in primary-key order (a fixed order cannot deadlock), with their
    subject and centre; ``DomainError`` if one does not exist."""
    locked = (
        PracticalSession.objects.select_for_update(of=("self",))
        .filter(pk__in=session_ids)
        .order_by("pk")
    )
    sessions = {session.pk: session for session in locked.select_related("subject", "center")}
    if len(sessions) != len(set(session_ids)):
        raise DomainError(_("No such session."), code="not_found")
    return sessions


def session_bookings_lock(session: PracticalSession, *, statuses) -> list[Booking]:
    """Lock the bookings of a (locked) session in these statuses, in primary-key order, with
    their worker's user (for the notices they are sent)."""
    return list(
        Booking.objects.select_for_update(of=("self",))
        .filter(session=session, status__in=list(statuses))
        .select_related("worker__user")
        .order_by("pk")
    )


def waiting_bookings_lock(session: PracticalSession, *, limit: int) -> list[Booking]:
    """Lock the first ``limit`` bookings on a (locked) session's waiting list, in waiting-list
    order, with their worker's user; the rest of the list stays unlocked (a cancel or an edit
    of the session must not hold every waiting row). Nothing is locked for ``limit`` ≤ 0.
    A worker without a photo is passed over (no practical exam without one) and keeps their
    place, to be offered a seat freed after they upload it."""
    if limit <= 0:
        return []
    return list(
        Booking.objects.select_for_update(of=("self",))
        .filter(session=session, status=Booking.Status.WAITLISTED)
        .exclude(worker__photo="")
        .select_related("worker__user")
        .order_by("waitlisted_at", "pk")[:limit]
    )


def booking_lock(booking_id: int, *, related: tuple[str, ...] = ()) -> Booking | None:
    """Lock one booking (``related`` rows are read with it, not locked), or None."""
    bookings = Booking.objects.select_for_update(of=("self",))
    if related:
        bookings = bookings.select_related(*related)
    return bookings.filter(pk=booking_id).first()


def booking_in_session_lock(booking_id: int, session: PracticalSession) -> Booking:
    """Lock a booking of a session whose row the caller has locked (``sessions_lock``) and
    check that it is still that session's: ``DomainError(code="conflict")`` if it was moved
    (rescheduled) after its session was read and before the lock."""
    booking = Booking.objects.select_for_update().get(pk=booking_id)
    if booking.session_id != session.pk:
        raise DomainError(
            _("This booking has just been changed. Reload the page and try again."),
            code="conflict",
        )
    booking.session = session
    return booking


def result_lock(booking: Booking) -> ExamResult:
    """Lock the result of a (locked) booking."""
    return ExamResult.objects.select_for_update().get(booking=booking)


def attempt_lock(attempt_id: int, *, worker=None) -> TheoryAttempt | None:
    """Lock a theory attempt (of this worker, when given), or None."""
    attempts = TheoryAttempt.objects.select_for_update()
    if worker is not None:
        attempts = attempts.filter(worker=worker)
    return attempts.filter(pk=attempt_id).first()


def answer_lock_or_create(
    *, attempt: TheoryAttempt, position: int, defaults: dict
) -> tuple[AttemptAnswer, bool]:
    """Lock the saved answer at a position of a (locked) attempt, or create it from
    ``defaults``; returns it and whether it was created."""
    return AttemptAnswer.objects.select_for_update().get_or_create(
        attempt=attempt, position=position, defaults=defaults
    )
