"""A worker who registered with a mobile number only and forgot the password, on a phone."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, WorkerProfileFactory

# serialized_rollback: the home page created by a migration survives each test's flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NEW_PASSWORD = "Anquan-Xin-2027"


def no_sideways_scroll(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, "the page is wider than the screen"


def test_forgotten_password_is_reset_by_sms_code_on_a_phone(phone_page, sms_outbox, shot):
    page = phone_page
    worker = WorkerProfileFactory(real_name="王师傅", user__phone="+8613766668888").user
    page.goto("/accounts/login/")
    shot(page, "login-phone")
    page.get_by_role("link", name="忘记密码？").click()
    expect(page).to_have_url(re.compile(r"/accounts/password/reset/sms/$"))
    expect(page.locator("h1")).to_have_text("忘记密码？")
    page.get_by_label("手机号码").fill("137 6666 8888")
    no_sideways_scroll(page)
    shot(page, "password-reset-sms-phone")
    page.get_by_role("button", name="发送验证码").click()

    expect(page).to_have_url(re.compile(r"/accounts/password/reset/sms/confirm/$"))
    expect(page.locator("main")).to_contain_text("13766668888")
    assert [m["phone"] for m in sms_outbox] == ["+8613766668888"]
    code = re.search(r"\d{6}", sms_outbox[-1]["text"]).group(0)
    # A wrong code first: refused on the form, nothing changed.
    page.get_by_label("短信验证码").fill(f"{(int(code) + 1) % 1_000_000:06d}")
    page.locator("input[name=password1]").fill(NEW_PASSWORD)
    page.locator("input[name=password2]").fill(NEW_PASSWORD)
    page.get_by_role("button", name="保存新密码").click()
    expect(page.locator(".errorlist")).to_contain_text("验证码不正确")
    no_sideways_scroll(page)
    shot(page, "password-reset-sms-confirm-phone")
    page.get_by_label("短信验证码").fill(code)
    page.locator("input[name=password1]").fill(NEW_PASSWORD)
    page.locator("input[name=password2]").fill(NEW_PASSWORD)
    page.get_by_role("button", name="保存新密码").click()

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.locator("main")).to_contain_text("密码已修改")
    page.locator("input[name=login]").fill("13766668888")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="登录").click()
    expect(page.locator("main")).to_contain_text("不正确")  # the old password no longer works
    page.locator("input[name=password]").fill(NEW_PASSWORD)
    page.locator("main").get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/me/$"))
    worker.refresh_from_db()
    assert worker.check_password(NEW_PASSWORD)


def test_after_a_code_login_a_new_password_needs_no_current_one(phone_page, sms_outbox, shot):
    page = phone_page
    worker = WorkerProfileFactory(user__phone="+8613766668888").user
    page.goto("/accounts/login/code/")
    page.locator("input[name=phone]").fill("13766668888")
    page.locator("main button[type=submit]").first.click()
    expect(page.locator("input[name=code]")).to_be_visible()
    page.locator("input[name=code]").fill(re.search(r"\d{6}", sms_outbox[-1]["text"]).group(0))
    page.get_by_role("button", name="确认").click()
    expect(page).to_have_url(re.compile(r"/me/$"))
    page.goto("/accounts/password/change/")
    expect(page.locator("[data-testid=no-current-password]")).to_contain_text("无需输入当前密码")
    expect(page.locator("input[name=oldpassword]")).to_have_count(0)
    no_sideways_scroll(page)
    shot(page, "password-change-after-code-login-phone")
    page.locator("input[name=password1]").fill(NEW_PASSWORD)
    page.locator("input[name=password2]").fill(NEW_PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("密码修改成功")
    worker.refresh_from_db()
    assert worker.check_password(NEW_PASSWORD)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("large_text", [False, True], ids=["standard", "large"])
@pytest.mark.parametrize("width", [390, 1280])
def test_reset_pages_fit_every_screen_language_and_text_size(
    chromium, live_server, reference_data, shot, language, large_text, width
):
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 844}
    )
    cookies = [{"name": "django_language", "value": language, "url": live_server.url}]
    if large_text:
        cookies.append({"name": "anxun_text_size", "value": "large", "url": live_server.url})
    context.add_cookies(cookies)
    page = context.new_page()
    name = f"password-reset-sms-{language}-{width}{'-large' if large_text else ''}"
    try:
        page.goto("/accounts/login/")
        forgot = page.locator("[data-testid=forgot-password]")
        expect(forgot).to_have_text(
            "忘记密码？" if language == "zh-hans" else "Forgot your password?"
        )
        forgot.click()
        no_sideways_scroll(page)
        shot(page, name)
        page.locator("input[name=phone]").fill("13700000000")
        page.locator("main button[type=submit]").click()
        expect(page).to_have_url(re.compile(r"/confirm/$"))
        expect(page.locator("main")).to_contain_text(
            "验证码" if language == "zh-hans" else "6-digit code"
        )
        no_sideways_scroll(page)
        shot(page, f"{name}-confirm")
    finally:
        context.close()
