"""The rules of the question bank, written once for the bank import and the admin form: how a
question's choices and answer are written and checked (``question_key_parse``), and whether a
subject's blueprint can draw a paper (``blueprint_problems``)."""

import re
from dataclasses import dataclass

from django.db.models import F, Sum
from django.utils.translation import gettext as _

from .models import BlueprintRule, Question, Subject

REPORT_VALUE_LENGTH = 80  # stems longer than this are cut in the report
LETTERS = "ABCDEF"
TRUE, FALSE = "正确", "错误"
TF_CHOICES = [TRUE, FALSE]
KIND_ORDER: dict[str, int] = {
    Question.Kind.TRUE_FALSE: 0,
    Question.Kind.SINGLE: 1,
    Question.Kind.MULTIPLE: 2,
}
KIND_NAMES: dict[str, str] = {
    Question.Kind.TRUE_FALSE: "判断",
    Question.Kind.SINGLE: "单选",
    Question.Kind.MULTIPLE: "多选",
}
KIND_ALIASES = {
    **dict.fromkeys(("判断", "判断题", "tf", "true/false"), Question.Kind.TRUE_FALSE),
    **dict.fromkeys(("单选", "单选题", "single"), Question.Kind.SINGLE),
    **dict.fromkeys(("多选", "多选题", "multiple"), Question.Kind.MULTIPLE),
}
_TF_ANSWERS = {"正确": TRUE, "对": TRUE, "√": TRUE, "错误": FALSE, "错": FALSE, "×": FALSE}
DIFFICULTIES = {"1": 1, "2": 2, "3": 3, "易": 1, "中": 2, "难": 3}
_ANSWER_SEPARATORS = re.compile(r"[\s,，、;；/|]+")


def clip(value: str, length: int = REPORT_VALUE_LENGTH) -> str:
    """A value quoted in a report or message: whitespace folded, cut to ``length`` with …."""
    value = " ".join(value.split())
    return value if len(value) <= length else value[: length - 1] + "…"


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
                % {"value": clip(answer, 20)},
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
