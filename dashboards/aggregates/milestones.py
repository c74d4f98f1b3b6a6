"""Milestones: each worker's first enrolment, training, exam and certificate, upserted."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, Count, F, Max, Min, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from accounts.models import WorkerProfile
from certificates.models import Certificate
from exams.models import TheoryAttempt
from training.models import Enrollment, TrainingRecord

from ..models import ProgressFact, SizeBand, WorkerMilestones
from .common import CHUNK


def _first(model, field: str, worker_field: str = "worker", **conditions):
    """The earliest ``field`` among the worker's rows of ``model`` (a correlated subquery)."""
    return Subquery(
        model.objects.filter(**{worker_field: OuterRef("pk")}, **conditions)
        .order_by()
        .values(worker_field)
        .annotate(first=Min(field))
        .values("first")[:1]
    )


def _size_band():
    return Case(
        When(employer__headcount__isnull=True, then=Value(SizeBand.UNKNOWN.value)),
        When(employer__headcount__lt=20, then=Value(SizeBand.MICRO.value)),
        When(employer__headcount__lt=300, then=Value(SizeBand.SMALL.value)),
        When(employer__headcount__lt=1000, then=Value(SizeBand.MEDIUM.value)),
        default=Value(SizeBand.LARGE.value),
    )


def _milestone_select(workers):
    """A SELECT giving one milestone row per worker, columns in ``_MILESTONE_COLUMNS`` order."""
    zone = timezone.get_current_timezone()
    submitted = TheoryAttempt.Status.SUBMITTED
    columns = {
        "worker_id": F("pk"),
        "district_id": F("district_id"),
        # A worker's own industry, else their employer's.
        "industry_id": Coalesce("industry_id", "employer__industry_id"),
        "enterprise_id": F("employer_id"),
        "size_band": _size_band(),
        "registered_on": TruncDate("created_at", tzinfo=zone),
        "enrolled_on": TruncDate(_first(Enrollment, "created_at"), tzinfo=zone),
        "trained_on": TruncDate(_first(TrainingRecord, "completed_at"), tzinfo=zone),
        "examined_on": TruncDate(
            _first(TheoryAttempt, "submitted_at", status=submitted), tzinfo=zone
        ),
        "theory_passed_on": TruncDate(
            _first(TheoryAttempt, "submitted_at", status=submitted, passed=True), tzinfo=zone
        ),
        "certified_on": _first(
            Certificate, "issued_on", worker_field="holder", state=Certificate.State.ACTIVE
        ),
    }
    aliased = {f"m_{name}": expression for name, expression in columns.items()}
    return list(columns), workers.order_by().annotate(**aliased).values_list(*aliased)


@dataclass
class Touched:
    """What a milestone rewrite touched: the districts and enterprises to regroup (None: all),
    and the workers who changed district (their theory rows follow them)."""

    districts: set[int] | None
    enterprises: set[int] | None
    moved_workers: set[int]


def milestones_write(workers: set[int] | None) -> Touched:
    """Rewrite the milestone rows of ``workers`` (all when None), chunk by chunk, noting where
    they were before. (Rows of deleted workers go with them: a cascading foreign key.)"""
    if workers is None:
        bounds = WorkerProfile.objects.aggregate(low=Min("pk"), high=Max("pk"))
        if bounds["low"] is not None:
            for low in range(bounds["low"], bounds["high"] + 1, CHUNK):
                _milestones_upsert(WorkerProfile.objects.filter(pk__gte=low, pk__lt=low + CHUNK))
        return Touched(districts=None, enterprises=None, moved_workers=set())
    districts: set[int] = set()
    enterprises: set[int] = set()
    moved: set[int] = set()
    ordered = sorted(workers)
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        rows = WorkerMilestones.objects.filter(worker__in=chunk)
        before = {
            worker: (district, enterprise)
            for worker, district, enterprise in rows.values_list(
                "worker_id", "district_id", "enterprise_id"
            )
        }
        _milestones_upsert(WorkerProfile.objects.filter(pk__in=chunk))
        after = {
            worker: (district, enterprise)
            for worker, district, enterprise in rows.values_list(
                "worker_id", "district_id", "enterprise_id"
            )
        }
        for place in (*before.values(), *after.values()):
            districts.add(place[0])
            if place[1] is not None:
                enterprises.add(place[1])
        moved |= {
            worker
            for worker, place in before.items()
            if worker in after and after[worker][0] != place[0]
        }
    return Touched(districts=districts, enterprises=enterprises, moved_workers=moved)


def _milestones_upsert(workers) -> None:
    table = connection.ops.quote_name(WorkerMilestones._meta.db_table)
    names, select = _milestone_select(workers)
    sql, params = select.query.sql_with_params()
    quoted = [connection.ops.quote_name(name) for name in names]
    updates = ", ".join(f"{name} = excluded.{name}" for name in quoted[1:])
    # Identifiers come from the model, values stay parameters. "WHERE true" keeps SQLite
    # from reading ON CONFLICT as a join condition.
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(quoted)}) SELECT * FROM ({sql}) AS source "  # noqa: S608
            f"WHERE true ON CONFLICT ({quoted[0]}) DO UPDATE SET {updates}",
            params,
        )


def out_of_step() -> tuple[set[int], set[int]]:
    """Districts and enterprises whose stored head count no longer matches their milestone
    rows (a worker was deleted): two grouped scans of the narrow milestone table."""

    def differing(counted: dict, stored: dict) -> set:
        return {
            key
            for key in counted.keys() | stored.keys()
            if counted.get(key, 0) != stored.get(key, 0)
        }

    milestones = WorkerMilestones.objects.order_by()
    districts = differing(
        dict(milestones.values_list("district_id").annotate(count=Count("pk"))),
        dict(
            ProgressFact.objects.filter(scope=ProgressFact.Scope.DISTRICT).values_list(
                "district_id", "registered"
            )
        ),
    )
    enterprises = differing(
        dict(
            milestones.exclude(enterprise=None)
            .values_list("enterprise_id")
            .annotate(count=Count("pk"))
        ),
        {
            int(key): registered
            for key, registered in ProgressFact.objects.filter(
                scope=ProgressFact.Scope.ENTERPRISE
            ).values_list("key", "registered")
        },
    )
    return districts, enterprises
