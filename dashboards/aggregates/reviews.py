"""Certificates due for review, and the outreach events' figures."""

import datetime

from django.db.models import Count, Sum
from django.db.models.functions import TruncWeek

from certificates.models import Certificate
from cms.models import EventPage, EventRegistration

from ..models import EventFigures, ReviewDue
from .common import REVIEW_HORIZON_DAYS, as_date


def reviews_due_write(today: datetime.date) -> None:
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
            week=as_date(row["week"]),
            certificates=row["certificates"],
        )
        for row in grouped
    ]
    ReviewDue.objects.all().delete()
    ReviewDue.objects.bulk_create(rows)


def event_figures_write() -> None:
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
