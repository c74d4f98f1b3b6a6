"""System check: the working-day calendar (``Holiday`` rows) covers the year the case deadlines
are counted in, and from November the next year, whose arrangement is published by then."""

import datetime

from django.core.checks import Warning, register
from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext as _

# From this month the next year's deadlines come near enough to need its calendar.
NEXT_YEAR_FROM_MONTH = 11


def years_needing_a_calendar(today: datetime.date) -> list[int]:
    years = [today.year]
    if today.month >= NEXT_YEAR_FROM_MONTH:
        years.append(today.year + 1)
    return years


@register()
def check_holiday_calendar(app_configs=None, databases=None, **kwargs):
    """Reads the database, so only when the check is given one (``migrate``, or ``check
    --database default``), as Django asks of checks that use a connection."""
    if not databases or "default" not in databases:
        return []
    try:
        return holiday_calendar_warnings(today=timezone.localdate())
    except DatabaseError:  # not migrated yet: migrate itself reports what is wrong
        return []


def holiday_calendar_warnings(*, today: datetime.date) -> list[Warning]:
    from .models import Holiday

    years = years_needing_a_calendar(today)
    known = set(
        Holiday.objects.filter(day__year__in=years).values_list("day__year", flat=True).distinct()
    )
    return [
        Warning(
            _("The working-day calendar has no days for %(year)s.") % {"year": year},
            hint=_(
                "Complaint deadlines in %(year)s would count every weekday as a working day. "
                "Run `manage.py load_reference_data` after upgrading the chinesecalendar package "
                "to a release that knows %(year)s, or enter the year's public holidays and "
                "adjusted working days (调休) under 'Holidays and adjusted working days' in the "
                "admin."
            )
            % {"year": year},
            id="feedback.W001",
        )
        for year in years
        if year not in known
    ]
