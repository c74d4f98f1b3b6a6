"""Reading uploaded spreadsheets (CSV in UTF-8 or GB18030, XLSX) into rows of cells, refusing
unreadable files with a translated ``DomainError`` on the form's ``file`` field. Shared by the
roster import (training) and the question-bank import (exams)."""

import csv
import io
import re
import zipfile
from collections.abc import Iterator

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
