"""The campaign-wide figures (home-page counters) read from the same aggregates as the
dashboards, so the two always agree (see core.figures)."""

from django.db.models import Sum

from accounts.models import Enterprise

from .models import ProgressFact


def compute() -> dict[str, int]:
    totals = ProgressFact.objects.filter(scope=ProgressFact.Scope.DISTRICT).aggregate(
        registered=Sum("registered"),
        trained=Sum("trained"),
        examined=Sum("examined"),
        certified=Sum("certified"),
    )
    return {
        **{key: value or 0 for key, value in totals.items()},
        "enterprises": Enterprise.objects.count(),
    }
