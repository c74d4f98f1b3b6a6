from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from stdnum.cn import ric

from accounts.validators import (
    id_number_birth_date,
    id_number_sex,
    mask_id_number,
    mask_mobile,
    mask_name,
    normalize_id_number,
    normalize_mobile,
    normalize_real_name,
    normalize_uscc,
)
from tests.factories import make_id_number, make_uscc


def with_check_digit(first17: str) -> str:
    return first17 + ric.calc_check_digit(first17 + "0")


class TestIdNumber:
    def test_normalises_spaces_dashes_and_lower_case_x(self):
        number = with_check_digit("11010519491231002")
        assert number.endswith("X")
        typed = f" {number[:6]} {number[6:14]}-{number[14:17]} x "
        assert normalize_id_number(typed) == number

    def test_derives_birth_date_and_sex(self):
        number = make_id_number(3, birth=date(1990, 7, 9))
        assert id_number_birth_date(number) == date(1990, 7, 9)
        assert id_number_sex(number) == ("M" if int(number[16]) % 2 else "F")
        assert id_number_sex(with_check_digit("33010619900709001")) == "M"
        assert id_number_sex(with_check_digit("33010619900709002")) == "F"

    @pytest.mark.parametrize(
        ("value", "code"),
        [
            ("33010619900709001", "id_length"),
            ("3301061990070900123", "id_length"),
            ("33010619900709A01X", "id_format"),
        ],
    )
    def test_refuses_malformed_numbers_with_a_reason(self, value, code):
        with pytest.raises(ValidationError) as caught:
            normalize_id_number(value)
        assert caught.value.code == code

    def test_refuses_a_wrong_check_digit(self):
        good = make_id_number(5)
        wrong = good[:17] + ("0" if good[17] != "0" else "1")
        with pytest.raises(ValidationError) as caught:
            normalize_id_number(wrong)
        assert caught.value.code == "id_checksum"

    def test_refuses_an_impossible_birth_date(self):
        with pytest.raises(ValidationError) as caught:
            normalize_id_number(with_check_digit("33010619901332001"))
        assert caught.value.code == "id_birth_date"

    def test_refuses_an_unknown_region(self):
        with pytest.raises(ValidationError) as caught:
            normalize_id_number(with_check_digit("99010619900709001"))
        assert caught.value.code == "id_region"

    def test_refuses_a_birth_date_in_the_future(self):
        with pytest.raises(ValidationError) as caught:
            normalize_id_number(with_check_digit("33010620990101001"))
        assert caught.value.code == "id_birth_date"

    def test_accepts_districts_created_in_2021_that_stdnum_lacks(self):
        # 钱塘区 (330114): python-stdnum 2.2 has no county entry and raised KeyError.
        number = with_check_digit("33011420220301001")
        assert normalize_id_number(number) == number

    def test_error_is_translated(self):
        with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
            normalize_id_number("123")
        assert "18" in caught.value.messages[0]
        assert "身份证" in caught.value.messages[0]


class TestUscc:
    def test_accepts_and_normalises(self):
        code = make_uscc(7)
        assert normalize_uscc(code.lower()) == code

    def test_refuses_wrong_check_character(self):
        code = make_uscc(8)
        wrong = code[:17] + ("0" if code[17] != "0" else "1")
        with pytest.raises(ValidationError) as caught:
            normalize_uscc(wrong)
        assert caught.value.code == "uscc_checksum"

    def test_refuses_wrong_length(self):
        with pytest.raises(ValidationError) as caught:
            normalize_uscc("9133010")
        assert caught.value.code == "uscc_length"


class TestMobile:
    @pytest.mark.parametrize(
        "typed",
        ["13812345678", "138 1234 5678", "138-1234-5678", "+8613812345678", "8613812345678"],
    )
    def test_normalises_to_e164(self, typed):
        assert normalize_mobile(typed) == "+8613812345678"

    @pytest.mark.parametrize("typed", ["1381234567", "23812345678", "12812345678", "abc", ""])
    def test_refuses_non_mainland_mobile_numbers(self, typed):
        with pytest.raises(ValidationError):
            normalize_mobile(typed)


def test_masks_personal_data():
    assert mask_name("张三") == "张*"
    assert mask_name("张三丰") == "张*丰"
    assert mask_name("欧阳娜娜") == "欧**娜"
    assert mask_id_number("33010619900709001X") == "330***********001X"
    assert mask_mobile("+8613812345678") == "138****5678"


class TestRealName:
    @pytest.mark.parametrize(
        ("typed", "stored"),
        [
            (" 张  三 ", "张 三"),
            ("欧阳娜娜", "欧阳娜娜"),
            ("买买提•吐尔逊", "买买提·吐尔逊"),
            ("Anna Li", "Anna Li"),
        ],
    )
    def test_accepts_real_names(self, typed, stored):
        assert normalize_real_name(typed) == stored

    @pytest.mark.parametrize(
        "typed", ["张", "=1+1", "@SUM(A1)", "-2", "张三<script>", "1234", "a" * 51]
    )
    def test_refuses_what_is_not_a_name(self, typed):
        with pytest.raises(ValidationError):
            normalize_real_name(typed)
