import io

import openpyxl
import pytest

from dashboards.aggregates import aggregates_refresh
from dashboards.models import WeeklyReport
from dashboards.reports import report_week, weekly_report_make
from dashboards.tasks import make_weekly_reports
from tests.dashboards import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = builders.campaign()
    aggregates_refresh(full=True)
    return world


def _workbook(report) -> openpyxl.Workbook:
    with report.file.open("rb") as handle:
        return openpyxl.load_workbook(io.BytesIO(handle.read()))


def test_a_district_report_holds_only_its_district_in_chinese(world):
    report = weekly_report_make(district_id=world["shangcheng"].pk, week=report_week())
    book = _workbook(report)
    assert book.sheetnames[:3] == ["概况", "区县", "每周趋势"]
    summary = list(book["概况"].iter_rows(min_row=2, values_only=True))
    registered, enrolled = summary[0], summary[1]
    # to date, and in the week reported (last week: everyone here registered this week)
    assert registered[1:] == (2, 0) and enrolled[1:] == (1, 0)
    assert summary[-2][:2] == ("目标", 4)
    districts = [row[0] for row in book["区县"].iter_rows(min_row=2, values_only=True)]
    assert districts == ["上城区"]
    enterprises = [row[0] for row in book["企业"].iter_rows(min_row=2, values_only=True)]
    assert enterprises == [world["east"].name]
    everything = str([list(sheet.values) for sheet in book.worksheets])
    assert "西湖" not in everything


def test_making_a_report_twice_keeps_one_row_with_a_fresh_file(world):
    week = report_week()
    first = weekly_report_make(district_id=None, week=week)
    second = weekly_report_make(district_id=None, week=week)
    assert first.pk == second.pk and WeeklyReport.objects.count() == 1
    book = _workbook(second)
    districts = [row[0] for row in book["区县"].iter_rows(min_row=2, values_only=True)]
    assert districts == ["上城区", "西湖区"]


def test_the_monday_task_makes_one_report_per_district_and_the_city(world):
    make_weekly_reports.delay()
    reports = WeeklyReport.objects.all()
    assert {report.district for report in reports} == {None, world["xihu"], world["shangcheng"]}
    assert {report.week for report in reports} == {report_week()}
    make_weekly_reports.delay()
    assert WeeklyReport.objects.count() == 3
