import json

import pytest
from django.urls import reverse

from exams.models import AttemptAnswer, TheoryAttempt
from tests.exams import builders
from tests.factories import WorkerProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def taker(client):
    subject = builders.subject()
    worker = WorkerProfileFactory()
    builders.complete_training(worker, subject)
    client.force_login(worker.user)
    return worker, subject


def start(client, subject) -> TheoryAttempt:
    response = client.post(reverse("exams:start", args=[subject.code]))
    attempt = TheoryAttempt.objects.get()
    assert response["Location"] == reverse("exams:attempt", args=[attempt.pk])
    return attempt


def save(client, attempt, **payload):
    return client.post(
        reverse("exams:answer", args=[attempt.pk]),
        json.dumps(payload),
        content_type="application/json",
    )


def test_the_answer_key_is_never_in_the_page(client, taker):
    _worker, subject = taker
    attempt = start(client, subject)
    html = client.get(reverse("exams:attempt", args=[attempt.pk])).content.decode()
    assert '"key"' not in html and "explanation" not in html and "先验电" not in html
    for entry in attempt.paper:
        assert entry["stem"] in html
    response = save(client, attempt, position=0, selected=[0], seq=1)
    assert set(response.json()) == {"position", "seq", "selected"}


def test_saved_answers_come_back_after_a_reload(client, taker):
    _worker, subject = taker
    attempt = start(client, subject)
    assert save(client, attempt, position=2, selected=[1], seq=1).status_code == 200
    html = client.get(reverse("exams:attempt", args=[attempt.pk])).content.decode()
    assert 'name="q2" value="1" checked' in html
    assert '"seq": {"2": 1}' in html


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"position": 99, "selected": [0], "seq": 1}, 400),
        ({"position": 0, "selected": [9], "seq": 1}, 400),
        ({"position": 0, "seq": 1}, 400),
        ({"position": "x", "selected": [0], "seq": 1}, 400),
    ],
)
def test_bad_saves_get_a_clear_4xx_and_store_nothing(client, taker, body, status):
    _worker, subject = taker
    attempt = start(client, subject)
    response = save(client, attempt, **body)
    assert response.status_code == status
    assert response.json()["error"]
    assert not AttemptAnswer.objects.exists()


def test_malformed_json_is_refused(client, taker):
    _worker, subject = taker
    attempt = start(client, subject)
    response = client.post(
        reverse("exams:answer", args=[attempt.pk]), "{not json", content_type="application/json"
    )
    assert response.status_code == 400


def test_another_workers_attempt_is_out_of_reach(client, taker):
    _worker, subject = taker
    attempt = start(client, subject)
    intruder = WorkerProfileFactory()
    client.force_login(intruder.user)
    assert client.get(reverse("exams:attempt", args=[attempt.pk])).status_code == 404
    assert save(client, attempt, position=0, selected=[0], seq=1).status_code == 404
    assert client.post(reverse("exams:submit", args=[attempt.pk])).status_code == 404
    assert not AttemptAnswer.objects.exists()


def test_submit_shows_the_result_and_saves_after_it_are_refused(client, taker):
    worker, subject = taker
    attempt = start(client, subject)
    builders.answer_all(attempt, worker, right=15)
    response = client.post(reverse("exams:submit", args=[attempt.pk]), follow=True)
    assert response.context["attempt"].score == 100
    html = response.content.decode()
    assert 'data-testid="score">100<' in html
    assert save(client, attempt, position=0, selected=[1], seq=5).status_code == 409


def measure(client, subject, worker, django_assert_max_num_queries) -> list[int]:
    counts = []
    with django_assert_max_num_queries(60) as captured:
        client.post(reverse("exams:start", args=[subject.code]))
    counts.append(len(captured.captured_queries))
    attempt = TheoryAttempt.objects.get(subject=subject)
    with django_assert_max_num_queries(60) as captured:
        save(client, attempt, position=0, selected=[0], seq=1)
    counts.append(len(captured.captured_queries))
    with django_assert_max_num_queries(60) as captured:
        client.post(reverse("exams:submit", args=[attempt.pk]))
    counts.append(len(captured.captured_queries))
    return counts


def test_start_save_and_grade_cost_the_same_queries_for_a_bigger_paper(
    client, django_assert_max_num_queries
):
    small = builders.subject(code="small")
    large = builders.subject(code="large", per_kind=12, blueprint=builders.LARGE)
    worker = WorkerProfileFactory()
    builders.complete_training(worker, small)
    builders.complete_training(worker, large)
    client.force_login(worker.user)
    few = measure(client, small, worker, django_assert_max_num_queries)
    many = measure(client, large, worker, django_assert_max_num_queries)
    assert len(TheoryAttempt.objects.get(subject=large).paper) == 25
    assert many == few


def test_illustrated_questions_show_their_image(client, taker):
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    from exams.models import Question

    _worker, subject = taker
    image = get_image_model().objects.create(title="配电箱", file=get_test_image_file())
    Question.objects.filter(subject=subject).update(image=image)
    attempt = start(client, subject)
    html = client.get(reverse("exams:attempt", args=[attempt.pk])).content.decode()
    assert html.count('class="question-image"') == len(attempt.paper)
    assert '"key"' not in html
