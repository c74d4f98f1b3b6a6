"""The working-day calendar from the ``chinesecalendar`` package: the State Council's public
holidays and the weekend days worked in exchange (调休), year by year as the package knows them.

The package is updated once the State Council publishes a year (usually in November); until then
an administrator enters that year's days in the admin (``feedback.admin.HolidayAdmin``), and the
system check ``feedback.W001`` says when a year is missing (``feedback.checks``).
"""

import datetime

import chinese_calendar
from django.db import transaction
from django.utils import timezone

from ..models import Holiday

# The package names its holidays in English; the calendar is kept in Chinese, as announced.
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}
WORKED_SUFFIX = "调休上班"


def holiday_calendar_known_years() -> range:
    """The years the installed ``chinesecalendar`` has the official arrangement for."""
    years = [day.year for day in chinese_calendar.holidays]
    return range(min(years), max(years) + 1)


def _official_days(first_year: int) -> dict[datetime.date, tuple[str, bool]]:
    days: dict[datetime.date, tuple[str, bool]] = {}
    for source, working in ((chinese_calendar.holidays, False), (chinese_calendar.workdays, True)):
        for day, english in source.items():
            if day.year >= first_year:
                name = HOLIDAY_NAMES.get(english, english)
                days[day] = (f"{name}{WORKED_SUFFIX}" if working else name, working)
    return days


@transaction.atomic
def holiday_calendar_load(*, first_year: int | None = None) -> dict[str, int]:
    """Write the official days of ``first_year`` (default: last year) onwards, as far as the
    package knows; idempotent (a second run changes nothing). Only the package's days are
    written: rows for other days — a year the package does not know yet, a local arrangement —
    are the administrator's and stay. Answers how many rows were created, updated, unchanged."""
    if first_year is None:
        first_year = timezone.localdate().year - 1
    official = _official_days(first_year)
    existing = {row.day: row for row in Holiday.objects.filter(day__in=list(official))}
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for day, (name, working) in sorted(official.items()):
        row = existing.get(day)
        if row is None:
            Holiday.objects.create(day=day, name=name, working=working)
            counts["created"] += 1
        elif (row.name, row.working) != (name, working):
            row.name, row.working = name, working
            row.save(update_fields=["name", "working"])
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    return counts
