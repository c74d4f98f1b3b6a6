import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import DomainError, PermissionDenied
from core.models import AuditEvent, OutboundMessage
from exams.models import Booking
from feedback import services
from feedback.models import Case, Rating, Service
from feedback.services import escalation
from feedback.working_days import working_day_deadline
from tests.exams import practical_builders as pb
from tests.factories import WorkerProfileFactory
from tests.feedback.builders import served

pytestmark = pytest.mark.django_db

NOTE = "已电话联系，考生反映候考时间过长，已致歉。"
PLAN = "增加签到窗口一个，高峰时段安排引导员。"
FEEDBACK = "已增设签到窗口并安排引导员，本周起候考时间缩短至十分钟以内。"


@pytest.fixture
def world():
    return served()


def next_monday_ten() -> datetime.datetime:
    """A Monday 10:00 local after today: every deadline below is counted from it."""
    today = timezone.localdate()
    monday = today + datetime.timedelta(days=7 - today.weekday())
    return timezone.make_aware(datetime.datetime.combine(monday, datetime.time(10)))


def bad_rating(world, *, now=None, stars=1, **fields):
    return services.rating_submit(
        worker=world["worker"],
        service=Service.PRACTICAL_EXAM,
        event_id=world["booking"].pk,
        stars=stars,
        reasons=["waiting"],
        comment=fields.pop("comment", "签到排队一个多小时。"),
        now=now or next_monday_ten(),
        **fields,
    )


def verbs(case) -> list[str]:
    return list(
        AuditEvent.objects.filter(target_id=str(case.pk), verb__startswith="case.")
        .order_by("occurred_at", "pk")
        .values_list("verb", flat=True)
    )


def messages_to(user) -> list[str]:
    return list(OutboundMessage.objects.filter(recipient=user.phone).values_list("body", flat=True))


def test_a_good_rating_is_kept_and_opens_no_case(world):
    rating = services.rating_submit(
        worker=world["worker"], service=Service.COURSE, event_id=world["record"].pk, stars=5
    )
    assert rating.course == world["record"].course and rating.district == world["worker"].district
    assert not Case.objects.exists()
    assert AuditEvent.objects.filter(verb="rating.submitted", target_id=str(rating.pk)).exists()


def test_one_star_opens_a_case_with_both_deadlines_in_working_days(world):
    now = next_monday_ten()
    rating = bad_rating(world, now=now)
    case = rating.case
    assert case.state == Case.State.OPEN and case.center == world["center"]
    assert case.callback_due == working_day_deadline(now, 1)
    assert timezone.localtime(case.callback_due).date() == now.date() + datetime.timedelta(days=1)
    assert case.rectification_due == working_day_deadline(now, 15)
    assert timezone.localtime(case.rectification_due).weekday() < 5
    assert verbs(case) == ["case.opened"]
    for handler in (world["desk"], world["examiner"], world["supervisor"]):
        assert any("回访" in body for body in messages_to(handler))


def test_a_complaint_opens_a_case_whatever_the_stars_but_needs_a_comment(world):
    with pytest.raises(DomainError):
        bad_rating(world, stars=4, comment="", complaint=True)
    assert not Rating.objects.exists()
    assert bad_rating(world, stars=4, complaint=True).case.state == Case.State.OPEN


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"stars": 0}, "stars"),
        ({"stars": 6}, "stars"),
        ({"stars": "五"}, "stars"),
        ({"reasons": ["bribes"]}, "reasons"),
        ({"comment": "长" * 501}, "comment"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(world, change, code):
    with pytest.raises(DomainError) as refused:
        services.rating_submit(
            **{
                "worker": world["worker"],
                "service": Service.PRACTICAL_EXAM,
                "event_id": world["booking"].pk,
                "stars": 1,
                **change,
            }
        )
    assert refused.value.code == code
    assert not Rating.objects.exists() and not Case.objects.exists()


def test_a_second_rating_of_the_same_event_is_refused(world):
    bad_rating(world)
    with pytest.raises(DomainError) as refused:
        bad_rating(world, stars=5)
    assert refused.value.code == "already_rated"
    assert Rating.objects.count() == 1 and Case.objects.count() == 1


def test_a_service_the_worker_did_not_use_cannot_be_rated(world):
    stranger = WorkerProfileFactory()
    for service, event_id in (
        (Service.PRACTICAL_EXAM, world["booking"].pk),
        (Service.CERTIFICATE_DESK, world["certificate"].pk),
        (Service.COURSE, world["record"].pk),
        ("canteen", 1),
    ):
        with pytest.raises(DomainError) as refused:
            services.rating_submit(worker=stranger, service=service, event_id=event_id, stars=1)
        assert refused.value.code == "not_yours"
    booked = pb.session(center=world["center"], subject=world["booking"].subject)
    upcoming = Booking.objects.create(
        worker=world["worker"], session=booked, subject=booked.subject,
        theory_attempt=world["booking"].theory_attempt, status=Booking.Status.CONFIRMED,
    )  # fmt: skip
    with pytest.raises(DomainError):
        services.rating_submit(
            worker=world["worker"], service=Service.PRACTICAL_EXAM, event_id=upcoming.pk, stars=1
        )
    late = timezone.now() + datetime.timedelta(days=31)
    with pytest.raises(DomainError) as refused:
        bad_rating(world, now=late)
    assert refused.value.code == "too_late"
    assert not Rating.objects.exists()


def test_the_case_goes_from_callback_to_rectification_to_closed_each_step_audited(world):
    case = bad_rating(world).case
    desk = world["desk"]
    with pytest.raises(DomainError):
        services.case_callback_record(actor=desk, case_id=case.pk, note="已联系")  # says nothing
    with pytest.raises(DomainError):
        services.case_rectification_start(actor=desk, case_id=case.pk, plan=PLAN)  # not yet
    case.refresh_from_db()
    assert case.state == Case.State.OPEN and verbs(case) == ["case.opened"]

    services.case_callback_record(actor=desk, case_id=case.pk, note=NOTE)
    services.case_rectification_start(actor=world["examiner"], case_id=case.pk, plan=PLAN)
    with pytest.raises(DomainError) as refused:
        services.case_close(actor=desk, case_id=case.pk, feedback="  ")
    assert refused.value.field == "feedback"
    case.refresh_from_db()
    assert case.state == Case.State.RECTIFYING and case.feedback == ""
    services.case_close(actor=desk, case_id=case.pk, feedback=FEEDBACK)
    case.refresh_from_db()
    assert case.state == Case.State.CLOSED and case.feedback == FEEDBACK
    assert verbs(case) == ["case.opened", "case.called_back", "case.rectifying", "case.closed"]
    actors = AuditEvent.objects.filter(target_id=str(case.pk), verb="case.called_back")
    assert actors.get().actor == desk
    assert any("反馈" in body for body in messages_to(world["worker"].user))


def test_the_database_refuses_a_closed_case_without_feedback(world):
    case = bad_rating(world).case
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(state=Case.State.CLOSED)


def test_staff_of_another_centre_cannot_touch_the_case(world):
    case = bad_rating(world).case
    elsewhere = pb.staff(pb.center(code="binjiang-9"))
    with pytest.raises(PermissionDenied):
        services.case_callback_record(actor=elsewhere, case_id=case.pk, note=NOTE)
    with pytest.raises(PermissionDenied):
        services.case_callback_record(actor=world["officer"], case_id=case.pk, note=NOTE)
    case.refresh_from_db()
    assert case.state == Case.State.OPEN


def _closed(world):
    case = bad_rating(world).case
    services.case_callback_record(actor=world["desk"], case_id=case.pk, note=NOTE)
    services.case_rectification_start(actor=world["desk"], case_id=case.pk, plan=PLAN)
    services.case_close(actor=world["desk"], case_id=case.pk, feedback=FEEDBACK)
    return case


def test_the_worker_confirms_once(world):
    case = _closed(world)
    with pytest.raises(DomainError):
        services.case_answer(worker=WorkerProfileFactory(), case_id=case.pk, answer="confirmed")
    services.case_answer(worker=world["worker"], case_id=case.pk, answer="confirmed")
    with pytest.raises(DomainError) as refused:
        services.case_answer(worker=world["worker"], case_id=case.pk, answer="disputed", note="x")
    assert refused.value.code == "answered"
    case.refresh_from_db()
    assert case.answer == Case.Answer.CONFIRMED
    assert verbs(case)[-1] == "case.confirmed"


def test_a_dispute_needs_a_reason_and_goes_to_the_district_office(world):
    case = _closed(world)
    with pytest.raises(DomainError):
        services.case_answer(worker=world["worker"], case_id=case.pk, answer="disputed")
    services.case_answer(
        worker=world["worker"], case_id=case.pk, answer="disputed", note="排队依旧很长"
    )
    assert any("异议" in body for body in messages_to(world["officer"]))


def test_the_worker_cannot_answer_an_open_case(world):
    case = bad_rating(world).case
    with pytest.raises(DomainError) as refused:
        services.case_answer(worker=world["worker"], case_id=case.pk, answer="confirmed")
    assert refused.value.code == "wrong_state"


def test_the_clock_runs_through_both_deadlines_and_every_escalation(world):
    start = next_monday_ten()
    case = bad_rating(world, now=start).case
    supervisor, officer = world["supervisor"], world["officer"]
    quiet = services.cases_escalate(now=start + datetime.timedelta(hours=1))
    assert sum(quiet.values()) == 0

    nearly = case.callback_due - datetime.timedelta(hours=3)
    assert services.cases_escalate(now=nearly)["callback_warned"] == 1
    assert services.cases_escalate(now=nearly)["callback_warned"] == 0  # once
    assert any("即将到期" in body for body in messages_to(supervisor))
    assert all("即将到期" not in body for body in messages_to(world["desk"]))
    assert not messages_to(officer)

    late = case.callback_due + datetime.timedelta(minutes=1)
    assert services.cases_escalate(now=late)["callback_escalated"] == 1
    assert services.cases_escalate(now=late)["callback_escalated"] == 0
    assert any("逾期" in body for body in messages_to(officer))

    services.case_callback_record(actor=world["desk"], case_id=case.pk, note=NOTE, now=late)
    services.case_rectification_start(actor=world["desk"], case_id=case.pk, plan=PLAN, now=late)
    two_days_before = case.rectification_due - datetime.timedelta(days=2)
    assert services.cases_escalate(now=two_days_before)["rectification_warned"] == 1
    past = case.rectification_due + datetime.timedelta(seconds=1)
    assert services.cases_escalate(now=past)["rectification_escalated"] == 1
    assert services.cases_escalate(now=past + datetime.timedelta(days=3)) == dict.fromkeys(
        (
            "callback_warned",
            "callback_escalated",
            "rectification_warned",
            "rectification_escalated",
        ),
        0,
    )
    assert verbs(case) == [
        "case.opened",
        "case.callback_due_soon",
        "case.callback_overdue",
        "case.called_back",
        "case.rectifying",
        "case.rectification_due_soon",
        "case.rectification_overdue",
    ]
    case.refresh_from_db()
    assert case.callback_on_time is False


def test_closed_cases_are_not_escalated(world):
    case = _closed(world)
    assert (
        sum(
            services.cases_escalate(
                now=case.rectification_due + datetime.timedelta(days=1)
            ).values()
        )
        == 0
    )


def test_workers_are_invited_to_rate_once_per_event(world):
    from training.models import TrainingRecord

    courses = TrainingRecord.objects.filter(worker=world["worker"]).count()
    events = 1 + 1 + courses  # the exam, the certificate desk, each course completed
    later = timezone.now() + datetime.timedelta(hours=2)
    assert services.rating_invitations_send(now=later) == events
    services.rating_invitations_send(now=later)
    invitations = [body for body in messages_to(world["worker"].user) if "/feedback/rate/" in body]
    assert len(invitations) == events  # each once, however often the task runs
    assert any(f"/feedback/rate/course/{world['record'].pk}/" in body for body in invitations)
    bad_rating(world)
    assert services.rating_invitations_send(now=later) == events - 1  # rated: not asked again


def test_a_callback_recorded_while_escalating_is_not_reported_overdue(world, monkeypatch):
    case = bad_rating(world).case
    late = case.callback_due + datetime.timedelta(minutes=5)
    original = escalation._escalation

    def callback_first(*args, **kwargs):
        services.case_callback_record(actor=world["desk"], case_id=case.pk, note=NOTE, now=late)
        return original(*args, **kwargs)

    monkeypatch.setattr(escalation, "_escalation", callback_first)
    done = services.cases_escalate(now=late)
    assert done["callback_escalated"] == 0
    assert not any("逾期" in body for body in messages_to(world["officer"]))


def test_the_rectification_warning_comes_before_a_long_holiday(world):
    from feedback.models import Holiday
    from feedback.working_days import working_days_left

    case = bad_rating(world).case
    due = timezone.localtime(case.rectification_due).date()
    # Eleven days off just before the due date: two working days left while still 13 days out.
    for offset in range(1, 12):
        day = due - datetime.timedelta(days=offset)
        Holiday.objects.update_or_create(day=day, defaults={"name": "春节", "working": False})
    case.refresh_from_db()
    friday = case.rectification_due - datetime.timedelta(days=13)
    assert working_days_left(case.rectification_due, friday) <= 2
    assert services.cases_escalate(now=friday)["rectification_warned"] == 1
