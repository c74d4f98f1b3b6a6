"""Rebuild the campaign aggregates (``models.py``) from the source tables.

``aggregates_refresh`` is incremental and idempotent: it finds the workers whose records changed
since the last run (less an overlap for transactions that committed late), rewrites their
milestone rows with one ``INSERT … SELECT … ON CONFLICT`` per chunk, then regroups only the
districts and enterprises those workers belong to and the exam weeks that changed. Running it
twice writes the same rows; ``full=True`` rebuilds everything.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate, TruncWeek
from django.utils import timezone

from accounts.models import District, Enterprise, WorkerProfile
from certificates.models import Certificate
from cms.models import EventPage, EventRegistration
from exams.models import Booking, ExamResult, PracticalSession, TheoryAttempt
from training.models import CampaignTarget, Enrollment, TrainingRecord

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

OVERLAP = datetime.timedelta(minutes=10)
CHUNK = 20_000
# Past this many changed workers a full rebuild is cheaper than following each one.
FULL_REBUILD_FROM = 200_000
REVIEW_HORIZON_DAYS = 90
MARK = "aggregates"

STEPS = ("enrolled", "trained", "examined", "theory_passed", "certified")

BOOKED = [
    Booking.Status.CONFIRMED,
    Booking.Status.CHECKED_IN,
    Booking.Status.SCORES_DIFFER,
    Booking.Status.COMPLETED,
    Booking.Status.NO_SHOW,
]
ATTENDED = Booking.ATTENDED
WAITING = [Booking.Status.WAITLISTED, Booking.Status.OFFERED]


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


@transaction.atomic
def aggregates_refresh(*, full: bool = False, now: datetime.datetime | None = None) -> dict:
    """Bring every aggregate up to date; returns what was recomputed (for logs and tests)."""
    now = now or timezone.now()
    mark, _created = RefreshMark.objects.select_for_update().get_or_create(name=MARK)
    since = None if full or mark.refreshed_at is None else mark.refreshed_at - OVERLAP

    workers = _changed_workers(since)
    if workers is not None and len(workers) > FULL_REBUILD_FROM:
        since, workers = None, None
    touched = _milestones_write(workers)
    districts, enterprises = touched.districts, touched.enterprises
    if since is not None:
        # Deleted workers leave no row to find them by: the counts give them away.
        stale_districts, stale_enterprises = _out_of_step()
        targets = CampaignTarget.objects.filter(updated_at__gte=since)
        districts |= stale_districts | set(
            targets.exclude(district=None).values_list("district_id", flat=True)
        )
        enterprises |= stale_enterprises | set(
            targets.exclude(enterprise=None).values_list("enterprise_id", flat=True)
        )
    _progress_facts_write(districts=districts, enterprises=enterprises, now=now)
    _weekly_progress_write(districts)
    first_exam_week = _first_changed_exam_week(since, moved_workers=touched.moved_workers, now=now)
    if first_exam_week is not None:
        _exam_weeks_write(first_exam_week)
    _reviews_due_write(timezone.localdate(now))
    _event_figures_write()

    mark.refreshed_at = now
    mark.save(update_fields=["refreshed_at"])
    return {
        "workers": None if workers is None else len(workers),
        "districts": None if districts is None else len(districts),
        "exam_weeks_from": first_exam_week,
    }


# --- Which workers changed --------------------------------------------------------------

# The tables whose ``updated_at`` the incremental run follows.
SOURCES = (
    WorkerProfile,
    Enterprise,
    Enrollment,
    TrainingRecord,
    TheoryAttempt,
    Certificate,
    Booking,
    ExamResult,
    PracticalSession,
    CampaignTarget,
)


def _changed_workers(since) -> set[int] | None:
    """Ids of workers whose funnel may have moved since ``since``; None means all of them."""
    if since is None:
        return None
    changed = set(
        WorkerProfile.objects.filter(
            Q(updated_at__gte=since) | Q(employer__updated_at__gte=since)
        ).values_list("pk", flat=True)
    )
    for model, worker_field in (
        (Enrollment, "worker_id"),
        (TrainingRecord, "worker_id"),
        (TheoryAttempt, "worker_id"),
        (Certificate, "holder_id"),
    ):
        changed.update(
            model.objects.filter(updated_at__gte=since).values_list(worker_field, flat=True)
        )
    return changed


# --- Milestones ---------------------------------------------------------------------------


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


def _milestones_write(workers: set[int] | None) -> Touched:
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


def _out_of_step() -> tuple[set[int], set[int]]:
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


# --- Progress by district, industry, size and enterprise -------------------------------


def _step_counts():
    return {
        "registered": Count("pk"),
        **{step: Count(f"{step}_on") for step in STEPS},
    }


def _progress_facts_write(*, districts, enterprises, now) -> None:
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
    for counts in enterprise_rows.values(
        "enterprise_id", "enterprise__district_id", "enterprise__name", "enterprise__industry_id"
    ).annotate(**_step_counts(), target=Subquery(enterprise_targets.values("target")[:1])):
        counted_enterprises.add(counts["enterprise_id"])
        fact(
            ProgressFact.Scope.ENTERPRISE,
            counts["enterprise__district_id"],
            counts["enterprise_id"],
            counts,
            label=counts["enterprise__name"],
            industry_id=counts["enterprise__industry_id"],
            target=counts["target"],
        )
    # Enterprises with a target and nobody registered yet are the furthest behind: they show.
    targeted = CampaignTarget.objects.exclude(enterprise=None).exclude(
        enterprise__in=counted_enterprises
    )
    if enterprises is not None:
        targeted = targeted.filter(enterprise__in=enterprises)
    for target in targeted.select_related("enterprise"):
        enterprise = target.enterprise
        fact(
            ProgressFact.Scope.ENTERPRISE,
            enterprise.district_id,
            enterprise.pk,
            dict.fromkeys(("registered", *STEPS), 0),
            label=enterprise.name,
            industry_id=enterprise.industry_id,
            target=target.target,
        )

    # Rows of these scopes not written now (nobody left in them) go.
    facts.exclude(scope=ProgressFact.Scope.ENTERPRISE).delete()
    enterprise_facts.delete()
    ProgressFact.objects.bulk_create(rows, batch_size=2000)


# --- Weekly trend -------------------------------------------------------------------------


def _weekly_progress_write(districts) -> None:
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
            counts[(row["district_id"], _as_date(row["week"]))][step] = row["count"]
    weeks.delete()
    WeeklyProgress.objects.bulk_create(
        [
            WeeklyProgress(district_id=district_id, week=week, **values)
            for (district_id, week), values in counts.items()
        ],
        batch_size=2000,
    )


def _as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


# --- Exams and centres --------------------------------------------------------------------


def _first_changed_exam_week(
    since, *, moved_workers: set[int], now: datetime.datetime
) -> datetime.date | None:
    """The earliest week whose exam figures may have changed since ``since`` (None: none did;
    the first run starts from the first exam ever).

    A booking moves to another session, and a session to another time, only while it is still
    ahead; so when any changed, rebuilding from this week on also rebuilds the week they left.
    Workers who moved district take their theory exams with them, from their first one."""
    if since is None:
        starts = [
            TheoryAttempt.objects.aggregate(first=Min("submitted_at"))["first"],
            PracticalSession.objects.aggregate(first=Min("starts_at"))["first"],
        ]
    else:
        starts = [
            TheoryAttempt.objects.filter(updated_at__gte=since).aggregate(
                first=Min("submitted_at")
            )["first"],
            PracticalSession.objects.filter(updated_at__gte=since).aggregate(
                first=Min("starts_at")
            )["first"],
            Booking.objects.filter(updated_at__gte=since).aggregate(
                first=Min("session__starts_at")
            )["first"],
            ExamResult.objects.filter(updated_at__gte=since).aggregate(
                first=Min("booking__session__starts_at")
            )["first"],
            TheoryAttempt.objects.filter(worker__in=moved_workers).aggregate(
                first=Min("submitted_at")
            )["first"],
        ]
        moving = Q(updated_at__gte=since)
        if (
            Booking.objects.filter(moving).exists()
            or PracticalSession.objects.filter(moving).exists()
        ):
            starts.append(now)
    starts = [timezone.localdate(moment) for moment in starts if moment is not None]
    return week_start(min(starts)) if starts else None


def _exam_weeks_write(first_week: datetime.date) -> None:
    zone = timezone.get_current_timezone()
    since = datetime.datetime.combine(first_week, datetime.time.min, tzinfo=zone)
    rows: dict[tuple, dict] = defaultdict(dict)

    def add(grouped, key_fields, week_field="week"):
        for row in grouped:
            key = (_as_date(row[week_field]), *(row[field] for field in key_fields))
            rows[key].update(
                {
                    name: value
                    for name, value in row.items()
                    if name not in (week_field, *key_fields)
                }
            )

    theory_week = TruncWeek("submitted_at", tzinfo=zone)
    add(
        TheoryAttempt.objects.filter(status=TheoryAttempt.Status.SUBMITTED, submitted_at__gte=since)
        .order_by()
        .annotate(week=theory_week, district=F("worker__district_id"), center=_none())
        .values("week", "district", "subject_id", "center")
        .annotate(theory_sat=Count("pk"), theory_passed=Count("pk", filter=Q(passed=True))),
        ("district", "subject_id", "center"),
    )
    practical = ("district", "subject_id", "center_key")
    add(
        _per_session_week(
            PracticalSession.objects.filter(cancelled=False, starts_at__gte=since), "", zone
        ).annotate(seats=Sum("capacity")),
        practical,
    )
    add(
        _per_session_week(
            Booking.objects.filter(session__cancelled=False, session__starts_at__gte=since),
            "session__",
            zone,
        ).annotate(
            booked=Count("pk", filter=Q(status__in=BOOKED)),
            attended=Count("pk", filter=Q(status__in=ATTENDED)),
            no_show=Count("pk", filter=Q(status=Booking.Status.NO_SHOW)),
            waiting=Count("pk", filter=Q(status__in=WAITING)),
        ),
        practical,
    )
    add(
        _per_session_week(
            ExamResult.objects.filter(booking__session__starts_at__gte=since),
            "booking__session__",
            zone,
        ).annotate(
            practical_passed=Count("pk", filter=Q(passed=True)),
            practical_failed=Count("pk", filter=Q(passed=False)),
        ),
        practical,
    )
    ExamWeekly.objects.filter(week__gte=first_week).delete()
    ExamWeekly.objects.bulk_create(
        [
            ExamWeekly(
                week=week, district_id=district, subject_id=subject, center_id=center, **values
            )
            for (week, district, subject, center), values in rows.items()
        ],
        batch_size=2000,
    )


def _per_session_week(queryset, session: str, zone):
    """Rows grouped by the week, district, subject and centre of their session (``session``
    is the path to it: "" for sessions themselves)."""
    return (
        queryset.order_by()
        .annotate(
            week=TruncWeek(f"{session}starts_at", tzinfo=zone),
            district=F(f"{session}center__district_id"),
            center_key=F(f"{session}center_id"),
        )
        .values("week", "district", "subject_id", "center_key")
    )


def _none():
    return Value(None, output_field=IntegerField())


# --- Reviews due and events ---------------------------------------------------------------


def _reviews_due_write(today: datetime.date) -> None:
    horizon = today + datetime.timedelta(days=REVIEW_HORIZON_DAYS)
    grouped = (
        Certificate.objects.filter(
            state=Certificate.State.ACTIVE, review_due__gte=today, review_due__lte=horizon
        )
        .order_by()
        .annotate(week=TruncWeek("review_due"))
        .values("holder__district_id", "week")
        .annotate(certificates=Count("pk"))
    )
    rows = [
        ReviewDue(
            district_id=row["holder__district_id"],
            week=_as_date(row["week"]),
            certificates=row["certificates"],
        )
        for row in grouped
    ]
    ReviewDue.objects.all().delete()
    ReviewDue.objects.bulk_create(rows)


def _event_figures_write() -> None:
    registrations = {
        row["page_id"]: row
        for row in EventRegistration.objects.order_by()
        .values("page_id")
        .annotate(registrations=Count("pk"), attendees=Sum("attendees"))
    }
    rows = [
        EventFigures(
            page_id=event.pk,
            title=event.title,
            kind=event.kind,
            district_id=event.district_id,
            starts_at=event.starts_at,
            capacity=event.capacity,
            registrations=registrations.get(event.pk, {}).get("registrations", 0),
            attendees=registrations.get(event.pk, {}).get("attendees") or 0,
        )
        for event in EventPage.objects.live().only(
            "pk", "title", "kind", "district_id", "starts_at", "capacity"
        )
    ]
    EventFigures.objects.all().delete()
    EventFigures.objects.bulk_create(rows)
