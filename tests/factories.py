"""factory_boy factories shared by the suites. ID numbers and credit codes are valid and made up."""

import itertools
from datetime import date, timedelta

import factory
from stdnum.cn import ric, uscc

from accounts.models import (
    District,
    Enterprise,
    Industry,
    Role,
    RoleAssignment,
    User,
    WorkerProfile,
)

PASSWORD = "Correct-Horse-42"
_GIVEN = "一二三四五六七八九十春夏秋冬梅兰竹菊松柏"
_sequence = itertools.count(1)


def make_id_number(n: int | None = None, *, birth: date | None = None) -> str:
    """A valid resident ID number (born in Hangzhou's Xihu district, 330106, from 1983 on)."""
    n = next(_sequence) if n is None else n
    birth = birth or date(1985, 1, 1) + timedelta(days=(n * 37) % 7000)
    first17 = f"330106{birth:%Y%m%d}{n % 1000:03d}"
    return first17 + ric.calc_check_digit(first17 + "0")


def make_uscc(n: int | None = None) -> str:
    n = next(_sequence) if n is None else n
    body = f"91330106MA2T{n % 10000:04d}X"
    return body + uscc.calc_check_digit(body)


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"3301{90 + n % 10:02d}")
    name = factory.Sequence(lambda n: f"测试区{n}")
    parent = factory.LazyFunction(
        lambda: District.objects.get_or_create(code="330100", defaults={"name": "杭州市"})[0]
    )


class IndustryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Industry
        django_get_or_create = ("code",)

    code = "C"
    name = "制造业"


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"杭州测试企业{n}有限公司")
    uscc = factory.LazyFunction(make_uscc)
    district = factory.SubFactory(DistrictFactory)
    industry = factory.SubFactory(IndustryFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    phone = factory.Sequence(lambda n: f"+86137{n:08d}")
    phone_verified = True
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(self, create, extracted, **kwargs):
        if create:
            self.save()


class WorkerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkerProfile

    user = factory.SubFactory(UserFactory)
    real_name = factory.Sequence(
        lambda n: "王" + _GIVEN[n % len(_GIVEN)] + _GIVEN[n // len(_GIVEN) % len(_GIVEN)]
    )
    id_number = factory.LazyFunction(make_id_number)
    birth_date = factory.LazyAttribute(lambda o: ric.get_birth_date(o.id_number))
    sex = factory.LazyAttribute(lambda o: "M" if int(o.id_number[16]) % 2 else "F")
    employer = factory.SubFactory(EnterpriseFactory)
    district = factory.LazyAttribute(lambda o: o.employer.district if o.employer else None)


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = Role.BUREAU_OFFICER
