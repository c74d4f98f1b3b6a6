import pytest
from django.urls import reverse

from accounts.models import Role
from feedback.models import Case, Rating
from tests.exams import practical_builders as pb
from tests.factories import (
    DistrictFactory,
    EnterpriseFactory,
    RoleAssignmentFactory,
    WorkerProfileFactory,
)
from tests.feedback.builders import served
from tests.feedback.test_services import FEEDBACK, NOTE, PLAN, bad_rating

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return served()


def rate_url(world, service="practical_exam", event=None):
    return reverse("feedback:rate", args=[service, event or world["booking"].pk])


def test_the_worker_rates_from_the_page_and_a_low_rating_opens_a_case(client, world):
    client.force_login(world["worker"].user)
    mine = client.get(reverse("feedback:mine")).content.decode()
    assert "待评价" in mine and rate_url(world) in mine
    page = client.get(rate_url(world)).content.decode()
    assert "签到等候时间过长" in page and "非常不满意" in page
    response = client.post(
        rate_url(world), {"stars": "1", "reasons": ["waiting"], "comment": "排队太久"}
    )
    assert response.status_code == 302
    rating = Rating.objects.get()
    assert rating.case.state == Case.State.OPEN
    followed = client.get(reverse("feedback:mine")).content.decode()
    assert "1 个工作日内回访" in followed or "回访您" in followed


def test_bad_input_on_the_form_is_explained_and_changes_nothing(client, world):
    client.force_login(world["worker"].user)
    for data in ({"stars": "9"}, {"stars": "1", "reasons": ["bribes"]}, {}):
        response = client.post(rate_url(world), data)
        assert response.status_code == 200
        assert 'class="field-error"' in response.content.decode(), data
    response = client.post(rate_url(world), {"stars": "4", "complaint": "on"})
    assert "投诉需要填写留言" in response.content.decode()
    assert not Rating.objects.exists()


def test_a_second_rating_and_someone_elses_service_are_refused(client, world):
    bad_rating(world)
    client.force_login(world["worker"].user)
    response = client.post(rate_url(world), {"stars": "5"}, follow=True)
    assert "您已评价过这次服务" in response.content.decode()
    assert Rating.objects.count() == 1
    stranger = WorkerProfileFactory()
    client.force_login(stranger.user)
    response = client.get(rate_url(world))
    assert response.status_code == 404 and "无法评价" in response.content.decode()
    assert client.get(rate_url(world, service="canteen")).status_code == 404


def test_each_role_sees_only_its_cases(client, world):
    case = bad_rating(world).case
    url = reverse("feedback:case", args=[case.pk])
    elsewhere = pb.staff(pb.center(code="elsewhere-1"))
    other_officer = RoleAssignmentFactory(
        role=Role.DISTRICT_OFFICER, district=DistrictFactory(code="330188", name="另一区")
    ).user
    bureau = RoleAssignmentFactory(role=Role.BUREAU_OFFICER).user
    enterprise_admin = RoleAssignmentFactory(
        role=Role.ENTERPRISE_ADMIN, enterprise=EnterpriseFactory()
    ).user
    for user, status in (
        (world["desk"], 200),
        (world["officer"], 200),
        (bureau, 200),
        (elsewhere, 404),
        (other_officer, 404),
        (enterprise_admin, 403),
        (world["worker"].user, 403),
    ):
        client.force_login(user)
        assert client.get(url).status_code == status, user
    client.force_login(elsewhere)
    assert not client.get(reverse("feedback:cases")).context["table"].rows
    client.force_login(world["officer"])
    assert [r.record for r in client.get(reverse("feedback:cases")).context["table"].rows] == [case]
    by_centre = client.get(reverse("feedback:cases"), {"center": world["center"].pk})
    assert [r.record for r in by_centre.context["table"].rows] == [case]
    overdue = client.get(reverse("feedback:cases"), {"overdue": "true"})
    assert not overdue.context["table"].rows  # due tomorrow night at the earliest


def test_officers_watch_but_only_the_centre_acts(client, world):
    case = bad_rating(world).case
    url = reverse("feedback:case", args=[case.pk])
    client.force_login(world["officer"])
    assert "登记回访" not in client.get(url).content.decode()
    assert client.post(url, {"step": "open", "text": NOTE}).status_code == 403
    case.refresh_from_db()
    assert case.state == Case.State.OPEN

    client.force_login(world["desk"])
    page = client.get(url).content.decode()
    assert "登记回访" in page and world["worker"].real_name in page
    assert client.post(url, {"step": "open", "text": "好"}).status_code == 200  # too short
    case.refresh_from_db()
    assert case.state == Case.State.OPEN
    assert client.post(url, {"step": "open", "text": NOTE}).status_code == 302
    # The same form sent again (a double click, an old tab) does not do the next step.
    again = client.post(url, {"step": "open", "text": NOTE}, follow=True)
    assert "nothing saved" in again.content.decode() or "未保存" in again.content.decode()
    case.refresh_from_db()
    assert case.state == Case.State.CALLED_BACK and case.rectification_plan == ""
    assert client.post(url, {"step": "called_back", "text": PLAN}).status_code == 302
    response = client.post(url, {"step": "rectifying", "text": ""})
    assert response.status_code == 200 and 'class="field-error"' in response.content.decode()
    assert client.post(url, {"step": "rectifying", "text": FEEDBACK}).status_code == 302
    case.refresh_from_db()
    assert case.state == Case.State.CLOSED and case.feedback == FEEDBACK
    trail = client.get(url).content.decode()
    assert "已回访考生" in trail and "办结并反馈" in trail


def test_the_worker_confirms_the_feedback_from_the_page(client, world):
    case = bad_rating(world).case
    for step, text in (
        ("callback_record", NOTE),
        ("rectification_start", PLAN),
        ("close", FEEDBACK),
    ):
        from feedback import services

        argument = {"callback_record": "note", "rectification_start": "plan", "close": "feedback"}
        getattr(services, f"case_{step}")(
            actor=world["desk"], case_id=case.pk, **{argument[step]: text}
        )
    client.force_login(world["worker"].user)
    page = client.get(reverse("feedback:mine")).content.decode()
    assert FEEDBACK in page and "确认：问题已解决" in page
    answer = reverse("feedback:answer", args=[case.pk])
    client.post(answer, {"answer": "confirmed"})
    case.refresh_from_db()
    assert case.answer == Case.Answer.CONFIRMED
    response = client.post(answer, {"answer": "disputed", "note": "还是很慢"}, follow=True)
    assert "您已对这条反馈作出评价" in response.content.decode()
    stranger = WorkerProfileFactory()
    client.force_login(stranger.user)
    assert client.post(answer, {"answer": "confirmed"}).status_code == 404


def test_satisfaction_figures_per_centre(client, world):
    from feedback import services

    bad_rating(world)
    services.rating_submit(
        worker=world["worker"],
        service="certificate_desk",
        event_id=world["certificate"].pk,
        stars=5,
    )
    case = Case.objects.get()
    services.case_callback_record(actor=world["desk"], case_id=case.pk, note=NOTE)
    client.force_login(world["officer"])
    rows = client.get(reverse("feedback:satisfaction")).context["table"].data.data
    centre = next(row for row in rows if row["owner"] == "center")
    assert (centre["ratings"], centre["average"], centre["low"], centre["cases"]) == (2, 3.0, 1, 1)
    assert centre["callback_rate"] == 100.0 and centre["rectification_rate"] is None
    elsewhere = pb.staff(pb.center(code="elsewhere-2"))
    client.force_login(elsewhere)
    assert not [
        row
        for row in client.get(reverse("feedback:satisfaction")).context["table"].data.data
        if row["owner"] == "center"
    ]
