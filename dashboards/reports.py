"""The weekly campaign report of a district (or the city): an XLSX workbook with one sheet per
dashboard table, as of the Monday it is made."""

import datetime

import tablib
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tables2.export import TableExport

from accounts.models import District
from feedback.selectors import satisfaction_rows
from feedback.tables import SatisfactionTable

from . import selectors
from .aggregates import week_start
from .locks import weekly_report_lock
from .models import ProgressFact, WeeklyProgress, WeeklyReport
from .scopes import Scope
from .tables import (
    BreakdownTable,
    CentreTable,
    DistrictTable,
    EnterpriseTable,
    ReviewDueTable,
    SubjectTable,
    TrendTable,
)


def report_week(today: datetime.date | None = None) -> datetime.date:
    """The week a report made today covers: the last full week (Monday)."""
    today = today or timezone.localdate()
    return week_start(today) - datetime.timedelta(weeks=1)


def _summary_sheet(scope: Scope, week: datetime.date) -> tablib.Dataset:
    headline = selectors.headline(scope)
    new = WeeklyProgress.objects.filter(week=week)
    if scope.district:
        new = new.filter(district=scope.district)
    added = selectors.sums(new, ("registered", "enrolled", "trained", "examined", "certified"))
    sheet = tablib.Dataset(headers=[_("Figure"), _("Campaign to date"), _("This week")])
    for key, label in (
        ("registered", _("Registered workers")),
        ("enrolled", _("Enrolled")),
        ("trained", _("Trained")),
        ("examined", _("Sat the theory exam")),
        ("certified", _("Certified")),
    ):
        sheet.append([label, headline[key], added[key]])
    sheet.append([_("Target"), headline["target"] or "", ""])
    sheet.append([_("Trained of target (%)"), headline["percent"] or "", ""])
    sheet.title = _("Summary")
    return sheet


def _sheet(title: str, table) -> tablib.Dataset:
    dataset = TableExport("xlsx", table).dataset
    dataset.title = title[:31]  # Excel's limit on sheet names
    return dataset


def weekly_report_workbook(*, district: District | None, week: datetime.date) -> bytes:
    scope = Scope(district=district)
    book = tablib.Databook()
    book.add_sheet(_summary_sheet(scope, week))
    sheets = [
        (_("Districts"), DistrictTable(selectors.district_rows(scope))),
        (_("Weekly trend"), TrendTable(selectors.weekly_trend(scope, weeks=None))),
        (
            _("Industries"),
            BreakdownTable(selectors.breakdown_rows(scope, ProgressFact.Scope.INDUSTRY)),
        ),
        (_("Enterprise sizes"), BreakdownTable(selectors.breakdown_rows(scope, "size"))),
        (_("Enterprises"), EnterpriseTable(selectors.enterprise_facts(scope))),
        (_("Subjects"), SubjectTable(selectors.subject_rows(scope, weeks=None))),
        (_("Exam centres"), CentreTable(selectors.centre_rows(scope, weeks=None))),
        (_("Reviews due"), ReviewDueTable(selectors.reviews_due_rows(scope))),
        (_("Satisfaction"), SatisfactionTable(satisfaction_rows(district=district))),
    ]
    for title, table in sheets:
        book.add_sheet(_sheet(title, table))
    return book.export("xlsx")


@transaction.atomic
def weekly_report_make(*, district_id: int | None, week: datetime.date) -> WeeklyReport:
    """Make (or make again: same row, new file) the report of a district or the city."""
    district = District.objects.get(pk=district_id) if district_id else None
    with translation.override(settings.LANGUAGE_CODE):
        content = weekly_report_workbook(district=district, week=week)
    # The row first (get_or_create survives a twin task racing to insert it), then its lock.
    created, _new = WeeklyReport.objects.get_or_create(
        district=district, week=week, defaults={"generated_at": timezone.now()}
    )
    report = weekly_report_lock(report_id=created.pk)
    old = report.file.name if report.file else None
    place = district.code if district else "city"
    report.file.save(f"weekly-{place}-{week:%Y-%m-%d}.xlsx", ContentFile(content), save=False)
    report.generated_at = timezone.now()
    report.save()
    if old and old != report.file.name:
        transaction.on_commit(lambda: report.file.storage.delete(old))
    return report


def report_districts() -> list[int | None]:
    """Whom reports are made for: the city and every district with figures."""
    districts = (
        ProgressFact.objects.filter(scope=ProgressFact.Scope.DISTRICT)
        .values_list("district_id", flat=True)
        .order_by("district__code")
    )
    return [None, *districts]
