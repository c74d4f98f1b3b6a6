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

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import PurePath

import tablib
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError
from core.events import audit_record
from core.exports import spreadsheet_safe
from core.spreadsheets import (
    HEADER_NOISE,
    cell_text,
    csv_records,
    file_error,
    too_big,
    xlsx_records,
)
from training.imports import import_max_bytes

from .models import BlueprintRule, Question, QuestionCategory, Subject

DEFAULT_MAX_ROWS = 5_000
HEADER_SEARCH_ROWS = 5  # a title line or two may stand above the column names
REPORT_VALUE_LENGTH = 80  # stems longer than this are cut in the report
LETTERS = "ABCDEF"
TRUE, FALSE = "正确", "错误"
TF_CHOICES = [TRUE, FALSE]
KIND_ORDER = {Question.Kind.TRUE_FALSE: 0, Question.Kind.SINGLE: 1, Question.Kind.MULTIPLE: 2}
KIND_NAMES = {
    Question.Kind.TRUE_FALSE: "判断",
    Question.Kind.SINGLE: "单选",
    Question.Kind.MULTIPLE: "多选",
}
_KIND_ALIASES = {
    **dict.fromkeys(("判断", "判断题", "tf", "true/false"), Question.Kind.TRUE_FALSE),
    **dict.fromkeys(("单选", "单选题", "single"), Question.Kind.SINGLE),
    **dict.fromkeys(("多选", "多选题", "multiple"), Question.Kind.MULTIPLE),
}
_TF_ANSWERS = {"正确": TRUE, "对": TRUE, "√": TRUE, "错误": FALSE, "错": FALSE, "×": FALSE}
_DIFFICULTY = {"1": 1, "2": 2, "3": 3, "易": 1, "中": 2, "难": 3}
_ANSWER_SEPARATORS = re.compile(r"[\s,，、;；/|]+")

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
_ALIASES = {alias.lower(): key for key, aliases in _COLUMN_ALIASES.items() for alias in aliases}


def bank_import_max_rows() -> int:
    from django.conf import settings

    return getattr(settings, "ANXUN_BANK_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS)


# --- The rules of a question's choices and answer ---------------------------------------------


@dataclass(frozen=True)
class Reason:
    """Why a row or a form is refused: a stable code (for tests and tools) and a message."""

    code: str
    message: str


def answer_text(*, kind: str, choices: list[str], correct: list[int]) -> str:
    """The answer as a person writes it: 正确/错误 for true/false, else letters (A, ACD)."""
    if kind == Question.Kind.TRUE_FALSE and len(correct) == 1 and correct[0] < len(choices):
        return choices[correct[0]]
    return "".join(LETTERS[i] for i in sorted(correct) if i < len(LETTERS))


def question_key_parse(
    *, kind: str, choices: list[str], answer: str
) -> tuple[list[str], list[int], list[Reason]]:
    """Check a question's choices and written answer against its type.

    Returns the choices (a true/false question without choices gets 正确, 错误), the correct
    choices as 0-based indexes, and the reasons it is refused (empty when valid).
    """
    choices = [choice.strip() for choice in choices]
    reasons: list[Reason] = []
    answer = (answer or "").strip()
    if len(choices) > len(LETTERS):
        reasons.append(
            Reason(
                "too_many_choices",
                _("A question has at most %(n)d choices.") % {"n": len(LETTERS)},
            )
        )
        return choices, [], reasons
    if kind == Question.Kind.TRUE_FALSE:
        choices = choices or list(TF_CHOICES)
        if sorted(choices) != sorted(TF_CHOICES):
            reasons.append(
                Reason(
                    "tf_choices",
                    _("The choices of a true/false question are 正确 and 错误."),
                )
            )
            return choices, [], reasons
        if not answer:
            return choices, [], [Reason("answer_missing", _("The answer is missing."))]
        value = _TF_ANSWERS.get(answer)
        if value is None and answer.upper() in ("A", "B"):
            value = choices["AB".index(answer.upper())]
        if value is None:
            reasons.append(
                Reason("tf_answer", _("The answer of a true/false question is 正确 or 错误."))
            )
            return choices, [], reasons
        return choices, [choices.index(value)], reasons
    if len(choices) < 2:
        reasons.append(
            Reason("too_few_choices", _("A choice question needs at least two choices."))
        )
    if not answer:
        reasons.append(Reason("answer_missing", _("The answer is missing.")))
        return choices, [], reasons
    letters = _ANSWER_SEPARATORS.sub("", answer).upper()
    if not letters or any(letter not in LETTERS for letter in letters):
        reasons.append(
            Reason(
                "answer_letters",
                _("The answer “%(value)s” is not made of choice letters A to F.")
                % {"value": _clip(answer, 20)},
            )
        )
        return choices, [], reasons
    correct = sorted({LETTERS.index(letter) for letter in letters})
    missing = [LETTERS[i] for i in correct if i >= len(choices)]
    if missing:
        reasons.append(
            Reason(
                "answer_without_choice",
                _("The answer names choice %(letters)s, which is empty.")
                % {"letters": "、".join(missing)},
            )
        )
    if kind == Question.Kind.SINGLE and len(correct) > 1:
        reasons.append(
            Reason(
                "single_many_answers",
                _("A single-choice question has exactly one answer; this one has %(n)d.")
                % {"n": len(correct)},
            )
        )
    if kind == Question.Kind.MULTIPLE and len(correct) < 2:
        reasons.append(
            Reason(
                "multiple_one_answer",
                _("A multiple-choice question has at least two answers."),
            )
        )
    return choices, correct, reasons


def blueprint_problems(*, subject: Subject) -> list[str]:
    """What stops a paper being drawn: points not adding up to 100, or too few active
    questions of a rule's type (and category). Empty when a paper can be drawn."""
    problems = []
    rules = list(BlueprintRule.objects.filter(subject=subject).select_related("category"))
    total = sum(rule.count * rule.points_each for rule in rules)
    if total != 100:
        problems.append(
            _("The blueprint of %(subject)s adds up to %(total)d points, not 100.")
            % {"subject": subject.name, "total": total}
        )
    active = Question.objects.filter(subject=subject, active=True)
    for rule in rules:
        pool = active.filter(kind=rule.kind)
        if rule.category_id:
            pool = pool.filter(category_id=rule.category_id)
        available = pool.count()
        if available < rule.count:
            problems.append(
                _(
                    "The blueprint draws %(count)d questions of type %(kind)s%(category)s, "
                    "but the bank has %(available)d in use."
                )
                % {
                    "count": rule.count,
                    "kind": rule.get_kind_display(),
                    "category": f" ({rule.category.name})" if rule.category else "",
                    "available": available,
                }
            )
    return problems


def blueprint_totals() -> dict[int, int]:
    """Subject id → the points its blueprint adds up to (one query)."""
    return dict(
        BlueprintRule.objects.order_by()
        .values("subject_id")
        .annotate(total=Sum(F("count") * F("points_each")))
        .values_list("subject_id", "total")
    )


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


def _column_key(header: str) -> str | None:
    return _ALIASES.get(HEADER_NOISE.sub("", header).lower())


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
    max_rows = bank_import_max_rows()
    max_lines = 2 * max_rows + HEADER_SEARCH_ROWS + 1000  # blank lines are skipped, up to here
    columns: dict[str, int] | None = None
    rows: list[dict] = []
    for line, record in enumerate(records, start=1):
        if line > max_lines:
            raise _too_many_rows(max_rows)
        cells = [_cell(value) for value in record]
        if not any(cells):
            continue
        if columns is None:
            found: dict[str, int] = {}
            for index, header in enumerate(cells):
                key = _column_key(header)
                if key is not None:
                    found.setdefault(key, index)
            if all(key in found for key in REQUIRED_COLUMNS):
                columns = found
            elif line >= HEADER_SEARCH_ROWS:
                break
            continue
        if len(rows) >= max_rows:
            raise _too_many_rows(max_rows)
        row = {"row": line}
        for key in HEADERS:
            index = columns.get(key)
            row[key] = cells[index] if index is not None and index < len(cells) else ""
        if any(row[key] for key in HEADERS):
            rows.append(row)
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


def _clip(value: str, length: int = REPORT_VALUE_LENGTH) -> str:
    value = " ".join(value.split())
    return value if len(value) <= length else value[: length - 1] + "…"


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
                _("Unknown subject code “%(value)s”.") % {"value": _clip(code, 40)},
            )
        )
    else:
        checked.subject = subject
    checked.category = " ".join(row["category"].split())
    if not checked.category:
        reasons.append(Reason("category_missing", _("The category is missing.")))
    elif len(checked.category) > QuestionCategory._meta.get_field("name").max_length:
        reasons.append(Reason("category_too_long", _("The category name is too long.")))
    kind = _KIND_ALIASES.get(HEADER_NOISE.sub("", row["kind"]).lower())
    if kind is None:
        reasons.append(
            Reason(
                "unknown_kind",
                _("Unknown question type “%(value)s”: use 判断, 单选 or 多选.")
                % {"value": _clip(row["kind"], 20)},
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
        checked.difficulty = _DIFFICULTY.get(row["difficulty"])
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
        "subject": _clip(row["subject"], 40),
        "kind": _clip(row["kind"], 20),
        "stem": _clip(row["stem"]),
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
    subjects = {}
    for subject in Subject.objects.filter(code__in=codes | {code.lower() for code in codes}):
        subjects[subject.code] = subject
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
        category = categories.get((subject.pk, checked.category))
        if category is None:
            category, created = QuestionCategory.objects.get_or_create(
                subject=subject, name=checked.category
            )
            categories[(subject.pk, checked.category)] = category
            if created:
                categories_created.append(f"{subject.name} · {category.name}")
        existing = bank.get(key, [None])[0]
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
        audit_record(
            actor=actor,
            verb="question_bank.imported",
            target=by_pk[subject_id],
            after={"file": file_name[:200], **count},
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
