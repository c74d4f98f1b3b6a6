"""A worker gives a one-star rating; the centre calls back, rectifies and closes the case with
feedback; the worker reads it and confirms."""

import pytest
from playwright.sync_api import expect

from feedback.models import Case
from tests.factories import PASSWORD
from tests.feedback.builders import served

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _midday(settings):
    from tests.exams import practical_builders as pb

    settings.TIME_ZONE = pb.midday_time_zone()


def log_in(page, user):
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(user.phone.removeprefix("+86"))
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page.locator("main button[type=submit]")).to_have_count(0)


def test_one_star_is_called_back_rectified_and_confirmed(
    chromium, live_server, reference_data, shot
):
    world = served()

    def new_page(**options):
        context = chromium.new_context(base_url=live_server.url, **options)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    worker = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    log_in(worker, world["worker"].user)
    worker.goto("/feedback/")
    worker.locator(f"a[href='/feedback/rate/practical_exam/{world['booking'].pk}/']").click()
    worker.get_by_label("★ 非常不满意").check()
    worker.get_by_label("签到等候时间过长").check()
    worker.get_by_label("留言（可选）").fill("签到排队一个多小时，没有人引导。")
    shot(worker, "feedback-rate-phone")
    worker.get_by_role("button", name="提交评价").click()
    expect(worker.locator(".alert, .messages").first).to_contain_text("1 个工作日内回访")
    expect(worker.locator(".case-status")).to_contain_text("待回访")
    case = Case.objects.get()

    desk = new_page(viewport={"width": 1280, "height": 900})
    log_in(desk, world["desk"])
    desk.goto("/feedback/cases/")
    desk.get_by_role("link", name=f"#{case.pk}").click()
    expect(desk.get_by_role("heading", name="登记回访")).to_be_visible()
    expect(desk.locator(".detail-side")).to_contain_text(world["worker"].real_name)
    desk.get_by_label("回访时考生的意见").fill("已致电考生致歉，考生反映高峰时段只开一个签到口。")
    desk.get_by_role("button", name="登记回访").click()
    desk.get_by_label("整改内容和措施").fill("高峰时段增开一个签到口，并安排引导员。")
    desk.get_by_role("button", name="开始整改").click()
    desk.get_by_role("button", name="办结并反馈考生").click()  # empty: refused, explained
    expect(desk.locator(".field-error")).to_be_visible()
    desk.get_by_label("给考生的反馈：具体做了哪些改进").fill(
        "已增开签到口并安排引导员，本周候考时间已缩短到十分钟以内。"
    )
    desk.get_by_role("button", name="办结并反馈考生").click()
    expect(desk.locator("h1 .badge")).to_have_text("已办结")
    expect(desk.locator(".trail")).to_contain_text("已回访考生")
    shot(desk, "feedback-case-closed")

    worker.goto("/feedback/")
    expect(worker.locator(".feedback-box")).to_contain_text("已增开签到口")
    worker.get_by_role("button", name="确认：问题已解决").click()
    expect(worker.locator(".case-status")).to_contain_text("考生已确认")
    shot(worker, "feedback-confirmed-phone")
    case.refresh_from_db()
    assert case.answer == Case.Answer.CONFIRMED
