"""Audit rows for ratings and complaint cases, one function per kind (written in the caller's
transaction). The case page reads its trail back by these verbs (``feedback.views.TRAIL``)."""

from accounts.models import User
from core.events import audit_record
from core.models import AuditEvent

from .models import Case, Rating


def rating_submitted(*, rating: Rating) -> None:
    audit_record(
        actor=rating.worker.user,
        verb="rating.submitted",
        target=rating,
        after={"stars": rating.stars, "reasons": rating.reasons, "complaint": rating.complaint},
    )


def case_opened(*, case: Case) -> None:
    audit_record(
        actor=case.rating.worker.user,
        verb="case.opened",
        target=case,
        after={
            "state": case.state,
            "callback_due": case.callback_due.isoformat(),
            "rectification_due": case.rectification_due.isoformat(),
        },
    )


def _case_stepped(*, verb: str, actor: User, case: Case, before_state: str, now, **changes):
    audit_record(
        actor=actor,
        verb=verb,
        target=case,
        before={"state": before_state},
        after={
            "state": case.state,
            "at": now.isoformat(),
            **{k: str(v) for k, v in changes.items()},
        },
    )


def case_called_back(*, actor: User, case: Case, before_state: str, now) -> None:
    _case_stepped(
        verb="case.called_back",
        actor=actor,
        case=case,
        before_state=before_state,
        now=now,
        called_back_at=case.called_back_at,
        callback_note=case.callback_note,
    )


def case_rectification_started(*, actor: User, case: Case, before_state: str, now) -> None:
    _case_stepped(
        verb="case.rectifying",
        actor=actor,
        case=case,
        before_state=before_state,
        now=now,
        rectifying_at=case.rectifying_at,
        rectification_plan=case.rectification_plan,
    )


def case_closed(*, actor: User, case: Case, before_state: str, now) -> None:
    _case_stepped(
        verb="case.closed",
        actor=actor,
        case=case,
        before_state=before_state,
        now=now,
        closed_at=case.closed_at,
        feedback=case.feedback,
    )


def case_confirmed(*, case: Case) -> None:
    """The worker accepts the feedback on their case."""
    audit_record(
        actor=case.rating.worker.user,
        verb="case.confirmed",
        target=case,
        after={"note": case.answer_note},
    )


def case_disputed(*, case: Case) -> None:
    """The worker disputes the feedback: the district office is told."""
    audit_record(
        actor=case.rating.worker.user,
        verb="case.disputed",
        target=case,
        after={"note": case.answer_note},
    )


# Escalations are the system's: no actor. Each returns its row, whose verb keys the messages.


def _escalated(*, verb: str, case: Case, now) -> AuditEvent:
    return audit_record(actor=None, verb=verb, target=case, after={"at": now.isoformat()})


def case_callback_due_soon(*, case: Case, now) -> AuditEvent:
    return _escalated(verb="case.callback_due_soon", case=case, now=now)


def case_callback_overdue(*, case: Case, now) -> AuditEvent:
    return _escalated(verb="case.callback_overdue", case=case, now=now)


def case_rectification_due_soon(*, case: Case, now) -> AuditEvent:
    return _escalated(verb="case.rectification_due_soon", case=case, now=now)


def case_rectification_overdue(*, case: Case, now) -> AuditEvent:
    return _escalated(verb="case.rectification_overdue", case=case, now=now)


def satisfaction_exported(*, actor: User, export_format: str) -> None:
    audit_record(
        actor=actor, verb="export.satisfaction", target=actor, after={"format": export_format}
    )
