import datetime

from celery import shared_task

from cms.caching import counters_changed
from core.figures import campaign_figures, campaign_figures_refresh

from .aggregates import aggregates_refresh
from .reports import report_districts, report_week, weekly_report_make


# The nightly full rebuild of a million workers takes about a minute (docs/PERFORMANCE.md);
# the limits leave room for a slow night without letting a stuck run hold the lock for ever.
@shared_task(acks_late=True, soft_time_limit=1500, time_limit=1800)
def refresh_aggregates(full: bool = False) -> dict:
    """Beat task: bring the dashboards' aggregates and the home-page counters up to date
    (incremental; safe to run twice, and two runs at once queue on the mark's row lock); new
    figures make the cached counters and pages stale."""
    summary = aggregates_refresh(full=full)
    before = campaign_figures()
    if campaign_figures_refresh() != before:
        counters_changed()  # else the home page would show the old figures for PAGE_TTL more
    return {key: str(value) for key, value in summary.items()}


@shared_task
def make_weekly_reports() -> int:
    """Beat task (Monday morning): one task per district and one for the city."""
    week = report_week()
    for district_id in report_districts():
        make_weekly_report.delay(district_id, week.isoformat())
    return week.toordinal()


@shared_task(acks_late=True)
def make_weekly_report(district_id: int | None, week: str) -> int:
    """Make one report; running it twice replaces the file of the same report row."""
    return weekly_report_make(district_id=district_id, week=datetime.date.fromisoformat(week)).pk
