"""Sign-up, login and their refusals, through the pages as a browser would use them."""

import re

import pytest
from django.urls import reverse

from accounts.models import User, WorkerProfile
from tests.factories import (
    PASSWORD,
    DistrictFactory,
    UserFactory,
    WorkerProfileFactory,
    make_id_number,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def district():
    return DistrictFactory(code="330106", name="西湖区")


def signup_data(district, **overrides):
    data = {
        "real_name": "周小梅",
        "id_number": make_id_number(501),
        "phone": "13911112222",
        "email": "",
        "district": district.pk,
        "employer": "",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return data


def sent_code(outbox) -> str:
    return re.search(r"\d{6}", outbox[-1]["text"]).group(0)


def test_signup_creates_account_and_profile_then_verifies_phone_by_sms(
    client, district, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_signup"), signup_data(district))
    assert response.status_code == 302
    assert response["Location"] == reverse("account_verify_phone")
    user = User.objects.get(phone="+8613911112222")
    assert user.phone_verified is False
    profile = WorkerProfile.objects.get(user=user)
    assert profile.real_name == "周小梅"
    assert profile.district == district
    assert sms_outbox[-1]["phone"] == "+8613911112222"
    assert "安训" in sms_outbox[-1]["text"]  # the SMS is in Chinese
    assert "15分钟" in sms_outbox[-1]["text"]  # phone verification codes live 15 minutes

    response = client.post(reverse("account_verify_phone"), {"code": sent_code(sms_outbox)})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.phone_verified is True
    assert client.get(reverse("accounts:workbench")).status_code == 200


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("id_number", "330106199001011234", "校验位"),
        ("id_number", "3301061990", "18"),
        ("phone", "12345", "手机号"),
        ("real_name", "", "姓名"),
        ("real_name", '=HYPERLINK("http://x")', "2"),
        ("id_number", "", "身份证"),
    ],
)
def test_signup_with_bad_input_shows_a_chinese_error_and_saves_nothing(
    client, district, sms_outbox, field, value, message
):
    response = client.post(reverse("account_signup"), signup_data(district, **{field: value}))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    assert message in " ".join(errors[field])
    assert message in response.content.decode()
    assert not User.objects.exists()
    assert sms_outbox == []


def test_signup_with_a_registered_id_number_is_refused(client, district):
    existing = WorkerProfileFactory()
    response = client.post(
        reverse("account_signup"), signup_data(district, id_number=existing.id_number)
    )
    assert response.status_code == 200
    assert "已" in " ".join(response.context["form"].errors["id_number"])
    assert User.objects.count() == 1


def test_signup_with_a_registered_mobile_number_is_refused(client, district):
    UserFactory(phone="+8613911112222")
    response = client.post(reverse("account_signup"), signup_data(district))
    assert response.status_code == 200
    assert "已" in " ".join(response.context["form"].errors["phone"])
    assert WorkerProfile.objects.count() == 0


def test_login_by_mobile_number_in_local_form(client):
    WorkerProfileFactory(user__phone="+8613955556666")
    response = client.post(
        reverse("account_login"), {"login": "139 5555 6666", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:workbench")


def test_login_by_email(client):
    from allauth.account.models import EmailAddress

    user = UserFactory(email="anquan@example.cn")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    response = client.post(
        reverse("account_login"), {"login": "anquan@example.cn", "password": PASSWORD}
    )
    assert response.status_code == 302


def test_wrong_password_is_refused_in_chinese(client):
    WorkerProfileFactory(user__phone="+8613955556666")
    response = client.post(
        reverse("account_login"), {"login": "13955556666", "password": "wrong-password"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "不正确" in response.content.decode()


def test_login_by_sms_code(client, sms_outbox, django_capture_on_commit_callbacks):
    WorkerProfileFactory(user__phone="+8613955556666")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_request_login_code"), {"phone": "13955556666"})
    assert response.status_code == 302
    assert sms_outbox[-1]["phone"] == "+8613955556666"
    assert "5分钟" in sms_outbox[-1]["text"] and "15分钟" not in sms_outbox[-1]["text"]
    response = client.post(reverse("account_confirm_login_code"), {"code": sent_code(sms_outbox)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_login_code_for_an_unknown_number_sends_nothing(
    client, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_request_login_code"), {"phone": "13900000000"})
    assert sms_outbox == []


def test_repeated_failed_logins_lock_the_account_for_a_while(client):
    WorkerProfileFactory(user__phone="+8613955556666")
    for _ in range(5):
        response = client.post(
            reverse("account_login"), {"login": "13955556666", "password": "wrong"}
        )
        assert "_auth_user_id" not in client.session
    # The sixth try, even with the right password, is refused with a clear message.
    response = client.post(reverse("account_login"), {"login": "13955556666", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert "登录失败次数过多" in response.content.decode()


def test_many_logins_from_one_address_get_429(client):
    statuses = {
        client.post(
            reverse("account_login"), {"login": f"1395555{n:04d}", "password": "wrong"}
        ).status_code
        for n in range(35)
    }
    assert 429 in statuses


@pytest.mark.parametrize("login_url", ["/django-admin/login/", "/admin/login/"])
def test_admin_login_forms_cannot_be_used_to_guess_passwords(client, login_url):
    from tests.factories import UserFactory as Staff

    staff = Staff(username="ops", is_staff=True, is_superuser=True)
    for password in ["wrong-1", "wrong-2", PASSWORD]:
        response = client.post(login_url, {"username": staff.username, "password": password})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
        assert "_auth_user_id" not in client.session


def test_a_logged_in_worker_gets_no_admin_login_form(client):
    worker = WorkerProfileFactory().user
    client.force_login(worker)
    response = client.post(
        "/django-admin/login/", {"username": "ops", "password": "guess"}, follow=True
    )
    assert response.status_code == 403
    assert client.session["_auth_user_id"] == str(worker.pk)


@pytest.mark.parametrize("admin_url", ["/admin/", "/django-admin/"])
def test_admin_sites_send_visitors_to_the_rate_limited_login(client, admin_url):
    response = client.get(admin_url, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))


def test_signup_that_loses_a_race_for_the_id_number_gets_a_form_error(
    client, district, monkeypatch
):
    rival = WorkerProfileFactory()
    # The form's own check ran before the rival committed; the service's check then refuses.
    monkeypatch.setattr(
        "accounts.forms.services.id_number_check_available",
        lambda *, id_number: rival.id_number,
    )
    response = client.post(
        reverse("account_signup"), signup_data(district, id_number=rival.id_number)
    )
    assert response.status_code == 200
    assert "已" in " ".join(response.context["form"].errors["id_number"])
    assert User.objects.count() == 1


def test_signup_with_email_sends_a_verification_link_that_verifies_it(
    client, district, mailoutbox, sms_outbox, django_capture_on_commit_callbacks
):
    from allauth.account.models import EmailAddress

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_signup"), signup_data(district, email="xm@example.cn"))
    # The mobile number is verified first; then the e-mail link goes out.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_verify_phone"), {"code": sent_code(sms_outbox)})
    assert [mail.to for mail in mailoutbox] == [["xm@example.cn"]]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mailoutbox[0].body).group(0)
    response = client.post(link.split("testserver", 1)[-1])
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="xm@example.cn").verified


def test_password_reset_by_email_sets_a_new_password(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    from allauth.account.models import EmailAddress

    user = UserFactory(email="reset@example.cn")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "reset@example.cn"})
    assert len(mailoutbox) == 1
    link = re.search(r"/accounts/password/reset/key/\S+/", mailoutbox[0].body).group(0)
    form_url = client.get(link)["Location"]
    response = client.post(
        form_url, {"password1": "New-Secret-2026", "password2": "New-Secret-2026"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("New-Secret-2026")


def test_employer_suggestions_are_bounded_and_match_name_or_code(
    client, district, django_assert_max_num_queries
):
    from tests.factories import EnterpriseFactory

    target = EnterpriseFactory(name="杭州之江安全设备有限公司")
    for n in range(15):
        EnterpriseFactory(name=f"杭州之江配套{'甲乙丙丁戊己庚辛壬癸子丑寅卯辰'[n]}厂")
    url = reverse("accounts:enterprise_search")
    with django_assert_max_num_queries(1):
        results = client.get(url, {"q": "之江"}).json()["results"]
    assert len(results) == 10
    assert client.get(url, {"q": target.uscc[:12]}).json()["results"][0]["name"] == target.name
    assert client.get(url, {"q": "杭"}).json()["results"] == []  # too short to search


def test_signup_page_does_not_list_every_enterprise(client, district):
    from tests.factories import EnterpriseFactory

    EnterpriseFactory(name="杭州不应出现在页面里的企业有限公司")
    html = client.get(reverse("account_signup")).content.decode()
    assert "杭州不应出现在页面里的企业有限公司" not in html
    assert 'list="enterprise-options"' in html


def test_signup_with_employer_by_name(client, district, django_capture_on_commit_callbacks):
    from tests.factories import EnterpriseFactory

    employer = EnterpriseFactory(name="杭州钱江安全科技有限公司")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"), signup_data(district, employer=" 杭州钱江安全科技有限公司 ")
        )
    assert response.status_code == 302
    assert WorkerProfile.objects.get().employer == employer
