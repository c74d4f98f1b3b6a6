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

# The booking status groups are declared on the model; the centre-utilisation figures count these.
BOOKED = list(Booking.BOOKED)
ATTENDED = list(Booking.ATTENDED)
WAITING = list(Booking.WAITING)


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value
