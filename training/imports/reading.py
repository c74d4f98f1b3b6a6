"""Reading a roster file: the template's columns, header detection, rows or a refusal of the
whole file (``DomainError``: wrong type, too big, unreadable encoding, missing columns, no rows)."""

from collections.abc import Iterable
from pathlib import PurePath

from django.conf import settings
from django.utils.translation import gettext_lazy

from core.errors import DomainError
from core.spreadsheets import (
    csv_records,
    file_error,
    header_columns,
    sheet_rows,
    too_big,
    xlsx_records,
)

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_ROWS = 20_000
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


def import_max_bytes() -> int:
    return getattr(settings, "ANXUN_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


def import_max_rows() -> int:
    return getattr(settings, "ANXUN_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS)


def _duplicate_column(field: str) -> DomainError:
    return file_error(
        gettext_lazy("The column “%(column)s” appears twice in the first row.")
        % {"column": TEMPLATE_HEADERS[field]},
        code="duplicate_column",
    )


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
    records = csv_records(content) if suffix == ".csv" else _excel_numbers(xlsx_records(content))
    rows = _rows_from(records)
    if not rows:
        raise file_error(
            gettext_lazy("The file has column names but no worker rows."), code="no_rows"
        )
    return rows


# Excel keeps 15 significant digits of a number: a longer one (an ID number typed into a cell
# not formatted as text) has lost its last digits, whatever openpyxl reads back.
EXCEL_DIGITS = 15


def _excel_number(value):
    """A number too long for Excel as Excel shows it (3.30106199001011E+17), which the row
    checks refuse as rounded; any other value as it is."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    if not abs(value) >= 10**EXCEL_DIGITS:  # also NaN
        return value
    mantissa, exponent = f"{value:.{EXCEL_DIGITS - 1}E}".split("E")
    return f"{mantissa.rstrip('0').rstrip('.')}E{exponent}"


def _excel_numbers(records: Iterable) -> Iterable:
    return (tuple(_excel_number(value) for value in record) for record in records)


def _rows_from(records: Iterable) -> list[dict]:
    sheet = sheet_rows(
        records,
        aliases=COLUMNS,
        required=REQUIRED_COLUMNS,
        max_rows=import_max_rows(),
        search_rows=HEADER_SEARCH_ROWS,
        too_many_rows=_too_many_rows,
        duplicate_column=_duplicate_column,
    )
    if sheet.columns is None:
        found = header_columns(sheet.first_header or [], aliases=COLUMNS)
        missing = [TEMPLATE_HEADERS[key] for key in REQUIRED_COLUMNS if key not in found]
        raise file_error(
            gettext_lazy(
                "The first row must name the columns; these required columns are missing: "
                "%(columns)s. Download the template to see the expected columns."
            )
            % {"columns": "、".join(missing)},
            code="missing_columns",
        )
    return sheet.rows


def _too_many_rows(max_rows: int) -> DomainError:
    return file_error(
        gettext_lazy("The file has more than %(max)d worker rows; split it into smaller files.")
        % {"max": max_rows},
        code="too_many_rows",
    )
