"""Reads for practical exams, bounded and with related rows fetched up front."""

import calendar
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.models import WorkerProfile

from ..models import Booking, ExamCenter, PracticalSession

ATTENDED = [Booking.Status.CHECKED_IN, Booking.Status.SCORES_DIFFER, Booking.Status.COMPLETED]


def sessions_open(*, now=None) -> QuerySet[PracticalSession]:
    """Sessions a worker can still book or wait for: not cancelled, booking not yet closed."""
    now = now or timezone.now()
    return (
        PracticalSession.objects.filter(
            cancelled=False, booking_closes_at__gt=now, center__active=True, subject__active=True
        )
        .select_related("subject", "center__district")
        .annotate(waiting=Count("bookings", filter=Q(bookings__status=Booking.Status.WAITLISTED)))
        .order_by("starts_at", "pk")
    )


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The local day as [start, end) moments."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


def month_calendar(*, sessions: QuerySet[PracticalSession], month: date) -> list[list[dict]]:
    """Weeks (Monday first) of the month, each day (those of the neighbouring months that
    fill the first and last weeks too) with its number of sessions and public seats left."""
    first = month.replace(day=1)
    grid = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    start, _ = day_bounds(grid[0][0])
    _, end = day_bounds(grid[-1][-1])
    per_day: dict[date, dict] = {}
    for starts_at, capacity, held_back, taken in sessions.filter(
        starts_at__gte=start, starts_at__lt=end
    ).values_list("starts_at", "capacity", "held_back", "seats_taken"):
        day = per_day.setdefault(timezone.localdate(starts_at), {"sessions": 0, "seats": 0})
        day["sessions"] += 1
        day["seats"] += max(0, capacity - held_back - taken)
    weeks = []
    for week in grid:
        weeks.append(
            [
                {"day": day, "in_month": day.month == first.month, **per_day.get(day, {})}
                for day in week
            ]
        )
    return weeks


def bookings_of(worker: WorkerProfile) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(worker=worker)
        .select_related("session__center", "session__subject", "result")
        .order_by("-session__starts_at", "-pk")
    )


def centers_of(user) -> QuerySet[ExamCenter]:
    return ExamCenter.objects.filter(staff__user=user).select_related("district").order_by("code")


def center_sessions(center: ExamCenter) -> QuerySet[PracticalSession]:
    """A centre's sessions with their attendance counts (utilisation)."""
    return (
        PracticalSession.objects.filter(center=center)
        .select_related("subject", "center")
        .annotate(
            attended=Count("bookings", filter=Q(bookings__status__in=ATTENDED)),
            no_shows=Count("bookings", filter=Q(bookings__status=Booking.Status.NO_SHOW)),
            waiting=Count("bookings", filter=Q(bookings__status=Booking.Status.WAITLISTED)),
            passed=Count("bookings", filter=Q(bookings__result__passed=True)),
        )
        .order_by("-starts_at", "pk")
    )


def session_roster(session: PracticalSession) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(session=session)
        .exclude(status__in=[Booking.Status.CANCELLED, Booking.Status.LAPSED])
        .select_related("worker__user", "result", "session__center")
        .annotate(scores_count=Count("scores"))
        .order_by("worker__real_name", "pk")
    )


def today_sessions(center: ExamCenter, *, now=None) -> QuerySet[PracticalSession]:
    start, end = day_bounds(timezone.localdate(now or timezone.now()))
    return (
        center_sessions(center)
        .filter(starts_at__gte=start, starts_at__lt=end)
        .order_by("starts_at")
    )
