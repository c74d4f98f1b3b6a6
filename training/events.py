"""Audit rows for training state changes, one function per kind (written in the caller's
transaction, so a change and its row commit or roll back together)."""

from accounts.models import User
from core.events import audit_record

from .models import CoursePage, Enrollment, RosterImport, TrainingRecord


def enrollment_created(*, actor, enrollment: Enrollment, course: CoursePage) -> None:
    audit_record(
        actor=actor, verb="enrollment.created", target=enrollment, after={"course": course.pk}
    )


def enrollment_restarted(*, actor, enrollment: Enrollment) -> None:
    audit_record(actor=actor, verb="enrollment.restarted", target=enrollment)


def training_record_credited(*, record: TrainingRecord, course: CoursePage) -> None:
    """Hours credited by the system when the last lesson of a course is completed: the active
    time measured, capped by the course's hours."""
    audit_record(
        actor=None,
        verb="training_record.credited",
        target=record,
        after={"course": course.pk, "hours": str(record.hours), "seconds": record.seconds},
    )


def training_record_recredited(*, record: TrainingRecord, before: dict) -> None:
    """A course studied again (retraining) completed: its time is added to the record."""
    audit_record(
        actor=None,
        verb="training_record.recredited",
        target=record,
        before=before,
        after={"hours": str(record.hours), "seconds": record.seconds},
    )


def roster_import_refused_exported(*, actor: User, roster_import: RosterImport) -> None:
    audit_record(
        actor=actor,
        verb="export.roster_import_refused",
        target=roster_import,
        after={"rows": len(roster_import.errors)},
    )
