"""Exam office pages: the question bank (export, import with a row report), theory attempts
(list and export) and item statistics.

Who may: the question bank is managed with Django model permissions (``exams.view_question``
to see and export it, ``exams.add_question`` and ``exams.change_question`` to import);
attempts and statistics are for campaign officers (``Action.VIEW_CAMPAIGN``: bureau officers
see every attempt, district officers those of workers in their district) and for users with
``exams.view_theoryattempt`` (every attempt). Anonymous visitors go to the login page,
everyone else gets 403.
"""

from uuid import uuid4

from django import forms
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, ListView, TemplateView, View
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from accounts.permissions import ActionRequiredMixin
from core.errors import DomainError
from core.exports import AuditedExportMixin
from training.imports import import_max_bytes

from .bank_io import (
    HEADERS,
    REQUIRED_COLUMNS,
    bank_import_file,
    bank_import_max_rows,
    question_bank_export,
)
from .bank_rules import blueprint_totals
from .filters import AttemptFilter
from .models import Question, Subject, TheoryAttempt
from .scopes import (
    ATTEMPTS_VIEW_PERMISSION,
    attempts_visible_to,
    may_edit_bank,
    may_view_attempts,
    may_view_bank,
)
from .statistics import (
    EASY_P,
    HARD_P,
    LOW_DISCRIMINATION,
    MAX_ATTEMPTS,
    MIN_RESPONSES,
    item_statistics,
)
from .tables import AttemptTable

REPORT_TTL = 24 * 3600  # an import report can be reopened for a day
REFUSED_PER_PAGE = 100
EXPORT_FORMATS = ("csv", "xlsx")


# --- Who may (the rules are exams.scopes) -------------------------------------------------------


class AttemptViewerMixin(ActionRequiredMixin):
    def allows(self, request, *args, **kwargs) -> bool:
        return may_view_attempts(request.user)


class BankViewerMixin(ActionRequiredMixin):
    def allows(self, request, *args, **kwargs) -> bool:
        return may_view_bank(request.user)


class BankEditorMixin(ActionRequiredMixin):
    def allows(self, request, *args, **kwargs) -> bool:
        return may_edit_bank(request.user)


# --- Question bank ----------------------------------------------------------------------------


def _subjects_with_counts():
    return Subject.objects.annotate(
        questions_total=Count("questions"),
        questions_active=Count("questions", filter=Q(questions__active=True)),
        questions_tf=Count("questions", filter=Q(questions__kind=Question.Kind.TRUE_FALSE)),
        questions_single=Count("questions", filter=Q(questions__kind=Question.Kind.SINGLE)),
        questions_multiple=Count("questions", filter=Q(questions__kind=Question.Kind.MULTIPLE)),
    ).order_by("code")


class BankIndexView(BankViewerMixin, ListView):
    """Every subject's bank: how many questions of each type, the blueprint's total, export
    links."""

    template_name = "exams/staff/bank.html"
    context_object_name = "subjects"

    def get_queryset(self):
        return _subjects_with_counts()

    def get_context_data(self, **kwargs):
        totals = blueprint_totals()
        for subject in self.object_list:
            subject.blueprint_total = totals.get(subject.pk, 0)
        user = self.request.user
        return super().get_context_data(
            may_import=may_edit_bank(user),
            may_view_attempts=may_view_attempts(user),
            export_formats=EXPORT_FORMATS,
            **kwargs,
        )


class BankExportView(BankViewerMixin, View):
    def get(self, request, code: str, file_format: str):
        if file_format not in EXPORT_FORMATS:
            raise Http404
        subject = get_object_or_404(Subject, code=code)
        content, content_type, filename = question_bank_export(
            actor=request.user, subject=subject, file_format=file_format
        )
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class BankUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Question bank file"),
        help_text=gettext_lazy("A CSV file (UTF-8 or GB18030) or an Excel workbook (.xlsx)."),
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx"}),
    )


def _report_key(user, key: str) -> str:
    return f"exams:bank-import:{user.pk}:{key}"


class BankImportView(BankEditorMixin, FormView):
    form_class = BankUploadForm
    template_name = "exams/staff/bank_import.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            headers=HEADERS,
            required=[HEADERS[key] for key in REQUIRED_COLUMNS],
            max_rows=bank_import_max_rows(),
            max_bytes=import_max_bytes(),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            report = bank_import_file(
                uploaded_file=form.cleaned_data["file"], actor=self.request.user
            )
        except DomainError as error:
            form.add_error("file", error.message)
            return self.form_invalid(form)
        key = uuid4().hex
        cache.set(_report_key(self.request.user, key), report, REPORT_TTL)
        return redirect("exam_staff:bank_import_report", key=key)


class BankImportReportView(BankEditorMixin, TemplateView):
    """The row report of an import, kept for a day for the user who uploaded the file."""

    template_name = "exams/staff/bank_import_report.html"

    def get(self, request, *args, **kwargs):
        report = cache.get(_report_key(request.user, kwargs["key"]))
        if report is None:
            return TemplateResponse(request, "exams/staff/bank_import_expired.html", status=404)
        self.report = report
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        refused = Paginator(self.report["refused"], REFUSED_PER_PAGE).get_page(
            self.request.GET.get("page")
        )
        return super().get_context_data(report=self.report, refused=refused, **kwargs)


# --- Attempts ---------------------------------------------------------------------------------


class AttemptListView(AttemptViewerMixin, AuditedExportMixin, SingleTableMixin, FilterView):
    table_class = AttemptTable
    filterset_class = AttemptFilter
    template_name = "exams/staff/attempts.html"
    paginate_by = 50
    export_name = "theory_attempts"

    def get_queryset(self):
        return (
            attempts_visible_to(self.request.user)
            .select_related("worker", "subject")
            .defer("paper", "breakdown")
            .order_by("-started_at", "-pk")
        )


# --- Item statistics --------------------------------------------------------------------------


class StatisticsIndexView(AttemptViewerMixin, ListView):
    template_name = "exams/staff/statistics_index.html"
    context_object_name = "subjects"

    def get_queryset(self):
        submitted = Q(attempts__status=TheoryAttempt.Status.SUBMITTED)
        scope = attempts_visible_to(self.request.user)
        if not self.request.user.has_perm(ATTEMPTS_VIEW_PERMISSION):
            submitted &= Q(attempts__in=scope)
        return Subject.objects.annotate(submitted=Count("attempts", filter=submitted)).order_by(
            "code"
        )


class ItemStatisticsView(AttemptViewerMixin, TemplateView):
    template_name = "exams/staff/item_statistics.html"

    def get_context_data(self, **kwargs):
        subject = get_object_or_404(Subject, code=self.kwargs["code"])
        return super().get_context_data(
            subject=subject,
            stats=item_statistics(subject=subject, attempts=attempts_visible_to(self.request.user)),
            may_edit=self.request.user.has_perms(
                ("exams.change_question", "wagtailadmin.access_admin")
            ),
            thresholds={
                "min_responses": MIN_RESPONSES,
                "hard_p": HARD_P,
                "easy_p": EASY_P,
                "low_discrimination": LOW_DISCRIMINATION,
                "max_attempts": MAX_ATTEMPTS,
            },
            **kwargs,
        )
