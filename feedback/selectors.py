"""Reads: what a worker may rate, their ratings and cases, and satisfaction per centre and
course (the cases a member of staff may see: ``feedback.scopes``)."""

import datetime

from django.conf import settings
from django.db.models import Avg, Count, F, Q, QuerySet
from django.utils import timezone

from certificates.models import Certificate
from core.figures import percent_of
from core.models import AuditEvent
from exams.models import Booking
from training.models import TrainingRecord

from .models import Case, Rating, Service


def rateable_services(*, worker, now=None) -> list[dict]:
    """The worker's recent service events not rated yet (three small queries)."""
    now = now or timezone.now()
    since = now - datetime.timedelta(days=settings.ANXUN_RATING_DAYS)
    items = []
    for booking in Booking.objects.filter(
        worker=worker,
        status=Booking.Status.COMPLETED,
        result__decided_at__gte=since,
        rating__isnull=True,
    ).select_related("session__center", "subject"):
        items.append(
            {
                "service": Service.PRACTICAL_EXAM,
                "event_id": booking.pk,
                "what": f"{booking.subject.name} · {booking.session.center.name}",
                "when": booking.session.starts_at,
            }
        )
    for certificate in Certificate.objects.filter(
        holder=worker, created_at__gte=since, rating__isnull=True
    ).select_related("center", "subject"):
        items.append(
            {
                "service": Service.CERTIFICATE_DESK,
                "event_id": certificate.pk,
                "what": f"{certificate.number} · {certificate.center.name}",
                "when": certificate.created_at,
            }
        )
    for record in TrainingRecord.objects.filter(
        worker=worker, completed_at__gte=since, rating__isnull=True
    ).select_related("course"):
        items.append(
            {
                "service": Service.COURSE,
                "event_id": record.pk,
                "what": record.course.title,
                "when": record.completed_at,
            }
        )
    return sorted(items, key=lambda item: item["when"], reverse=True)


def my_ratings(*, worker) -> QuerySet[Rating]:
    return (
        Rating.objects.filter(worker=worker)
        .select_related("center", "course", "case")
        .order_by("-created_at", "-pk")
    )


def satisfaction_rows(*, district=None, center_ids=None, courses: bool = True) -> list[dict]:
    """Per centre (and per course): ratings, average stars, low ratings, cases, and how many
    callbacks and rectifications were on time. Grouped queries, one row per centre/course."""
    ratings = Rating.objects.order_by()
    cases = Case.objects.order_by()
    if district is not None:
        ratings, cases = ratings.filter(district=district), cases.filter(district=district)
    if center_ids is not None:
        ratings = ratings.filter(Q(center__in=center_ids) | Q(center=None))
        cases = cases.filter(Q(center__in=center_ids) | Q(center=None))
    if not courses:
        ratings, cases = ratings.exclude(center=None), cases.exclude(center=None)
    rows: dict[tuple, dict] = {}
    for owner, label in (("center", "center__name"), ("course", "course__title")):
        for row in (
            ratings.exclude(**{owner: None})
            .values(owner, label, "district__name")
            .annotate(
                ratings=Count("pk"),
                average=Avg("stars"),
                low=Count("pk", filter=Q(stars__lte=2)),
            )
        ):
            rows[(owner, row[owner])] = {
                "owner": owner,
                "label": row[label],
                "district": row["district__name"] if owner == "center" else "",
                "ratings": row["ratings"],
                "average": round(row["average"], 2),
                "low": row["low"],
                "cases": 0,
                "open": 0,
                "called_back": 0,
                "callback_on_time": 0,
                "closed": 0,
                "rectified_on_time": 0,
            }
        for row in (
            cases.exclude(**{owner: None})
            .values(owner)
            .annotate(
                cases=Count("pk"),
                open=Count("pk", filter=~Q(state=Case.State.CLOSED)),
                called_back=Count("pk", filter=Q(called_back_at__isnull=False)),
                callback_on_time=Count("pk", filter=Q(called_back_at__lte=F("callback_due"))),
                closed=Count("pk", filter=Q(closed_at__isnull=False)),
                rectified_on_time=Count("pk", filter=Q(closed_at__lte=F("rectification_due"))),
            )
        ):
            if (owner, row[owner]) in rows:
                rows[(owner, row[owner])].update({k: v for k, v in row.items() if k != owner})
    result = []
    for row in rows.values():
        row["callback_rate"] = percent_of(row["callback_on_time"], row["called_back"])
        row["rectification_rate"] = percent_of(row["rectified_on_time"], row["closed"])
        result.append(row)
    return sorted(result, key=lambda row: (row["owner"] != "center", row["label"]))


def overdue(cases: QuerySet[Case], now=None) -> QuerySet[Case]:
    now = now or timezone.now()
    return cases.filter(
        (Q(state=Case.State.OPEN) & Q(callback_due__lt=now))
        | (~Q(state=Case.State.CLOSED) & Q(rectification_due__lt=now))
    )


def case_trail(*, case: Case) -> QuerySet[AuditEvent]:
    """The case's audit rows (``feedback.events``), oldest first: the trail its page shows."""
    return AuditEvent.objects.filter(
        target_type__app_label="feedback", target_type__model="case", target_id=str(case.pk)
    ).order_by("occurred_at", "pk")
