"""The audit trail of exams: one function per kind of event, each writing one append-only row.

Every state change of a theory attempt, the question bank, a practical session, a booking, a
score or a result goes through a function here, called by the service that makes the change,
inside its transaction (``core.events.audit_record``), so the row and the change commit or
roll back together. The verbs and the ``before``/``after`` payloads are what the staff history,
the exports and the tests read: change them only with their readers.

A booking's events carry its status after the change (and, when it changed, the one before).
``actor`` is the user who acted, or None for the beat sweep and the waiting list's offers.

A recorded result (theory or practical, and a corrected one) also tells the worker, through
``exams.notifications``: the message is queued in the same transaction and sent once it commits.
"""

from core.events import audit_record

from . import notifications
from .models import (
    Booking,
    ExamCenter,
    ExamResult,
    PracticalScore,
    PracticalSession,
    Subject,
    TheoryAttempt,
)

# --- Theory attempts and the question bank -------------------------------------------------------


def attempt_started(*, actor, attempt: TheoryAttempt) -> None:
    audit_record(
        actor=actor, verb="attempt.started", target=attempt, after={"number": attempt.number}
    )


def attempt_submitted(*, actor, attempt: TheoryAttempt) -> None:
    """``actor`` is None when the deadline (the sweep) submitted the attempt."""
    audit_record(
        actor=actor,
        verb="attempt.submitted",
        target=attempt,
        after={"score": attempt.score, "passed": attempt.passed, "auto": attempt.auto_submitted},
    )
    notifications.theory_result_tell(attempt)


def question_bank_imported(*, actor, subject: Subject, file_name: str, counts: dict) -> None:
    """One row per subject an import changed; ``counts`` says how many questions were created,
    updated and left unchanged."""
    audit_record(
        actor=actor,
        verb="question_bank.imported",
        target=subject,
        after={"file": file_name[:200], **counts},
    )


def question_bank_exported(*, actor, subject: Subject, file_format: str) -> None:
    audit_record(
        actor=actor,
        verb="export.question_bank",
        target=subject,
        after={"format": file_format},
    )


# --- Practical sessions --------------------------------------------------------------------------


def session_created(*, actor, session: PracticalSession) -> None:
    audit_record(
        actor=actor,
        verb="session.created",
        target=session,
        after={
            "starts_at": session.starts_at.isoformat(),
            "capacity": session.capacity,
            "held_back": session.held_back,
        },
    )


def _jsonable(value):
    """A field's value as the audit row keeps it: times as ISO text, rows as their key."""
    return value.isoformat() if hasattr(value, "isoformat") else getattr(value, "pk", value)


def session_updated(*, actor, session: PracticalSession, before: dict) -> None:
    """``before`` holds the changed fields' old values; the row keeps them and the new ones."""
    audit_record(
        actor=actor,
        verb="session.updated",
        target=session,
        before={name: _jsonable(value) for name, value in before.items()},
        after={name: _jsonable(getattr(session, name)) for name in before},
    )


def session_cancelled(*, actor, session: PracticalSession, reason: str) -> None:
    audit_record(actor=actor, verb="session.cancelled", target=session, after={"reason": reason})


# --- Bookings ------------------------------------------------------------------------------------


def _booking_event(
    verb: str, *, booking: Booking, actor, before: str | None = None, **after
) -> None:
    audit_record(
        actor=actor,
        verb=verb,
        target=booking,
        before={"status": before} if before else None,
        after={"status": booking.status, **after},
    )


def booking_created(*, actor, booking: Booking, urgent: bool) -> None:
    _booking_event("booking.created", booking=booking, actor=actor, urgent=urgent)


def booking_cancelled(*, actor, booking: Booking, before: str, reason: str | None = None) -> None:
    """Cancelled by the worker or staff, with the session (``reason`` given), or at the close of
    a cancelled session (``actor`` None)."""
    extra = {"reason": reason} if reason is not None else {}
    _booking_event("booking.cancelled", booking=booking, actor=actor, before=before, **extra)


def booking_rescheduled(*, actor, booking: Booking, old_session: PracticalSession) -> None:
    audit_record(
        actor=actor,
        verb="booking.rescheduled",
        target=booking,
        before={"session": old_session.pk},
        after={"session": booking.session_id, "status": booking.status},
    )


def booking_offered(*, booking: Booking) -> None:
    """A freed seat offered to the next on the waiting list (nobody acted: the seat fell free)."""
    _booking_event("booking.offered", booking=booking, actor=None, before=Booking.Status.WAITLISTED)


def booking_offer_accepted(*, actor, booking: Booking) -> None:
    _booking_event(
        "booking.offer_accepted", booking=booking, actor=actor, before=Booking.Status.OFFERED
    )


def booking_offer_lapsed(*, booking: Booking) -> None:
    _booking_event(
        "booking.offer_lapsed", booking=booking, actor=None, before=Booking.Status.OFFERED
    )


def booking_lapsed(*, booking: Booking, before: str) -> None:
    """The session ended with the booking still waiting or offered."""
    _booking_event("booking.lapsed", booking=booking, actor=None, before=before)


def booking_no_show(*, booking: Booking) -> None:
    """The session ended and the confirmed candidate never checked in."""
    _booking_event("booking.no_show", booking=booking, actor=None, before=Booking.Status.CONFIRMED)


def booking_checked_in(*, actor, booking: Booking, center: ExamCenter) -> None:
    _booking_event(
        "booking.checked_in",
        booking=booking,
        actor=actor,
        before=Booking.Status.CONFIRMED,
        center=center.pk,
    )


def booking_scores_differ(*, actor, booking: Booking, totals: list[int]) -> None:
    _booking_event(
        "booking.scores_differ",
        booking=booking,
        actor=actor,
        before=Booking.Status.CHECKED_IN,
        totals=totals,
    )


def booking_completed(*, actor, booking: Booking, before: str, score: int, passed: bool) -> None:
    _booking_event(
        "booking.completed", booking=booking, actor=actor, before=before, score=score, passed=passed
    )


def booking_abandoned(*, actor, booking: Booking, reason: str) -> None:
    _booking_event(
        "booking.abandoned",
        booking=booking,
        actor=actor,
        before=Booking.Status.CHECKED_IN,
        reason=reason,
    )


# --- Scores and results --------------------------------------------------------------------------


def score_submitted(*, actor, score: PracticalScore) -> None:
    audit_record(
        actor=actor,
        verb="score.submitted",
        target=score,
        after={"total": score.total, "failed": score.critical_failed},
    )


def result_decided(*, actor, result: ExamResult) -> None:
    audit_record(
        actor=actor,
        verb="result.decided",
        target=result,
        after={
            "practical": result.practical_score,
            "theory": result.theory_score,
            "passed": result.passed,
        },
    )
    notifications.practical_result_tell(result)


def result_corrected(
    *, actor, result: ExamResult, items: list[dict], reason: str, before: dict | None = None
) -> None:
    """A supervisor's scoring: ``before`` (the practical score and verdict replaced) when it
    corrects a decided result; none when it decides differing examiners' scores, whose
    ``result.decided`` row, written just before, holds the verdict."""
    after: dict = {"practical": result.practical_score}
    if before is not None:
        after["passed"] = result.passed
    audit_record(
        actor=actor,
        verb="result.corrected",
        target=result,
        before=before,
        after={**after, "items": items, "reason": reason},
    )
    if before is not None:  # a decided result changed: tell the worker the new one
        notifications.practical_result_tell(result, corrected=True)
