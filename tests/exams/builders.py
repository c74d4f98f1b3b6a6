"""A small subject with a question bank and a blueprint, for tests."""

from exams.models import BlueprintRule, Question, QuestionCategory, Subject
from tests.training import builders as training

SMALL = (("tf", 5, 4), ("single", 5, 8), ("multiple", 5, 8))  # 15 questions, 100 points
LARGE = (("tf", 10, 2), ("single", 10, 4), ("multiple", 5, 8))  # 25 questions, 100 points


def subject(*, code="low-voltage", course=None, per_kind=6, blueprint=SMALL, **policy) -> Subject:
    course = course or training.course(
        code=f"{code}-course", lessons=1, min_seconds=1, checkpoint=False
    )
    item = Subject.objects.create(code=code, name="低压电工作业", **policy)
    item.required_courses.add(course)
    laws, power = (
        QuestionCategory.objects.create(subject=item, name="法律法规"),
        QuestionCategory.objects.create(subject=item, name="安全用电"),
    )
    for n in range(per_kind):
        Question.objects.create(
            subject=item,
            category=laws if n % 2 else power,
            kind="tf",
            stem=f"判断题{n}：停电后必须验电。",
            choices=["正确", "错误"],
            correct=[0],
            explanation="先验电。",
        )
        Question.objects.create(
            subject=item,
            category=power,
            kind="single",
            stem=f"单选题{n}：安全电压上限是？",
            choices=["36V", "220V", "380V", "110V"],
            correct=[0],
            explanation="一般环境安全电压36V。",
        )
        Question.objects.create(
            subject=item,
            category=laws,
            kind="multiple",
            stem=f"多选题{n}：保证安全的技术措施有？",
            choices=["停电", "验电", "装设接地线", "喝水"],
            correct=[0, 1, 2],
            explanation="停电、验电、接地。",
        )
    for kind, count, points in blueprint:
        BlueprintRule.objects.create(subject=item, kind=kind, count=count, points_each=points)
    return item


def complete_training(worker, subject):
    from django.utils import timezone

    from training.models import TrainingRecord

    for course in subject.required_courses.all():
        TrainingRecord.objects.get_or_create(
            worker=worker,
            course=course,
            defaults={"hours": course.credit_hours, "completed_at": timezone.now()},
        )


def answer_all(attempt, worker, *, right: int, now=None):
    """Answer every question: the first ``right`` correctly, the rest wrongly."""
    from exams import services

    for position, entry in enumerate(attempt.paper):
        key = entry["key"]
        wrong = [i for i in range(len(entry["choices"])) if i not in key][:1]
        services.answer_save(
            attempt_id=attempt.pk,
            worker=worker,
            position=position,
            selected=key if position < right else wrong,
            seq=1,
            now=now,
        )
