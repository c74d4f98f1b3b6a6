import datetime

import pytest
from django.utils import timezone

from accounts.models import WorkerProfile
from certificates.models import Certificate
from core.figures import campaign_figures
from dashboards.aggregates import SOURCES, aggregates_refresh, week_start
from dashboards.models import (
    ExamWeekly,
    ProgressFact,
    ReviewDue,
    SizeBand,
    WeeklyProgress,
    WorkerMilestones,
)
from dashboards.tasks import refresh_aggregates
from tests.dashboards import builders
from tests.factories import WorkerProfileFactory

pytestmark = pytest.mark.django_db


def _fact(scope, key):
    return ProgressFact.objects.get(scope=scope, key=str(key))


def _snapshot():
    facts = ProgressFact.objects.values_list(
        "scope",
        "district_id",
        "key",
        "registered",
        "enrolled",
        "trained",
        "examined",
        "theory_passed",
        "certified",
        "target",
    )
    weeks = WeeklyProgress.objects.values_list(
        "district_id", "week", "registered", "enrolled", "trained", "examined", "certified"
    )
    exams = ExamWeekly.objects.values_list(
        "week",
        "district_id",
        "subject_id",
        "center_id",
        "theory_sat",
        "theory_passed",
        "seats",
        "booked",
        "attended",
        "no_show",
        "practical_passed",
        "practical_failed",
    )
    return sorted(facts), sorted(weeks), sorted(exams, key=str)


def test_full_refresh_counts_each_step_by_district_enterprise_industry_and_size():
    world = builders.campaign()
    aggregates_refresh(full=True)

    xihu = _fact("district", world["xihu"].pk)
    assert (xihu.registered, xihu.enrolled, xihu.trained) == (4, 2, 2)
    assert (xihu.examined, xihu.theory_passed, xihu.certified, xihu.target) == (1, 1, 1, 10)
    east = _fact("district", world["shangcheng"].pk)
    assert (east.registered, east.enrolled, east.trained, east.target) == (2, 1, 0, 4)

    west = _fact("enterprise", world["west"].pk)
    assert (west.registered, west.trained, west.certified, west.target) == (4, 2, 1, 8)
    assert west.district == world["xihu"] and west.label == world["west"].name

    sizes = {
        fact.key: fact.registered
        for fact in ProgressFact.objects.filter(scope="size", district=world["shangcheng"])
    }
    assert sizes == {SizeBand.UNKNOWN: 2}  # headcount not recorded
    assert _fact("size", SizeBand.SMALL).registered == 4  # 120 employees

    industry = ProgressFact.objects.get(scope="industry", district=world["xihu"])
    assert industry.label == "制造业" and industry.registered == 4


def test_exam_figures_by_week_subject_and_centre():
    world = builders.campaign()
    aggregates_refresh(full=True)
    week = week_start(timezone.localdate())
    practical = ExamWeekly.objects.get(center=world["center"])
    assert practical.week == week and practical.district == world["xihu"]
    assert (practical.booked, practical.attended, practical.no_show) == (1, 1, 0)
    assert (practical.practical_passed, practical.practical_failed) == (1, 0)
    assert practical.seats > 0
    theory = ExamWeekly.objects.get(center=None)
    assert (theory.theory_sat, theory.theory_passed, theory.district) == (1, 1, world["xihu"])


def test_weekly_trend_counts_first_steps_in_their_week():
    world = builders.campaign()
    aggregates_refresh(full=True)
    row = WeeklyProgress.objects.get(district=world["xihu"])
    assert row.week == week_start(timezone.localdate())
    assert (row.registered, row.enrolled, row.trained, row.examined, row.certified) == (
        4,
        2,
        2,
        1,
        1,
    )


def test_refresh_is_idempotent_and_incremental():
    from training.models import TrainingRecord

    world = builders.campaign()
    start = timezone.now()
    minutes = datetime.timedelta(minutes=1)
    first = aggregates_refresh(full=True, now=start + 20 * minutes)
    assert first["workers"] is None  # everyone
    before = _snapshot()
    # Looks back to 10 minutes before the last run: nothing changed since, nothing moves.
    again = aggregates_refresh(now=start + 40 * minutes)
    assert again["workers"] == 0 and _snapshot() == before

    record = builders.train(world["east_workers"][1], world["course"])
    TrainingRecord.objects.filter(pk=record.pk).update(updated_at=start + 45 * minutes)
    summary = aggregates_refresh(now=start + 60 * minutes)
    assert summary["workers"] == 1 and summary["districts"] == 1
    assert _fact("district", world["shangcheng"].pk).trained == 1
    assert _fact("district", world["xihu"].pk).trained == 2  # untouched district kept
    assert aggregates_refresh(full=True)["workers"] is None
    assert _fact("district", world["shangcheng"].pk).trained == 1  # a full rebuild agrees


def _settled(world=None):
    """Everything built so far changed an hour ago and was aggregated half an hour ago: the
    next refresh sees only what a test changes now (the overlap is ten minutes)."""
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    for model in SOURCES:
        model.objects.update(updated_at=an_hour_ago)
    aggregates_refresh(full=True, now=timezone.now() - datetime.timedelta(minutes=30))
    return world


def test_a_worker_who_moves_district_takes_their_figures_and_exams_along():
    world = _settled(builders.campaign())
    holder = world["certificate"].holder
    WorkerProfile.objects.filter(pk=holder.pk).update(
        district=world["shangcheng"], employer=world["east"], updated_at=timezone.now()
    )
    summary = aggregates_refresh()
    assert summary["workers"] == 1
    assert _fact("district", world["shangcheng"].pk).registered == 3
    assert _fact("district", world["xihu"].pk).registered == 3
    assert _fact("enterprise", world["west"].pk).registered == 3
    assert _fact("enterprise", world["east"].pk).registered == 3
    theory = ExamWeekly.objects.get(center=None)
    assert theory.district == world["shangcheng"] and theory.theory_sat == 1


def test_a_revoked_certificate_stops_counting():
    from certificates.services import certificate_revoke

    world = _settled(builders.campaign())
    certificate_revoke(
        actor=builders.bureau(), certificate_id=world["certificate"].pk, reason="考试记录有误"
    )
    assert aggregates_refresh()["workers"] == 1
    assert _fact("district", world["xihu"].pk).certified == 0
    milestones = WorkerMilestones.objects.get(worker=world["certificate"].holder)
    assert milestones.certified_on is None and milestones.examined_on is not None


def test_deleted_workers_leave_district_and_enterprise_even_when_others_arrive():
    world = _settled(builders.campaign())
    world["east_workers"][1].user.delete()
    WorkerProfileFactory(employer=world["west"], district=world["shangcheng"])  # an arrival
    aggregates_refresh()
    assert _fact("enterprise", world["east"].pk).registered == 1
    assert _fact("district", world["shangcheng"].pk).registered == 2
    assert _fact("enterprise", world["west"].pk).registered == 5


def test_a_worker_deleted_from_an_enterprise_in_another_district_leaves_it():
    world = builders.campaign()
    commuter = WorkerProfileFactory(employer=world["west"], district=world["shangcheng"])
    _settled(world)
    assert _fact("enterprise", world["west"].pk).registered == 5
    commuter.user.delete()
    aggregates_refresh()
    assert _fact("enterprise", world["west"].pk).registered == 4


def test_changed_targets_and_targeted_enterprises_without_workers_show():
    from tests.factories import EnterpriseFactory
    from training.models import CampaignTarget

    world = _settled(builders.campaign())
    CampaignTarget.objects.filter(district=world["xihu"]).update(
        target=999, updated_at=timezone.now()
    )
    newcomer = EnterpriseFactory(district=world["xihu"], name="杭州尚未开训有限公司")
    CampaignTarget.objects.create(enterprise=newcomer, target=30)
    aggregates_refresh()
    assert _fact("district", world["xihu"].pk).target == 999
    empty = _fact("enterprise", newcomer.pk)
    assert (empty.registered, empty.target, empty.district) == (0, 30, world["xihu"])


def test_a_rescheduled_booking_leaves_the_week_it_left():
    from exams.models import Booking
    from exams.practical import services as practical

    world = builders.campaign()
    subject = world["certificate"].subject
    worker = builders.pb.candidate(subject, employer=world["west"])
    soon = builders.pb.session(
        center=world["center"], subject=subject, starts_in=datetime.timedelta(days=8)
    )
    later = builders.pb.session(
        center=world["center"], subject=subject, starts_in=datetime.timedelta(days=29)
    )
    booking = practical.booking_create(worker=worker, session_id=soon.pk)
    _settled(world)
    soon_week = week_start(timezone.localdate(soon.starts_at))
    assert ExamWeekly.objects.get(week=soon_week, center=world["center"]).booked == 1
    practical.booking_reschedule(booking_id=booking.pk, new_session_id=later.pk, worker=worker)
    assert Booking.objects.get(pk=booking.pk).session == later
    aggregates_refresh()
    assert ExamWeekly.objects.get(week=soon_week, center=world["center"]).booked == 0
    later_week = week_start(timezone.localdate(later.starts_at))
    assert ExamWeekly.objects.get(week=later_week, center=world["center"]).booked == 1


def test_reviews_due_in_the_next_90_days_by_week():
    world = builders.campaign()
    soon = timezone.localdate() + datetime.timedelta(days=40)
    Certificate.objects.filter(pk=world["certificate"].pk).update(review_due=soon)
    aggregates_refresh(full=True)
    due = ReviewDue.objects.get()
    assert (due.district, due.week, due.certificates) == (world["xihu"], week_start(soon), 1)
    Certificate.objects.filter(pk=world["certificate"].pk).update(
        review_due=timezone.localdate() + datetime.timedelta(days=200)
    )
    aggregates_refresh()
    assert not ReviewDue.objects.exists()


def test_home_page_counters_read_the_same_aggregates():
    world = builders.campaign()
    refresh_aggregates.delay()
    figures = campaign_figures()
    facts = ProgressFact.objects.filter(scope="district")
    assert figures["registered"] == sum(fact.registered for fact in facts) == 6
    assert figures["trained"] == 2 and figures["certified"] == 1 and figures["examined"] == 1
    WorkerProfileFactory(employer=world["east"])
    assert campaign_figures()["registered"] == 6  # not counted until the next refresh
    refresh_aggregates.delay()
    assert campaign_figures()["registered"] == 7


def test_enterprises_nobody_works_for_any_more_leave_the_table():
    from tests.factories import EnterpriseFactory

    enterprise = EnterpriseFactory()
    worker = WorkerProfileFactory(employer=enterprise)
    aggregates_refresh(full=True)
    assert ProgressFact.objects.filter(scope="enterprise", key=str(enterprise.pk)).exists()
    worker.delete()
    aggregates_refresh()
    assert not ProgressFact.objects.filter(scope="enterprise", key=str(enterprise.pk)).exists()
