"""Ratings and complaint cases: the worker rates and answers; centre staff (or moderators, for
courses) call back, rectify and close; officers and the bureau watch. Views check who asks
(``ActionRequiredMixin`` and the rules in ``feedback.rules``) and call one service."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django_filters.views import FilterView
from django_stubs_ext import StrOrPromise
from django_tables2 import RequestConfig, SingleTableMixin
from django_tables2.export import TableExport

from accounts.permissions import Action, ActionRequiredMixin
from core.errors import DomainError
from core.errors import PermissionDenied as DomainPermissionDenied
from core.exports import AuditedExportMixin

from . import rules, scopes, selectors, services
from .filters import CaseFilter
from .forms import CaseAnswerForm, CaseStepForm, RatingForm
from .models import Case, Service
from .tables import CaseTable, SatisfactionTable


class WorkerViewMixin(ActionRequiredMixin):
    """A worker's own ratings and cases (``RATE_SERVICES``)."""

    required_action = Action.RATE_SERVICES

    @property
    def worker(self):
        return self.signed_in_user.worker_profile


class MineView(WorkerViewMixin, View):
    """我的评价: services waiting for a rating, my ratings, and the feedback on my cases."""

    def get(self, request):
        return render(
            request,
            "feedback/mine.html",
            {
                "rateable": selectors.rateable_services(worker=self.worker),
                "ratings": selectors.my_ratings(worker=self.worker)[:50],
                "answer_form": CaseAnswerForm(),
            },
        )


class RateView(WorkerViewMixin, View):
    def get(self, request, service: str, event_id: int):
        worker = self.worker
        if service not in Service.values:
            raise Http404
        try:
            event, center, course, happened = rules.rateable_event(
                worker=worker, service=service, event_id=event_id
            )
        except DomainError as error:
            return render(
                request, "feedback/rate_refused.html", {"reason": error.message}, status=404
            )
        if rules.already_rated(service=service, event=event):
            messages.info(request, _("You have already rated this service. Thank you."))
            return redirect("feedback:mine")
        form = RatingForm(request.POST if request.method == "POST" else None, service=service)
        if request.method == "POST" and form.is_valid():
            try:
                rating = services.rating_submit(
                    worker=worker,
                    service=service,
                    event_id=event_id,
                    stars=form.cleaned_data["stars"],
                    reasons=form.cleaned_data["reasons"],
                    comment=form.cleaned_data["comment"],
                    complaint=form.cleaned_data["complaint"],
                )
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                if hasattr(rating, "case"):
                    messages.success(
                        request,
                        _(
                            "Thank you. We are sorry it went wrong: the centre will call you back "
                            "within one working day, and you will hear what was done within 15."
                        ),
                    )
                else:
                    messages.success(request, _("Thank you for your rating."))
                return redirect("feedback:mine")
        return render(
            request,
            "feedback/rate.html",
            {
                "form": form,
                "service": Service(service),
                "center": center,
                "course": course,
                "happened": happened,
            },
        )

    post = get  # the form posts back to the page


class AnswerView(WorkerViewMixin, View):
    http_method_names = ["post"]

    def allows(self, request, *args, **kwargs) -> bool:
        # Any other method is answered 405 by the view, whoever asks (as require_POST did).
        return request.method != "POST" or super().allows(request, *args, **kwargs)

    def post(self, request, case_id: int):
        worker = self.worker
        form = CaseAnswerForm(request.POST)
        if not form.is_valid():
            # An ErrorList yields its messages as text (str() is for mypy, which is told less).
            errors = [str(error) for field in form.errors.values() for error in field]
            messages.error(
                request,
                errors[0] if "note" in form.errors else _("Confirm or dispute the feedback."),
            )
            return redirect("feedback:mine")
        try:
            case = services.case_answer(
                worker=worker,
                case_id=case_id,
                answer=form.cleaned_data["answer"],
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            if error.code == "not_found":
                raise Http404 from error
            messages.error(request, error.message)
        else:
            if case.answer == Case.Answer.CONFIRMED:
                messages.success(request, _("Thank you: the case is confirmed as resolved."))
            else:
                messages.success(request, _("Your objection has gone to the district office."))
        return redirect("feedback:mine")


class CaseListView(ActionRequiredMixin, SingleTableMixin, AuditedExportMixin, FilterView):
    """Complaint cases in the viewer's scope, with their deadlines."""

    required_action = Action.VIEW_CASES
    table_class = CaseTable
    filterset_class = CaseFilter
    template_name = "feedback/cases.html"
    paginate_by = 50
    export_name = "complaint-cases"

    def get_queryset(self):
        return scopes.cases_visible_to(self.request.user).order_by("callback_due", "pk")


# Per state: the service doing the next step (called with the text under the keyword named
# next), the button and the help text.
STEPS: dict[str, tuple[Callable[..., Case], str, StrOrPromise, StrOrPromise]] = {
    Case.State.OPEN: (
        services.case_callback_record,
        "note",
        gettext_lazy("Record the callback"),
        gettext_lazy("What the worker said on the call"),
    ),
    Case.State.CALLED_BACK: (
        services.case_rectification_start,
        "plan",
        gettext_lazy("Start the rectification"),
        gettext_lazy("What will be put right, and how"),
    ),
    Case.State.RECTIFYING: (
        services.case_close,
        "feedback",
        gettext_lazy("Close with feedback to the worker"),
        gettext_lazy("Feedback the worker will receive: what was done"),
    ),
}


TRAIL = {
    "case.opened": gettext_lazy("case opened"),
    "case.called_back": gettext_lazy("worker called back"),
    "case.rectifying": gettext_lazy("rectification started"),
    "case.closed": gettext_lazy("closed with feedback"),
    "case.confirmed": gettext_lazy("worker confirmed the feedback"),
    "case.disputed": gettext_lazy("worker disputed the feedback"),
    "case.callback_due_soon": gettext_lazy("supervisors warned: callback due soon"),
    "case.callback_overdue": gettext_lazy("district office told: callback overdue"),
    "case.rectification_due_soon": gettext_lazy("supervisors warned: feedback due soon"),
    "case.rectification_overdue": gettext_lazy("district office told: feedback overdue"),
}


class CaseView(ActionRequiredMixin, View):
    """One case: the rating, the worker to call, the deadlines, the next step, the trail."""

    required_action = Action.VIEW_CASES

    def get(self, request, case_id: int):
        case = get_object_or_404(scopes.cases_visible_to(request.user), pk=case_id)
        handles = rules.may_handle(request.user, case)
        step = STEPS.get(case.state)
        form = CaseStepForm(
            request.POST if request.method == "POST" else None, initial={"step": case.state}
        )
        if request.method == "POST":
            if not handles:
                raise PermissionDenied
            if form.is_valid():
                shown_for = form.cleaned_data["step"]
                if not rules.step_open(case, shown_for) or shown_for not in STEPS:
                    messages.warning(
                        request,
                        _("This case has moved on since the page was opened: nothing saved."),
                    )
                    return redirect("feedback:case", case_id=case.pk)
                action, argument, _label, _help = STEPS[shown_for]
                try:
                    action(
                        actor=request.user, case_id=case.pk, **{argument: form.cleaned_data["text"]}
                    )
                except DomainPermissionDenied as error:
                    raise PermissionDenied(error.message) from error
                except DomainError as error:
                    form.add_error("text", error.message)
                else:
                    messages.success(request, _("Saved."))
                    return redirect("feedback:case", case_id=case.pk)
        trail = [
            {
                "at": event.occurred_at,
                "who": event.actor_label,
                "what": TRAIL.get(event.verb, event.verb),
            }
            for event in selectors.case_trail(case=case)
        ]
        return render(
            request,
            "feedback/case.html",
            {
                "case": case,
                "rating": case.rating,
                "worker": case.rating.worker,
                "reasons": [
                    services.REASONS[case.rating.service].get(code, code)
                    for code in case.rating.reasons
                ],
                "handles": handles,
                "step": step,
                "form": form,
                "trail": trail,
            },
        )

    post = get  # the step form posts back to the page


class SatisfactionView(ActionRequiredMixin, View):
    """Per centre and course: ratings, average stars, cases, callbacks and rectifications on
    time — for the viewer's scope."""

    required_action = Action.VIEW_CASES

    def get(self, request):
        table = SatisfactionTable(
            selectors.satisfaction_rows(**scopes.satisfaction_scope(request.user))
        )
        export_format = request.GET.get("_export")
        if export_format is not None:
            if export_format not in ("csv", "xlsx"):
                raise Http404
            services.satisfaction_export_record(actor=request.user, export_format=export_format)
            return TableExport(export_format, table).response(f"satisfaction.{export_format}")
        RequestConfig(request, paginate=False).configure(table)
        overdue = selectors.overdue(scopes.cases_visible_to(request.user)).count()
        return render(request, "feedback/satisfaction.html", {"table": table, "overdue": overdue})
