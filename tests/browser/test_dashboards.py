"""The bureau, a district officer and an enterprise administrator read their dashboards:
charts drawn, numbers in tables beside them, exports scoped, the page fits a phone."""

import csv
import io

import pytest
from playwright.sync_api import expect

from dashboards.aggregates import aggregates_refresh
from tests.dashboards import builders
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _midday(settings):
    settings.TIME_ZONE = builders.pb.midday_time_zone()


def log_in(page, user):
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(user.phone.removeprefix("+86"))
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page.locator("main button[type=submit]")).to_have_count(0)


def test_bureau_reads_the_city_then_a_district_and_exports_its_numbers(page, shot):
    world = builders.campaign()
    aggregates_refresh(full=True)
    log_in(page, builders.bureau())
    page.goto("/dashboards/")
    expect(page.get_by_role("heading", name="全市培训进度")).to_be_visible()
    expect(page.locator("#map-title")).to_have_text("区县地图：培训完成率")
    charts = page.locator("figure.dash-chart svg")
    assert charts.count() >= 8
    for index in range(charts.count()):
        box = charts.nth(index).bounding_box()
        assert box and box["width"] > 200 and box["height"] > 40  # drawn, not collapsed
    districts = page.locator("#districts table tbody tr")
    expect(districts).to_have_count(2)
    expect(districts.first).to_contain_text("上城区")
    shot(page, "dashboard-city")

    page.locator("select[name=district]").select_option("330102")
    page.get_by_role("button", name="查看").click()
    expect(page.get_by_role("heading", name="上城区培训进度")).to_be_visible()
    expect(page.locator("#districts table tbody tr")).to_have_count(1)
    with page.expect_download() as download:
        page.locator("#districts").get_by_role("link", name="CSV").click()
    rows = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))))
    assert rows[0][0] == "区县" and [row[0] for row in rows[1:]] == ["上城区"]
    assert world["xihu"].name not in str(rows)


def test_district_officer_and_enterprise_administrator_see_their_own(page, phone_page, shot):
    world = builders.campaign()
    aggregates_refresh(full=True)
    log_in(page, builders.officer(world["xihu"]))
    page.goto("/dashboards/")
    expect(page.get_by_role("heading", name="西湖区培训进度")).to_be_visible()
    expect(page.locator("select[name=district]")).to_have_count(0)
    expect(page.locator("#districts table tbody tr")).to_have_count(1)
    expect(page.locator("#centres table")).to_contain_text("西湖考点")
    shot(page, "dashboard-district")
    page.goto("/dashboards/enterprises/")
    expect(page.locator("main table tbody tr")).to_have_count(1)
    page.get_by_role("link", name=world["west"].name).click()
    expect(page.get_by_role("heading", name=world["west"].name)).to_be_visible()

    log_in(phone_page, builders.enterprise_admin(world["west"]))
    phone_page.goto("/dashboards/enterprise/")
    expect(phone_page.get_by_role("heading", name=world["west"].name)).to_be_visible()
    expect(phone_page.locator("#not-started table tbody tr")).to_have_count(2)
    expect(phone_page.locator("figure.dash-chart svg")).to_have_count(1)
    overflow = phone_page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, "the page is wider than the phone"
    shot(phone_page, "dashboard-enterprise-phone")
