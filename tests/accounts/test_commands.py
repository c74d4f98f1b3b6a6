import pytest
from django.core.management import CommandError, call_command

from accounts.models import Role, RoleAssignment
from core.models import AuditEvent
from tests.factories import DistrictFactory, EnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_grant_role_by_mobile_number_with_a_district():
    user = UserFactory(phone="+8613812340000")
    district = DistrictFactory(code="330106")
    call_command("grant_role", "138 1234 0000", "district_officer", "--district", "330106")
    assignment = RoleAssignment.objects.get(user=user)
    assert (assignment.role, assignment.district) == (Role.DISTRICT_OFFICER, district)
    assert AuditEvent.objects.filter(verb="role.granted").count() == 1


def test_grant_role_by_email_with_an_enterprise_then_revoke():
    user = UserFactory(email="boss@example.cn")
    enterprise = EnterpriseFactory()
    call_command(
        "grant_role", "BOSS@example.cn", "enterprise_admin", "--enterprise", enterprise.uscc
    )
    assert RoleAssignment.objects.get(user=user).enterprise == enterprise
    call_command("grant_role", "boss@example.cn", "enterprise_admin", "--revoke")
    assert not RoleAssignment.objects.filter(user=user).exists()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["13999999999", "bureau_officer"], "No user"),
        (["13812340000", "district_officer"], "区县|district"),
        (["13812340000", "district_officer", "--district", "999999"], "No district"),
        (["13812340000", "enterprise_admin", "--enterprise", "X"], "No enterprise"),
    ],
)
def test_grant_role_refuses_bad_input_and_changes_nothing(arguments, message):
    UserFactory(phone="+8613812340000")
    with pytest.raises(CommandError, match=message):
        call_command("grant_role", *arguments)
    assert not RoleAssignment.objects.exists()
