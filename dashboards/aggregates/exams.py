"""Exams and centres: theory and practical figures per subject, centre and week."""

import datetime
from collections import defaultdict

from django.db.models import Count, F, IntegerField, Min, Q, Sum, Value
from django.db.models.functions import TruncWeek
from django.utils import timezone

from exams.models import Booking, ExamResult, PracticalSession, TheoryAttempt

from ..models import ExamWeekly
from .common import ATTENDED, BOOKED, WAITING, as_date, week_start


def first_changed_exam_week(
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


def exam_weeks_write(first_week: datetime.date) -> None:
    zone = timezone.get_current_timezone()
    since = datetime.datetime.combine(first_week, datetime.time.min, tzinfo=zone)
    rows: dict[tuple, dict] = defaultdict(dict)

    def add(grouped, key_fields, week_field="week"):
        for row in grouped:
            key = (as_date(row[week_field]), *(row[field] for field in key_fields))
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
