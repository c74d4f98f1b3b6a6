import datetime

import pytest
from django.utils import timezone

from feedback.models import Holiday
from feedback.working_days import working_day_deadline, working_days_left

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _shanghai(settings):
    settings.TIME_ZONE = "Asia/Shanghai"


def at(day: str, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(f"{day}T{hour:02d}:00"))


def end_of(day: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(f"{day}T23:59:59"))


def test_one_working_day_after_a_friday_evening_is_monday_night():
    assert working_day_deadline(at("2026-11-27", 18), 1) == end_of("2026-11-30")


def test_a_weekend_complaint_counts_from_monday():
    assert working_day_deadline(at("2026-11-28"), 1) == end_of("2026-11-30")


def test_a_day_off_is_skipped_and_a_worked_weekend_day_counts():
    Holiday.objects.create(day=datetime.date(2026, 11, 30), name="测试假日")
    assert working_day_deadline(at("2026-11-27"), 1) == end_of("2026-12-01")
    Holiday.objects.create(day=datetime.date(2026, 11, 28), name="调休上班", working=True)
    assert working_day_deadline(at("2026-11-27"), 1) == end_of("2026-11-28")


def test_fifteen_working_days_across_the_national_day_week():
    for day in range(1, 8):
        Holiday.objects.create(day=datetime.date(2026, 10, day), name="国庆节")
    Holiday.objects.create(day=datetime.date(2026, 10, 10), name="国庆节调休", working=True)
    assert working_day_deadline(at("2026-09-28"), 15) == end_of("2026-10-23")
    assert working_day_deadline(at("2026-09-28"), 15) - at("2026-09-28") > datetime.timedelta(
        days=21
    )


def test_working_days_left():
    deadline = end_of("2026-12-04")  # a Friday
    assert working_days_left(deadline, at("2026-11-30")) == 4
    assert working_days_left(deadline, at("2026-12-04")) == 0
    assert working_days_left(deadline, at("2026-12-07")) == 0
