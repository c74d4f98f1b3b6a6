"""Audit rows for the dashboards, one function per kind (written in the caller's transaction).
The figures themselves are derived data and change without audit rows; what a person takes
away (an export of names and numbers) is written down."""

from accounts.models import Enterprise, User
from core.events import audit_record


def enterprise_table_exported(
    *, actor: User, enterprise: Enterprise, table: str, export_format: str
) -> None:
    """One of an enterprise dashboard's tables (names, ID numbers, phones) taken as a file."""
    audit_record(
        actor=actor,
        verb=f"export.enterprise-{table}",
        target=enterprise,
        after={"format": export_format},
    )
