"""The enterprise form takes a credit code as people copy it: spaced or hyphenated."""

import pytest

from accounts.forms import EnterpriseForm
from accounts.models import Enterprise
from tests.factories import DistrictFactory, IndustryFactory

pytestmark = pytest.mark.django_db


def form_for(code: str) -> EnterpriseForm:
    return EnterpriseForm(
        data={
            "name": "北京某某有限公司",
            "uscc": code,
            "district": DistrictFactory().pk,
            "industry": IndustryFactory().pk,
            "address": "",
            "contact_name": "",
            "contact_phone": "",
            "headcount": "",
        }
    )


@pytest.mark.parametrize(
    "code",
    [
        "91 110000 600037341L",
        "91-110000-600037341L",
        " 91110000 6000 3734 1l ",
        "91110000600037341L",
    ],
)
def test_a_spaced_or_hyphenated_code_is_normalised_and_saved(code):
    form = form_for(code)
    assert form.is_valid(), form.errors
    form.save()
    assert Enterprise.objects.get().uscc == "91110000600037341L"


def test_a_wrong_code_is_refused_with_the_reason_and_nothing_is_saved():
    form = form_for("91 110000 600037341X")
    assert not form.is_valid()
    assert form.errors["uscc"] == ["统一社会信用代码校验位不符。"]
    assert not Enterprise.objects.exists()


def test_the_field_does_not_stop_typing_at_18_characters():
    assert 'maxlength="18"' not in str(form_for("")["uscc"])
