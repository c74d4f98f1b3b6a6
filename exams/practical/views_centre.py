"""Exam-centre pages (included at ``centre/``): today's sessions, the check-in scanner, session
rosters, sessions and results with exports; scoring and supervisor corrections are in
``views_scoring``, behind the same ``CenterMixin``. The certificate
desk under the same addresses (``centre/<code>/desk/``) is the certificates app's
(``certificates.views.desk``), and so is the scanner's server-side decoder
(``certificates.views.decode``, routed at ``centre/<code>/decode/`` by ``urls_centre``).

Who may: every page needs the role's action (``CHECK_IN_CANDIDATES`` for desk staff and
examiners, ``SCORE_PRACTICAL`` for scoring, ``MANAGE_SESSIONS`` to publish sessions and seat
urgent cases) *and* a post at the centre in the URL (``CenterStaff``); corrections need the
post's supervisor flag. Anyone else gets 403 with the reason; anonymous visitors the login page.
"""

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView, View
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from accounts.models import WorkerProfile
from accounts.permissions import Action, ActionRequiredMixin, may
from core.errors import DomainError
from core.exports import AuditedExportMixin
from core.files import private_file_response
from core.params import int_param

from ..models import Booking, CenterStaff, ExamCenter, ExamResult, PracticalSession, Subject
from . import selectors, services
from .filters import CenterSessionFilter, ResultFilter, RosterFilter
from .tables import CenterSessionTable, ResultTable, RosterTable

if TYPE_CHECKING:
    # The mixin goes before a Django view with a context (TemplateView, FormView, FilterView);
    # to mypy that is its base (request, kwargs, get_context_data), at run time it is a plain
    # mixin and the MRO is the view's.
    from django.views.generic.base import ContextMixin

    class _CenterViewBase(ContextMixin, View):
        pass

else:
    _CenterViewBase = object


class CenterMixin(ActionRequiredMixin, _CenterViewBase):
    """Resolve ``self.center`` from the URL and require a post there."""

    required_action = Action.CHECK_IN_CANDIDATES
    supervisor_only = False
    center: ExamCenter
    staff_post: CenterStaff  # set by ``allows``, which refuses anyone without a post

    def allows(self, request, *args, **kwargs) -> bool:
        if not super().allows(request, *args, **kwargs):
            return False
        self.center = get_object_or_404(ExamCenter, code=kwargs["code"])
        staff_post = selectors.center_posts(request.user).get(self.center.pk)
        if staff_post is None:
            raise DjangoPermissionDenied(
                _("You do not work at %(center)s.") % {"center": self.center}
            )
        self.staff_post = staff_post
        if self.supervisor_only and not self.staff_post.supervisor:
            raise DjangoPermissionDenied(_("Only the centre's supervisor may do this."))
        return True

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            center=self.center,
            staff_post=self.staff_post,
            may_score=may(self.request.user, Action.SCORE_PRACTICAL),
            may_manage=may(self.request.user, Action.MANAGE_SESSIONS),
            **kwargs,
        )


class CenterHomeView(ActionRequiredMixin, TemplateView):
    """The centres the user works at and their sessions today."""

    required_action = Action.CHECK_IN_CANDIDATES
    template_name = "exams/practical/centre/home.html"

    def get_context_data(self, **kwargs):
        centers = list(selectors.centers_of(self.request.user))
        return super().get_context_data(
            centers=[(center, list(selectors.today_sessions(center))) for center in centers],
            **kwargs,
        )


# --- Check-in ------------------------------------------------------------------------------


class CheckInView(CenterMixin, TemplateView):
    """The scanner page. ``?scanned=`` (a camera decode, a handheld scanner's typing, an ID
    number) or ``?t=`` (a phone camera app opening the ticket's URL) looks the candidate up;
    a POST confirms the check-in after staff compared photo and face."""

    template_name = "exams/practical/centre/check_in.html"

    def get_context_data(self, **kwargs):
        scanned = (self.request.GET.get("scanned") or self.request.GET.get("t") or "").strip()
        booking = refusal = None
        if scanned:
            if len(scanned) > 500 or any(ord(char) < 32 for char in scanned):
                refusal = _("That is not an admission ticket or an ID number.")
            else:
                try:
                    booking = services.checkin_lookup(
                        user=self.request.user, center=self.center, scanned=scanned
                    )
                except DomainError as error:
                    refusal = error.message
        return super().get_context_data(
            scanned=scanned,
            booking=booking,
            refusal=refusal,
            sessions=selectors.today_sessions(self.center),
            **kwargs,
        )

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        # TemplateView answers with a TemplateResponse (its context is still at hand).
        if isinstance(response, TemplateResponse) and (response.context_data or {})["refusal"]:
            response.status_code = 409
        return response

    def post(self, request, *args, **kwargs):
        booking_id = int_param(request.POST.get("booking"))
        if booking_id is None:
            messages.error(request, _("Scan a ticket first."))
            return redirect("centre:check_in", self.center.code)
        try:
            booking = services.checkin_confirm(
                user=request.user, booking_id=booking_id, center=self.center
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("%(name)s is checked in (%(time)s).")
                % {
                    "name": booking.worker.real_name,
                    "time": timezone.localtime(booking.checked_in_at).strftime("%H:%M"),
                },
            )
        return redirect("centre:check_in", self.center.code)


class TicketLinkView(ActionRequiredMixin, View):
    """Where a ticket's QR points: a phone camera app opens it, and the staff member lands on
    the check-in page of their centre with the ticket looked up (or its refusal)."""

    required_action = Action.CHECK_IN_CANDIDATES

    def allows(self, request, *args, **kwargs) -> bool:
        if not super().allows(request, *args, **kwargs):
            return False
        self.centers = list(selectors.centers_of(request.user))
        if not self.centers:
            raise DjangoPermissionDenied(_("You do not work at an exam centre."))
        return True

    def get(self, request):
        centers = self.centers
        token = request.GET.get("t", "")
        center = centers[0]
        booking_id = int_param(token.split(":", 1)[0]) if ":" in token else None
        if booking_id is not None:
            ticket_center = (
                Booking.objects.filter(pk=booking_id)
                .values_list("session__center_id", flat=True)
                .first()
            )
            center = next((c for c in centers if c.pk == ticket_center), center)
        url = reverse("centre:check_in", args=[center.code])
        return redirect(f"{url}?{urlencode({'t': token})}" if token else url)


class CandidatePhotoView(CenterMixin, View):
    """A candidate's photo, to staff of the centre they are booked at, while the booking is
    live or its exam is recent (not for cancelled bookings, nor old ones)."""

    PHOTO_DAYS = 7

    def get(self, request, *args, **kwargs):
        now = timezone.now()
        booking = get_object_or_404(
            Booking.objects.select_related("worker"),
            pk=kwargs["booking_id"],
            session__center=self.center,
            status__in=Booking.TICKETED,
            session__starts_at__gte=now - timedelta(days=self.PHOTO_DAYS),
            session__starts_at__lte=now + timedelta(days=self.PHOTO_DAYS),
        )
        return private_file_response(booking.worker.photo, content_type="image/jpeg")


# --- Sessions and rosters ------------------------------------------------------------------


class SessionListView(CenterMixin, AuditedExportMixin, SingleTableMixin, FilterView):
    template_name = "exams/practical/centre/sessions.html"
    table_class = CenterSessionTable
    filterset_class = CenterSessionFilter
    paginate_by = 50
    export_name = "centre_sessions"

    def get_queryset(self):
        return selectors.center_sessions(self.center)


class SessionForm(forms.Form):
    subject = forms.ModelChoiceField(label=gettext_lazy("Subject"), queryset=Subject.objects.none())
    day = forms.DateField(
        label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    starts = forms.TimeField(
        label=gettext_lazy("Starts"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    ends = forms.TimeField(
        label=gettext_lazy("Ends"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    capacity = forms.IntegerField(label=gettext_lazy("Seats"), min_value=1, max_value=500)
    held_back = forms.IntegerField(
        label=gettext_lazy("Seats held for urgent cases"), min_value=0, max_value=500, initial=0
    )
    cancel_cutoff_hours = forms.IntegerField(
        label=gettext_lazy("Cancel or reschedule until (hours before)"),
        min_value=0,
        max_value=14 * 24,
        initial=48,
    )

    def __init__(self, *args, center: ExamCenter, **kwargs):
        super().__init__(*args, **kwargs)
        subject_field = self.fields["subject"]
        assert isinstance(subject_field, forms.ModelChoiceField)  # declared above
        subject_field.queryset = center.subjects.filter(active=True)


def _aware(day, at) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


class SessionCreateView(CenterMixin, FormView):
    required_action = Action.MANAGE_SESSIONS
    template_name = "exams/practical/centre/session_form.html"
    form_class = SessionForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "center": self.center}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            session = services.session_create(
                actor=self.request.user,
                center=self.center,
                subject=data["subject"],
                starts_at=_aware(data["day"], data["starts"]),
                ends_at=_aware(data["day"], data["ends"]),
                capacity=data["capacity"],
                held_back=data["held_back"],
                cancel_cutoff_hours=data["cancel_cutoff_hours"],
            )
        except DomainError as error:
            # The service's fields by this form's names; the booking window is not on this
            # form, so its errors (and any other) are the form's own (non-field) errors.
            form_fields = {"starts_at": "starts", "ends_at": "ends"}
            field = form_fields.get(error.field or "", error.field)
            form.add_error(field if field in form.fields else None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("The session is published."))
        return redirect("centre:session", self.center.code, session.pk)


class UrgentBookingForm(forms.Form):
    id_number = forms.CharField(label=gettext_lazy("ID number"), max_length=18)


class SessionRosterView(CenterMixin, AuditedExportMixin, SingleTableMixin, FilterView):
    template_name = "exams/practical/centre/session.html"
    table_class = RosterTable
    filterset_class = RosterFilter
    paginate_by = 100
    export_name = "session_roster"

    def get_session(self) -> PracticalSession:
        return get_object_or_404(
            PracticalSession.objects.select_related("subject", "center"),
            pk=self.kwargs["session_id"],
            center=self.center,
        )

    def get_queryset(self):
        self.session = self.get_session()
        return selectors.session_roster(self.session)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            session=self.session, urgent_form=UrgentBookingForm(), **kwargs
        )

    def post(self, request, *args, **kwargs):
        """Seat an urgent case (centre staff): the held-back seats may be used."""
        if not may(request.user, Action.MANAGE_SESSIONS):
            raise DjangoPermissionDenied(_("Only centre staff may seat urgent cases."))
        session = self.get_session()
        form = UrgentBookingForm(request.POST)
        worker = None
        if form.is_valid():
            worker = WorkerProfile.objects.filter(
                id_number=form.cleaned_data["id_number"].strip().upper()
            ).first()
        if worker is None:
            messages.error(request, _("No worker has that ID number."))
        else:
            try:
                services.booking_create(
                    worker=worker, session_id=session.pk, urgent=True, actor=request.user
                )
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(
                    request, _("%(name)s is booked (urgent).") % {"name": worker.real_name}
                )
        return redirect("centre:session", self.center.code, session.pk)


class SessionCancelView(CenterMixin, View):
    """Cancel a session the centre cannot hold: the booked are told and may book again."""

    required_action = Action.MANAGE_SESSIONS

    def post(self, request, *args, **kwargs):
        session = get_object_or_404(PracticalSession, pk=kwargs["session_id"], center=self.center)
        try:
            services.session_cancel(
                actor=request.user, session_id=session.pk, reason=request.POST.get("reason", "")
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The session is cancelled; everyone booked has been told."))
        return redirect("centre:session", self.center.code, session.pk)


# --- Results -------------------------------------------------------------------------------


class ResultListView(CenterMixin, AuditedExportMixin, SingleTableMixin, FilterView):
    template_name = "exams/practical/centre/results.html"
    table_class = ResultTable
    filterset_class = ResultFilter
    paginate_by = 50
    export_name = "practical_results"

    def get_queryset(self):
        return (
            ExamResult.objects.filter(booking__session__center=self.center)
            .select_related("worker", "subject", "booking__session")
            .order_by("-decided_at", "-pk")
        )
