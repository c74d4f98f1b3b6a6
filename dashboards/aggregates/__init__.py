"""Rebuild the campaign aggregates (``models.py``) from the source tables.

``aggregates_refresh`` is incremental and idempotent: it finds the workers whose records changed
since the last run (less an overlap for transactions that committed late), rewrites their
milestone rows with one ``INSERT … SELECT … ON CONFLICT`` per chunk, then regroups only the
districts and enterprises those workers belong to and the exam weeks that changed. Running it
twice writes the same rows; ``full=True`` rebuilds everything.

One module per aggregate family, as the banners of the old module had them: ``changes``
(which workers changed), ``milestones``, ``progress`` (facts and weekly trend), ``exams`` and
``reviews`` (reviews due and events); ``common`` holds what they share.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from training.models import CampaignTarget

from ..locks import refresh_mark_lock
from .changes import SOURCES, changed_workers
from .common import FULL_REBUILD_FROM, MARK, OVERLAP, week_start
from .exams import exam_weeks_write, first_changed_exam_week
from .milestones import milestones_write, out_of_step
from .progress import progress_facts_write, weekly_progress_write
from .reviews import event_figures_write, reviews_due_write

__all__ = ["MARK", "SOURCES", "aggregates_refresh", "week_start"]


@transaction.atomic
def aggregates_refresh(*, full: bool = False, now: datetime.datetime | None = None) -> dict:
    """Bring every aggregate up to date; returns what was recomputed (for logs and tests)."""
    now = now or timezone.now()
    mark = refresh_mark_lock(name=MARK)
    since = None if full or mark.refreshed_at is None else mark.refreshed_at - OVERLAP

    workers = changed_workers(since)
    if workers is not None and len(workers) > FULL_REBUILD_FROM:
        since, workers = None, None
    touched = milestones_write(workers)
    districts, enterprises = touched.districts, touched.enterprises
    if since is not None:
        # Workers were named (not all), so the places they were in are too.
        assert districts is not None and enterprises is not None
        # Deleted workers leave no row to find them by: the counts give them away.
        stale_districts, stale_enterprises = out_of_step()
        targets = CampaignTarget.objects.filter(updated_at__gte=since)
        districts |= stale_districts | set(
            targets.exclude(district=None).values_list("district_id", flat=True)
        )
        enterprises |= stale_enterprises | set(
            targets.exclude(enterprise=None).values_list("enterprise_id", flat=True)
        )
    progress_facts_write(districts=districts, enterprises=enterprises, now=now)
    weekly_progress_write(districts)
    first_exam_week = first_changed_exam_week(since, moved_workers=touched.moved_workers, now=now)
    if first_exam_week is not None:
        exam_weeks_write(first_exam_week)
    reviews_due_write(timezone.localdate(now))
    event_figures_write()

    mark.refreshed_at = now
    mark.save(update_fields=["refreshed_at"])
    return {
        "workers": None if workers is None else len(workers),
        "districts": None if districts is None else len(districts),
        "exam_weeks_from": first_exam_week,
    }
