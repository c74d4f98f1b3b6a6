"""Each role tries what it must not do, from the outside (HTTP), and is refused."""

import csv
import io

import pytest
from django.urls import reverse

from accounts import services
from accounts.models import Role
from accounts.permissions import Action, may
from tests.factories import (
    PASSWORD,
    DistrictFactory,
    EnterpriseFactory,
    UserFactory,
    WorkerProfileFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Two districts, an enterprise in each, workers in both, one user per role."""
    xihu, binjiang = DistrictFactory(code="330106"), DistrictFactory(code="330108")
    ours, theirs = EnterpriseFactory(district=xihu), EnterpriseFactory(district=binjiang)
    ours_workers = [WorkerProfileFactory(employer=ours) for _ in range(3)]
    theirs_workers = [WorkerProfileFactory(employer=theirs) for _ in range(2)]
    people = {"worker": ours_workers[0].user, "anonymous": None}
    for role, scope in [
        (Role.ENTERPRISE_ADMIN, {"enterprise": ours}),
        (Role.DISTRICT_OFFICER, {"district": xihu}),
        (Role.BUREAU_OFFICER, {}),
        (Role.CENTER_STAFF, {}),
        (Role.EXAMINER, {}),
        (Role.PUBLICITY_EDITOR, {}),
        (Role.PUBLICITY_MODERATOR, {}),
    ]:
        user = UserFactory()
        services.role_grant(user=user, role=role, actor=None, **scope)
        people[str(role)] = user
    return {
        "people": people,
        "ours": ours,
        "theirs": theirs,
        "ours_workers": ours_workers,
        "theirs_workers": theirs_workers,
    }


def as_user(client, user):
    if user is not None:
        client.force_login(user)
    return client


ROSTER, DIRECTORY = reverse("accounts:worker_roster"), reverse("accounts:enterprise_directory")
PROFILE, WAGTAIL, DJANGO_ADMIN = reverse("accounts:profile"), "/admin/", "/django-admin/"

# (page, roles allowed in). Everyone else must be refused.
PAGES = [
    (ROSTER, {"enterprise_admin", "district_officer", "bureau_officer"}),
    (DIRECTORY, {"district_officer", "bureau_officer"}),
    (WAGTAIL, {"publicity_editor", "publicity_moderator"}),
    (DJANGO_ADMIN, set()),
    (reverse("dashboards:overview"), {"district_officer", "bureau_officer"}),
    (reverse("dashboards:enterprises"), {"district_officer", "bureau_officer"}),
    (reverse("dashboards:reports"), {"district_officer", "bureau_officer"}),
    (reverse("dashboards:enterprise"), {"enterprise_admin"}),
    (reverse("feedback:mine"), {"worker"}),
    (reverse("accounts:correction_list"), {"district_officer", "bureau_officer"}),
    (
        reverse("feedback:cases"),
        {"center_staff", "examiner", "publicity_moderator", "district_officer", "bureau_officer"},
    ),
]
ROLES = [
    "anonymous",
    "worker",
    "enterprise_admin",
    "district_officer",
    "bureau_officer",
    "center_staff",
    "examiner",
    "publicity_editor",
    "publicity_moderator",
]


@pytest.mark.parametrize(("url", "allowed"), PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_only_its_pages(client, world, url, allowed, role):
    response = as_user(client, world["people"][role]).get(url, follow=True)
    landed_on = response.redirect_chain[-1][0] if response.redirect_chain else url
    if role in allowed:
        assert response.status_code == 200
        assert landed_on == url
        return
    if role == "anonymous":
        assert landed_on.startswith(reverse("account_login"))
    elif url == DJANGO_ADMIN:
        # Django admin answers a logged-in user without staff status with its login page.
        assert landed_on.startswith("/django-admin/login/")
        assert "site administration" not in response.content.decode().lower()
    elif url == WAGTAIL:
        # A signed-in user without admin access gets a 403 page there, not the login page.
        assert response.status_code == 403 and landed_on == url
        assert 'data-testid="admin-no-access"' in response.content.decode()
    else:
        assert response.status_code == 403
        assert "您无权访问此页面" in response.content.decode()


def roster_names(client, user, **params) -> set[str]:
    response = as_user(client, user).get(ROSTER, params)
    return {row.record.real_name for row in response.context["table"].page.object_list}


def exported_names(client, user, fmt="csv") -> set[str]:
    response = as_user(client, user).get(ROSTER, {"_export": fmt})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    return {row[0] for row in rows[1:]}


def test_enterprise_admin_sees_only_own_workers_in_page_and_export(client, world):
    admin = world["people"]["enterprise_admin"]
    expected = {w.real_name for w in world["ours_workers"]}
    assert roster_names(client, admin) == expected
    assert exported_names(client, admin) == expected


def test_enterprise_admin_cannot_filter_into_another_enterprise(client, world):
    admin = world["people"]["enterprise_admin"]
    other = world["theirs_workers"][0]
    assert roster_names(client, admin, q=other.real_name) == set()
    assert roster_names(client, admin, district=world["theirs"].district.pk) == set()


def test_district_officer_sees_only_own_district(client, world):
    officer = world["people"]["district_officer"]
    expected = {w.real_name for w in world["ours_workers"]}
    assert roster_names(client, officer) == expected
    assert exported_names(client, officer) == expected
    response = client.get(DIRECTORY, {"_export": "csv"})
    exported = response.content.decode("utf-8-sig")
    assert world["ours"].name in exported
    assert world["theirs"].name not in exported


def test_bureau_officer_sees_every_district(client, world):
    everyone = {w.real_name for w in world["ours_workers"] + world["theirs_workers"]}
    assert roster_names(client, world["people"]["bureau_officer"]) == everyone


def test_xlsx_export_is_a_real_workbook(client, world):
    response = as_user(client, world["people"]["bureau_officer"]).get(ROSTER, {"_export": "xlsx"})
    assert response.status_code == 200
    assert response.content[:2] == b"PK"  # a zip container, as every .xlsx is


def test_staff_without_worker_profile_cannot_edit_one(client, world):
    response = as_user(client, world["people"]["bureau_officer"]).get(PROFILE)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:workbench")


def test_publicity_editor_drafts_on_the_home_page_but_only_the_moderator_publishes(world):
    from cms.models import HomePage

    home = HomePage.objects.get()
    editor = home.permissions_for_user(world["people"]["publicity_editor"])
    moderator = home.permissions_for_user(world["people"]["publicity_moderator"])
    assert editor.can_edit()
    assert not editor.can_publish() and not editor.can_publish_subpage()
    assert moderator.can_edit() and moderator.can_publish()
    worker = home.permissions_for_user(world["people"]["worker"])
    assert not worker.can_edit()


# The whole policy, spelled out independently of accounts.permissions.ACTIONS.
EXPECTED = {
    Action.EDIT_OWN_PROFILE: {"worker"},
    Action.VIEW_WORKERS: {"enterprise_admin", "district_officer", "bureau_officer"},
    Action.VIEW_ENTERPRISES: {"district_officer", "bureau_officer"},
    Action.EDIT_CMS: {"publicity_editor", "publicity_moderator"},
    Action.PUBLISH_CMS: {"publicity_moderator"},
    Action.CHECK_IN_CANDIDATES: {"center_staff", "examiner"},
    Action.SCORE_PRACTICAL: {"examiner"},
    Action.MANAGE_SESSIONS: {"center_staff"},
    Action.VIEW_CAMPAIGN: {"district_officer", "bureau_officer"},
    Action.VERIFY_CERTIFICATES: {
        "center_staff",
        "examiner",
        "district_officer",
        "bureau_officer",
    },
    Action.REVOKE_CERTIFICATES: {"bureau_officer"},
    Action.GRANT_ROLES: {"bureau_officer"},
    Action.RATE_SERVICES: {"worker"},
    Action.HANDLE_CASES: {"center_staff", "examiner", "publicity_moderator"},
    Action.VIEW_CASES: {
        "center_staff",
        "examiner",
        "publicity_moderator",
        "district_officer",
        "bureau_officer",
    },
    Action.DECIDE_CORRECTIONS: {"district_officer", "bureau_officer"},
}


def test_the_policy_covers_every_action():
    assert set(EXPECTED) == set(Action)


@pytest.mark.parametrize("action", list(Action))
def test_every_role_may_do_exactly_its_actions(world, action):
    from django.contrib.auth.models import AnonymousUser

    for role in ROLES:
        user = world["people"][role] or AnonymousUser()
        user = type(user).objects.get(pk=user.pk) if user.is_authenticated else user
        assert may(user, action) == (role in EXPECTED[action]), (role, action)


def test_district_officer_sees_workers_of_district_enterprises_who_live_elsewhere(client, world):
    commuter = WorkerProfileFactory(employer=world["ours"], district=world["theirs"].district)
    names = roster_names(client, world["people"]["district_officer"])
    assert commuter.real_name in names
    assert not names & {w.real_name for w in world["theirs_workers"]}


def test_roster_query_count_does_not_grow_with_the_list(
    client, world, django_assert_max_num_queries
):
    officer = world["people"]["bureau_officer"]
    client.force_login(officer)
    with django_assert_max_num_queries(20) as few:
        client.get(ROSTER)
    for _ in range(30):
        WorkerProfileFactory(employer=world["ours"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(ROSTER)


def test_login_page_accepts_each_role(client, world):
    for role in ROLES[1:]:
        user = world["people"][role]
        client.logout()
        response = client.post(
            reverse("account_login"), {"login": user.phone[3:], "password": PASSWORD}
        )
        assert response.status_code == 302, role


def test_directory_filters_by_hazardous_chemicals(client, world):
    world["ours"].uses_hazardous_chemicals = True
    world["ours"].save()
    client.force_login(world["people"]["bureau_officer"])
    url = reverse("accounts:enterprise_directory")

    def names(**params):
        table = client.get(url, params).context["table"]
        return {row.record.name for row in table.page.object_list}

    assert names(uses_hazardous_chemicals="true") == {world["ours"].name}
    assert names(uses_hazardous_chemicals="false") == {world["theirs"].name}
    assert names() == {world["ours"].name, world["theirs"].name}
    assert "全部" in client.get(url).content.decode()
