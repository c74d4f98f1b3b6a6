"""A forgotten password reset by SMS code, and the password change right after a login by code,
through the pages as a browser uses them; the SMS read from the test backend."""

import datetime
import re
import time
import types

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.models import AuditEvent
from tests.factories import PASSWORD, WorkerProfileFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Anquan-Xin-2027"
REQUEST_URL = reverse("accounts:password_reset_sms")
CONFIRM_URL = reverse("accounts:password_reset_sms_confirm")


@pytest.fixture
def worker():
    return WorkerProfileFactory(user__phone="+8613811112222").user


@pytest.fixture
def ask_code(client, django_capture_on_commit_callbacks):
    def ask(phone: str = "138 1111 2222"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(REQUEST_URL, {"phone": phone})

    return ask


def sent_code(outbox) -> str:
    return re.search(r"\d{6}", outbox[-1]["text"]).group(0)


def reset(client, code: str, password: str = NEW_PASSWORD):
    return client.post(CONFIRM_URL, {"code": code, "password1": password, "password2": password})


def later(monkeypatch, seconds: int) -> None:
    """Move the reset's clock ``seconds`` on."""
    real = time.time
    monkeypatch.setattr(
        "accounts.password_reset_sms.time", types.SimpleNamespace(time=lambda: real() + seconds)
    )


def test_login_page_links_to_the_sms_reset(client):
    html = client.get(reverse("account_login")).content.decode()
    assert f'href="{REQUEST_URL}"' in html
    assert "忘记密码？" in html


def test_email_reset_page_points_phone_users_to_the_sms_reset(client):
    html = client.get(reverse("account_reset_password")).content.decode()
    assert REQUEST_URL in html
    assert "短信验证码" in html


def test_reset_by_sms_code_sets_a_new_password(client, worker, ask_code, sms_outbox):
    response = ask_code()
    assert response.status_code == 302 and response["Location"] == CONFIRM_URL
    assert [m["phone"] for m in sms_outbox] == ["+8613811112222"]
    assert "重置密码" in sms_outbox[0]["text"] and "5分钟" in sms_outbox[0]["text"]

    page = client.get(CONFIRM_URL).content.decode()
    assert "13811112222" in page and 'name="code"' in page

    response = reset(client, sent_code(sms_outbox))
    assert response.status_code == 302 and response["Location"] == reverse("account_login")
    worker.refresh_from_db()
    assert worker.check_password(NEW_PASSWORD) and worker.phone_verified
    assert AuditEvent.objects.filter(
        verb="user.password_reset_by_sms", target_id=str(worker.pk)
    ).exists()
    assert "密码已修改" in client.get(reverse("account_login")).content.decode()

    response = client.post(
        reverse("account_login"), {"login": "13811112222", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(worker.pk)
    # The code was used up: it resets nothing a second time.
    assert reset(client, sent_code(sms_outbox), "Another-Secret-2028")["Location"] == REQUEST_URL


def test_a_wrong_code_is_refused_and_changes_nothing(client, worker, ask_code, sms_outbox):
    ask_code()
    right = sent_code(sms_outbox)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = reset(client, wrong)
    assert response.status_code == 200
    assert "验证码不正确" in " ".join(response.context["form"].errors["code"])
    worker.refresh_from_db()
    assert worker.check_password(PASSWORD)
    # Attempts remain: the right code still works.
    assert reset(client, right)["Location"] == reverse("account_login")


def test_an_expired_code_is_refused(client, worker, ask_code, sms_outbox, monkeypatch):
    ask_code()
    later(monkeypatch, 301)
    response = reset(client, sent_code(sms_outbox))
    assert response.status_code == 302 and response["Location"] == REQUEST_URL
    assert "验证码已过期" in client.get(REQUEST_URL).content.decode()
    worker.refresh_from_db()
    assert worker.check_password(PASSWORD)


def test_three_wrong_codes_void_the_reset(client, worker, ask_code, sms_outbox):
    ask_code()
    right = sent_code(sms_outbox)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    assert reset(client, wrong).status_code == 200
    assert reset(client, wrong).status_code == 200
    response = reset(client, wrong)
    assert response.status_code == 302 and response["Location"] == REQUEST_URL
    assert "错误次数过多" in client.get(REQUEST_URL).content.decode()
    # Even the right code no longer works.
    assert reset(client, right)["Location"] == REQUEST_URL
    worker.refresh_from_db()
    assert worker.check_password(PASSWORD)


def test_an_unknown_number_gets_the_same_answer_and_no_sms(client, worker, ask_code, sms_outbox):
    known = ask_code("13811112222")
    known_page = client.get(CONFIRM_URL).content.decode()
    sms_outbox.clear()

    unknown = ask_code("13999990000")
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    unknown_page = client.get(CONFIRM_URL).content.decode()
    assert sms_outbox == []
    strip = re.compile(r"csrfmiddlewaretoken\" value=\"[^\"]+\"|13811112222|13999990000")
    assert strip.sub("", unknown_page) == strip.sub("", known_page)
    # Whatever is typed, the answer is a wrong code, as for a registered number.
    response = reset(client, "123456")
    assert "验证码不正确" in " ".join(response.context["form"].errors["code"])
    assert not User.objects.filter(phone="+8613999990000").exists()


def test_codes_are_rate_limited_per_number(client, worker, ask_code, sms_outbox):
    ask_code()
    response = ask_code()
    assert response.status_code == 200
    assert "次数过多" in " ".join(response.context["form"].errors["phone"])
    assert len(sms_outbox) == 1


def test_codes_are_rate_limited_per_client_address(client, ask_code, sms_outbox, settings):
    settings.ACCOUNT_RATE_LIMITS = {"reset_password_by_sms": "1/m/key,5/h/key,3/h/ip"}
    for n in range(3):
        assert ask_code(f"1399999000{n}").status_code == 302
    response = ask_code("13999990009")
    assert response.status_code == 200
    assert "次数过多" in " ".join(response.context["form"].errors["phone"])


def test_a_weak_new_password_is_refused_and_the_code_still_works(
    client, worker, ask_code, sms_outbox
):
    ask_code()
    response = reset(client, sent_code(sms_outbox), "12345678")
    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    worker.refresh_from_db()
    assert worker.check_password(PASSWORD)
    assert reset(client, sent_code(sms_outbox))["Location"] == reverse("account_login")


def test_the_new_password_may_not_resemble_the_account(client, ask_code, sms_outbox):
    user = WorkerProfileFactory(user__phone="+8613811112222", user__email="zhangjianguo@example.cn")
    ask_code()
    response = reset(client, sent_code(sms_outbox), "zhangjianguo")
    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    user.user.refresh_from_db()
    assert user.user.check_password(PASSWORD)


def test_an_inactive_account_gets_no_code(client, worker, ask_code, sms_outbox):
    worker.is_active = False
    worker.save()
    assert ask_code()["Location"] == CONFIRM_URL
    assert sms_outbox == []


# --- the password change page after a login by SMS code ------------------------------------


@pytest.fixture
def code_login(client, worker, sms_outbox, django_capture_on_commit_callbacks):
    def login():
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("account_request_login_code"), {"phone": "13811112222"})
        response = client.post(
            reverse("account_confirm_login_code"), {"code": sent_code(sms_outbox)}
        )
        assert client.session["_auth_user_id"] == str(worker.pk), response

    return login


def change(client, password: str = NEW_PASSWORD, **extra):
    return client.post(
        reverse("account_change_password"),
        {"password1": password, "password2": password, **extra},
    )


def test_after_a_code_login_the_password_changes_without_the_current_one(
    client, worker, code_login
):
    code_login()
    page = client.get(reverse("account_change_password"))
    assert "oldpassword" not in page.context["form"].fields
    assert "无需输入当前密码" in page.content.decode()
    response = change(client)
    assert response.status_code == 302
    worker.refresh_from_db()
    assert worker.check_password(NEW_PASSWORD)
    assert client.session["_auth_user_id"] == str(worker.pk)  # still logged in


def test_the_window_closes_after_ten_minutes(client, worker, code_login, monkeypatch):
    code_login()
    real_now = timezone.now
    ten_minutes_on = datetime.timedelta(minutes=10, seconds=1)
    monkeypatch.setattr("accounts.selectors.timezone.now", lambda: real_now() + ten_minutes_on)
    page = client.get(reverse("account_change_password"))
    assert "oldpassword" in page.context["form"].fields
    assert "无需输入当前密码" not in page.content.decode()
    response = change(client)
    assert response.status_code == 200
    worker.refresh_from_db()
    assert worker.check_password(PASSWORD)


def test_after_a_password_login_the_current_password_is_asked(client, worker):
    client.post(reverse("account_login"), {"login": "13811112222", "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(worker.pk)
    page = client.get(reverse("account_change_password"))
    assert "oldpassword" in page.context["form"].fields
    response = change(client)
    assert response.status_code == 200
    worker.refresh_from_db()
    assert worker.check_password(PASSWORD)


def test_a_code_sent_to_another_number_does_not_open_the_window(client, worker, code_login):
    code_login()
    # The number changed since the code login: the code proved a number no longer the account's.
    User.objects.filter(pk=worker.pk).update(phone="+8613811113333")
    page = client.get(reverse("account_change_password"))
    assert "oldpassword" in page.context["form"].fields
