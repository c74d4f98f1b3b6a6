"""Writes for the dashboards that people cause (the aggregates are rebuilt by
``dashboards.aggregates``, the weekly reports by ``dashboards.reports``)."""

from django.db import transaction

from accounts.models import Enterprise, User

from . import events


@transaction.atomic
def enterprise_table_export_record(
    *, actor: User, enterprise: Enterprise, table: str, export_format: str
) -> None:
    """Record that ``actor`` took one of the enterprise's tables as a file."""
    events.enterprise_table_exported(
        actor=actor, enterprise=enterprise, table=table, export_format=export_format
    )
