"""Running a roster import: the rows judged and added batch by batch, each row in its own
savepoint; safe to run twice (a finished import is returned unchanged, an interrupted one
continues after the last committed batch)."""

import re
import secrets
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import District, Enterprise, Industry, User, WorkerProfile
from accounts.services import worker_profile_create
from accounts.validators import normalize_id_number, normalize_mobile, normalize_real_name
from core.errors import DomainError

from ..locks import roster_import_lock
from ..models import RosterImport
from .reading import REPORT_VALUE_LENGTH, TEMPLATE_EXAMPLE, roster_file_read

BATCH_SIZE = 250
# An ID number a spreadsheet turned into a float (1.10105E+17): the digits are lost.
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?E\+?\d+$", re.IGNORECASE)


@dataclass
class _Checked:
    """A row after the checks that need no database: normalised values, or reasons."""

    source: dict
    reasons: list[str] = field(default_factory=list)
    real_name: str = ""
    id_number: str = ""
    mobile: str = ""
    district: District | None = None
    industry: Industry | None = None


def _clip(value: str) -> str:
    return value if len(value) <= REPORT_VALUE_LENGTH else value[: REPORT_VALUE_LENGTH - 1] + "…"


def _message(error: ValidationError) -> str:
    return str(error.messages[0])


def _normalized(normalize, value: str) -> str | ValidationError:
    """The normalised value, the error saying why it is wrong, or "" when empty."""
    if not value:
        return ""
    try:
        return normalize(value)
    except ValidationError as error:
        return error


class _RowChecker:
    """Validation and lookups for one import, prepared once: reference data and the first
    row of every ID number and mobile number in the file (to name it in duplicate reasons)."""

    def __init__(self, *, enterprise: Enterprise, rows: list[dict]) -> None:
        self.enterprise = enterprise
        self.districts_by_code: dict[str, District] = {}
        self.districts_by_name: dict[str, list[District]] = {}
        for district in District.objects.all():
            self.districts_by_code[district.code] = district
            self.districts_by_name.setdefault(district.name, []).append(district)
        self.industries: dict[str, Industry] = {}
        for industry in Industry.objects.all():
            self.industries[industry.code.upper()] = industry
            self.industries[industry.name] = industry
        # ID numbers and mobile numbers are normalised once per file (the ID check is the
        # costly part of a row), which also finds the first row of each for duplicate reasons.
        self.normalized: dict[int, tuple[str | ValidationError, str | ValidationError]] = {}
        self.first_id_row: dict[str, int] = {}
        self.first_mobile_row: dict[str, int] = {}
        for row in rows:
            number = _normalized(normalize_id_number, row["id_number"])
            mobile = _normalized(normalize_mobile, row["mobile"])
            self.normalized[row["row"]] = (number, mobile)
            if number and isinstance(number, str):
                self.first_id_row.setdefault(number, row["row"])
            if mobile and isinstance(mobile, str):
                self.first_mobile_row.setdefault(mobile, row["row"])

    def check(self, row: dict) -> _Checked:
        checked = _Checked(source=row)
        reasons = checked.reasons
        number, mobile = self.normalized[row["row"]]
        if not row["name"]:
            reasons.append(_("The full name is missing."))
        else:
            try:
                checked.real_name = normalize_real_name(row["name"])
            except ValidationError as error:
                reasons.append(_message(error))
        if not row["id_number"]:
            reasons.append(_("The ID number is missing."))
        elif _SCIENTIFIC.match(row["id_number"]):
            reasons.append(
                _(
                    "The ID number was turned into a rounded number (%(value)s) by the "
                    "spreadsheet: format the column as text and type the number again."
                )
                % {"value": row["id_number"]}
            )
        elif isinstance(number, ValidationError):
            reasons.append(_message(number))
        else:
            checked.id_number = number
        if not row["mobile"]:
            reasons.append(_("The mobile number is missing."))
        elif isinstance(mobile, ValidationError):
            reasons.append(_message(mobile))
        else:
            checked.mobile = mobile
        checked.district = self._district(row["district"], reasons)
        checked.industry = self._industry(row["industry"], reasons)
        if checked.id_number == TEMPLATE_EXAMPLE["id_number"]:
            reasons.append(_("This is the example row of the template: delete it."))
        if checked.id_number and (first := self.first_id_row[checked.id_number]) != row["row"]:
            reasons.append(
                _("The same ID number is already in row %(row)d of this file.") % {"row": first}
            )
        if checked.mobile and (first := self.first_mobile_row[checked.mobile]) != row["row"]:
            reasons.append(
                _("The same mobile number is already in row %(row)d of this file.") % {"row": first}
            )
        return checked

    def _district(self, value: str, reasons: list[str]) -> District | None:
        if not value:
            return self.enterprise.district
        if district := self.districts_by_code.get(value):
            return district
        matches = self.districts_by_name.get(value, [])
        if len(matches) == 1:
            return matches[0]
        if matches:
            reasons.append(
                _("More than one district is called “%(value)s”: give its six-digit code instead.")
                % {"value": _clip(value)}
            )
        else:
            reasons.append(
                _("Unknown district “%(value)s”: give a district name or its six-digit code.")
                % {"value": _clip(value)}
            )
        return None

    def _industry(self, value: str, reasons: list[str]) -> Industry | None:
        if not value:
            return self.enterprise.industry
        industry = self.industries.get(value) or self.industries.get(value.upper())
        if industry is None:
            reasons.append(
                _("Unknown industry “%(value)s”: give an industry name or its code.")
                % {"value": _clip(value)}
            )
        return industry


def _refused(row: dict, reasons: list[str]) -> dict:
    """A report line: the row as the user typed it (the officer owns this data) and why."""
    return {
        "row": row["row"],
        "name": _clip(row["name"]),
        "id_number": _clip(row["id_number"]),
        "mobile": _clip(row["mobile"]),
        "district": _clip(row["district"]),
        "industry": _clip(row["industry"]),
        "reasons": reasons,
    }


def _new_username() -> str:
    return "w" + secrets.token_hex(8)


@dataclass
class _BatchResult:
    created: int = 0
    existing: int = 0
    refused: list[dict] = field(default_factory=list)


def _batch_run(
    *, roster_import: RosterImport, checker: _RowChecker, rows: list[dict]
) -> _BatchResult:
    """Judge and add one batch of rows (inside the caller's transaction)."""
    result = _BatchResult()
    checked = [checker.check(row) for row in rows]
    valid = [item for item in checked if not item.reasons]
    # Two queries for the whole batch instead of two per row.
    employers = dict(
        WorkerProfile.objects.filter(id_number__in=[item.id_number for item in valid]).values_list(
            "id_number", "employer_id"
        )
    )
    taken_mobiles = set(
        User.objects.filter(phone__in=[item.mobile for item in valid]).values_list(
            "phone", flat=True
        )
    )
    enterprise_id = roster_import.enterprise_id
    to_create: list[_Checked] = []
    for item in checked:
        if item.reasons:
            continue
        if item.id_number in employers:
            employer_id = employers[item.id_number]
            if employer_id == enterprise_id:
                result.existing += 1
                continue
            item.reasons.append(
                _(
                    "This ID number is registered to a worker of another enterprise; only "
                    "the worker can change their employer, in their own profile."
                )
                if employer_id
                else _(
                    "This ID number is registered to a worker who lists no employer; only "
                    "the worker can choose your enterprise, in their own profile."
                )
            )
        elif item.mobile in taken_mobiles:
            item.reasons.append(_("This mobile number is already registered to another person."))
        else:
            to_create.append(item)
    users = _users_create(to_create)
    for item in to_create:
        item.reasons.extend(
            _row_create(roster_import=roster_import, item=item, user=users.get(item.mobile))
        )
        if not item.reasons:
            result.created += 1
    result.refused = [_refused(item.source, item.reasons) for item in checked if item.reasons]
    return result


def _users_create(items: list[_Checked]) -> dict[str, User]:
    """The logins of a batch's new workers, in one INSERT: mobile number → user.

    A mobile number registered by someone else since the batch was read is skipped, not an
    error (ON CONFLICT DO NOTHING); its row is refused by ``_row_create``.
    """
    users = [
        User(
            username=_new_username(),
            phone=item.mobile,
            phone_verified=False,
            password=make_password(None),  # unusable: the worker sets one by SMS
        )
        for item in items
    ]
    User.objects.bulk_create(users, ignore_conflicts=True)
    created = dict(
        User.objects.filter(username__in=[user.username for user in users]).values_list(
            "username", "pk"
        )
    )
    by_mobile: dict[str, User] = {}
    for item, user in zip(items, users, strict=True):
        if user.username in created:
            user.pk = created[user.username]
            user._state.adding = False
            by_mobile[item.mobile] = user
    return by_mobile


def _row_create(*, roster_import: RosterImport, item: _Checked, user: User | None) -> list[str]:
    """Create the worker profile of one row in a savepoint (its audit row included); reasons
    if refused, and then the login made for it is removed: a refused row leaves nothing."""
    if user is None:
        return [_("This mobile number is already registered to another person.")]
    assert item.district is not None  # a row whose district is unknown has a reason, not a turn
    try:
        worker_profile_create(
            user=user,
            real_name=item.real_name,
            id_number=item.id_number,
            district=item.district,
            employer=roster_import.enterprise,
            industry=item.industry,
            actor=roster_import.uploaded_by,
        )
    except DomainError as error:
        user.delete()
        if error.code == "id_taken":  # a sign-up took the ID number since the batch was read
            return [
                _(
                    "This ID number was registered by someone else during the import; upload "
                    "the file again for the details."
                )
            ]
        return [str(error.message)]
    return []


def roster_import_run(*, import_id: int) -> RosterImport:
    """Import the rows of a stored roster file; safe to run twice.

    A finished import is returned unchanged. Otherwise the rows after ``processed_rows`` are
    judged and added batch by batch, each batch in one transaction that also records its
    counts and refused rows, so a crash loses at most the batch in progress and a re-run
    continues from there; concurrent runs take turns on the import's row lock. A file that can
    no longer be read marks the import failed; an unexpected error does too, and is re-raised.
    """
    with transaction.atomic():
        roster_import = roster_import_lock(import_id=import_id)
        if roster_import.status == RosterImport.Status.DONE:
            return roster_import
        roster_import.status = RosterImport.Status.RUNNING
        roster_import.message = ""
        roster_import.save(update_fields=["status", "message", "updated_at"])
    try:
        try:
            with roster_import.file.open("rb") as stored:
                content = stored.read()
            rows = roster_file_read(name=roster_import.original_name, content=content)
        except DomainError as error:
            return _import_fail(import_id=import_id, message=str(error.message))
        checker = _RowChecker(enterprise=roster_import.enterprise, rows=rows)
        while True:
            with transaction.atomic():
                roster_import = roster_import_lock(import_id=import_id)
                if roster_import.status != RosterImport.Status.RUNNING:
                    return roster_import  # another run finished it meanwhile
                start = roster_import.processed_rows
                batch = rows[start : start + BATCH_SIZE]
                if batch:
                    result = _batch_run(roster_import=roster_import, checker=checker, rows=batch)
                    roster_import.processed_rows = start + len(batch)
                    roster_import.created_count += result.created
                    roster_import.existing_count += result.existing
                    roster_import.error_count += len(result.refused)
                    roster_import.errors = [*roster_import.errors, *result.refused]
                else:
                    roster_import.status = RosterImport.Status.DONE
                roster_import.total_rows = len(rows)
                roster_import.save(
                    update_fields=[
                        "status",
                        "total_rows",
                        "processed_rows",
                        "created_count",
                        "existing_count",
                        "error_count",
                        "errors",
                        "updated_at",
                    ]
                )
                if not batch:
                    return roster_import
    except Exception:
        _import_fail(
            import_id=import_id,
            message=_(
                "The import stopped because of an unexpected error. The rows counted as "
                "processed are saved; upload the file again to import the rest (rows already "
                "imported are not added twice)."
            ),
        )
        raise


def _import_fail(*, import_id: int, message: str) -> RosterImport:
    RosterImport.objects.filter(pk=import_id).exclude(status=RosterImport.Status.DONE).update(
        status=RosterImport.Status.FAILED, message=message
    )
    return RosterImport.objects.get(pk=import_id)
