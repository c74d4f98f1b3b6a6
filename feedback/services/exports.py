"""Exports of feedback figures, written in the audit trail."""

from django.db import transaction

from .. import events


@transaction.atomic
def satisfaction_export_record(*, actor, export_format: str) -> None:
    """Record that ``actor`` took the satisfaction table (in their scope) as a file."""
    events.satisfaction_exported(actor=actor, export_format=export_format)
