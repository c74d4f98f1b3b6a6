"""What a worker and a visitor do, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User, WorkerProfile
from tests.factories import PASSWORD, EnterpriseFactory, make_id_number

# serialized_rollback: the home page created by a migration survives each test's flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def fill_signup(page, *, id_number: str, phone: str = "13966667777"):
    page.get_by_label("姓名").fill("陈安全")
    page.get_by_label("居民身份证号码").fill(id_number)
    page.get_by_label("手机号码").fill(phone)
    page.locator("select[name=district]").select_option(label="西湖区")
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)


def test_worker_signs_up_verifies_phone_and_logs_in(page, sms_outbox, shot):
    employer = EnterpriseFactory(name="杭州西湖安全测试有限公司")
    page.goto("/")
    expect(page.locator("h1")).to_contain_text("企业百万员工安全大培训")
    page.get_by_role("link", name="实名注册").click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/$"))
    fill_signup(page, id_number=make_id_number(777))
    employer_box = page.locator("input[name=employer]")
    employer_box.press_sequentially("西湖安全", delay=50)
    suggestion = page.locator("#enterprise-options option")
    expect(suggestion).to_have_count(1)
    assert suggestion.get_attribute("value") == employer.name
    employer_box.fill(employer.name)
    shot(page, "signup-filled")
    page.get_by_role("button", name="注册").click()

    expect(page).to_have_url(re.compile(r"/accounts/phone/verify/$"))
    assert sms_outbox, "no SMS code was sent"
    code = re.search(r"\d{6}", sms_outbox[-1]["text"]).group(0)
    shot(page, "signup-verify-phone")
    page.locator("input[name=code]").fill(code)
    page.get_by_role("button", name="确认").click()

    expect(page).to_have_url(re.compile(r"/me/$"))
    expect(page.locator("main")).to_contain_text("陈安全")
    expect(page.locator("main")).to_contain_text(employer.name)
    shot(page, "workbench-worker")
    profile = WorkerProfile.objects.get(real_name="陈安全")
    assert profile.user.phone_verified

    page.get_by_role("button", name="退出").click()
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill("139 6666 7777")
    page.locator("input[name=password]").fill(PASSWORD)
    shot(page, "login")
    page.locator("main").get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/me/$"))
    expect(page.locator("header")).to_contain_text("陈安全")


def test_signup_with_an_invalid_id_number_is_refused_on_the_form(page, shot):
    page.goto("/accounts/signup/")
    bad = make_id_number(778)
    bad = bad[:17] + ("0" if bad[17] != "0" else "1")
    fill_signup(page, id_number=bad)
    page.get_by_role("button", name="注册").click()
    error = page.locator(".form-field.has-error").filter(has=page.locator("input[name=id_number]"))
    expect(error.locator(".errorlist")).to_contain_text("校验位")
    expect(page).to_have_url(re.compile(r"/accounts/signup/$"))
    expect(page.locator("input[name=real_name]")).to_have_value("陈安全")
    shot(page, "signup-invalid-id")
    assert not User.objects.exists()


def test_language_switch_changes_the_whole_page(page, shot):
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Register with your real name")).to_be_visible()
    shot(page, "home-english")
    page.goto("/accounts/signup/")
    expect(page.get_by_label("Resident ID number")).to_be_visible()
    page.get_by_role("button", name="简体中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_label("居民身份证号码")).to_be_visible()


def test_large_text_mode_enlarges_and_persists(page, shot):
    page.goto("/")
    normal = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    page.get_by_role("button", name="大字模式").click()
    expect(page.locator("html")).to_have_class(re.compile("text-large"))
    large = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert large >= normal * 1.25
    shot(page, "home-large-text")
    page.reload()
    expect(page.locator("html")).to_have_class(re.compile("text-large"))
    page.get_by_role("button", name="标准字号").click()
    expect(page.locator("html")).not_to_have_class(re.compile("text-large"))


def test_phone_layout_has_a_working_menu(phone_page, shot):
    page = phone_page
    page.goto("/")
    menu = page.locator("#site-menu")
    expect(menu).to_be_hidden()
    shot(page, "home-phone")
    page.get_by_role("button", name="菜单").click()
    expect(menu).to_be_visible()
    expect(page.get_by_role("link", name="登录").first).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page scrolls sideways on a phone"


def test_keyboard_users_can_skip_to_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳转到主要内容")
    expect(skip).to_be_focused()
    skip.press("Enter")
    expect(page.locator("#main")).to_be_focused()
