"""Reads for the dashboards and the weekly reports: each returns a bounded number of rows from
the precomputed aggregates (``models.py``), scoped to what the viewer may see."""

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Enterprise
from certificates.models import Certificate
from core.figures import percent_of

from .aggregates import MARK, week_start
from .aggregates.common import STEPS
from .models import (
    EventFigures,
    ExamWeekly,
    ProgressFact,
    RefreshMark,
    ReviewDue,
    SizeBand,
    WeeklyProgress,
    WorkerMilestones,
)
from .scopes import Scope

# A row of values() with the sums of a group: the sums are named at run time (COUNTS,
# EXAM_COUNTS), so to the type checker it is a mapping of any names.
SummedRow = Mapping[str, Any]

COUNTS = ("registered", *STEPS)
EXAM_COUNTS = (
    "theory_sat",
    "theory_passed",
    "seats",
    "booked",
    "attended",
    "no_show",
    "waiting",
    "practical_passed",
    "practical_failed",
)
_TREND = ("trained", "examined", "certified")
PERIODS = (4, 13, 26, 52)  # weeks a viewer may narrow the exam figures and the trend to


def sums(queryset, names) -> dict[str, int]:
    totals = queryset.aggregate(**{name: Sum(name) for name in names})
    return {name: totals[name] or 0 for name in names}


def headline(scope: Scope) -> dict:
    """The funnel against the target: the campaign's million, or the district's own."""
    facts = scope.facts(ProgressFact.Scope.DISTRICT)
    totals = sums(facts, (*COUNTS, "target"))
    target = totals.pop("target") if scope.district else settings.ANXUN_CAMPAIGN_TARGET
    return {
        **totals,
        "target": target or None,
        "percent": percent_of(totals["trained"], target),
        "percents": {name: percent_of(totals[name], target) for name in COUNTS},
    }


def district_rows(scope: Scope) -> list[dict]:
    rows = scope.facts(ProgressFact.Scope.DISTRICT).order_by("district__code")
    return [
        {
            "code": row["district__code"],
            "label": row["label"],
            **{name: row[name] for name in COUNTS},
            "target": row["target"],
            "percent": percent_of(row["trained"], row["target"]),
        }
        for row in rows.values("district__code", "label", "target", *COUNTS)
    ]


def breakdown_rows(scope: Scope, by: str) -> list[dict]:
    """Progress by industry or enterprise size, summed over the districts in scope."""
    grouped: Iterable[SummedRow] = (
        scope.facts(by)
        .values("key", "label")
        .annotate(**{name: Sum(name) for name in COUNTS})
        .order_by("-registered", "key")
    )
    labels = dict(SizeBand.choices)
    rows = []
    for row in grouped:
        if by == ProgressFact.Scope.INDUSTRY:
            label = row["label"] or _("industry not recorded")
        else:
            label = labels.get(row["key"], SizeBand.UNKNOWN.label)
        rows.append(
            {
                **row,
                "label": str(label),
                "percent": percent_of(row["trained"], row["registered"]),
            }
        )
    return rows


def enterprise_facts(scope: Scope) -> QuerySet[ProgressFact]:
    """Enterprise rows in scope (enterprises belong to their own district)."""
    return (
        scope.facts(ProgressFact.Scope.ENTERPRISE)
        .select_related("district", "industry")
        .order_by("label", "key")
    )


def weekly_trend(scope: Scope, *, weeks: int | None) -> list[dict]:
    """Cumulative workers per step at the end of each week, over the last ``weeks`` (all: None)."""
    grouped = WeeklyProgress.objects.all()
    if scope.district:
        grouped = grouped.filter(district=scope.district)
    summed: Iterable[SummedRow] = (
        grouped.values("week")
        .annotate(**{name: Sum(name) for name in ("registered", "enrolled", *_TREND)})
        .order_by("week")
    )
    running = dict.fromkeys(("registered", "enrolled", *_TREND), 0)
    rows = []
    for row in summed:
        for name in running:
            running[name] += row[name]
        rows.append({"week": row["week"], **running})
    if weeks:
        first = week_start(timezone.localdate()) - datetime.timedelta(weeks=weeks - 1)
        rows = [row for row in rows if row["week"] >= first]
    return rows


def _exam_weeks(scope: Scope, weeks: int | None) -> QuerySet[ExamWeekly]:
    rows = ExamWeekly.objects.all()
    if scope.district:
        rows = rows.filter(district=scope.district)
    if weeks:
        rows = rows.filter(
            week__gte=week_start(timezone.localdate()) - datetime.timedelta(weeks=weeks - 1)
        )
    return rows


def subject_rows(scope: Scope, *, weeks: int | None) -> list[dict]:
    """Theory and practical pass rates by subject (theory: the scope's workers; practical: the
    scope's centres)."""
    grouped: Iterable[SummedRow] = (
        _exam_weeks(scope, weeks)
        .values("subject_id", "subject__name")
        .annotate(**{name: Sum(name) for name in EXAM_COUNTS})
        .order_by("subject__name")
    )
    return [
        {
            **row,
            "label": row["subject__name"],
            "theory_rate": percent_of(row["theory_passed"], row["theory_sat"]),
            "practical_rate": percent_of(
                row["practical_passed"], row["practical_passed"] + row["practical_failed"]
            ),
        }
        for row in grouped
    ]


def centre_rows(scope: Scope, *, weeks: int | None) -> list[dict]:
    """Utilisation and practical pass rate per exam centre in scope."""
    grouped: Iterable[SummedRow] = (
        _exam_weeks(scope, weeks)
        .exclude(center=None)
        .values("center_id", "center__name", "district__name")
        .annotate(**{name: Sum(name) for name in EXAM_COUNTS})
        .order_by("district__name", "center__name")
    )
    return [
        {
            **row,
            "label": row["center__name"],
            "utilisation": percent_of(row["booked"], row["seats"]),
            "no_show_rate": percent_of(row["no_show"], row["booked"]),
            "practical_rate": percent_of(
                row["practical_passed"], row["practical_passed"] + row["practical_failed"]
            ),
        }
        for row in grouped
    ]


def reviews_due_rows(scope: Scope) -> list[SummedRow]:
    """Certificates due for review in the next 90 days, week by week."""
    rows = ReviewDue.objects.all()
    if scope.district:
        rows = rows.filter(district=scope.district)
    return list(rows.values("week").annotate(certificates=Sum("certificates")).order_by("week"))


def event_rows(scope: Scope) -> QuerySet[EventFigures]:
    """CMS events and experience-hall sessions with their registrations (a district officer
    sees the district's own and the city-wide ones)."""
    rows = EventFigures.objects.select_related("district").order_by("-starts_at")
    if scope.district:
        rows = rows.filter(Q(district=scope.district) | Q(district=None))
    return rows


def refreshed_at() -> datetime.datetime | None:
    return RefreshMark.objects.filter(name=MARK).values_list("refreshed_at", flat=True).first()


def enterprise_fact(enterprise: Enterprise) -> ProgressFact | None:
    return ProgressFact.objects.filter(
        scope=ProgressFact.Scope.ENTERPRISE, key=str(enterprise.pk)
    ).first()


def certificates_expiring(*, enterprise: Enterprise, today: datetime.date | None = None):
    """The enterprise's certificates in force whose review or expiry falls in the next 90 days."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=90)
    return (
        Certificate.objects.filter(
            holder__employer=enterprise, state=Certificate.State.ACTIVE, valid_until__gte=today
        )
        # The review always falls before expiry (a database check), so this also catches
        # every certificate that expires within the horizon, and it can use the index.
        .filter(review_due__lte=horizon)
        .select_related("holder", "subject")
        .order_by("review_due", "pk")
    )


def workers_not_started(*, enterprise: Enterprise):
    """The enterprise's workers not enrolled in any course, as of the last refresh: read from
    the milestones (an index on enterprise and enrolment day), not by joining every enrolment."""
    return (
        WorkerMilestones.objects.filter(enterprise=enterprise, enrolled_on=None)
        .select_related("worker__user")
        .order_by("worker__real_name", "worker_id")
    )
