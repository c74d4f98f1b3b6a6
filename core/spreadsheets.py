"""Reading uploaded spreadsheets (CSV in UTF-8 or GB18030, XLSX) into rows of cells, refusing
unreadable files with a translated ``DomainError`` on the form's ``file`` field, and finding the
row that names the columns (``sheet_rows``). Shared by the roster import (training) and the
question-bank import (exams).

Our own code, not tablib's: tablib takes the first row as the header, while the files people
upload here carry a title line or two above the column names, name columns with notes and
marks ("身份证号（必填）"), and must be refused row by row with the line the user sees."""

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy

from .errors import DomainError

MAX_COLUMNS = 64  # columns read from a spreadsheet; the imports need a dozen at most
# Marks people add to column names: spaces, asterisks, colons, "（必填）".
HEADER_NOISE = re.compile(r"[\s*＊:：]+|[(（][^)）]*[)）]")


def file_error(message, *, code: str) -> DomainError:
    return DomainError(message, code=code, field="file")


def _decode(content: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), else GB18030 (which includes GBK and GB2312:
    what Excel and WPS write on Chinese Windows); any other encoding is refused."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise file_error(
            gettext_lazy(
                "This file is saved as UTF-16 text. Save it as “CSV UTF-8” or as an Excel "
                "workbook (.xlsx) and upload it again."
            ),
            code="encoding",
        )
    if b"\x00" in content:
        raise file_error(
            gettext_lazy("This is not a CSV text file. Upload a .csv or .xlsx file."),
            code="not_text",
        )
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise file_error(
        gettext_lazy(
            "The characters of this file cannot be read: save it as “CSV UTF-8” or as an "
            "Excel workbook (.xlsx) and upload it again."
        ),
        code="encoding",
    )


def csv_records(content: bytes) -> Iterator[list]:
    text = _decode(content)
    first_line = text.split("\n", 1)[0]
    delimiter = max(",\t;", key=first_line.count) if first_line else ","
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as error:
        raise file_error(
            gettext_lazy("This CSV file is malformed and cannot be read (%(error)s).")
            % {"error": error},
            code="malformed",
        ) from None


def xlsx_records(content: bytes) -> Iterator[tuple]:
    from openpyxl import load_workbook

    unreadable = file_error(
        gettext_lazy(
            "This Excel file is damaged or not really an .xlsx workbook. Open it in Excel or "
            "WPS, save it as .xlsx (or CSV UTF-8) and upload it again."
        ),
        code="malformed",
    )
    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise unreadable
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 -- a damaged workbook fails in the parser in many ways
        raise unreadable from None
    try:
        sheet = workbook.active if workbook.active is not None else workbook.worksheets[0]
        yield from sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
    except Exception:  # noqa: BLE001 -- as above, while reading the rows
        raise unreadable from None
    finally:
        workbook.close()


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a number typed in Excel: 13812345678.0
    if isinstance(value, int):
        return str(value)
    return " ".join(str(value).replace("\ufeff", "").split())


def too_big(size: int, *, limit: int) -> DomainError:
    return file_error(
        gettext_lazy("The file is %(size)s; at most %(limit)s can be imported at once.")
        % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
        code="too_big",
    )


@dataclass(frozen=True)
class SheetRows:
    """What ``sheet_rows`` found: ``columns`` maps each field to its column index (None when no
    row within the search named every required column), ``first_header`` is the first
    non-empty row (to name what is missing), ``rows`` the data rows below the header."""

    columns: dict[str, int] | None
    first_header: list[str] | None
    rows: list[dict]


def sheet_rows(
    records: Iterable,
    *,
    aliases: Mapping[str, Iterable[str]],
    required: Iterable[str],
    max_rows: int,
    search_rows: int,
    too_many_rows: Callable[[int], DomainError],
    duplicate_column: Callable[[str], DomainError] | None = None,
    cell: Callable[[object], str] = cell_text,
) -> SheetRows:
    """Find the header within the first ``search_rows`` lines and read the rows below it.

    A header names columns by any of a field's ``aliases``, compared without case, spaces,
    ``*`` marks and (notes) (``HEADER_NOISE``); it is the first line that names every
    ``required`` field. A field named twice in that line raises ``duplicate_column(field)``
    when given, else its first column counts. Each row is ``{"row": n, field: text, …}`` with
    every field of ``aliases`` ("" when the file has no such column), ``n`` being the line as
    the user sees it; blank lines and rows with no value in any field are left out. More than
    ``max_rows`` rows (or a file of endless blank lines) raises ``too_many_rows(max_rows)``.
    """
    by_alias = {alias.lower(): field for field, names in aliases.items() for alias in names}
    required = tuple(required)
    fields = tuple(aliases)
    # Blank lines are skipped, but a file cannot be made of them forever (a "zip bomb" workbook).
    max_lines = 2 * max_rows + search_rows + 1000
    columns: dict[str, int] | None = None
    first_header: list[str] | None = None
    rows: list[dict] = []
    for line, record in enumerate(records, start=1):
        if line > max_lines:
            raise too_many_rows(max_rows)
        cells = [cell(value) for value in record]
        if not any(cells):
            continue
        if columns is None:
            found = _header_columns(cells, by_alias, duplicate_column)
            if all(field in found for field in required):
                columns = found
            elif first_header is None:
                first_header = cells
            if columns is None and line >= search_rows:
                break
            continue
        if len(rows) >= max_rows:
            raise too_many_rows(max_rows)
        row: dict = {"row": line}
        for field in fields:
            index = columns.get(field)
            row[field] = cells[index] if index is not None and index < len(cells) else ""
        if any(row[field] for field in fields):
            rows.append(row)
    return SheetRows(columns=columns, first_header=first_header, rows=rows)


def header_columns(cells: list[str], *, aliases: Mapping[str, Iterable[str]]) -> dict[str, int]:
    """Which column index holds which field in one header line (the first of a field named
    twice), for naming what a header lacks."""
    by_alias = {alias.lower(): field for field, names in aliases.items() for alias in names}
    return _header_columns(cells, by_alias, None)


def _header_columns(
    cells: list[str],
    by_alias: Mapping[str, str],
    duplicate_column: Callable[[str], DomainError] | None,
) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, header in enumerate(cells):
        field = by_alias.get(HEADER_NOISE.sub("", header).lower())
        if field is None:
            continue
        if field in columns:
            if duplicate_column is not None:
                raise duplicate_column(field)
            continue
        columns[field] = index
    return columns
