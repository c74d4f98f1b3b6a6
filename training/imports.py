"""Enterprise roster imports: read a CSV/XLSX file of workers, then add them row by row.

``roster_file_read`` turns a file into rows or refuses the whole file (``DomainError``: wrong
type, too big, unreadable encoding, missing columns, no rows); nothing is saved then.
``roster_import_create`` checks the file the same way, stores it and enqueues the import.
``roster_import_run`` adds the rows in batches, each row in its own savepoint: a row is created,
found already on the roster, or refused with its reasons, and a refused row changes nothing.
It is safe to run twice: a finished import is returned unchanged, and an interrupted one
continues after the last committed batch.
"""

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePath
from uuid import uuid4

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import District, Enterprise, Industry, User, WorkerProfile
from accounts.services import worker_profile_create
from accounts.validators import normalize_id_number, normalize_mobile, normalize_real_name
from core.errors import DomainError
from core.spreadsheets import (
    HEADER_NOISE,
    cell_text,
    csv_records,
    file_error,
    too_big,
    xlsx_records,
)

from .models import RosterImport

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_ROWS = 20_000
BATCH_SIZE = 250
HEADER_SEARCH_ROWS = 5  # a title line or two may stand above the column names
REPORT_VALUE_LENGTH = 100  # values longer than this are cut in the report

# Column names the file may use (compared without spaces, case, '*' marks and (notes)).
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "name", "fullname", "real_name", "realname"),
    "id_number": ("身份证号", "身份证号码", "id_number", "idnumber", "id"),
    "mobile": ("手机号", "手机号码", "手机", "mobile", "phone"),
    "district": ("区县", "所在区县", "district"),
    "industry": ("行业", "industry"),
}
REQUIRED_COLUMNS = ("name", "id_number", "mobile")
# How the template names each column (also used to name a missing one).
TEMPLATE_HEADERS = {
    "name": "姓名",
    "id_number": "身份证号",
    "mobile": "手机号",
    "district": "区县",
    "industry": "行业",
}
# The template's example row (the sample ID number of GB 11643): refused if left in the file.
TEMPLATE_EXAMPLE = {
    "name": "张三",
    "id_number": "11010519491231002X",
    "mobile": "13800138000",
    "district": "西湖区",
    "industry": "制造业",
}

_ALIASES = {alias: key for key, aliases in COLUMNS.items() for alias in aliases}
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?E\+?\d+$", re.IGNORECASE)


def import_max_bytes() -> int:
    return getattr(settings, "ANXUN_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


def import_max_rows() -> int:
    return getattr(settings, "ANXUN_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS)


# --- Reading the file -----------------------------------------------------------------------


def _column_key(header: str) -> str | None:
    return _ALIASES.get(HEADER_NOISE.sub("", header).lower())


def _header_columns(cells: list[str]) -> dict[str, int]:
    """Which column index holds which field; a field named twice refuses the file."""
    columns: dict[str, int] = {}
    for index, header in enumerate(cells):
        key = _column_key(header)
        if key is None:
            continue
        if key in columns:
            raise file_error(
                gettext_lazy("The column “%(column)s” appears twice in the first row.")
                % {"column": TEMPLATE_HEADERS[key]},
                code="duplicate_column",
            )
        columns[key] = index
    return columns


def roster_file_read(*, name: str, content: bytes) -> list[dict]:
    """The worker rows of a roster file, or ``DomainError`` for a file that cannot be imported.

    Each row is ``{"row": n, "name", "id_number", "mobile", "district", "industry"}`` with
    whitespace stripped, ``n`` being the line as the user sees it (the header is row 1, or the
    line the column names are on); empty rows are left out. Nothing is validated beyond the
    file: rows are judged by ``roster_import_run``.
    """
    suffix = PurePath(name or "").suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        message = (
            gettext_lazy(
                "Old Excel .xls files cannot be read: save the file as .xlsx or CSV UTF-8."
            )
            if suffix == ".xls"
            else gettext_lazy("Upload a CSV (.csv) or Excel (.xlsx) file.")
        )
        raise file_error(message, code="file_type")
    if len(content) > import_max_bytes():
        raise too_big(len(content), limit=import_max_bytes())
    if not content.strip():
        raise file_error(gettext_lazy("The file is empty."), code="empty")
    records = csv_records(content) if suffix == ".csv" else xlsx_records(content)
    rows = _rows_from(records)
    if not rows:
        raise file_error(
            gettext_lazy("The file has column names but no worker rows."), code="no_rows"
        )
    return rows


def _rows_from(records: Iterable) -> list[dict]:
    max_rows = import_max_rows()
    # Blank lines are skipped, but a file cannot be made of them forever (a "zip bomb" workbook).
    max_lines = 2 * max_rows + HEADER_SEARCH_ROWS + 1000
    columns: dict[str, int] | None = None
    first_header: list[str] | None = None
    rows: list[dict] = []
    for line, record in enumerate(records, start=1):
        cells = [cell_text(value) for value in record]
        if line > max_lines:
            raise _too_many_rows(max_rows)
        if not any(cells):
            continue
        if columns is None:
            found = _header_columns(cells)
            if all(key in found for key in REQUIRED_COLUMNS):
                columns = found
            elif first_header is None:
                first_header = cells
            if columns is None and line >= HEADER_SEARCH_ROWS:
                break
            continue
        if len(rows) >= max_rows:
            raise _too_many_rows(max_rows)
        row = {"row": line}
        for key in COLUMNS:
            index = columns.get(key)
            row[key] = cells[index] if index is not None and index < len(cells) else ""
        if any(row[key] for key in COLUMNS):
            rows.append(row)
    if columns is None:
        found = _header_columns(first_header or [])
        missing = [TEMPLATE_HEADERS[key] for key in REQUIRED_COLUMNS if key not in found]
        raise file_error(
            gettext_lazy(
                "The first row must name the columns; these required columns are missing: "
                "%(columns)s. Download the template to see the expected columns."
            )
            % {"columns": "、".join(missing)},
            code="missing_columns",
        )
    return rows


def _too_many_rows(max_rows: int) -> DomainError:
    return file_error(
        gettext_lazy("The file has more than %(max)d worker rows; split it into smaller files.")
        % {"max": max_rows},
        code="too_many_rows",
    )


# --- Creating an import ---------------------------------------------------------------------


@transaction.atomic
def roster_import_create(
    *, enterprise: Enterprise, uploaded_by: User, uploaded_file
) -> RosterImport:
    """Check the file (``DomainError`` for a file-level problem: nothing saved), store it in
    private storage and enqueue the import once the transaction commits.

    The caller has checked that ``uploaded_by`` answers for ``enterprise``.
    """
    name = PurePath(getattr(uploaded_file, "name", "") or "").name
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > import_max_bytes():
        raise too_big(size, limit=import_max_bytes())
    uploaded_file.seek(0)
    content = uploaded_file.read(import_max_bytes() + 1)
    rows = roster_file_read(name=name, content=content)
    roster_import = RosterImport(
        enterprise=enterprise,
        uploaded_by=uploaded_by,
        original_name=name[:200],
        total_rows=len(rows),
    )
    suffix = PurePath(name).suffix.lower()
    roster_import.file.save(f"{uuid4().hex}{suffix}", ContentFile(content), save=False)
    roster_import.save()

    from .tasks import run_roster_import

    run_roster_import.delay_on_commit(roster_import.pk)
    return roster_import


def roster_imports_of(*, enterprise: Enterprise) -> QuerySet[RosterImport]:
    """An enterprise's imports, newest first (the scope every import page reads through)."""
    return RosterImport.objects.filter(enterprise=enterprise).select_related("uploaded_by")


# --- Running an import ----------------------------------------------------------------------


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
    by_mobile = {}
    for user in users:
        if user.username in created:
            user.pk = created[user.username]
            user._state.adding = False
            by_mobile[user.phone] = user
    return by_mobile


def _row_create(*, roster_import: RosterImport, item: _Checked, user: User | None) -> list[str]:
    """Create the worker profile of one row in a savepoint (its audit row included); reasons
    if refused, and then the login made for it is removed: a refused row leaves nothing."""
    if user is None:
        return [_("This mobile number is already registered to another person.")]
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


def _import_locked(import_id: int) -> RosterImport:
    return (
        RosterImport.objects.select_for_update(of=("self",))
        .select_related("enterprise__district", "enterprise__industry", "uploaded_by")
        .get(pk=import_id)
    )


def roster_import_run(*, import_id: int) -> RosterImport:
    """Import the rows of a stored roster file; safe to run twice.

    A finished import is returned unchanged. Otherwise the rows after ``processed_rows`` are
    judged and added batch by batch, each batch in one transaction that also records its
    counts and refused rows, so a crash loses at most the batch in progress and a re-run
    continues from there; concurrent runs take turns on the import's row lock. A file that can
    no longer be read marks the import failed; an unexpected error does too, and is re-raised.
    """
    with transaction.atomic():
        roster_import = _import_locked(import_id)
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
                roster_import = _import_locked(import_id)
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
