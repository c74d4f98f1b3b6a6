"""What the aggregate writers share: batch sizes, the booking status groups counted, weeks."""

import datetime

from exams.models import Booking

OVERLAP = datetime.timedelta(minutes=10)
CHUNK = 20_000
# Past this many changed workers a full rebuild is cheaper than following each one.
FULL_REBUILD_FROM = 200_000
REVIEW_HORIZON_DAYS = 90
MARK = "aggregates"

STEPS = ("enrolled", "trained", "examined", "theory_passed", "certified")

BOOKED = [
    Booking.Status.CONFIRMED,
    Booking.Status.CHECKED_IN,
    Booking.Status.SCORES_DIFFER,
    Booking.Status.COMPLETED,
    Booking.Status.NO_SHOW,
]
ATTENDED = list(Booking.ATTENDED)
WAITING = [Booking.Status.WAITLISTED, Booking.Status.OFFERED]


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value
