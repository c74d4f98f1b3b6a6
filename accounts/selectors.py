"""Reads for accounts, already scoped by ``permissions`` and shaped for their pages."""

from django.db.models import Q, QuerySet

from .models import Enterprise, WorkerProfile
from .permissions import enterprises_visible_to, workers_visible_to


def worker_roster(*, viewer) -> QuerySet[WorkerProfile]:
    return (
        workers_visible_to(viewer)
        .select_related("user", "employer", "district", "industry")
        .order_by("employer__name", "real_name", "pk")
    )


def enterprise_suggestions(*, text: str, limit: int = 10) -> list[Enterprise]:
    """Registered enterprises (public register data) whose name contains the text or whose
    credit code starts with it."""
    return list(
        Enterprise.objects.filter(Q(name__contains=text) | Q(uscc__startswith=text.upper()))
        .select_related("district")
        .order_by("name")[:limit]
    )


def enterprise_directory(*, viewer) -> QuerySet[Enterprise]:
    return (
        enterprises_visible_to(viewer)
        .select_related("district", "industry")
        .order_by("district__sort_order", "name", "pk")
    )
