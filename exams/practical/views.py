"""Practical exams for workers: open sessions (list and calendar), booking (a page and a JSON
endpoint), my bookings (cancel, reschedule, accept an offer) and the admission ticket.

The session list is public; booking needs a signed-in worker with a real-name profile.
"""

import json
import logging
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from accounts.models import WorkerProfile
from core.errors import DomainError
from core.params import int_param

from ..models import Booking, PracticalSession
from . import selectors, services
from .filters import SessionFilter

logger = logging.getLogger("anxun.exams")
PER_PAGE = 30
# JSON answers: a state the request conflicts with is 409, a rule about the worker is 403.
CONFLICT_CODES = {"full", "already_booked", "closed", "not_open", "past", "cancelled", "conflict"}


def _worker_or_none(request) -> WorkerProfile | None:
    if not request.user.is_authenticated:
        return None
    return WorkerProfile.objects.filter(user=request.user).select_related("user").first()


def _worker(request) -> WorkerProfile:
    worker = _worker_or_none(request)
    if worker is None:
        raise Http404
    return worker


def calendar_weekdays() -> list[str]:
    """Column heads narrow enough for a phone (一 … 日 in Chinese)."""
    return [
        pgettext("calendar column", "Mon"),
        pgettext("calendar column", "Tue"),
        pgettext("calendar column", "Wed"),
        pgettext("calendar column", "Thu"),
        pgettext("calendar column", "Fri"),
        pgettext("calendar column", "Sat"),
        pgettext("calendar column", "Sun"),
    ]


def _month(value: str | None) -> date:
    """``2026-12`` → 1 December 2026; anything else (or a year the calendar cannot step out
    of) is this month."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        if 2000 <= year <= 2100:
            return date(year, month, 1)
    except ValueError:
        pass
    return timezone.localdate().replace(day=1)


def session_list(request):
    sessions = selectors.sessions_open()
    session_filter = SessionFilter(request.GET, queryset=sessions)
    filtered = session_filter.qs if session_filter.is_valid() else sessions.none()
    month = _month(request.GET.get("month"))
    previous_month = (month.replace(day=1) - timedelta(days=1)).replace(day=1)
    next_month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    params = request.GET.copy()
    params.pop("month", None)
    params.pop("page", None)
    sessions_page = Paginator(filtered, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "exams/practical/session_list.html",
        {
            "filter": session_filter,
            "sessions_page": sessions_page,
            "weeks": selectors.month_calendar(sessions=filtered, month=month),
            "month": month,
            "previous_month": previous_month,
            "next_month": next_month,
            "query": params.urlencode(),
            "today": timezone.localdate(),
            "weekday_names": calendar_weekdays(),
        },
    )


def session_detail(request, session_id: int):
    session = get_object_or_404(
        PracticalSession.objects.select_related("subject", "center__district"), pk=session_id
    )
    worker = _worker_or_none(request)
    refusal = refusal_code = booking = None
    if worker is not None:
        booking = selectors.live_booking(worker, session.subject)
        if booking is None:
            try:
                services.session_bookable_check(session, now=timezone.now(), urgent=False)
                services.booking_eligibility_check(worker=worker, session=session)
            except DomainError as error:
                refusal, refusal_code = error.message, error.code
    return render(
        request,
        "exams/practical/session_detail.html",
        {
            "session": session,
            "worker": worker,
            "refusal": refusal,
            "refusal_code": refusal_code,
            "live_booking": booking,
        },
    )


@login_required
@require_POST
def book(request, session_id: int):
    worker = _worker(request)
    try:
        booking = services.booking_create(
            worker=worker, session_id=session_id, waitlist=request.POST.get("waitlist") == "1"
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("practical:session", session_id)
    if booking.status == Booking.Status.WAITLISTED:
        messages.success(
            request, _("You are on the waiting list. We will text you if a seat is freed.")
        )
    else:
        messages.success(request, _("Booked. Your admission ticket is ready."))
    return redirect("practical:bookings")


def _json_error(status: int, code: str, message, **extra: str) -> JsonResponse:
    return JsonResponse({"error": code, "message": str(message), **extra}, status=status)


@require_POST
def book_json(request, session_id: int):
    """``POST {"waitlist": false}`` → 201 with the booking; 409 when the session is full (or
    closed, or the worker holds a booking already); 403 when a rule bars the worker."""
    if not request.user.is_authenticated:
        return _json_error(401, "login_required", _("Sign in first."))
    worker = _worker_or_none(request)
    if worker is None:
        return _json_error(403, "profile_required", _("Complete your real-name profile first."))
    try:
        body = json.loads(request.body or b"{}")
        waitlist = body.get("waitlist", False) if isinstance(body, dict) else None
    except (ValueError, UnicodeDecodeError, RecursionError):
        waitlist = None
    if not isinstance(waitlist, bool):
        return _json_error(400, "malformed", _('Send a JSON object such as {"waitlist": false}.'))
    try:
        booking = services.booking_create(worker=worker, session_id=session_id, waitlist=waitlist)
    except DomainError as error:
        if error.code == "not_found":
            return _json_error(404, error.code, error.message)
        status = 409 if error.code in CONFLICT_CODES else 403
        if error.code == "photo_required":  # and where to upload it
            return _json_error(status, error.code, error.message, link=reverse("accounts:profile"))
        return _json_error(status, error.code, error.message)
    return JsonResponse(
        {
            "booking": booking.pk,
            "status": booking.status,
            "ticket": reverse("practical:ticket", args=[booking.pk]),
        },
        status=201,
    )


@login_required
def my_bookings(request):
    worker = _worker(request)
    bookings = list(selectors.bookings_of(worker)[:50])
    for booking in bookings:
        result = (
            getattr(booking, "result", None) if booking.status == Booking.Status.COMPLETED else None
        )
        # What a failed candidate did not pass, item by item, for the template.
        booking.shortfalls = selectors.result_shortfalls(result) if result else []  # type: ignore[attr-defined]
    return render(
        request,
        "exams/practical/my_bookings.html",
        {"bookings": bookings, "now": timezone.now()},
    )


@login_required
@require_POST
def cancel(request, booking_id: int):
    try:
        services.booking_cancel(booking_id=booking_id, worker=_worker(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The booking is cancelled."))
    return redirect("practical:bookings")


@login_required
@require_POST
def accept_offer(request, booking_id: int):
    try:
        services.booking_offer_accept(booking_id=booking_id, worker=_worker(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The seat is yours. Your admission ticket is ready."))
    return redirect("practical:bookings")


@login_required
def reschedule(request, booking_id: int):
    worker = _worker(request)
    booking = get_object_or_404(
        Booking.objects.select_related("session__center", "session__subject"),
        pk=booking_id,
        worker=worker,
    )
    if request.method == "POST":
        new_session_id = int_param(request.POST.get("session"))
        if new_session_id is None:
            messages.error(request, _("Choose a session."))
            return redirect("practical:reschedule", booking_id)
        try:
            services.booking_reschedule(
                booking_id=booking.pk, new_session_id=new_session_id, worker=worker
            )
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("practical:reschedule", booking_id)
        messages.success(request, _("The booking is moved. Your new admission ticket is ready."))
        return redirect("practical:bookings")
    if booking.status != Booking.Status.CONFIRMED or booking.session.starts_at <= timezone.now():
        messages.error(
            request, _("This booking can no longer be moved: its session has started or ended.")
        )
        return redirect("practical:bookings")
    options = (
        selectors.sessions_open()
        .filter(subject=booking.subject, booking_opens_at__lte=timezone.now())
        .exclude(pk=booking.session_id)[:60]
    )
    return render(
        request, "exams/practical/reschedule.html", {"booking": booking, "options": options}
    )


def _ticket_booking(request, booking_id: int) -> Booking:
    booking = get_object_or_404(
        Booking.objects.select_related(
            "worker__user", "session__center", "session__subject"
        ).filter(status__in=[Booking.Status.CONFIRMED, Booking.Status.CHECKED_IN]),
        pk=booking_id,
        worker=_worker(request),
    )
    return booking


@login_required
def ticket(request, booking_id: int):
    booking = _ticket_booking(request, booking_id)
    return render(request, "exams/practical/ticket.html", {"booking": booking})


@login_required
def ticket_file(request, booking_id: int, file_format: str):
    from core.documents.fonts import FontUnavailable

    from . import tickets  # drawing needs Pillow, reportlab and fonts: load them when used

    booking = _ticket_booking(request, booking_id)
    draw = {"png": tickets.ticket_png, "pdf": tickets.ticket_pdf}.get(file_format)
    if draw is None:
        raise Http404
    try:
        content = draw(booking)
    except FontUnavailable:
        # A rare character (say 𠮷) that no installed font has: never print a wrong name.
        logger.exception("Admission ticket %s cannot be drawn", booking.pk)
        return render(
            request, "exams/practical/ticket_unavailable.html", {"booking": booking}, status=503
        )
    content_type = {"png": "image/png", "pdf": "application/pdf"}[file_format]
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f'inline; filename="admission-ticket-{booking.pk}.{file_format}"'
    )
    response["Cache-Control"] = "private, no-store"
    return response
