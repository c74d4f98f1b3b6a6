"""Issue 16, item 9f: a signed-in user without Wagtail admin access who opens ``/admin/`` gets
a plain 403 page with a way home, not the login page; anonymous visitors still get the login
page and the admin's own staff get in."""

import pytest

from accounts.models import Role
from tests.factories import (
    EnterpriseFactory,
    RoleAssignmentFactory,
    UserFactory,
    WorkerProfileFactory,
)

pytestmark = pytest.mark.django_db


def staff_with(role, **scope):
    user = UserFactory()
    RoleAssignmentFactory(user=user, role=role, **scope)
    return user


@pytest.mark.parametrize("who", ["worker", "centre_staff", "enterprise_admin"])
@pytest.mark.parametrize("path", ["/admin/", "/admin/pages/", "/admin/exams/sessions/"])
def test_a_signed_in_user_without_admin_access_gets_a_403_page(client, who, path):
    user = {
        "worker": lambda: WorkerProfileFactory().user,
        "centre_staff": lambda: staff_with(Role.CENTER_STAFF),
        "enterprise_admin": lambda: staff_with(
            Role.ENTERPRISE_ADMIN, enterprise=EnterpriseFactory()
        ),
    }[who]()
    assert not user.has_perm("wagtailadmin.access_admin")
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 403
    html = response.content.decode()
    assert 'data-testid="admin-no-access"' in html
    assert "您无权访问这里" in html and 'href="/"' in html


def test_anonymous_visitors_still_get_the_login_page(client):
    response = client.get("/admin/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_publicity_staff_still_reach_the_admin(client):
    from accounts import services

    editor = UserFactory()
    services.role_grant(user=editor, role=Role.PUBLICITY_EDITOR, actor=None)
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200
