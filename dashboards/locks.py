"""Row locks for dashboard writes (``select_for_update``), taken inside the caller's transaction.
Each write locks one row, so no order between rows is needed."""

from .models import RefreshMark, WeeklyReport


def refresh_mark_lock(*, name: str) -> RefreshMark:
    """The refresh mark (created on first use), locked: one aggregates refresh at a time."""
    mark, _created = RefreshMark.objects.select_for_update().get_or_create(name=name)
    return mark


def weekly_report_lock(*, report_id: int) -> WeeklyReport:
    return WeeklyReport.objects.select_for_update().order_by().get(pk=report_id)
