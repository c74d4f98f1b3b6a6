"""Progress summaries per district, industry and enterprise, recomputed in a few grouped
queries by Celery beat, so progress pages read a bounded number of rows at any campaign size."""

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q

from accounts.models import District, Enterprise, Industry, WorkerProfile

from .models import CampaignTarget, Enrollment, ProgressSummary, TrainingRecord

SCOPES = (
    (ProgressSummary.Scope.DISTRICT, "district", District),
    (ProgressSummary.Scope.INDUSTRY, "industry", Industry),
    (ProgressSummary.Scope.ENTERPRISE, "employer", Enterprise),
)


@transaction.atomic
def progress_summaries_refresh() -> int:
    """Recompute every summary row (idempotent). Returns how many rows were written."""
    workers = WorkerProfile.objects.annotate(
        has_enrolment=Exists(Enrollment.objects.filter(worker=OuterRef("pk"))),
        has_training=Exists(TrainingRecord.objects.filter(worker=OuterRef("pk"))),
    )
    targets = {
        ProgressSummary.Scope.DISTRICT: dict(
            CampaignTarget.objects.filter(district__isnull=False).values_list(
                "district_id", "target"
            )
        ),
        ProgressSummary.Scope.ENTERPRISE: dict(
            CampaignTarget.objects.filter(enterprise__isnull=False).values_list(
                "enterprise_id", "target"
            )
        ),
    }
    rows = []
    for scope, field, model in SCOPES:
        counts = {
            row[field]: row
            for row in workers.filter(**{f"{field}__isnull": False})
            .values(field)
            .annotate(
                registered=Count("id"),
                enrolled=Count("id", filter=Q(has_enrolment=True)),
                trained=Count("id", filter=Q(has_training=True)),
            )
            .order_by()
        }
        scope_targets = targets.get(scope, {})
        for pk, label in model.objects.filter(pk__in=set(counts) | set(scope_targets)).values_list(
            "pk", "name"
        ):
            count = counts.get(pk, {})
            rows.append(
                ProgressSummary(
                    scope=scope,
                    scope_id=pk,
                    label=label,
                    registered=count.get("registered", 0),
                    enrolled=count.get("enrolled", 0),
                    trained=count.get("trained", 0),
                    target=scope_targets.get(pk),
                )
            )
    # Scopes with no workers and no target any more leave the summaries.
    for scope, _field, _model in SCOPES:
        current = [row.scope_id for row in rows if row.scope == scope]
        ProgressSummary.objects.filter(scope=scope).exclude(scope_id__in=current).delete()
    ProgressSummary.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["scope", "scope_id"],
        update_fields=["label", "registered", "enrolled", "trained", "target", "refreshed_at"],
        batch_size=1000,
    )
    return len(rows)
