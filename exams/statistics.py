"""Item statistics of a subject's question bank, from the papers candidates were given.

Read from submitted attempts only, in two queries (the attempts' paper snapshots, then their
saved answers), at most ``MAX_ATTEMPTS`` of the most recent, and computed in Python. Per
question (``question`` in the snapshot):

- ``drawn``: how many analysed papers had it; an unanswered question counts as wrong, as in
  grading;
- ``p`` (difficulty index): the share of those papers where it was answered correctly;
- ``discrimination``: the corrected point-biserial correlation, i.e. the Pearson correlation
  between answering the item correctly (1/0) and the score on the *rest* of the paper (the
  total without this item's points, so an item does not correlate with itself). Positive when
  stronger candidates get it right more often; ``None`` when everyone (or no one) got it right.

An item is flagged once it has at least ``MIN_RESPONSES`` responses: p below ``HARD_P`` (too
hard), above ``EASY_P`` (too easy), or discrimination below ``LOW_DISCRIMINATION``.
"""

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .models import AttemptAnswer, Question, Subject, TheoryAttempt

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MAX_ATTEMPTS = 5_000
MIN_RESPONSES = 20
HARD_P = 0.2
EASY_P = 0.95
LOW_DISCRIMINATION = 0.1

FLAG_LABELS = {
    "hard": _("Too hard"),
    "easy": _("Too easy"),
    "low_discrimination": _("Low discrimination"),
}
_KIND_ORDER: dict[str, int] = {
    Question.Kind.TRUE_FALSE: 0,
    Question.Kind.SINGLE: 1,
    Question.Kind.MULTIPLE: 2,
}


@dataclass
class ItemStatistics:
    question_id: int
    kind: str
    category: str
    stem: str  # as in the most recent paper that had it
    drawn: int = 0
    correct: int = 0
    p: float | None = None
    discrimination: float | None = None
    flags: list[str] = field(default_factory=list)
    # Running sums for the correlation: x = right (0/1), y = rest score.
    _sy: float = 0.0
    _sxy: float = 0.0
    _syy: float = 0.0

    @property
    def kind_label(self) -> "StrOrPromise":
        return Question.Kind(self.kind).label if self.kind in Question.Kind.values else self.kind

    @property
    def flag_labels(self) -> "list[StrOrPromise]":
        return [FLAG_LABELS[flag] for flag in self.flags]

    def _add(self, *, right: bool, rest: int) -> None:
        self.drawn += 1
        self.correct += int(right)
        self._sy += rest
        self._syy += rest * rest
        if right:
            self._sxy += rest

    def _finish(self) -> None:
        n, sx = self.drawn, self.correct
        p = self.p = sx / n if n else None
        # Pearson r of a 0/1 variable and the rest score (sum of x² is sum of x).
        spread = (n * sx - sx * sx) * (n * self._syy - self._sy * self._sy)
        if n and spread > 0:
            self.discrimination = (n * self._sxy - sx * self._sy) / math.sqrt(spread)
        if n >= MIN_RESPONSES and p is not None:  # p is None only when n is 0
            if p < HARD_P:
                self.flags.append("hard")
            if p > EASY_P:
                self.flags.append("easy")
            if self.discrimination is not None and self.discrimination < LOW_DISCRIMINATION:
                self.flags.append("low_discrimination")


@dataclass
class SubjectItemStatistics:
    subject: Subject
    attempts: int  # analysed
    capped: bool  # more submitted attempts exist than were analysed
    mean_score: float | None
    items: list[ItemStatistics]

    @property
    def flagged(self) -> int:
        return sum(1 for item in self.items if item.flags)


def item_statistics(
    *,
    subject: Subject,
    attempts: QuerySet[TheoryAttempt] | None = None,
    limit: int = MAX_ATTEMPTS,
) -> SubjectItemStatistics:
    """The statistics of every question drawn in the subject's most recent ``limit``
    submitted attempts (among ``attempts``, the viewer's scope; all by default).

    Two queries, whatever the number of attempts. Items are ordered flagged first, then by
    category, type and question id.
    """
    scope = TheoryAttempt.objects.all() if attempts is None else attempts
    recent = scope.filter(subject=subject, status=TheoryAttempt.Status.SUBMITTED).order_by(
        "-submitted_at", "-pk"
    )
    papers = list(recent.values_list("pk", "paper")[: limit + 1])
    capped = len(papers) > limit
    papers = papers[:limit]
    saved: dict[int, dict[int, list]] = {}
    answers = AttemptAnswer.objects.filter(attempt__in=recent.values("pk")[:limit]).values_list(
        "attempt_id", "position", "selected"
    )
    for attempt_id, position, selected in answers:
        saved.setdefault(attempt_id, {})[position] = selected

    items: dict[int, ItemStatistics] = {}
    totals = []
    for attempt_id, paper in papers:
        answered = saved.get(attempt_id, {})
        marks = [
            (entry, answered.get(position) == entry["key"]) for position, entry in enumerate(paper)
        ]
        total = sum(entry["points"] for entry, right in marks if right)
        totals.append(total)
        for entry, right in marks:
            item = items.get(entry["question"])
            if item is None:  # newest paper first: its stem is the latest wording
                item = items[entry["question"]] = ItemStatistics(
                    question_id=entry["question"],
                    kind=entry["kind"],
                    category=entry["category"],
                    stem=entry["stem"],
                )
            item._add(right=right, rest=total - (entry["points"] if right else 0))
    for item in items.values():
        item._finish()
    ordered = sorted(
        items.values(),
        key=lambda i: (not i.flags, i.category, _KIND_ORDER.get(i.kind, 9), i.question_id),
    )
    return SubjectItemStatistics(
        subject=subject,
        attempts=len(papers),
        capped=capped,
        mean_score=sum(totals) / len(totals) if totals else None,
        items=ordered,
    )
