"""Progress by district, industry, size and enterprise, and the weekly trend."""

from collections import defaultdict

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import TruncWeek

from accounts.models import District
from training.models import CampaignTarget

from ..models import ProgressFact, WeeklyProgress, WorkerMilestones
from .common import STEPS, as_date


def _step_counts():
    return {
        "registered": Count("pk"),
        **{step: Count(f"{step}_on") for step in STEPS},
    }


def progress_facts_write(*, districts, enterprises, now) -> None:
    milestones = WorkerMilestones.objects.order_by()
    facts = ProgressFact.objects.all()
    if districts is not None:
        milestones = milestones.filter(district__in=districts)
        facts = facts.filter(district__in=districts)
    district_targets = dict(
        CampaignTarget.objects.exclude(district=None).values_list("district_id", "target")
    )
    district_names = dict(District.objects.values_list("pk", "name"))
    rows = []

    def fact(scope, district_id, key, counts, **extra):
        rows.append(
            ProgressFact(
                scope=scope,
                district_id=district_id,
                key=str(key),
                refreshed_at=now,
                **{name: counts[name] for name in ("registered", *STEPS)},
                **extra,
            )
        )

    for counts in milestones.values("district_id").annotate(**_step_counts()):
        district_id = counts["district_id"]
        fact(
            ProgressFact.Scope.DISTRICT,
            district_id,
            district_id,
            counts,
            label=district_names[district_id],
            target=district_targets.get(district_id),
        )
    for counts in milestones.values("district_id", "industry_id", "industry__name").annotate(
        **_step_counts()
    ):
        fact(
            ProgressFact.Scope.INDUSTRY,
            counts["district_id"],
            counts["industry_id"] or "",
            counts,
            label=counts["industry__name"] or "",
            industry_id=counts["industry_id"],
        )
    for counts in milestones.values("district_id", "size_band").annotate(**_step_counts()):
        fact(ProgressFact.Scope.SIZE, counts["district_id"], counts["size_band"], counts)
    # Districts with a target but nobody registered yet still show, at zero.
    counted = {row.district_id for row in rows}
    for district_id, target in district_targets.items():
        if district_id not in counted and (districts is None or district_id in districts):
            zero = dict.fromkeys(("registered", *STEPS), 0)
            fact(
                ProgressFact.Scope.DISTRICT,
                district_id,
                district_id,
                zero,
                label=district_names[district_id],
                target=target,
            )

    enterprise_rows = WorkerMilestones.objects.order_by().exclude(enterprise=None)
    enterprise_facts = ProgressFact.objects.filter(scope=ProgressFact.Scope.ENTERPRISE)
    if enterprises is not None:
        enterprise_rows = enterprise_rows.filter(enterprise__in=enterprises)
        enterprise_facts = enterprise_facts.filter(key__in=[str(pk) for pk in enterprises])
    enterprise_targets = CampaignTarget.objects.filter(enterprise=OuterRef("enterprise_id"))
    counted_enterprises = set()
    for by_enterprise in enterprise_rows.values(
        "enterprise_id", "enterprise__district_id", "enterprise__name", "enterprise__industry_id"
    ).annotate(**_step_counts(), target=Subquery(enterprise_targets.values("target")[:1])):
        counted_enterprises.add(by_enterprise["enterprise_id"])
        fact(
            ProgressFact.Scope.ENTERPRISE,
            by_enterprise["enterprise__district_id"],
            by_enterprise["enterprise_id"],
            by_enterprise,
            label=by_enterprise["enterprise__name"],
            industry_id=by_enterprise["enterprise__industry_id"],
            target=by_enterprise["target"],
        )
    # Enterprises with a target and nobody registered yet are the furthest behind: they show.
    targeted = CampaignTarget.objects.exclude(enterprise=None).exclude(
        enterprise__in=counted_enterprises
    )
    if enterprises is not None:
        targeted = targeted.filter(enterprise__in=enterprises)
    for campaign_target in targeted.select_related("enterprise"):
        enterprise = campaign_target.enterprise
        assert enterprise is not None  # the query excluded targets of no enterprise
        fact(
            ProgressFact.Scope.ENTERPRISE,
            enterprise.district_id,
            enterprise.pk,
            dict.fromkeys(("registered", *STEPS), 0),
            label=enterprise.name,
            industry_id=enterprise.industry_id,
            target=campaign_target.target,
        )

    # Rows of these scopes not written now (nobody left in them) go.
    facts.exclude(scope=ProgressFact.Scope.ENTERPRISE).delete()
    enterprise_facts.delete()
    ProgressFact.objects.bulk_create(rows, batch_size=2000)


# --- Weekly trend -------------------------------------------------------------------------


def weekly_progress_write(districts) -> None:
    milestones = WorkerMilestones.objects.order_by()
    weeks = WeeklyProgress.objects.all()
    if districts is not None:
        milestones = milestones.filter(district__in=districts)
        weeks = weeks.filter(district__in=districts)
    counts: dict[tuple, dict] = defaultdict(dict)
    for step in ("registered", "enrolled", "trained", "examined", "certified"):
        field = f"{step}_on"
        grouped = (
            milestones.exclude(**{field: None})
            .annotate(week=TruncWeek(field))
            .values("district_id", "week")
            .annotate(count=Count("pk"))
        )
        for row in grouped:
            counts[(row["district_id"], as_date(row["week"]))][step] = row["count"]
    weeks.delete()
    WeeklyProgress.objects.bulk_create(
        [
            WeeklyProgress(district_id=district_id, week=week, **values)
            for (district_id, week), values in counts.items()
        ],
        batch_size=2000,
    )
