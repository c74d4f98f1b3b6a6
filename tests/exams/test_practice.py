"""Practice mode (模拟练习) and the wrong-answer notebook (错题本)."""

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.errors import DomainError
from exams import practice
from exams.models import PracticeAnswer, Question, QuestionCategory
from tests.exams import builders
from tests.factories import UserFactory, WorkerProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(client):
    """A worker with no training at all: practice needs none."""
    subject = builders.subject()
    worker = WorkerProfileFactory()
    client.force_login(worker.user)
    return worker, subject


def question_url(subject, **params):
    url = reverse("practice:question", args=[subject.code])
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return url


def answer(client, subject, question, choices, **extra):
    data = {"question": question if isinstance(question, str) else question.pk, **extra}
    data["choice"] = [str(c) for c in choices]
    return client.post(reverse("practice:answer", args=[subject.code]), data)


def wrong_choice(question):
    return next(i for i in range(len(question.choices)) if i not in question.correct)


def served(response) -> int:
    return response.context["question"]["id"]


# --- The question page and instant feedback -------------------------------------------------


def test_the_question_page_never_shows_the_key(client, learner):
    _worker, subject = learner
    for _ in range(5):
        response = client.get(question_url(subject))
        assert response.status_code == 200
        html = response.content.decode()
        question = Question.objects.get(pk=served(response))
        assert question.stem in html
        assert question.explanation not in html
        assert 'class="key"' not in html and 'data-testid="feedback' not in html
        assert set(response.context["question"]) == {"id", "kind", "stem", "category", "choices"}
        for choice in response.context["question"]["choices"]:
            assert set(choice) == {"index", "text"}
    assert not PracticeAnswer.objects.exists()


def test_a_right_answer_gets_instant_feedback_with_the_explanation(client, learner):
    worker, subject = learner
    question = Question.objects.filter(subject=subject, kind="multiple").first()
    response = answer(client, subject, question, question.correct)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="feedback-right"' in html
    assert question.explanation in html
    assert html.count('class="key"') == len(question.correct)
    assert 'data-testid="next-question"' in html
    stored = PracticeAnswer.objects.get()
    assert (stored.worker, stored.question, stored.correct) == (worker, question, True)


def test_a_wrong_answer_gets_the_key_highlighted_and_the_explanation(client, learner):
    _worker, subject = learner
    question = Question.objects.filter(subject=subject, kind="single").first()
    response = answer(client, subject, question, [wrong_choice(question)])
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="feedback-wrong"' in html
    assert question.explanation in html
    assert f'<li class="key">{question.choices[question.correct[0]]}' in html
    assert response.context["feedback"]["correct"] is False
    assert PracticeAnswer.objects.get().correct is False


def test_the_service_returns_the_key_and_the_explanation(learner):
    worker, subject = learner
    question = Question.objects.filter(subject=subject, kind="multiple").first()
    result = practice.practice_answer(worker=worker, question_id=question.pk, selected=[2, 1, 0])
    assert result["correct"] is True
    assert result["key"] == [0, 1, 2]
    assert result["explanation"] == question.explanation
    result = practice.practice_answer(worker=worker, question_id=question.pk, selected=[0, 1])
    assert result["correct"] is False


def test_practice_needs_no_training(client, learner):
    worker, subject = learner
    assert not worker.training_records.exists()
    home = client.get(reverse("practice:home"))
    assert home.status_code == 200
    assert reverse("practice:question", args=[subject.code]) in home.content.decode()
    assert client.get(question_url(subject)).status_code == 200


# --- Choosing the next question -------------------------------------------------------------


def test_questions_not_answered_recently_come_first(learner):
    worker, _subject = learner
    subject = builders.subject(code="small", per_kind=1)
    first, second, third = Question.objects.filter(subject=subject).order_by("pk")
    for question in (first, second):
        practice.practice_answer(worker=worker, question_id=question.pk, selected=[0])
    for seed in range(10):
        chosen = practice.practice_next_question(
            worker=worker, subject=subject, rng=random.Random(seed)
        )
        assert chosen == third
    practice.practice_answer(worker=worker, question_id=third.pk, selected=[0])
    # All answered recently: the one answered longest ago.
    assert practice.practice_next_question(worker=worker, subject=subject) == first


def test_a_category_restricts_the_questions(client, learner):
    _worker, subject = learner
    laws = QuestionCategory.objects.get(subject=subject, name="法律法规")
    for _ in range(8):
        response = client.get(question_url(subject, category=laws.pk))
        assert Question.objects.get(pk=served(response)).category == laws
    other = builders.subject(code="other")
    foreign = QuestionCategory.objects.filter(subject=other).first()
    assert client.get(question_url(subject, category=foreign.pk)).status_code == 404
    assert client.get(question_url(subject, category="x")).status_code == 404


def test_skip_serves_another_question(client, learner):
    _worker, subject = learner
    first = served(client.get(question_url(subject)))
    for _ in range(5):
        assert served(client.get(question_url(subject, skip=first))) != first


# --- The notebook ---------------------------------------------------------------------------


def test_a_wrong_answer_lands_in_the_notebook_and_a_right_one_takes_it_out(client, learner):
    worker, subject = learner
    question = Question.objects.filter(subject=subject, kind="single").first()
    notebook = reverse("practice:notebook")
    assert 'data-testid="notebook-empty"' in client.get(notebook).content.decode()

    answer(client, subject, question, [wrong_choice(question)])
    answer(client, subject, question, [wrong_choice(question)])
    response = client.get(notebook)
    html = response.content.decode()
    assert question.stem in html and question.explanation in html
    assert f'<li class="key">{question.choices[question.correct[0]]}' in html
    (item,) = response.context["questions"]
    assert item.wrong_count == 2

    answer(client, subject, question, question.correct)
    assert question.stem not in client.get(notebook).content.decode()
    assert not practice.wrong_notebook(worker=worker).exists()
    assert set(PracticeAnswer.objects.filter(correct=False).values_list("mastered", flat=True)) == {
        True
    }

    # Wrong again later: back in the notebook, counted afresh.
    answer(client, subject, question, [wrong_choice(question)])
    (item,) = practice.wrong_notebook(worker=worker)
    assert item.wrong_count == 1


def test_mastering_is_per_worker(learner):
    worker, subject = learner
    other = WorkerProfileFactory()
    question = Question.objects.filter(subject=subject, kind="tf").first()
    for who in (worker, other):
        practice.practice_answer(worker=who, question_id=question.pk, selected=[1])
    practice.practice_answer(worker=worker, question_id=question.pk, selected=[0])
    assert not practice.wrong_notebook(worker=worker).exists()
    assert list(practice.wrong_notebook(worker=other)) == [question]


def test_the_notebook_is_most_recent_first_and_filters_by_subject(client, learner):
    worker, subject = learner
    other = builders.subject(code="other")
    older = Question.objects.filter(subject=subject).first()
    newer = Question.objects.filter(subject=other).first()
    for question in (older, newer):
        practice.practice_answer(worker=worker, question_id=question.pk, selected=[1])
    assert list(practice.wrong_notebook(worker=worker)) == [newer, older]
    assert list(practice.wrong_notebook(worker=worker, subject=subject)) == [older]
    response = client.get(reverse("practice:notebook") + f"?subject={subject.code}")
    assert list(response.context["questions"]) == [older]
    html = response.content.decode()
    assert f'data-testid="practise-again-{subject.code}"' in html
    assert f'data-testid="practise-again-{other.code}"' in html


def test_notebook_practice_serves_only_notebook_questions(client, learner):
    worker, subject = learner
    missed = list(Question.objects.filter(subject=subject, kind="single")[:2])
    for question in missed:
        answer(client, subject, question, [wrong_choice(question)])
    html = client.get(reverse("practice:notebook")).content.decode()
    assert question_url(subject, notebook=1) in html
    for _ in range(10):
        response = client.get(question_url(subject, notebook=1))
        assert served(response) in {q.pk for q in missed}
        assert 'name="notebook" value="1"' in response.content.decode()

    # Answering one right takes it out of the rotation; then the notebook is done.
    answer(client, subject, missed[0], missed[0].correct, notebook="1")
    for _ in range(5):
        assert served(client.get(question_url(subject, notebook=1))) == missed[1].pk
    response = answer(client, subject, missed[1], missed[1].correct, notebook="1")
    assert question_url(subject, notebook=1) in response.content.decode()  # next question
    response = client.get(question_url(subject, notebook=1))
    assert response.context["question"] is None
    assert 'data-testid="nothing-to-practise"' in response.content.decode()
    assert not practice.wrong_notebook(worker=worker).exists()


def test_the_notebook_page_runs_a_constant_number_of_queries(
    client, learner, django_assert_max_num_queries
):
    worker, subject = learner
    other = builders.subject(code="other")
    questions = list(Question.objects.filter(subject__in=[subject, other]).order_by("pk"))
    assert len(questions) >= 15

    def miss(batch):
        for question in batch:
            practice.practice_answer(
                worker=worker, question_id=question.pk, selected=[wrong_choice(question)]
            )

    url = reverse("practice:notebook")
    client.get(url)  # warm up: the site's settings row is created on the first page view
    miss(questions[:3])
    with CaptureQueriesContext(connection) as few:
        response = client.get(url)
    assert len(response.context["questions"]) == 3

    miss(questions[3:15])
    with django_assert_max_num_queries(len(few)) as many:
        response = client.get(url)
    assert len(many) == len(few)
    assert len(response.context["questions"]) == 15
    assert response.content.decode().count('data-testid="notebook-item"') == 15


# --- Refusals -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "status"),
    [
        ("unknown question", 404),
        ("question of another subject", 404),
        ("choice out of range", 400),
        ("two choices for single", 400),
        ("two choices for true/false", 400),
        ("malformed choice", 400),
        ("malformed question id", 400),
        ("no choice", 400),
    ],
)
def test_bad_answers_get_a_clear_4xx_and_store_nothing(client, learner, case, status):
    _worker, subject = learner
    single = Question.objects.filter(subject=subject, kind="single").first()
    tf = Question.objects.filter(subject=subject, kind="tf").first()
    foreign = Question.objects.filter(subject=builders.subject(code="other")).first()
    question, choices = {
        "unknown question": ("999999", [0]),
        "question of another subject": (foreign, [0]),
        "choice out of range": (single, [9]),
        "two choices for single": (single, [0, 1]),
        "two choices for true/false": (tf, [0, 1]),
        "malformed choice": (single, ["x"]),
        "malformed question id": ("abc", [0]),
        "no choice": (single, []),
    }[case]
    response = answer(client, subject, question, choices)
    assert response.status_code == status
    assert response.context["error"]
    assert 'data-testid="practice-error"' in response.content.decode()
    assert "feedback" not in response.context
    assert not PracticeAnswer.objects.exists()
    if status == 400 and isinstance(question, Question):
        # The same question again, to answer properly; still without its key.
        assert response.context["question"]["id"] == question.pk
        assert question.explanation not in response.content.decode()


@pytest.mark.parametrize(
    "selected", [[9], [0, 1], [0, 0], "0", [True], [], None], ids=lambda v: repr(v)
)
def test_the_service_refuses_bad_selections(learner, selected):
    worker, subject = learner
    single = Question.objects.filter(subject=subject, kind="single").first()
    with pytest.raises(DomainError):
        practice.practice_answer(worker=worker, question_id=single.pk, selected=selected)
    assert not PracticeAnswer.objects.exists()


def test_inactive_questions_are_not_served_nor_answerable(learner):
    worker, subject = learner
    Question.objects.filter(subject=subject).exclude(kind="tf").update(active=False)
    active = set(Question.objects.filter(subject=subject, active=True).values_list("pk", flat=True))
    for seed in range(10):
        question = practice.practice_next_question(
            worker=worker, subject=subject, rng=random.Random(seed)
        )
        assert question.pk in active
    inactive = Question.objects.filter(subject=subject, active=False).first()
    with pytest.raises(DomainError) as error:
        practice.practice_answer(worker=worker, question_id=inactive.pk, selected=[0])
    assert error.value.code == "no_such_question"


def test_an_unknown_subject_is_404(client, learner):
    assert client.get(reverse("practice:question", args=["nope"])).status_code == 404


# --- Who may practise -----------------------------------------------------------------------


def _pages(subject):
    question = Question.objects.filter(subject=subject).first()
    return [
        ("get", reverse("practice:home"), {}),
        ("get", reverse("practice:notebook"), {}),
        ("get", question_url(subject), {}),
        ("post", reverse("practice:answer", args=[subject.code]), {"question": question.pk}),
    ]


def test_staff_without_a_worker_profile_get_404(client):
    subject = builders.subject()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    for method, url, data in _pages(subject):
        response = getattr(client, method)(url, {**data, "choice": ["0"]} if data else {})
        assert response.status_code == 404, url
    assert not PracticeAnswer.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    subject = builders.subject()
    for method, url, data in _pages(subject):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login"))
    assert not PracticeAnswer.objects.exists()


def test_practice_waits_while_the_worker_sits_the_exam(client, learner):
    """Practice shows keys; during a live attempt of the subject it would leak the paper's."""
    from exams import services
    from exams.models import PracticeAnswer, TheoryAttempt

    worker, subject = learner
    question = subject.questions.first()
    answer(client, subject, question, [wrong_choice(question)])  # into the notebook
    builders.complete_training(worker, subject)
    attempt = services.attempt_start(worker=worker, subject=subject)
    assert attempt.status == TheoryAttempt.Status.IN_PROGRESS
    before = PracticeAnswer.objects.count()
    response = answer(client, subject, question, question.correct)
    assert response.status_code == 409
    assert PracticeAnswer.objects.count() == before
    notebook = client.get(reverse("practice:notebook")).content.decode()
    assert question.stem not in notebook
