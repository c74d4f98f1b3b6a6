"""The outreach site in a real browser: a visitor registers for an event; an editor's article
goes through moderation and appears in the index, the feed and search."""

import re

import pytest
from playwright.sync_api import expect

from accounts import services
from accounts.models import Role
from cms.models import ArticlePage, EventRegistration
from tests.cms import builders
from tests.factories import PASSWORD, UserFactory

# serialized_rollback: the home page, Wagtail's groups and its moderation workflow are made by
# migrations and must survive each test's flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_visitor_goes_home_campaign_event_and_registers(page, shot):
    campaign = builders.campaign(title="2026年冬季消防安全宣传月")
    event = builders.event(title="社区老年人冬季防火讲座", capacity=30, campaign=campaign)
    page.goto("/")
    page.get_by_role("link", name=campaign.title).click()
    expect(page.locator("h1")).to_have_text(campaign.title)
    page.get_by_role("link", name=event.title).click()
    expect(page.locator("h1")).to_have_text(event.title)
    expect(page.get_by_test_id("seats-left")).to_have_text("30 / 30")
    page.get_by_label("姓名").fill("王秀兰")
    page.get_by_label("手机号码").fill("13912345678")
    page.get_by_label("参加人数").select_option("2")
    shot(page, "event-registration")
    page.get_by_role("button", name="立即报名").click()
    expect(page.locator("h1")).to_have_text("报名成功")
    expect(page.locator("main")).to_contain_text("王秀兰")
    shot(page, "event-registered")
    registration = EventRegistration.objects.get()
    assert (registration.phone, registration.attendees) == ("+8613912345678", 2)
    page.goto(event.url)
    expect(page.get_by_test_id("seats-left")).to_have_text("28 / 30")


def login(context, phone: str):
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    tab.goto("/accounts/login/?next=/admin/")
    tab.locator("input[name=login]").fill(phone)
    tab.locator("input[name=password]").fill(PASSWORD)
    tab.locator("main button[type=submit]").click()
    tab.wait_for_url(re.compile(r"/admin/$"))
    return tab


def test_editor_submits_an_article_and_the_moderator_publishes_it(chromium, live_server, shot):
    section = builders.section(title="安全科普", slug="science")
    editor, moderator = UserFactory(phone="+8613700000005"), UserFactory(phone="+8613700000006")
    services.role_grant(user=editor, role=Role.PUBLICITY_EDITOR, actor=None)
    services.role_grant(user=moderator, role=Role.PUBLICITY_MODERATOR, actor=None)
    title = "冬季用火用电安全十条提示"

    editor_context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 1400, "height": 1000}
    )
    tab = login(editor_context, "13700000005")
    tab.goto(f"/admin/pages/add/cms/articlepage/{section.pk}/")
    tab.locator("#id_title").fill(title)
    tab.locator("#id_intro").fill("冬季取暖用火用电增多，森林消防和居家防火都要牢记这十条提示。")
    tab.locator("footer [data-w-dropdown-target='toggle']").first.click()
    tab.get_by_role("button", name=re.compile("提交给")).click()
    expect(tab.locator(".messages")).to_contain_text("已创建并提交审核")
    shot(tab, "admin-editor-submitted")
    article = ArticlePage.objects.get(title=title)
    assert not article.live  # waiting for the moderator
    assert article.current_workflow_state.status == "in_progress"

    moderator_context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 1400, "height": 1000}
    )
    tab = login(moderator_context, "13700000006")
    tab.goto(f"/admin/pages/{article.pk}/edit/")
    tab.locator("footer [data-w-dropdown-target='toggle']").first.click()
    tab.get_by_role("button", name=re.compile(r"^批准\s*和发布$")).click()
    expect(tab.locator(".messages")).to_be_visible()
    article.refresh_from_db()
    assert article.live

    visitor = chromium.new_context(base_url=live_server.url).new_page()
    visitor.goto(section.url)
    expect(visitor.get_by_role("link", name=title)).to_be_visible()
    visitor.goto("/search/?q=消防")
    expect(visitor.get_by_role("link", name=title)).to_be_visible()
    shot(visitor, "search-results")
    feed = visitor.request.get(f"{live_server.url}/feeds/articles.rss")
    assert title in feed.text()
    for context in (editor_context, moderator_context, visitor.context):
        context.close()
