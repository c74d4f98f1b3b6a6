"""Working days in the city's calendar: Monday to Friday, less the public holidays, plus the
weekend days worked in exchange (调休) — both kept as ``Holiday`` rows (data, not code)."""

import datetime

from django.utils import timezone

from .models import Holiday

# Far enough for the longest deadline (15 working days) across the Spring Festival week.
_LOOKAHEAD_DAYS = 60


def working_day_deadline(start: datetime.datetime, working_days: int) -> datetime.datetime:
    """The end (23:59:59 local) of the ``working_days``-th working day after the day of
    ``start``: a complaint made on Friday evening with one working day to answer is due by
    Monday night, or Tuesday night after a Monday holiday."""
    zone = timezone.get_current_timezone()
    day = timezone.localtime(start, zone).date()
    last = day + datetime.timedelta(days=_LOOKAHEAD_DAYS + working_days * 2)
    exceptions = dict(
        Holiday.objects.filter(day__gt=day, day__lte=last).values_list("day", "working")
    )
    counted = 0
    while counted < working_days:
        day += datetime.timedelta(days=1)
        if exceptions.get(day, day.weekday() < 5):
            counted += 1
    end_of_day = datetime.datetime.combine(day, datetime.time(23, 59, 59))
    return timezone.make_aware(end_of_day, zone)


def working_days_left(deadline: datetime.datetime, now: datetime.datetime) -> int:
    """Whole working days from ``now``'s day until the deadline's day (0 on the day itself)."""
    zone = timezone.get_current_timezone()
    today = timezone.localtime(now, zone).date()
    due = timezone.localtime(deadline, zone).date()
    if due <= today:
        return 0
    exceptions = dict(
        Holiday.objects.filter(day__gt=today, day__lte=due).values_list("day", "working")
    )
    count = 0
    day = today
    while day < due:
        day += datetime.timedelta(days=1)
        if exceptions.get(day, day.weekday() < 5):
            count += 1
    return count
