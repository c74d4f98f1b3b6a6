"""The demo's aggregates and last week's reports: made once the other apps have seeded
(dashboards is the last app)."""

from dashboards.aggregates import aggregates_refresh
from dashboards.reports import report_districts, report_week, weekly_report_make


def seed(*, stdout) -> list:
    aggregates_refresh(full=True)
    week = report_week()
    for district_id in report_districts():
        weekly_report_make(district_id=district_id, week=week)
    stdout.write(f"Dashboards: aggregates computed, weekly reports for {week:%Y-%m-%d} made")
    return []
