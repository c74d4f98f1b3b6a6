"""The demo question bank: enough well-formed questions for every subject, and idempotent."""

from collections import Counter

import pytest
from django.core.management import call_command

from exams.models import BlueprintRule, Question, QuestionCategory, Subject

pytestmark = pytest.mark.django_db

SUBJECT_CODES = {
    "low-voltage-electrician",
    "welding-cutting",
    "work-at-height",
    "hazchem-principal",
}


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)


def _counts():
    return (
        Subject.objects.count(),
        QuestionCategory.objects.count(),
        Question.objects.count(),
        BlueprintRule.objects.count(),
        Subject.required_courses.through.objects.count(),
        tuple(BlueprintRule.objects.order_by("pk").values_list("pk", flat=True)),
    )


def test_every_subject_can_draw_a_100_point_paper(demo):
    subjects = list(Subject.objects.prefetch_related("required_courses"))
    assert {subject.code for subject in subjects} >= SUBJECT_CODES
    assert len(subjects) >= 4
    assert Question.objects.count() >= 150
    for subject in subjects:
        rules = list(subject.blueprint.all())
        assert sum(rule.count * rule.points_each for rule in rules) == 100, subject.code
        needed = Counter()
        for rule in rules:
            needed[(rule.kind, rule.category_id)] += rule.count
        for (kind, category_id), count in needed.items():
            pool = Question.objects.filter(subject=subject, kind=kind, active=True)
            if category_id:
                pool = pool.filter(category_id=category_id)
            assert pool.count() >= count, (subject.code, kind)
        assert subject.required_courses.exists(), subject.code
        assert subject.categories.count() >= 3, subject.code


def test_demo_subjects_have_their_courses_and_policy(demo):
    courses = {
        subject.code: {course.code for course in subject.required_courses.all()}
        for subject in Subject.objects.filter(code__in=SUBJECT_CODES)
    }
    assert courses == {
        "low-voltage-electrician": {"general-safety", "low-voltage-electrician"},
        "welding-cutting": {"general-safety", "welding-cutting"},
        "work-at-height": {"general-safety", "work-at-height"},
        "hazchem-principal": {"hazchem-special", "hazchem-principal"},
    }
    principal = Subject.objects.get(code="hazchem-principal")
    assert (principal.duration_minutes, principal.certificate_valid_years) == (60, 3)
    welding = Subject.objects.get(code="welding-cutting")
    assert (welding.pass_mark, welding.duration_minutes, welding.certificate_valid_years) == (
        80,
        120,
        6,
    )


def test_every_demo_question_is_well_formed(demo):
    per_subject_kind = Counter()
    stems = Counter()
    for question in Question.objects.filter(subject__code__in=SUBJECT_CODES).select_related(
        "subject", "category"
    ):
        label = (question.subject.code, question.stem)
        per_subject_kind[(question.subject.code, question.kind)] += 1
        stems[label] += 1
        assert question.category.subject_id == question.subject_id, label
        assert question.explanation.strip(), label
        assert 1 <= question.difficulty <= 3, label
        assert all(isinstance(choice, str) and choice.strip() for choice in question.choices)
        assert len(set(question.choices)) == len(question.choices), label
        assert not any(choice[:2] in {"A.", "B.", "C.", "D.", "E."} for choice in question.choices)
        assert question.correct == sorted(set(question.correct)), label
        assert all(0 <= index < len(question.choices) for index in question.correct), label
        if question.kind == Question.Kind.TRUE_FALSE:
            assert question.choices == ["正确", "错误"], label
            assert len(question.correct) == 1, label
        elif question.kind == Question.Kind.SINGLE:
            assert len(question.choices) == 4, label
            assert len(question.correct) == 1, label
        else:
            assert 4 <= len(question.choices) <= 5, label
            assert 2 <= len(question.correct) <= 4, label
            assert len(question.correct) < len(question.choices), label
    assert [label for label, count in stems.items() if count > 1] == []
    for code in SUBJECT_CODES:
        assert per_subject_kind[(code, "tf")] >= 14, code
        assert per_subject_kind[(code, "single")] >= 16, code
        assert per_subject_kind[(code, "multiple")] >= 10, code


def test_seeding_twice_changes_nothing(demo):
    before = _counts()
    call_command("seed_demo", verbosity=0)
    assert _counts() == before
