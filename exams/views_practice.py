"""Practice pages (模拟练习) and the wrong-answer notebook (错题本), for workers.

The question page shows the stem and the choices only; the key and the explanation appear in
the feedback after the worker answers (a plain form POST that renders the feedback). Bad input
gets the question again with the reason (400), an unknown question 404; nothing is stored.
"""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import WorkerProfile
from core.errors import DomainError

from . import practice
from .models import Question, QuestionCategory, Subject

NOTEBOOK_PAGE_SIZE = 20
STATUS_FOR = {"no_such_question": 404, "exam_in_progress": 409}


def _worker(request) -> WorkerProfile:
    """Practice is for workers: anyone signed in without a worker profile gets 404."""
    worker = WorkerProfile.objects.filter(user=request.user).first()
    if worker is None:
        raise Http404
    return worker


def _mode(data, subject: Subject) -> tuple[QuestionCategory | None, bool]:
    """The practice mode from a query string or a form: ``category`` (an id of the subject's
    categories; anything else is 404) and ``notebook`` ("1": notebook questions only)."""
    category = None
    raw = data.get("category", "")
    if raw:
        try:
            category = QuestionCategory.objects.get(subject=subject, pk=int(raw))
        except (ValueError, QuestionCategory.DoesNotExist):
            raise Http404 from None
    return category, data.get("notebook") == "1"


def _mode_url(subject: Subject, category: QuestionCategory | None, notebook: bool) -> str:
    params: dict[str, int | str] = {}
    if category is not None:
        params["category"] = category.pk
    if notebook:
        params["notebook"] = "1"
    url = reverse("practice:question", args=[subject.code])
    return f"{url}?{urlencode(params)}" if params else url


def _public(question: Question) -> dict:
    """What the worker may see before answering: no key, no explanation."""
    return {
        "id": question.pk,
        "kind": question.kind,
        "stem": question.stem,
        "category": question.category.name,
        "choices": [{"index": i, "text": text} for i, text in enumerate(question.choices)],
    }


def _render(request, subject, category, notebook, *, question=None, status=200, **extra):
    categories = practice.practice_categories().filter(subject=subject)
    context = {
        "subject": subject,
        "categories": categories,
        "category": category,
        "notebook": notebook,
        "question": _public(question) if question is not None else None,
        "next_url": _mode_url(subject, category, notebook),
        "all_url": reverse("practice:question", args=[subject.code]),
        "notebook_url": _mode_url(subject, None, True),
        **extra,
    }
    return render(request, "exams/practice/question.html", context, status=status)


@login_required
@require_GET
def practice_home(request):
    """Choose a subject and, optionally, a category; links to each subject's notebook."""
    worker = _worker(request)
    counts = practice.notebook_counts(worker=worker)
    rows = [
        {
            "subject": subject,
            # the ``to_attr`` prefetch of practice_subjects (not a model attribute)
            "categories": getattr(subject, "practice_categories"),  # noqa: B009
            "notebook": counts.get(subject.pk, 0),
            "notebook_url": _mode_url(subject, None, True),
        }
        for subject in practice.practice_subjects()
    ]
    return render(
        request,
        "exams/practice/home.html",
        {"rows": rows, "notebook_total": sum(counts.values())},
    )


@login_required
@require_GET
def practice_question(request, code: str):
    """One question of the subject (of a category, or of the notebook), without its key."""
    worker = _worker(request)
    subject = get_object_or_404(Subject, code=code, active=True)
    category, notebook = _mode(request.GET, subject)
    skip = _as_int(request.GET.get("skip"))
    question = practice.practice_next_question(
        worker=worker,
        subject=subject,
        category=category,
        notebook=notebook,
        exclude=[skip] if skip is not None else [],
    )
    return _render(request, subject, category, notebook, question=question)


def _as_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _selection(values: list[str]) -> list:
    """Choice numbers from the form; the raw strings when one is not a number (the service
    refuses them as malformed)."""
    numbers = [_as_int(v) for v in values]
    return values if None in numbers else numbers


@login_required
@require_POST
def practice_answer(request, code: str):
    """Answer the question: feedback with the key and the explanation, and a next question."""
    worker = _worker(request)
    subject = get_object_or_404(Subject, code=code, active=True)
    category, notebook = _mode(request.POST, subject)
    question_id = _as_int(request.POST.get("question"))
    selected = _selection(request.POST.getlist("choice"))
    try:
        if question_id is None:
            raise DomainError(_("The answer could not be read; reload the page."), code="malformed")
        feedback = practice.practice_answer(
            worker=worker, question_id=question_id, selected=selected, subject=subject
        )
    except DomainError as error:
        status = STATUS_FOR.get(error.code, 400)
        question = None
        if status != 404 and question_id is not None:  # pk=None matched no question anyway
            question = (
                Question.objects.filter(pk=question_id, subject=subject, active=True)
                .select_related("category")
                .first()
            )
        return _render(
            request,
            subject,
            category,
            notebook,
            question=question,
            status=status,
            error=error.message,
            selected=[v for v in selected if isinstance(v, int)],
        )
    question = feedback["question"]
    choices = [
        {
            "index": i,
            "text": text,
            "is_key": i in feedback["key"],
            "picked": i in feedback["selected"],
        }
        for i, text in enumerate(question.choices)
    ]
    return _render(
        request,
        subject,
        category,
        notebook,
        feedback={
            "correct": feedback["correct"],
            "explanation": feedback["explanation"],
            "choices": choices,
            "stem": question.stem,
            "kind": question.kind,
            "category": question.category.name,
        },
    )


@login_required
@require_GET
def notebook(request):
    """The wrong-answer notebook, paginated, optionally of one subject (``?subject=<code>``)."""
    worker = _worker(request)
    counts = practice.notebook_counts(worker=worker)
    notebook_subjects = list(Subject.objects.filter(pk__in=counts).order_by("code"))
    subjects = [
        {"subject": subject, "count": counts[subject.pk], "url": _mode_url(subject, None, True)}
        for subject in notebook_subjects
    ]
    selected: Subject | None = None
    code = request.GET.get("subject")
    if code:
        selected = next((subject for subject in notebook_subjects if subject.code == code), None)
        if selected is None:
            selected = get_object_or_404(Subject, code=code)
    questions = Paginator(
        practice.wrong_notebook(worker=worker, subject=selected), NOTEBOOK_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "exams/practice/notebook.html",
        {
            "subjects": subjects,
            "selected": selected,
            "questions": questions,
            "total": sum(counts.values()),
        },
    )
