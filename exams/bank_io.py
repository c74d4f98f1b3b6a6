"""Question bank import and export: one question per row, in CSV or XLSX, column names in
Chinese (科目代码, 分类, 题型, 题干, 选项A…选项F, 答案, 解析, 难度).

``bank_export`` writes a subject's questions; ``bank_import`` reads the same format back and
returns a row-by-row report. A valid row creates a question, or updates the question of the same
subject with the same stem (whitespace aside): its category, type, choices, answer, explanation
and difficulty. A row that breaks a rule changes nothing and is listed with its reasons. A
category named in the file that the subject does not have yet is created. Attempts keep the
snapshot of their paper, so an import never changes an attempt already taken.

The rules a question's choices and answer follow (``question_key_parse``) are the same for
the import and the admin form. Reading the file (encodings, CSV dialects, damaged workbooks) is
the roster import's (``training.imports``).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import PurePath

import tablib
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError
from core.exports import spreadsheet_safe
from core.spreadsheets import (
    HEADER_NOISE,
    cell_text,
    csv_records,
    file_error,
    sheet_rows,
    too_big,
    xlsx_records,
)
from training.imports import import_max_bytes

from . import events
from .bank_rules import (
    DIFFICULTIES,
    KIND_ALIASES,
    KIND_NAMES,
    KIND_ORDER,
    LETTERS,
    Reason,
    answer_text,
    blueprint_problems,
    blueprint_totals,
    clip,
    question_key_parse,
)
from .models import Question, QuestionCategory, Subject

# The rules are re-exported for the callers that import them from here.
__all__ = [
    "HEADERS",
    "LETTERS",
    "REQUIRED_COLUMNS",
    "answer_text",
    "bank_export",
    "bank_export_rows",
    "bank_file_read",
    "bank_import",
    "bank_import_file",
    "bank_import_max_rows",
    "blueprint_problems",
    "blueprint_totals",
    "question_bank_export",
    "question_key_parse",
]

DEFAULT_MAX_ROWS = 5_000
HEADER_SEARCH_ROWS = 5  # a title line or two may stand above the column names
# The columns, in the order they are written, and how the header names them.
HEADERS: dict[str, str] = {
    "subject": "科目代码",
    "category": "分类",
    "kind": "题型(判断/单选/多选)",
    "stem": "题干",
    **{f"choice_{letter}": f"选项{letter}" for letter in LETTERS},
    "answer": "答案",
    "explanation": "解析",
    "difficulty": "难度",
}
# Column names the file may use (compared as in the roster import: no spaces, '*' or (notes)).
_COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "subject": ("科目代码", "科目", "subject", "subject_code"),
    "category": ("分类", "类别", "category"),
    "kind": ("题型", "type", "kind"),
    "stem": ("题干", "题目", "stem", "question"),
    **{f"choice_{letter}": (f"选项{letter}",) for letter in LETTERS},
    "answer": ("答案", "正确答案", "answer"),
    "explanation": ("解析", "答案解析", "explanation"),
    "difficulty": ("难度", "difficulty"),
}
REQUIRED_COLUMNS = ("subject", "category", "kind", "stem", "answer")


def bank_import_max_rows() -> int:
    from django.conf import settings

    return getattr(settings, "ANXUN_BANK_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS)


# --- Export ---------------------------------------------------------------------------------


def _export_row(subject: Subject, question: Question) -> list:
    choices = list(question.choices) + [""] * (len(LETTERS) - len(question.choices))
    return [
        subject.code,
        question.category.name,
        KIND_NAMES.get(question.kind, question.kind),
        question.stem,
        *choices[: len(LETTERS)],
        answer_text(kind=question.kind, choices=question.choices, correct=question.correct),
        question.explanation,
        question.difficulty,
    ]


def bank_export_rows(*, subject: Subject) -> list[list]:
    """The header and one row per question of the subject (in use or not), by category,
    type and age."""
    questions = sorted(
        Question.objects.filter(subject=subject).select_related("category"),
        key=lambda q: (q.category.name, KIND_ORDER.get(q.kind, 9), q.pk),
    )
    return [list(HEADERS.values())] + [_export_row(subject, q) for q in questions]


def bank_export(*, subject: Subject, file_format: str) -> tuple[bytes, str, str]:
    """The subject's bank as a file: (content, content type, file name). Cells that a
    spreadsheet would run as formulas are quoted; the import removes the quote again."""
    header, *rows = bank_export_rows(subject=subject)
    dataset = tablib.Dataset(headers=header, title=subject.code[:31])
    for row in rows:
        dataset.append([spreadsheet_safe(value) for value in row])
    name = f"question-bank-{subject.code}-{timezone.localdate().isoformat()}"
    if file_format == "csv":
        # A byte-order mark, so that Excel opens the Chinese text correctly.
        content = ("\ufeff" + dataset.export("csv")).encode("utf-8")
        return content, "text/csv; charset=utf-8", f"{name}.csv"
    if file_format == "xlsx":
        return (
            dataset.export("xlsx"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            f"{name}.xlsx",
        )
    raise ValueError(file_format)


@transaction.atomic
def question_bank_export(*, actor, subject: Subject, file_format: str) -> tuple[bytes, str, str]:
    """``bank_export`` for a member of staff: the export is recorded in the audit trail (who
    took the bank, which subject, which format). Returns the content, its type and file name."""
    exported = bank_export(subject=subject, file_format=file_format)
    events.question_bank_exported(actor=actor, subject=subject, file_format=file_format)
    return exported


# --- Reading a file -------------------------------------------------------------------------


def _cell(value) -> str:
    """A cell's text with its line breaks kept (a stem may have several lines); a formula
    guard written by the export (a leading ') is removed."""
    if not isinstance(value, str):
        return cell_text(value)
    text = value.replace("\ufeff", "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if text.startswith("'") and text[1:].startswith(("=", "+", "-", "@")):
        text = text[1:]
    return text


def bank_file_read(*, name: str, content: bytes) -> list[dict]:
    """The question rows of a bank file, or ``DomainError`` for a file that cannot be read.

    Each row is ``{"row": n, "subject", "category", "kind", "stem", "choice_A"…"choice_F",
    "answer", "explanation", "difficulty"}`` as text, ``n`` being the line as the user sees
    it; empty rows are left out. Rows are judged by ``bank_import``.
    """
    suffix = PurePath(name or "").suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise file_error(
            gettext_lazy("Upload a CSV (.csv) or Excel (.xlsx) file."), code="file_type"
        )
    if len(content) > import_max_bytes():
        raise too_big(len(content), limit=import_max_bytes())
    if not content.strip():
        raise file_error(gettext_lazy("The file is empty."), code="empty")
    records = csv_records(content) if suffix == ".csv" else xlsx_records(content)
    sheet = sheet_rows(
        records,
        aliases={key: _COLUMN_ALIASES[key] for key in HEADERS},
        required=REQUIRED_COLUMNS,
        max_rows=bank_import_max_rows(),
        search_rows=HEADER_SEARCH_ROWS,
        too_many_rows=_too_many_rows,
        cell=_cell,
    )
    columns, rows = sheet.columns, sheet.rows
    if columns is None:
        raise file_error(
            gettext_lazy(
                "The first row must name the columns; required: %(columns)s. Export a "
                "subject's bank to see the expected columns."
            )
            % {"columns": "、".join(HEADERS[key] for key in REQUIRED_COLUMNS)},
            code="missing_columns",
        )
    if not rows:
        raise file_error(
            gettext_lazy("The file has column names but no question rows."), code="no_rows"
        )
    return rows


def _too_many_rows(max_rows: int) -> DomainError:
    return file_error(
        gettext_lazy("The file has more than %(max)d question rows; split it into smaller files.")
        % {"max": max_rows},
        code="too_many_rows",
    )


# --- Importing ------------------------------------------------------------------------------


def stem_key(stem: str) -> str:
    """How stems are matched: whitespace does not count."""
    return " ".join(stem.split())


@dataclass
class _Checked:
    source: dict
    reasons: list[Reason] = field(default_factory=list)
    subject: Subject | None = None
    category: str = ""
    kind: str = ""
    stem: str = ""
    choices: list[str] = field(default_factory=list)
    correct: list[int] = field(default_factory=list)
    explanation: str = ""
    difficulty: int | None = None


def _row_check(row: dict, subjects: dict[str, Subject]) -> _Checked:
    checked = _Checked(source=row)
    reasons = checked.reasons
    code = row["subject"]
    if not code:
        reasons.append(Reason("subject_missing", _("The subject code is missing.")))
    elif (subject := subjects.get(code) or subjects.get(code.lower())) is None:
        reasons.append(
            Reason(
                "unknown_subject",
                _("Unknown subject code “%(value)s”.") % {"value": clip(code, 40)},
            )
        )
    else:
        checked.subject = subject
    checked.category = " ".join(row["category"].split())
    if not checked.category:
        reasons.append(Reason("category_missing", _("The category is missing.")))
    elif (limit := QuestionCategory._meta.get_field("name").max_length) is not None and len(
        checked.category
    ) > limit:
        reasons.append(Reason("category_too_long", _("The category name is too long.")))
    kind = KIND_ALIASES.get(HEADER_NOISE.sub("", row["kind"]).lower())
    if kind is None:
        reasons.append(
            Reason(
                "unknown_kind",
                _("Unknown question type “%(value)s”: use 判断, 单选 or 多选.")
                % {"value": clip(row["kind"], 20)},
            )
        )
    checked.kind = kind or ""
    checked.stem = row["stem"]
    if not checked.stem:
        reasons.append(Reason("stem_missing", _("The question stem is missing.")))
    given = [row[f"choice_{letter}"] for letter in LETTERS]
    filled = len(given) - next((i for i, text in enumerate(reversed(given)) if text), len(given))
    gaps = [LETTERS[i] for i in range(filled) if not given[i]]
    if gaps:
        reasons.append(
            Reason(
                "choice_gap",
                _("Choice %(letters)s is empty but a later one is filled: fill the choices from A.")
                % {"letters": "、".join(gaps)},
            )
        )
    elif kind is not None:
        checked.choices, checked.correct, key_reasons = question_key_parse(
            kind=kind, choices=given[:filled], answer=row["answer"]
        )
        reasons.extend(key_reasons)
    checked.explanation = row["explanation"]
    if row["difficulty"]:
        checked.difficulty = DIFFICULTIES.get(row["difficulty"])
        if checked.difficulty is None:
            reasons.append(
                Reason(
                    "difficulty",
                    _("The difficulty is 1 (easy), 2 (medium) or 3 (hard)."),
                )
            )
    return checked


def _refused(row: dict, reasons: list[Reason]) -> dict:
    return {
        "row": row["row"],
        "subject": clip(row["subject"], 40),
        "kind": clip(row["kind"], 20),
        "stem": clip(row["stem"]),
        "reasons": [reason.message for reason in reasons],
        "codes": [reason.code for reason in reasons],
    }


@transaction.atomic
def bank_import(*, rows: list[dict], actor, file_name: str = "") -> dict:
    """Create or update the questions of the rows (from ``bank_file_read``); refused rows
    change nothing. Returns the report:

    ``{"file", "rows", "created", "updated", "unchanged", "refused": [{"row", "subject",
    "kind", "stem", "reasons", "codes"}], "categories_created": ["科目 · 分类"], "subjects"}``.

    A fixed number of queries whatever the size of the file (bulk writes), plus one per new
    category and one audit row per subject imported into.
    """
    codes = {row["subject"] for row in rows if row["subject"]}
    subjects: dict[str, Subject] = {}
    for found in Subject.objects.filter(code__in=codes | {code.lower() for code in codes}):
        subjects[found.code] = found
    categories = {
        (category.subject_id, category.name): category
        for category in QuestionCategory.objects.filter(subject__in=subjects.values())
    }
    bank: dict[tuple[int, str], list[Question]] = defaultdict(list)
    for question in Question.objects.filter(subject__in=subjects.values()).order_by("pk"):
        bank[(question.subject_id, stem_key(question.stem))].append(question)

    refused: list[dict] = []
    seen: dict[tuple[int, str], int] = {}
    to_create: list[Question] = []
    to_update: list[Question] = []
    unchanged = 0
    categories_created: list[str] = []
    counts: dict[int, dict[str, int]] = defaultdict(lambda: {"created": 0, "updated": 0})
    now = timezone.now()
    for row in rows:
        checked = _row_check(row, subjects)
        subject = checked.subject
        key = (subject.pk, stem_key(checked.stem)) if subject and checked.stem else None
        if key is not None:
            if key in seen:
                checked.reasons.append(
                    Reason(
                        "duplicate_in_file",
                        _("The same question is already in row %(row)d of this file.")
                        % {"row": seen[key]},
                    )
                )
            else:
                seen[key] = row["row"]
            if len(bank.get(key, [])) > 1:
                checked.reasons.append(
                    Reason(
                        "ambiguous",
                        _(
                            "The bank has more than one question with this stem; remove the "
                            "duplicates in the admin first."
                        ),
                    )
                )
        if checked.reasons:
            refused.append(_refused(row, checked.reasons))
            continue
        # _row_check gives a reason to every row without a known subject or without a stem.
        assert subject is not None and key is not None
        category = categories.get((subject.pk, checked.category))
        if category is None:
            category, created = QuestionCategory.objects.get_or_create(
                subject=subject, name=checked.category
            )
            categories[(subject.pk, checked.category)] = category
            if created:
                categories_created.append(f"{subject.name} · {category.name}")
        matches = bank.get(key)
        existing = matches[0] if matches else None
        if existing is None:
            question = Question(
                subject=subject,
                category=category,
                kind=checked.kind,
                stem=checked.stem,
                choices=checked.choices,
                correct=checked.correct,
                explanation=checked.explanation,
                difficulty=checked.difficulty or 2,
            )
            to_create.append(question)
            counts[subject.pk]["created"] += 1
            continue
        values = {
            "category_id": category.pk,
            "kind": checked.kind,
            "choices": checked.choices,
            "correct": checked.correct,
            "explanation": checked.explanation,
            "difficulty": checked.difficulty or existing.difficulty,
        }
        if all(getattr(existing, name) == value for name, value in values.items()):
            unchanged += 1
            continue
        for name, value in values.items():
            setattr(existing, name, value)
        existing.updated_at = now
        to_update.append(existing)
        counts[subject.pk]["updated"] += 1

    Question.objects.bulk_create(to_create, batch_size=500)
    Question.objects.bulk_update(
        to_update,
        ["category", "kind", "choices", "correct", "explanation", "difficulty", "updated_at"],
        batch_size=500,
    )
    by_pk = {subject.pk: subject for subject in subjects.values()}
    for subject_id, count in counts.items():
        events.question_bank_imported(
            actor=actor, subject=by_pk[subject_id], file_name=file_name, counts=count
        )
    return {
        "file": file_name,
        "rows": len(rows),
        "created": len(to_create),
        "updated": len(to_update),
        "unchanged": unchanged,
        "refused": refused,
        "categories_created": categories_created,
        "subjects": sorted(by_pk[pk].code for pk in counts),
    }


def bank_import_file(*, uploaded_file, actor) -> dict:
    """Read an uploaded bank file and import it (``DomainError`` for a file that cannot be
    read: nothing is saved then). Returns ``bank_import``'s report."""
    name = PurePath(getattr(uploaded_file, "name", "") or "").name
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > import_max_bytes():
        raise too_big(size, limit=import_max_bytes())
    uploaded_file.seek(0)
    content = uploaded_file.read(import_max_bytes() + 1)
    rows = bank_file_read(name=name, content=content)
    return bank_import(rows=rows, actor=actor, file_name=name)
