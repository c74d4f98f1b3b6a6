"""The dashboards' aggregates on PostgreSQL: the real worker refreshes them (raw INSERT …
ON CONFLICT included), runs at once queue on the mark's row lock, reports are made by tasks."""

import re
import threading

import pytest
from django.db import connection

from dashboards.aggregates import aggregates_refresh
from dashboards.models import ProgressFact, RefreshMark, WeeklyReport, WorkerMilestones
from dashboards.reports import report_week
from dashboards.tasks import make_weekly_reports, refresh_aggregates
from tests.dashboards import builders
from tests.integration.conftest import wait_for

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _midday(settings):
    settings.TIME_ZONE = builders.pb.midday_time_zone()


@pytest.fixture(autouse=True)
def _no_drawing(monkeypatch):
    """The campaign's certificate would be drawn by the worker while the next test empties the
    tables (a deadlock): these tests are about figures, not drawings."""
    from certificates import services

    monkeypatch.setattr(services, "_render_later", lambda certificate: None)


def finished(worker, task_id: str) -> bool:
    """Has the worker logged the task as done? (The tests wait for it before the tables are
    emptied under it.)"""
    return f"[{task_id}] succeeded" in worker.log_path.read_text()


def _district(district):
    return ProgressFact.objects.filter(scope="district", district=district).first()


def test_the_worker_refreshes_the_aggregates_and_then_only_what_changed(celery_worker):
    world = builders.campaign()
    task = refresh_aggregates.delay(full=True)
    wait_for(lambda: finished(celery_worker, task.id), message="the first refresh")
    xihu = _district(world["xihu"])
    assert (xihu.registered, xihu.enrolled, xihu.trained, xihu.certified) == (4, 2, 2, 1)
    assert WorkerMilestones.objects.count() == 6

    builders.train(world["east_workers"][1], world["course"])
    task = refresh_aggregates.delay()
    wait_for(lambda: finished(celery_worker, task.id), message="the incremental run")
    assert _district(world["shangcheng"]).trained == 1
    assert _district(world["xihu"]).trained == 2


def test_simultaneous_refreshes_queue_and_agree():
    world = builders.campaign()
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def refresh(full: bool):
        try:
            barrier.wait(timeout=30)
            aggregates_refresh(full=full)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=refresh, args=(n % 2 == 0,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert RefreshMark.objects.count() == 1
    facts = sorted(ProgressFact.objects.values_list("scope", "key", "registered", "trained"))
    aggregates_refresh(full=True)
    assert (
        sorted(ProgressFact.objects.values_list("scope", "key", "registered", "trained")) == facts
    )
    assert _district(world["xihu"]).registered == 4


def test_the_monday_task_fans_out_one_report_per_district(celery_worker):
    world = builders.campaign()
    aggregates_refresh(full=True)
    log = celery_worker.log_path

    def reports_done() -> int:
        return len(re.findall(r"make_weekly_report\[[^\]]+\] succeeded", log.read_text()))

    before = reports_done()
    make_weekly_reports.delay()
    wait_for(lambda: reports_done() == before + 3, message="three report tasks", timeout=60)
    assert WeeklyReport.objects.count() == 3
    assert {report.district for report in WeeklyReport.objects.all()} == {
        None,
        world["xihu"],
        world["shangcheng"],
    }
    assert {report.week for report in WeeklyReport.objects.all()} == {report_week()}
