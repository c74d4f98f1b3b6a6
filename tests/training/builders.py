"""Build courses and lessons for tests, published under the migration-made home page."""

from decimal import Decimal

from tests.cms.builders import home, publish
from training.models import CourseIndexPage, CoursePage, LessonCheckpoint, LessonPage


def course(
    *,
    code="general",
    title="企业职工安全生产通用知识",
    hours="4.0",
    lessons=2,
    min_seconds=30,
    checkpoint=True,
) -> CoursePage:
    index = CourseIndexPage.objects.first() or publish(
        home(), CourseIndexPage(title="在线课程", slug="courses")
    )
    page = publish(
        index, CoursePage(title=title, slug=code, code=code, credit_hours=Decimal(hours))
    )
    for number in range(1, lessons + 1):
        lesson = LessonPage(title=f"第{number}课", slug=f"lesson-{number}", min_seconds=min_seconds)
        if checkpoint:
            lesson.checkpoints.add(
                LessonCheckpoint(
                    question="火灾时能否乘坐电梯？", choices="能\n不能", correct_choice=2
                )
            )
        publish(page, lesson)
    return page
