"""Theory exam rules: eligibility, retakes, papers, autosave, deadlines, grading."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.errors import DomainError
from exams import services
from exams.models import AttemptAnswer, Question, TheoryAttempt
from tests.exams import builders
from tests.factories import WorkerProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def subject():
    return builders.subject()


@pytest.fixture
def worker(subject):
    worker = WorkerProfileFactory()
    builders.complete_training(worker, subject)
    return worker


def test_training_is_required(subject):
    with pytest.raises(DomainError) as caught:
        services.attempt_start(worker=WorkerProfileFactory(), subject=subject)
    assert caught.value.code == "training_required"


def test_a_paper_follows_the_blueprint_and_snapshots_the_questions(worker, subject):
    attempt = services.attempt_start(worker=worker, subject=subject)
    kinds = [entry["kind"] for entry in attempt.paper]
    assert kinds.count("tf") == 5 and kinds.count("single") == 5 and kinds.count("multiple") == 5
    assert sum(entry["points"] for entry in attempt.paper) == 100
    assert len({entry["question"] for entry in attempt.paper}) == 15
    entry = next(e for e in attempt.paper if e["kind"] == "single")
    assert entry["choices"][entry["key"][0]] == "36V"  # the key follows the shuffled choices
    Question.objects.filter(pk=entry["question"]).update(stem="改过的题干", correct=[1])
    attempt.refresh_from_db()
    assert "改过的题干" not in [e["stem"] for e in attempt.paper]


def test_starting_twice_returns_the_same_attempt(worker, subject):
    first = services.attempt_start(worker=worker, subject=subject)
    assert services.attempt_start(worker=worker, subject=subject).pk == first.pk
    assert TheoryAttempt.objects.count() == 1


def test_stale_saves_never_overwrite_newer_answers(worker, subject):
    attempt = services.attempt_start(worker=worker, subject=subject)
    services.answer_save(attempt_id=attempt.pk, worker=worker, position=0, selected=[1], seq=2)
    services.answer_save(
        attempt_id=attempt.pk, worker=worker, position=0, selected=[0], seq=1
    )  # late
    services.answer_save(
        attempt_id=attempt.pk, worker=worker, position=0, selected=[1], seq=2
    )  # retry
    answer = AttemptAnswer.objects.get()
    assert (answer.selected, answer.seq) == ([1], 2)


@pytest.mark.parametrize(
    ("position", "selected", "seq", "code"),
    [
        (99, [0], 1, "no_such_question"),
        (0, [7], 1, "no_such_choice"),
        (0, [0, 0], 1, "no_such_choice"),
        (0, "A", 1, "malformed"),
        (0, [0], 0, "malformed"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_stored(
    worker, subject, position, selected, seq, code
):
    attempt = services.attempt_start(worker=worker, subject=subject)
    with pytest.raises(DomainError) as caught:
        services.answer_save(
            attempt_id=attempt.pk, worker=worker, position=position, selected=selected, seq=seq
        )
    assert caught.value.code == code
    assert not AttemptAnswer.objects.exists()


def test_single_choice_takes_one_answer(worker, subject):
    attempt = services.attempt_start(worker=worker, subject=subject)
    position = next(i for i, e in enumerate(attempt.paper) if e["kind"] == "single")
    with pytest.raises(DomainError) as caught:
        services.answer_save(
            attempt_id=attempt.pk, worker=worker, position=position, selected=[0, 1], seq=1
        )
    assert caught.value.code == "one_answer"


def test_another_workers_attempt_is_not_found(worker, subject):
    attempt = services.attempt_start(worker=worker, subject=subject)
    with pytest.raises(DomainError) as caught:
        services.answer_save(
            attempt_id=attempt.pk, worker=WorkerProfileFactory(), position=0, selected=[0], seq=1
        )
    assert caught.value.code == "not_found"


def test_answers_after_the_deadline_and_grace_are_refused(worker, subject, settings):
    settings.ANXUN_EXAM_GRACE_SECONDS = 10
    attempt = services.attempt_start(worker=worker, subject=subject)
    services.answer_save(
        attempt_id=attempt.pk,
        worker=worker,
        position=0,
        selected=[0],
        seq=1,
        now=attempt.deadline + timedelta(seconds=5),
    )  # in flight: accepted
    with pytest.raises(DomainError) as caught:
        services.answer_save(
            attempt_id=attempt.pk,
            worker=worker,
            position=1,
            selected=[0],
            seq=1,
            now=attempt.deadline + timedelta(seconds=11),
        )
    assert caught.value.code == "deadline"


def test_grading_submitting_twice_and_the_sweep(worker, subject):
    attempt = services.attempt_start(worker=worker, subject=subject)
    builders.answer_all(attempt, worker, right=15)
    first = services.attempt_submit(attempt_id=attempt.pk, worker=worker)
    second = services.attempt_submit(attempt_id=attempt.pk, worker=worker)
    assert (first.score, first.passed) == (100, True)
    assert second.submitted_at == first.submitted_at
    assert sum(row["points"] for row in first.breakdown.values()) == 100


def test_the_sweep_submits_past_deadline_with_the_deadline_as_finish(worker, subject):
    attempt = services.attempt_start(worker=worker, subject=subject)
    builders.answer_all(attempt, worker, right=5)
    assert services.attempts_sweep(now=attempt.deadline) == 0  # not past the grace yet
    assert services.attempts_sweep(now=attempt.deadline + timedelta(minutes=5)) == 1
    attempt.refresh_from_db()
    assert attempt.status == "submitted" and attempt.auto_submitted
    assert attempt.submitted_at == attempt.deadline
    assert attempt.score == sum(entry["points"] for entry in attempt.paper[:5]) < 80
    assert attempt.passed is False


def test_retake_rules(worker, subject):
    def fail(at):
        attempt = services.attempt_start(worker=worker, subject=subject, now=at)
        services.attempt_submit(attempt_id=attempt.pk, worker=worker, now=at + timedelta(minutes=1))

    from training.models import TrainingRecord

    now = timezone.now()
    TrainingRecord.objects.filter(worker=worker).update(completed_at=now - timedelta(days=60))
    fail(now - timedelta(days=40))
    with pytest.raises(DomainError) as caught:  # the free retake window (30 days) has passed
        services.attempt_start(worker=worker, subject=subject, now=now)
    assert caught.value.code == "retake_expired"
    # Retraining: the required courses are completed again.
    TrainingRecord.objects.filter(worker=worker).update(completed_at=now - timedelta(days=1))
    fail(now)  # after retraining, a first attempt again: fails
    fail(now + timedelta(days=2))  # the free retake: fails too
    with pytest.raises(DomainError) as caught:
        services.attempt_start(worker=worker, subject=subject, now=now + timedelta(days=3))
    assert caught.value.code == "retraining_required"
    assert "培训" in str(caught.value.message) or "training" in str(caught.value.message)


def test_a_valid_pass_needs_no_new_attempt(worker, subject):
    attempt = services.attempt_start(worker=worker, subject=subject)
    builders.answer_all(attempt, worker, right=15)
    services.attempt_submit(attempt_id=attempt.pk, worker=worker)
    with pytest.raises(DomainError) as caught:
        services.attempt_start(worker=worker, subject=subject)
    assert caught.value.code == "already_passed"


def test_papers_run_true_false_then_single_then_multiple(worker, subject):
    attempt = services.attempt_start(worker=worker, subject=subject)
    kinds = [entry["kind"] for entry in attempt.paper]
    assert kinds == sorted(kinds, key=["tf", "single", "multiple"].index)


def test_a_stale_start_on_an_expired_attempt_shows_it_instead_of_a_retake(worker, subject):
    attempt = services.attempt_start(worker=worker, subject=subject)
    later = attempt.deadline + timedelta(minutes=5)
    again = services.attempt_start(worker=worker, subject=subject, now=later)
    assert again.pk == attempt.pk and again.status == "submitted" and again.auto_submitted
    assert TheoryAttempt.objects.count() == 1


def test_an_expired_pass_does_not_bring_old_fails_back(worker, subject):
    now = timezone.now()
    from training.models import TrainingRecord

    TrainingRecord.objects.filter(worker=worker).update(completed_at=now - timedelta(days=900))
    failed = services.attempt_start(worker=worker, subject=subject, now=now - timedelta(days=800))
    services.attempt_submit(attempt_id=failed.pk, worker=worker, now=now - timedelta(days=800))
    passed = services.attempt_start(worker=worker, subject=subject, now=now - timedelta(days=790))
    builders.answer_all(passed, worker, right=15, now=now - timedelta(days=790))
    services.attempt_submit(attempt_id=passed.pk, worker=worker, now=now - timedelta(days=790))
    # The pass (valid 365 days) has expired; the fail before it no longer counts.
    services.attempt_eligibility_check(worker=worker, subject=subject, now=now)


def test_boolean_answers_are_refused(worker, subject):
    attempt = services.attempt_start(worker=worker, subject=subject)
    for position, selected, seq in [
        (True, [0], 1),
        (0, [True], 1),
        (0, [0], True),
        (0, [0], 2**31),
    ]:
        with pytest.raises(DomainError):
            services.answer_save(
                attempt_id=attempt.pk, worker=worker, position=position, selected=selected, seq=seq
            )
    assert not AttemptAnswer.objects.exists()


def test_retraining_through_the_courses_reopens_the_exam(worker, subject):
    """Two fails need the training again — done for real: lessons restarted and studied."""
    from training import services as training_services
    from training.models import Enrollment, TrainingRecord

    course = subject.required_courses.get()
    start = timezone.now() - timedelta(days=10)
    TrainingRecord.objects.filter(worker=worker).update(completed_at=start - timedelta(days=1))
    for day in (0, 1):
        attempt = services.attempt_start(
            worker=worker, subject=subject, now=start + timedelta(days=day)
        )
        services.attempt_submit(
            attempt_id=attempt.pk, worker=worker, now=start + timedelta(days=day, minutes=5)
        )
    with pytest.raises(DomainError) as caught:
        services.attempt_start(worker=worker, subject=subject)
    assert caught.value.code == "retraining_required"
    training_services.training_restart(worker=worker, courses=[course], actor=None)
    assert Enrollment.objects.get(worker=worker, course=course).completed_at is None
    lesson = course.lessons().first()
    study = start + timedelta(days=3)
    for step in range(3):
        training_services.lesson_heartbeat(
            worker=worker, lesson=lesson, now=study + timedelta(seconds=15 * step)
        )
    assert Enrollment.objects.get(worker=worker, course=course).completed_at is not None
    assert services.attempt_start(worker=worker, subject=subject).status == "in_progress"
