"""Time for the scale plan: POSIX seconds while planning (cheap to add and compare), converted
to aware datetimes only when a row is written; local dates in the project's time zone."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

HOUR = 3600.0
DAY = 24 * HOUR
# Nothing is planned in the last hours before ``now``: an exam started then would still be
# running, and a row dated in the future by a second's rounding would break the funnel's order.
QUIET_HOURS = 3


class Clock:
    """The campaign window: from ``weeks`` before ``now`` up to ``horizon`` (a little before
    ``now``). ``after`` is how every later step of a worker's history is timed."""

    def __init__(self, *, now: datetime, weeks: int, rng):
        self.zone = ZoneInfo(settings.TIME_ZONE)
        self.now = now.timestamp()
        self.now_datetime = now.astimezone(UTC)
        self.start = self.now - weeks * 7 * DAY
        self.horizon = self.now - QUIET_HOURS * HOUR
        self.span = self.horizon - self.start
        self.today = self.local_date(self.now)
        self.rng = rng

    def datetime(self, moment: float) -> datetime:
        return datetime.fromtimestamp(moment, UTC)

    def local_date(self, moment: float) -> date:
        return datetime.fromtimestamp(moment, self.zone).date()

    def at(self, day: date, clock: time) -> float:
        """``day`` at local time ``clock``, in POSIX seconds."""
        return datetime.combine(day, clock, tzinfo=self.zone).timestamp()

    def end_of(self, day: date) -> float:
        return self.at(day + timedelta(days=1), time(0))

    def after(self, moment: float, mean: float, latest: float | None = None) -> float | None:
        """A moment after ``moment``, ``mean`` seconds later on average (exponentially
        distributed), and before ``latest`` (the horizon by default): a step that would land
        later is squeezed into what time is left. None when no time is left."""
        latest = self.horizon if latest is None else min(latest, self.horizon)
        if moment >= latest:
            return None
        step = self.rng.expovariate(1 / mean)
        if moment + step >= latest:
            step = (latest - moment) * self.rng.random()
        return moment + step
