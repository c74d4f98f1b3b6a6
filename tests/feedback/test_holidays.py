"""The working-day calendar from chinesecalendar (feedback.services.holidays), its loading by
`load_reference_data`, and the system check feedback.W001 for a year without a calendar."""

import datetime
from io import StringIO

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.utils import timezone

from feedback.checks import holiday_calendar_warnings
from feedback.models import Holiday
from feedback.services.holidays import holiday_calendar_known_years, holiday_calendar_load
from feedback.working_days import working_day_deadline

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture(autouse=True)
def _shanghai(settings):
    settings.TIME_ZONE = "Asia/Shanghai"


@pytest.fixture
def december_2026(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: D(2026, 12, 7))


def rows() -> list[tuple]:
    return list(Holiday.objects.order_by("day").values_list("day", "name", "working"))


def test_official_holidays_and_adjusted_working_days_are_loaded():
    holiday_calendar_load(first_year=2026)
    assert Holiday.objects.get(day=D(2026, 2, 14)).working  # a Saturday worked (调休)
    assert Holiday.objects.get(day=D(2026, 2, 14)).name == "春节调休上班"
    national_day = Holiday.objects.get(day=D(2026, 10, 1))
    assert (national_day.name, national_day.working) == ("国庆节", False)
    assert Holiday.objects.get(day=D(2026, 9, 20)).working  # a Sunday worked before 国庆
    assert not Holiday.objects.filter(day__year=2025).exists()  # first_year
    assert Holiday.objects.filter(working=True).count() == 6
    # A complaint on the Friday before 春节 has the worked Saturday as its one working day.
    friday = timezone.make_aware(datetime.datetime(2026, 2, 13, 18))
    assert working_day_deadline(friday, 1).date() == D(2026, 2, 14)


def test_loading_twice_changes_nothing_and_keeps_the_administrators_rows(december_2026):
    Holiday.objects.create(day=D(2027, 1, 1), name="元旦", working=False)  # by hand, in the admin
    Holiday.objects.create(day=D(2026, 10, 1), name="国庆", working=True)  # a wrong entry
    first = holiday_calendar_load()  # last year onwards
    assert first["updated"] == 1 and first["created"] > 0
    assert Holiday.objects.filter(day__year=2025).exists()
    assert not Holiday.objects.filter(day__year=2024).exists()
    loaded = rows()
    second = holiday_calendar_load()
    assert second == {"created": 0, "updated": 0, "unchanged": first["created"] + 1}
    assert rows() == loaded
    assert (D(2027, 1, 1), "元旦", False) in loaded
    assert (D(2026, 10, 1), "国庆节", False) in loaded  # corrected to the official day


def test_the_package_knows_2026_and_not_2027():
    assert holiday_calendar_known_years()[-1] == 2026


def test_load_reference_data_fills_the_calendar_and_is_idempotent(december_2026):
    out = StringIO()
    call_command("load_reference_data", stdout=out)
    assert "Working-day calendar" in out.getvalue()
    loaded = rows()
    assert (D(2026, 5, 9), "劳动节调休上班", True) in loaded
    call_command("load_reference_data", stdout=StringIO())
    assert rows() == loaded


def test_a_year_without_days_is_a_warning_that_says_what_to_do():
    (warning,) = holiday_calendar_warnings(today=D(2026, 6, 1))
    assert warning.id == "feedback.W001"
    assert "2026" in warning.msg
    assert "load_reference_data" in warning.hint and "chinesecalendar" in warning.hint
    assert "管理后台" in warning.hint or "admin" in warning.hint
    Holiday.objects.create(day=D(2026, 5, 1), name="劳动节")
    assert holiday_calendar_warnings(today=D(2026, 6, 1)) == []


@pytest.mark.parametrize(
    ("today", "missing"),
    [(D(2026, 10, 31), []), (D(2026, 11, 1), ["2027"]), (D(2026, 12, 31), ["2027"])],
)
def test_from_november_the_next_year_needs_its_calendar_too(today, missing):
    holiday_calendar_load(first_year=2026)
    warnings = holiday_calendar_warnings(today=today)
    assert [year for year in ("2026", "2027") if any(year in w.msg for w in warnings)] == missing


def test_the_check_runs_with_the_database_only(december_2026):
    holiday_calendar_load()
    ours = [m for m in run_checks(databases=["default"]) if m.id == "feedback.W001"]
    assert len(ours) == 1 and "2027" in ours[0].msg  # the package does not know 2027 yet
    assert not [m for m in run_checks() if m.id == "feedback.W001"]  # `check` without --database
    Holiday.objects.create(day=D(2027, 1, 1), name="元旦")
    assert not [m for m in run_checks(databases=["default"]) if m.id == "feedback.W001"]
