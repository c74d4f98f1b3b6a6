"""Roster import pages for enterprise administrators: upload, past imports, the row-by-row
report with a live progress bar, the template file and the refused rows as CSV.

Only an enterprise administrator may use them, for their own enterprise: anonymous visitors
go to the login page, everyone else gets 403, and another enterprise's import is a 404.
"""

import csv
import io

from django import forms
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, ListView, View
from django.views.generic.detail import SingleObjectMixin

from accounts.models import Enterprise
from accounts.permissions import Action, ActionRequiredMixin, ContextViewBase, managed_enterprise
from core.errors import DomainError
from core.exports import spreadsheet_safe

from .imports import (
    TEMPLATE_EXAMPLE,
    TEMPLATE_HEADERS,
    import_max_bytes,
    import_max_rows,
    roster_import_create,
    roster_import_refused_export,
)
from .models import RosterImport
from .scopes import roster_imports_of

REFUSED_PER_PAGE = 100
_UNFINISHED = (RosterImport.Status.QUEUED, RosterImport.Status.RUNNING)


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Roster file"),
        help_text=gettext_lazy("A CSV file (UTF-8 or GB18030) or an Excel workbook (.xlsx)."),
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx"}),
    )


class EnterpriseAdminMixin(ActionRequiredMixin, ContextViewBase):
    """Enterprise administrators only, scoped to ``self.enterprise``."""

    required_action = Action.VIEW_WORKERS
    enterprise: Enterprise  # set by ``allows``, which refuses whoever manages none

    def allows(self, request, *args, **kwargs) -> bool:
        if not super().allows(request, *args, **kwargs):
            return False
        enterprise = managed_enterprise(request.user)
        if enterprise is None:  # district and bureau officers: not theirs to import
            return False
        self.enterprise = enterprise
        return True

    def get_queryset(self):
        return roster_imports_of(enterprise=self.enterprise)

    def get_context_data(self, **kwargs):
        return super().get_context_data(enterprise=self.enterprise, **kwargs)


class ImportListView(EnterpriseAdminMixin, ListView):
    template_name = "training/imports/list.html"
    context_object_name = "imports"
    paginate_by = 20


class ImportUploadView(EnterpriseAdminMixin, FormView):
    form_class = RosterUploadForm
    template_name = "training/imports/upload.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            max_bytes=import_max_bytes(),
            max_rows=import_max_rows(),
            headers=TEMPLATE_HEADERS,
            **kwargs,
        )

    def form_valid(self, form):
        try:
            roster_import = roster_import_create(
                enterprise=self.enterprise,
                uploaded_by=self.signed_in_user,
                uploaded_file=form.cleaned_data["file"],
            )
        except DomainError as error:
            form.add_error("file", error.message)
            return self.form_invalid(form)
        return redirect("training_imports:detail", pk=roster_import.pk)


class ImportDetailView(EnterpriseAdminMixin, DetailView):
    template_name = "training/imports/detail.html"
    context_object_name = "roster_import"

    def get_context_data(self, **kwargs):
        page = Paginator(self.object.errors, REFUSED_PER_PAGE).get_page(
            self.request.GET.get("page")
        )
        return super().get_context_data(
            refused=page, unfinished=self.object.status in _UNFINISHED, **kwargs
        )


class ImportStatusView(EnterpriseAdminMixin, SingleObjectMixin, View):
    """What the progress bar polls: small, uncached."""

    def get(self, request, *args, **kwargs):
        roster_import = self.get_object()
        response = JsonResponse(
            {
                "status": roster_import.status,
                "status_label": roster_import.get_status_display(),
                "finished": roster_import.status not in _UNFINISHED,
                "total_rows": roster_import.total_rows,
                "processed_rows": roster_import.processed_rows,
                "percent": roster_import.percent,
                "created_count": roster_import.created_count,
                "existing_count": roster_import.existing_count,
                "error_count": roster_import.error_count,
            }
        )
        response["Cache-Control"] = "no-store"
        return response


def _csv_response(*, rows: list[list], filename: str) -> HttpResponse:
    """A CSV with a UTF-8 byte-order mark, so Excel opens the Chinese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows([[spreadsheet_safe(value) for value in row] for row in rows])
    response = HttpResponse(
        ("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class ImportTemplateView(EnterpriseAdminMixin, View):
    def get(self, request, *args, **kwargs):
        keys = list(TEMPLATE_HEADERS)
        return _csv_response(
            rows=[[TEMPLATE_HEADERS[key] for key in keys], [TEMPLATE_EXAMPLE[key] for key in keys]],
            filename="roster-template.csv",
        )


class ImportRefusedView(EnterpriseAdminMixin, SingleObjectMixin, View):
    """The refused rows in the template's columns, with the reasons: fix them, upload again."""

    def get(self, request, *args, **kwargs):
        roster_import = self.get_object()
        rows = roster_import_refused_export(roster_import=roster_import, actor=request.user)
        return _csv_response(rows=rows, filename=f"roster-import-{roster_import.pk}-refused.csv")
