"""Staff list exports (CSV/XLSX): safe to open in a spreadsheet, and written in the audit trail."""

import django_tables2 as tables
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tables2.export import ExportMixin

from .events import audit_record

# A cell starting with one of these is a formula to Excel and WPS (CSV/formula injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def local_time_text(value) -> str:
    """A moment as people here write it, in local time (``2026-11-29 09:30``); "" for none."""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def yes_no_text(value) -> str:
    """Yes / No in the active language; "" for unknown."""
    if value is None:
        return ""
    return str(_("Yes") if value else _("No"))


class ExportTable(tables.Table):
    """A table whose exported values can never run as spreadsheet formulas."""

    def as_values(self, exclude_columns=None):
        for row in super().as_values(exclude_columns=exclude_columns):
            yield [spreadsheet_safe(value) for value in row]


class AuditedExportMixin(ExportMixin):
    """Every export of personal data says who took what, with which filters."""

    export_formats = ("csv", "xlsx")

    def create_export(self, export_format):
        response = super().create_export(export_format)
        audit_record(
            actor=self.request.user,
            verb=f"export.{self.export_name}",
            target=self.request.user,
            after={
                "format": export_format,
                "filters": {k: v for k, v in self.request.GET.items() if k != "_export"},
            },
        )
        return response
