import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Enterprise, RoleAssignment, User, WorkerProfile
from cms.models import HomePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)


def test_home_page_is_chinese_by_default_even_for_an_english_browser(client, demo):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans"' in html
    assert "企业百万员工安全大培训" in html
    assert "实名注册" in html
    assert response["Content-Language"] == "zh-hans"


def test_language_switch_to_english_and_back(client, demo):
    response = client.post(reverse("accounts:language_set"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="en"' in html
    assert "Register with your real name" in html
    client.post(reverse("accounts:language_set"), {"language": "zh-hans", "next": "/"})
    assert "实名注册" in client.get("/").content.decode()


def test_large_text_mode_persists_in_a_cookie_for_visitors(client, demo):
    assert 'class="text-large"' not in client.get("/").content.decode()
    response = client.post(reverse("accounts:text_size_toggle"), {"next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert 'class="text-large"' in client.get("/").content.decode()
    client.post(reverse("accounts:text_size_toggle"), {"next": "/"})
    assert 'class="text-large"' not in client.get("/").content.decode()


def test_large_text_mode_is_kept_on_the_account(client, demo):
    user = User.objects.get(phone="+8613800000001")
    client.force_login(user)
    client.post(reverse("accounts:text_size_toggle"), {"next": "/"})
    user.refresh_from_db()
    assert user.large_text is True
    other_device = type(client)()
    other_device.force_login(user)
    assert 'class="text-large"' in other_device.get("/").content.decode()


def test_text_size_toggle_refuses_foreign_redirects(client, demo):
    response = client.post(reverse("accounts:text_size_toggle"), {"next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_text_size_toggle_needs_post(client, demo):
    assert client.get(reverse("accounts:text_size_toggle")).status_code == 405


def test_unknown_page_is_a_friendly_chinese_404(client, demo):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "未找到" in response.content.decode() or "找不到" in response.content.decode()


def test_seed_demo_is_idempotent_and_has_every_role(demo):
    counts = (
        Enterprise.objects.count(),
        WorkerProfile.objects.count(),
        User.objects.count(),
        RoleAssignment.objects.count(),
        HomePage.objects.count(),
    )
    call_command("seed_demo", verbosity=0)
    assert counts == (
        Enterprise.objects.count(),
        WorkerProfile.objects.count(),
        User.objects.count(),
        RoleAssignment.objects.count(),
        HomePage.objects.count(),
    )
    assert counts[0] >= 12 and counts[1] >= 50
    roles = set(RoleAssignment.objects.values_list("role", flat=True))
    assert roles == {
        "enterprise_admin",
        "center_staff",
        "examiner",
        "publicity_editor",
        "publicity_moderator",
        "district_officer",
        "bureau_officer",
    }
    assert (
        len({w.employer.district_id for w in WorkerProfile.objects.select_related("employer")})
        >= 12
    )


def test_demo_logins_work(client, demo):
    for phone in ["13800000001", "13800000002", "13800000007", "13800000008"]:
        client.logout()
        response = client.post(reverse("account_login"), {"login": phone, "password": "Anxun@2026"})
        assert response.status_code == 302, phone
        assert client.get(reverse("accounts:workbench")).status_code == 200


def test_large_text_chosen_before_login_stays_after_login(client, demo):
    client.post(reverse("accounts:text_size_toggle"), {"next": "/"})
    client.post(reverse("account_login"), {"login": "13800000001", "password": "Anxun@2026"})
    assert 'class="text-large"' in client.get(reverse("accounts:workbench")).content.decode()
    client.post(reverse("accounts:text_size_toggle"), {"next": "/"})
    assert 'class="text-large"' not in client.get(reverse("accounts:workbench")).content.decode()
