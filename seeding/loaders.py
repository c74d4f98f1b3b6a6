"""Pages from the demo's data files (``seeding/data/``), made through Wagtail's page API as an
editor's publish would: ``add_child``, then a revision that is published.

The project has no import service for pages (editors write them in Wagtail), so the demo's
course catalogue and the outreach site's articles and events are read here. Loading is idempotent: a course is found by its code, a lesson
by its title under its course; what exists is left as it is (edits survive a re-seed).
"""

import json
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from wagtail.models import Page

from seeding.demo import blocks
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


# --- The outreach site's articles (seeding/data/cms/articles.json) ----------------------------

# A campaign reference that stands for the campaign on now, but only when that one is the
# winter fire-safety campaign (the winter article belongs to it only in winter).
CURRENT_WINTER_CAMPAIGN = "@current-winter"


def stream_blocks(
    *,
    blocks: list[dict[str, Any]],
    pages: Mapping[str, Page],
    images: Mapping[str, Any],
    documents: Mapping[str, Any],
) -> list[dict[str, Any]]:
    """StreamField data (the stored JSON form) for ``blocks`` of a data file, made by the
    helpers of ``seeding.demo.blocks``.

    Each block is ``{"type": <helper>, ...its arguments by name}``; what only exists at seeding
    time is named by a key and looked up here:

    - ``{"type": "heading", "text", "level"?}`` (level defaults to ``h2``)
    - ``{"type": "para", "paragraphs": [html, ...]}``
    - ``{"type": "bullets", "items": [...], "lead"?, "ordered"?}``
    - ``{"type": "picture", "image": <key in images>, "caption", "attribution"?}``
    - ``{"type": "quote", "text", "who"?}``
    - ``{"type": "table", "caption", "rows": [[cell, ...], ...]}`` (the first row is the header)
    - ``{"type": "faq", "title", "items": [[question, answer], ...]}``
    - ``{"type": "cta", "title", "text", "button", "page": <key in pages>}``
    - ``{"type": "documents", "title", "documents": [<key in documents>, ...]}``

    An unknown type or key raises ``KeyError`` (a typo in the data file fails the seed).
    """
    made = []
    for block in blocks:
        args = {name: value for name, value in block.items() if name != "type"}
        kind = block["type"]
        if kind == "picture":
            args["image"] = images[args["image"]]
        elif kind == "cta":
            args["page"] = pages[args["page"]]
        elif kind == "documents":
            args["docs"] = [documents[key] for key in args.pop("documents")]
        elif kind == "faq":
            args["items"] = [(question, answer) for question, answer in args["items"]]
        made.append(BLOCK_HELPERS[kind](**args))
    return made


BLOCK_HELPERS: dict[str, Callable[..., dict[str, Any]]] = {
    "heading": blocks.heading,
    "para": lambda *, paragraphs: blocks.para(*paragraphs),
    "bullets": blocks.bullets,
    "picture": blocks.picture,
    "quote": blocks.quote,
    "table": blocks.table,
    "faq": blocks.faq,
    "cta": blocks.cta,
    "documents": blocks.documents,
}


def articles_load(
    *,
    campaigns: Mapping[str, Page],
    current_campaign: Page,
    current_is_winter: bool,
    images: Mapping[str, Any],
    documents: Mapping[str, Any],
    path: Path = DATA_DIR / "cms" / "articles.json",
) -> dict[str, list[dict[str, Any]]]:
    """The articles of ``path`` by section slug, in order, ready to be made into pages.

    The file is a JSON object ``{<section slug>: [{"slug", "title", "date": "YYYY-MM-DD",
    "topic": <topic slug> | null, "tags": [...], "campaign": <campaign slug> | null |
    "@current-winter", "motif", "palette", "intro", "body": [block, ...]}]}``. A campaign is
    looked up in ``campaigns`` by slug; ``"@current-winter"`` is ``current_campaign`` when
    ``current_is_winter`` and none otherwise. The body's blocks are described in
    ``stream_blocks``; its images and documents are looked up by key in ``images`` and
    ``documents``, its pages among the campaigns. Returned specs carry the date as a ``date``,
    the campaign as a page (or ``None``) and the body as StreamField data.
    """
    sections: dict[str, list[dict[str, Any]]] = {}
    for section, specs in json.loads(path.read_text(encoding="utf-8")).items():
        sections[section] = []
        for spec in specs:
            reference = spec["campaign"]
            if reference == CURRENT_WINTER_CAMPAIGN:
                campaign = current_campaign if current_is_winter else None
            else:
                campaign = campaigns[reference] if reference else None
            sections[section].append(
                {
                    **spec,
                    "date": date.fromisoformat(spec["date"]),
                    "campaign": campaign,
                    "body": stream_blocks(
                        blocks=spec["body"], pages=campaigns, images=images, documents=documents
                    ),
                }
            )
    return sections


# --- The outreach site's events (seeding/data/cms/events.json) --------------------------------


def events_load(
    *, today: date, path: Path = DATA_DIR / "cms" / "events.json"
) -> list[dict[str, Any]]:
    """The events of ``path``, in order, with their day resolved against ``today``.

    The file is a JSON list of ``{"slug", "title", "kind": <EventPage.Kind value>, "audience",
    "day": {"offset": <days after today>} | "YYYY-MM-DD", "hours": [[start hour, minute], [end
    hour, minute]], "district": <district code> | null, "place", "capacity": <seats, 0 for a
    live stream>, "campaign": <campaign slug> | "current" | null, "stream_url"?,
    "closes_days_before"?, "motif", "palette", "intro", "programme": [...], "questions"?:
    [[label, field_type, required, choices, default, help_text], ...]}``. Upcoming events are
    offsets so a fresh demo always has open registrations; past ones are fixed dates.
    Returned specs carry ``day`` as a ``date``, ``hours`` and ``questions`` as tuples.
    """
    events = []
    for spec in json.loads(path.read_text(encoding="utf-8")):
        day = spec["day"]
        resolved = {
            **spec,
            "day": today + timedelta(days=day["offset"])
            if isinstance(day, dict)
            else date.fromisoformat(day),
            "hours": tuple((hour, minute) for hour, minute in spec["hours"]),
        }
        if "questions" in spec:
            resolved["questions"] = [tuple(question) for question in spec["questions"]]
        events.append(resolved)
    return events


# --- The outreach site's campaigns (seeding/data/cms/campaigns.json) --------------------------


def campaigns_load(
    *, today: date, path: Path = DATA_DIR / "cms" / "campaigns.json"
) -> list[dict[str, Any]]:
    """The campaigns of ``path`` in order, the one on now last, with dates resolved.

    The file is ``{"campaigns": [spec, ...], "current": {"starts_days_from_today",
    "lasts_days", "paragraphs", "quote", "faq", "seasons": [{"months": [1-12, ...], "slug",
    "title", "theme", "audiences", "intro", "motif", "palette", "focus"}, ...]}}``. A spec is
    ``{"slug", "title", "theme", "start": "YYYY-MM-DD", "end": "YYYY-MM-DD", "audiences",
    "intro", "motif", "palette", "paragraphs": [...], "focus"?: [...], "quote": [text, who],
    "faq": [[question, answer], ...]}``. The current campaign takes the season whose months
    hold today's month; ``{year}`` in its slug and title is today's year, and it starts
    ``starts_days_from_today`` days after today (negative: before) and ends ``lasts_days``
    later, so a fresh demo always has a campaign on now. Returned specs carry ``start`` and
    ``end`` as dates, ``quote`` and the FAQ items as tuples.
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    campaigns = [
        {
            **spec,
            "start": date.fromisoformat(spec["start"]),
            "end": date.fromisoformat(spec["end"]),
        }
        for spec in data["campaigns"]
    ]
    current = data["current"]
    season = next(s for s in current["seasons"] if today.month in s["months"])
    start = today + timedelta(days=current["starts_days_from_today"])
    campaigns.append(
        {
            **{name: value for name, value in season.items() if name != "months"},
            "slug": season["slug"].format(year=today.year),
            "title": season["title"].format(year=today.year),
            "start": start,
            "end": start + timedelta(days=current["lasts_days"]),
            "paragraphs": current["paragraphs"],
            "quote": current["quote"],
            "faq": current["faq"],
        }
    )
    for spec in campaigns:
        spec["quote"] = tuple(spec["quote"])
        spec["faq"] = [(question, answer) for question, answer in spec["faq"]]
    return campaigns
