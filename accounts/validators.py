"""Identity numbers and phone numbers: normalise, then validate (python-stdnum for IDs).

Each function returns the normalised value or raises ``ValidationError`` with a translated
message that says what is wrong, so forms, imports and services give the same answer.
"""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric, uscc

_SEPARATORS = re.compile(r"[\s\-]+")
_CN_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def _compact(value: str) -> str:
    return _SEPARATORS.sub("", value or "").upper()


def normalize_id_number(value: str) -> str:
    """A resident identity number (居民身份证号码), 18 characters, upper-case X."""
    number = _compact(value)
    try:
        number = ric.validate(number)
    except KeyError:
        # python-stdnum 2.2 knows the province but lacks county detail for codes created in 2021
        # (e.g. Hangzhou's 临平区 330113, 钱塘区 330114) and fails with KeyError in the place
        # lookup, after its length, checksum and birth-date checks have passed: accept those.
        number = ric.compact(number)
    except stdnum_errors.InvalidLength:
        raise ValidationError(
            _("A resident ID number has 18 characters; this one has %(count)d."),
            code="id_length",
            params={"count": len(number)},
        ) from None
    except stdnum_errors.InvalidChecksum:
        raise ValidationError(
            _("The check digit of this ID number does not match; please check every digit."),
            code="id_checksum",
        ) from None
    except stdnum_errors.InvalidComponent:
        try:
            ric.get_birth_date(number)
        except stdnum_errors.InvalidComponent:
            raise ValidationError(
                _("The birth date in this ID number is not a real date."), code="id_birth_date"
            ) from None
        raise ValidationError(
            _("The region code (the first six digits) of this ID number is not known."),
            code="id_region",
        ) from None
    except stdnum_errors.ValidationError:
        raise ValidationError(
            _("An ID number is 17 digits followed by a digit or the letter X."), code="id_format"
        ) from None
    if ric.get_birth_date(number) > date.today():
        raise ValidationError(
            _("The birth date in this ID number is in the future."), code="id_birth_date"
        )
    return number


def id_number_birth_date(number: str) -> date:
    return ric.get_birth_date(number)


def id_number_sex(number: str) -> str:
    """'M' or 'F': the 17th character is odd for men, even for women (GB 11643)."""
    return "M" if int(number[16]) % 2 else "F"


def normalize_uscc(value: str) -> str:
    """A unified social credit code (统一社会信用代码), 18 characters; spaces and hyphens (any
    white space, full-width too) are dropped first."""
    code = uscc.compact(_compact(value))
    try:
        return uscc.validate(code)
    except stdnum_errors.InvalidLength:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(count)d."),
            code="uscc_length",
            params={"count": len(code)},
        ) from None
    except stdnum_errors.InvalidChecksum:
        raise ValidationError(
            _("The check character of this unified social credit code does not match."),
            code="uscc_checksum",
        ) from None
    except stdnum_errors.ValidationError:
        raise ValidationError(
            _("This is not a valid unified social credit code."), code="uscc_format"
        ) from None


# Chinese characters (with the extension blocks rare names use), Latin letters for foreign
# nationals, and the middle dot of transliterated names (买买提·吐尔逊).
_REAL_NAME = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0003134fA-Za-z·• .'-]{2,50}$")


def normalize_real_name(value: str) -> str:
    """A full name as on the ID card: 2–50 characters of letters, Chinese characters and ·."""
    name = " ".join((value or "").split()).replace("•", "·")
    if not name:
        raise ValidationError(_("Enter your full name as on your ID card."), code="name_required")
    if not _REAL_NAME.match(name) or not any(char.isalpha() for char in name[:1]):
        raise ValidationError(
            _("A name has 2 to 50 characters: Chinese characters, letters or the dot ·."),
            code="name_format",
        )
    return name


def normalize_mobile(value: str) -> str:
    """A mainland mobile number, stored as E.164 (+8613812345678); +86/86 prefixes accepted."""
    number = _compact(value).replace("(", "").replace(")", "")
    if number.startswith("+86"):
        number = number[3:]
    elif number.startswith("0086"):
        number = number[4:]
    elif number.startswith("86") and len(number) == 13:
        number = number[2:]
    if not _CN_MOBILE.match(number):
        raise ValidationError(
            _("Enter an 11-digit mainland mobile number starting with 1, e.g. 13812345678."),
            code="mobile_format",
        )
    return "+86" + number


def display_mobile(e164: str) -> str:
    return e164[3:] if e164 and e164.startswith("+86") else e164


def mask_name(name: str) -> str:
    """张三 → 张*, 张三丰 → 张*丰: enough to recognise, not enough to identify."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_id_number(number: str) -> str:
    return number[:3] + "*" * (len(number) - 7) + number[-4:] if len(number) > 7 else number


def mask_mobile(e164: str) -> str:
    local = display_mobile(e164)
    return local[:3] + "****" + local[-4:] if len(local) == 11 else local
