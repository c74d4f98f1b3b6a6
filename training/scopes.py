"""Who sees which training rows (ROLES.md): the scopes every training page reads through.

The roles themselves are decided in ``accounts.permissions``; these narrow training's own rows
to what the viewer answers for.
"""

from django.db.models import QuerySet

from accounts.models import Enterprise, WorkerProfile

from .models import RosterImport


def roster_imports_of(*, enterprise: Enterprise) -> QuerySet[RosterImport]:
    """An enterprise's imports, newest first (the scope every import page reads through)."""
    return RosterImport.objects.filter(enterprise=enterprise).select_related("uploaded_by")


def enrollable_workers(*, enterprise: Enterprise, ids: list[int]) -> QuerySet[WorkerProfile]:
    """Of the chosen workers, those the enterprise's administrator may enrol: its own."""
    return WorkerProfile.objects.filter(employer=enterprise, pk__in=ids)
