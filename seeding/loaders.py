"""Pages from the demo's data files (``seeding/data/``), made through Wagtail's page API as an
editor's publish would: ``add_child``, then a revision that is published.

The project has no import service for pages (editors write them in Wagtail), so the demo's
course catalogue is read here. Loading is idempotent: a course is found by its code, a lesson
by its title under its course; what exists is left as it is (edits survive a re-seed).
"""

import json
from decimal import Decimal
from pathlib import Path

from wagtail.models import Page

from training.models import CoursePage, LessonCheckpoint, LessonPage

DATA_DIR = Path(__file__).resolve().parent / "data"


def page_publish(*, parent: Page, page: Page) -> Page:
    """Add ``page`` under ``parent`` and publish its first revision."""
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def courses_load(*, index: Page, path: Path = DATA_DIR / "courses.json") -> int:
    """Publish under ``index`` the courses of ``path`` and their lessons with checkpoints;
    returns how many pages were created.

    The file is a JSON list of ``{"code", "title", "credit_hours", "for_hazardous_chemicals",
    "intro", "lessons": [{"title", "min_seconds", "text", "checkpoints": [{"question",
    "choices": [...], "correct_choice", "explanation"}]}]}``; a lesson's intro is the first 80
    characters of its text, its slug ``lesson-<n>`` and a course's outline the list of its
    lesson titles.
    """
    created = 0
    for spec in json.loads(path.read_text(encoding="utf-8")):
        course = CoursePage.objects.filter(code=spec["code"]).first()
        if course is None:
            course = page_publish(
                parent=index,
                page=CoursePage(
                    title=spec["title"],
                    slug=spec["code"],
                    code=spec["code"],
                    credit_hours=Decimal(spec["credit_hours"]),
                    intro=spec["intro"],
                    for_hazardous_chemicals=spec["for_hazardous_chemicals"],
                    outline="<ul>"
                    + "".join(f"<li>{lesson['title']}</li>" for lesson in spec["lessons"])
                    + "</ul>",
                ),
            )
            created += 1
        for number, lesson_spec in enumerate(spec["lessons"], start=1):
            if LessonPage.objects.child_of(course).filter(title=lesson_spec["title"]).exists():
                continue
            text = lesson_spec["text"]
            lesson = LessonPage(
                title=lesson_spec["title"],
                slug=f"lesson-{number}",
                min_seconds=lesson_spec["min_seconds"],
                intro=text[:80],
                body=[("paragraph", f"<p>{text}</p>")],
            )
            for order, checkpoint in enumerate(lesson_spec["checkpoints"]):
                lesson.checkpoints.add(
                    LessonCheckpoint(
                        sort_order=order,
                        question=checkpoint["question"],
                        choices="\n".join(checkpoint["choices"]),
                        correct_choice=checkpoint["correct_choice"],
                        explanation=checkpoint["explanation"],
                    )
                )
            page_publish(parent=course, page=lesson)
            created += 1
    return created
