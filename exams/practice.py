"""Practice mode (模拟练习) and the wrong-answer notebook (错题本).

Practice is study, not an exam: any worker may practise any open subject, one question at a
time, and the key and the explanation are shown right after each answer. Every answer is a
``PracticeAnswer`` row. A question answered wrongly sits in the worker's notebook until the
worker answers it right; that answer marks the earlier wrong rows ``mastered``.

Reads (``practice_next_question``, ``wrong_notebook``, ``notebook_counts``) run a fixed number
of queries whatever the size of the bank or the notebook.
"""

import random
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, F, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from accounts.models import WorkerProfile
from core.errors import DomainError

from .models import PracticeAnswer, Question, QuestionCategory, Subject

#: A question among the worker's last ``RECENT_WINDOW`` answers of a subject is served again only
#: when every other question of the pool is recent too.
RECENT_WINDOW = 10


def _notebook_answers(worker: WorkerProfile) -> QuerySet[PracticeAnswer]:
    return PracticeAnswer.objects.filter(worker=worker, correct=False, mastered=False)


def practice_pool(
    *, worker: WorkerProfile, subject: Subject, category=None, notebook: bool = False
) -> QuerySet[Question]:
    """The questions practice may serve: active questions of the subject, optionally of one
    category, optionally only those in the worker's notebook."""
    pool = Question.objects.filter(subject=subject, active=True)
    if category is not None:
        pool = pool.filter(category=category)
    if notebook:
        pool = pool.filter(pk__in=_notebook_answers(worker).values("question_id"))
    return pool


def practice_next_question(
    *,
    worker: WorkerProfile,
    subject: Subject,
    category=None,
    notebook: bool = False,
    exclude: Iterable[int] = (),
    rng: random.Random | None = None,
) -> Question | None:
    """A random question of the pool (see ``practice_pool``) the worker has not answered
    recently and that is not in ``exclude`` (a question just skipped); when there is none, the
    one answered longest ago, avoiding ``exclude`` if the pool allows. ``None`` when the pool
    is empty. At most five queries."""
    rng = rng or random.SystemRandom()
    pool = practice_pool(worker=worker, subject=subject, category=category, notebook=notebook)
    recent = (
        PracticeAnswer.objects.filter(worker=worker, question__subject=subject)
        .order_by("-answered_at", "-pk")
        .values("question_id")[:RECENT_WINDOW]
    )
    exclude = list(exclude)
    fresh = pool.exclude(pk__in=[row["question_id"] for row in recent] + exclude)
    count = fresh.count()
    if count:
        return fresh.select_related("category").order_by("pk")[rng.randrange(count)]
    last_answered = (
        PracticeAnswer.objects.filter(worker=worker, question=OuterRef("pk"))
        .order_by("-answered_at", "-pk")
        .values("answered_at")[:1]
    )
    oldest = (
        pool.annotate(last_answered=Subquery(last_answered))
        .select_related("category")
        .order_by(F("last_answered").asc(nulls_first=True), "pk")
    )
    return oldest.exclude(pk__in=exclude).first() or oldest.first()


def _valid_selection(question: Question, selected) -> list[int]:
    """The exam's rules (``services._valid_selection``), plus: practice needs an answer."""
    if not isinstance(selected, list) or not all(
        isinstance(i, int) and not isinstance(i, bool) for i in selected
    ):
        raise DomainError(_("An answer is a list of choice numbers."), code="malformed")
    if not selected:
        raise DomainError(_("Choose an answer first."), code="empty")
    picked = sorted(set(selected))
    if len(picked) != len(selected) or not set(picked) <= set(range(len(question.choices))):
        raise DomainError(_("That choice does not exist."), code="no_such_choice")
    if question.kind != Question.Kind.MULTIPLE and len(picked) > 1:
        raise DomainError(_("Choose one answer only."), code="one_answer")
    return picked


@transaction.atomic
def exam_in_progress(*, worker: WorkerProfile, subject_id: int) -> bool:
    """While a worker sits an exam, practice of that subject would show the keys of questions
    in the live paper: it waits."""
    from .models import TheoryAttempt

    return TheoryAttempt.objects.filter(
        worker=worker, subject_id=subject_id, status=TheoryAttempt.Status.IN_PROGRESS
    ).exists()


def practice_answer(
    *, worker: WorkerProfile, question_id, selected, subject: Subject | None = None
) -> dict:
    """Record one practice answer and return the feedback:
    ``{"correct": bool, "key": [0-based indexes], "explanation": str, "selected": [...],
    "question": Question}``.

    Refused (``DomainError``, nothing stored) for an unknown or inactive question, one of another
    subject when ``subject`` is given, and a selection the exam would refuse (not a list of
    ints, a choice that does not exist, two answers to a true/false or single-choice question)
    or an empty one. A right answer takes the question out of the notebook: the worker's earlier
    wrong answers to it become ``mastered``.
    """
    if not isinstance(question_id, int) or isinstance(question_id, bool):
        raise DomainError(_("No such question."), code="no_such_question")
    questions = Question.objects.filter(pk=question_id, active=True)
    if subject is not None:
        questions = questions.filter(subject=subject)
    question = questions.select_related("subject", "category").first()
    if question is None:
        raise DomainError(_("No such question."), code="no_such_question")
    if exam_in_progress(worker=worker, subject_id=question.subject_id):
        raise DomainError(
            _("Practice of this subject reopens when your exam in it is finished."),
            code="exam_in_progress",
        )
    picked = _valid_selection(question, selected)
    key = sorted(question.correct)
    correct = picked == key
    PracticeAnswer.objects.create(worker=worker, question=question, correct=correct)
    if correct:
        _notebook_answers(worker).filter(question=question).update(mastered=True)
    return {
        "correct": correct,
        "key": key,
        "explanation": question.explanation,
        "selected": picked,
        "question": question,
    }


def wrong_notebook(*, worker: WorkerProfile, subject: Subject | None = None) -> QuerySet[Question]:
    """The worker's notebook: active questions answered wrongly and not mastered since, the
    most recently missed first, each annotated with ``wrong_count`` (wrong answers since it
    was last mastered) and ``last_wrong``. A lazy query: callers bound it (paginate or slice);
    a page costs one query, with subject and category joined."""
    questions = Question.objects.filter(
        active=True,
        practice_answers__worker=worker,
        practice_answers__correct=False,
        practice_answers__mastered=False,
    )
    if subject is not None:
        questions = questions.filter(subject=subject)
    # Subjects the worker is sitting an exam in stay out of the notebook until it is over.
    from .models import TheoryAttempt

    busy = TheoryAttempt.objects.filter(
        worker=worker, status=TheoryAttempt.Status.IN_PROGRESS
    ).values("subject_id")
    questions = questions.exclude(subject_id__in=busy)
    return (
        questions.annotate(
            wrong_count=Count("practice_answers"),
            last_wrong=Max("practice_answers__answered_at"),
        )
        .select_related("subject", "category")
        .order_by("-last_wrong", "-pk")
    )


def notebook_counts(*, worker: WorkerProfile) -> dict[int, int]:
    """How many questions of each subject (by id) are in the worker's notebook. One query."""
    rows = (
        _notebook_answers(worker)
        .filter(question__active=True)
        .values("question__subject")
        .annotate(n=Count("question", distinct=True))
        .order_by()
    )
    return {row["question__subject"]: row["n"] for row in rows}


def practice_categories() -> QuerySet[QuestionCategory]:
    """Categories with ``n``, their number of active questions; empty ones left out."""
    return (
        QuestionCategory.objects.annotate(n=Count("questions", filter=Q(questions__active=True)))
        .filter(n__gt=0)
        .order_by("name")
    )


def practice_subjects() -> QuerySet[Subject]:
    """Open subjects with at least one active question, with ``practice_categories`` (see
    ``practice_categories``) prefetched: two queries."""
    categories = practice_categories()
    return (
        Subject.objects.filter(active=True, questions__active=True)
        .distinct()
        .prefetch_related(
            Prefetch("categories", queryset=categories, to_attr="practice_categories")
        )
    )
