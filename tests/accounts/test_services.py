from datetime import date

import pytest
from django.contrib.auth.models import Group

from accounts import services
from accounts.models import Role, RoleAssignment, WorkerProfile
from accounts.permissions import user_roles
from core.errors import DomainError
from core.models import AuditEvent
from tests.factories import (
    DistrictFactory,
    EnterpriseFactory,
    IndustryFactory,
    UserFactory,
    WorkerProfileFactory,
    make_id_number,
    make_uscc,
)

pytestmark = pytest.mark.django_db


def test_worker_profile_create_derives_identity_and_audits():
    user = UserFactory()
    employer = EnterpriseFactory()
    number = make_id_number(41, birth=date(1988, 3, 14))
    profile = services.worker_profile_create(
        user=user,
        real_name=" 李小龙 ",
        id_number=number.lower(),
        district=employer.district,
        employer=employer,
    )
    assert profile.real_name == "李小龙"
    assert profile.id_number == number
    assert profile.birth_date == date(1988, 3, 14)
    assert profile.sex == ("M" if int(number[16]) % 2 else "F")
    assert profile.industry == employer.industry
    event = AuditEvent.objects.get(verb="worker_profile.created")
    assert event.target_id == str(profile.pk)
    assert event.after["id_number"] == number


def test_duplicate_id_number_is_refused_and_nothing_is_saved():
    existing = WorkerProfileFactory()
    user = UserFactory()
    with pytest.raises(DomainError) as caught:
        services.worker_profile_create(
            user=user, real_name="赵六", id_number=existing.id_number, district=existing.district
        )
    assert caught.value.code == "id_taken"
    assert caught.value.field == "id_number"
    assert not WorkerProfile.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(verb="worker_profile.created").count() == 0


def test_invalid_id_number_is_refused_with_field():
    user = UserFactory()
    with pytest.raises(DomainError) as caught:
        services.worker_profile_create(
            user=user, real_name="赵六", id_number="330106", district=DistrictFactory()
        )
    assert caught.value.field == "id_number"
    assert caught.value.code == "id_length"


def test_enterprise_create_normalises_and_refuses_duplicates():
    district, industry = DistrictFactory(), IndustryFactory()
    code = make_uscc(77)
    enterprise = services.enterprise_create(
        name=" 杭州安全科技有限公司 ",
        uscc=code.lower(),
        district=district,
        industry=industry,
        actor=None,
    )
    assert enterprise.uscc == code
    assert enterprise.name == "杭州安全科技有限公司"
    with pytest.raises(DomainError) as caught:
        services.enterprise_create(
            name="另一家", uscc=code, district=district, industry=industry, actor=None
        )
    assert caught.value.code == "uscc_taken"


def test_role_grant_requires_its_scope():
    user = UserFactory()
    with pytest.raises(DomainError):
        services.role_grant(user=user, role=Role.ENTERPRISE_ADMIN, actor=None)
    with pytest.raises(DomainError):
        services.role_grant(user=user, role=Role.DISTRICT_OFFICER, actor=None)
    with pytest.raises(DomainError):
        services.role_grant(
            user=user, role=Role.BUREAU_OFFICER, actor=None, district=DistrictFactory()
        )
    assert not RoleAssignment.objects.filter(user=user).exists()


def test_role_grant_is_idempotent_and_refuses_a_second_scope():
    user = UserFactory()
    first, second = EnterpriseFactory(), EnterpriseFactory()
    services.role_grant(user=user, role=Role.ENTERPRISE_ADMIN, actor=None, enterprise=first)
    services.role_grant(user=user, role=Role.ENTERPRISE_ADMIN, actor=None, enterprise=first)
    assert RoleAssignment.objects.filter(user=user).count() == 1
    assert AuditEvent.objects.filter(verb="role.granted").count() == 1
    with pytest.raises(DomainError) as caught:
        services.role_grant(user=user, role=Role.ENTERPRISE_ADMIN, actor=None, enterprise=second)
    assert caught.value.code == "role_scope_conflict"


def test_publicity_roles_follow_wagtail_groups():
    user = UserFactory()
    services.role_grant(user=user, role=Role.PUBLICITY_MODERATOR, actor=None)
    assert user.groups.filter(name="Moderators").exists()
    assert user.has_perm("wagtailadmin.access_admin")
    services.role_revoke(user=user, role=Role.PUBLICITY_MODERATOR, actor=None)
    assert not user.groups.filter(name="Moderators").exists()
    assert AuditEvent.objects.filter(verb="role.revoked").count() == 1
    assert Group.objects.filter(name="Moderators").exists()


def test_user_roles_lists_worker_and_granted_roles():
    profile = WorkerProfileFactory()
    services.role_grant(user=profile.user, role=Role.EXAMINER, actor=None)
    fresh = type(profile.user).objects.get(pk=profile.user.pk)
    assert user_roles(fresh) == {"worker", Role.EXAMINER}
