"""Reads for practical exams, bounded and with related rows fetched up front."""

import calendar
from datetime import date, datetime, time, timedelta

from django.core import signing
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import WorkerProfile
from core.errors import DomainError
from core.notifications import absolute_url

from ..models import (
    Booking,
    CenterStaff,
    ExamCenter,
    ExamResult,
    PracticalSession,
    RubricItem,
    Subject,
    TheoryAttempt,
)

TICKET_SALT = "anxun.admission-ticket"


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


def agreed_items(scores) -> list[dict]:
    """The examiners' marks per rubric item, combined as the total is: the mean points (halves
    up), failed when an examiner failed it, and every examiner's note."""
    merged: dict[int, dict] = {}
    for score in scores:
        for mark in score.items:
            row = merged.setdefault(mark["item"], {**mark, "points": [], "failed": False})
            row["points"].append(mark["points"])
            row["failed"] = row["failed"] or mark.get("failed", False)
            notes = [note for note in (row.get("note", ""), mark.get("note", "")) if note]
            row["note"] = "；".join(dict.fromkeys(notes))
    for row in merged.values():
        given = row["points"]
        row["points"] = (sum(given) * 2 + len(given)) // (2 * len(given))
    return list(merged.values())


def result_shortfalls(result: ExamResult) -> list[dict]:
    """What the candidate did not pass, item by item: failed critical items (一票否决) and
    items scored below the subject's pass share of their points (80 % by default), with the
    examiners' notes. Results recorded before the marks were kept on them are read from the
    examiners' scores."""
    items = result.items or agreed_items(result.booking.scores.all())
    pass_mark = result.subject.practical_pass_mark
    return [
        item
        for item in items
        if item.get("failed") or item["points"] * 100 < item["max"] * pass_mark
    ]


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
            attended=Count("bookings", filter=Q(bookings__status__in=Booking.ATTENDED)),
            no_shows=Count("bookings", filter=Q(bookings__status=Booking.Status.NO_SHOW)),
            waiting=Count("bookings", filter=Q(bookings__status=Booking.Status.WAITLISTED)),
            passed=Count("bookings", filter=Q(bookings__result__passed=True)),
        )
        .order_by("-starts_at", "pk")
    )


def session_roster(session: PracticalSession) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(session=session)
        .exclude(status__in=Booking.WITHDRAWN)
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


# --- Eligibility, posts, rubric and tickets: the reads the services and pages share ---------


def theory_pass_for(*, worker: WorkerProfile, subject: Subject, on) -> TheoryAttempt | None:
    """The latest theory pass still valid at ``on`` (a session's start), or None."""
    last_pass = (
        TheoryAttempt.objects.filter(
            worker=worker, subject=subject, status=TheoryAttempt.Status.SUBMITTED, passed=True
        )
        .order_by("-submitted_at")
        .first()
    )
    submitted_at = last_pass.submitted_at if last_pass else None  # set on every submitted attempt
    if submitted_at and submitted_at + timedelta(days=subject.theory_valid_days) >= on:
        return last_pass
    return None


def practical_fails(*, worker: WorkerProfile, subject: Subject, since) -> list:
    """Times of failed practical exams and no-shows after ``since``, newest first."""
    results = ExamResult.objects.filter(worker=worker, subject=subject, passed=False)
    no_shows = Booking.objects.filter(worker=worker, subject=subject, status=Booking.Status.NO_SHOW)
    if since:
        results = results.filter(decided_at__gt=since)
        no_shows = no_shows.filter(ended_at__gt=since)
    times: list = list(results.values_list("decided_at", flat=True))
    times += list(no_shows.values_list("ended_at", flat=True))  # set on every no-show
    return sorted(times, reverse=True)


def live_booking(worker: WorkerProfile, subject: Subject) -> Booking | None:
    """The worker's live booking of the subject (``Booking.LIVE``: at most one), or None."""
    return (
        Booking.objects.filter(worker=worker, subject=subject, status__in=Booking.LIVE)
        .select_related("session__center")
        .first()
    )


def center_posts(user) -> dict[int, CenterStaff]:
    """The centres a user works at, by centre id."""
    if not user.is_authenticated:
        return {}
    return {post.center_id: post for post in CenterStaff.objects.filter(user=user)}


def rubric_for(subject: Subject) -> list[RubricItem]:
    """The subject's rubric, in order; ``DomainError`` unless it adds up to 100 points."""
    items = list(RubricItem.objects.filter(subject=subject))
    if not items or sum(item.max_points for item in items) != 100:
        raise DomainError(
            _("This subject's rubric does not add up to 100 points; tell the exam office."),
            code="rubric_invalid",
        )
    return items


def ticket_token(booking: Booking) -> str:
    """The signed token in a ticket's QR code: the booking id and a signature (the secret key
    never leaves the server, so a token cannot be made up or altered)."""
    return signing.Signer(salt=TICKET_SALT).sign(str(booking.pk))


def ticket_url(booking: Booking) -> str:
    """What the ticket's QR encodes: the check-in address with the token, so a staff phone's
    camera app opens the check-in page directly."""
    return absolute_url(reverse("centre:check_in_scan")) + "?t=" + ticket_token(booking)
