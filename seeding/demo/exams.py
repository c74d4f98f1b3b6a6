"""Demo exam bank: four subjects with their policy, a 100-point blueprint, and a question bank
of realistic Chinese items (true/false, single and multiple choice, by category) read from
``seeding/data/question_bank.csv`` by the bank importer (``exams.bank_io.bank_import``: the
file is in the format staff import and export), so the demo also proves the importer.

Everything is keyed by natural keys (Subject.code, category (subject, name), question
(subject, stem)), so running the seed again changes nothing. Existing subjects and questions are
never overwritten: edits made in the admin survive a re-seed. Runs after training's seed, so the
required courses exist.

Then the practical exams: ``seeding.demo.exams_practical.practical_seed``.
"""

from pathlib import Path
from typing import TypedDict

from exams.bank_io import bank_file_read, bank_import, stem_key
from exams.models import (
    BlueprintRule,
    Question,
    QuestionCategory,
    Subject,
)
from seeding.demo.exams_practical import practical_seed
from training.models import CoursePage

BANK_FILE = Path(__file__).resolve().parent.parent / "data" / "question_bank.csv"

# A paper: 10 true/false × 2 + 10 single × 4 + 5 multiple × 8 = 100 points, from any category.
BLUEPRINT = [
    (Question.Kind.TRUE_FALSE, 10, 2),
    (Question.Kind.SINGLE, 10, 4),
    (Question.Kind.MULTIPLE, 5, 8),
]

SPECIAL_OPERATION = {
    "pass_mark": 80,
    "duration_minutes": 120,
    "theory_valid_days": 365,
    "free_retake_days": 30,
    "fails_before_retraining": 2,
    "certificate_valid_years": 6,
    "review_interval_years": 3,
}
PRINCIPAL = {**SPECIAL_OPERATION, "duration_minutes": 60, "certificate_valid_years": 3}


class SubjectSpec(TypedDict):
    code: str
    name: str
    policy: dict[str, int]  # Subject's rules: fields of the model, by name
    courses: list[str]  # the codes of the courses that train for it


SUBJECTS: list[SubjectSpec] = [
    {
        "code": "low-voltage-electrician",
        "name": "低压电工作业",
        "policy": SPECIAL_OPERATION,
        "courses": ["general-safety", "low-voltage-electrician"],
    },
    {
        "code": "welding-cutting",
        "name": "焊接与热切割作业",
        "policy": SPECIAL_OPERATION,
        "courses": ["general-safety", "welding-cutting"],
    },
    {
        "code": "work-at-height",
        "name": "高处作业",
        "policy": SPECIAL_OPERATION,
        "courses": ["general-safety", "work-at-height"],
    },
    {
        "code": "hazchem-principal",
        "name": "危险化学品生产经营单位主要负责人",
        "policy": PRINCIPAL,
        "courses": ["hazchem-special", "hazchem-principal"],
    },
]


def _blueprint_set(subject: Subject) -> bool:
    """Make the subject's rules exactly BLUEPRINT; returns whether anything changed."""
    wanted = sorted((str(kind), None, count, points) for kind, count, points in BLUEPRINT)
    current = sorted(subject.blueprint.values_list("kind", "category_id", "count", "points_each"))
    if current == wanted:
        return False
    subject.blueprint.all().delete()
    BlueprintRule.objects.bulk_create(
        BlueprintRule(subject=subject, kind=kind, count=count, points_each=points)
        for kind, count, points in BLUEPRINT
    )
    return True


def _bank_import() -> int:
    """The demo bank file (``seeding/data/question_bank.csv``, the bank importer's format)
    through the bank importer; returns how many questions it created.

    Rows whose question the subject already has (same stem, whitespace aside) are left out, so
    edits made in the admin survive a re-seed. The file is the demo's own: a row the importer
    refuses is a fault in the file, and stops the seed.
    """
    rows = bank_file_read(name=BANK_FILE.name, content=BANK_FILE.read_bytes())
    subjects = dict(
        Subject.objects.filter(code__in={row["subject"] for row in rows}).values_list("code", "pk")
    )
    known = {
        (subject_id, stem_key(stem))
        for subject_id, stem in Question.objects.filter(
            subject_id__in=subjects.values()
        ).values_list("subject_id", "stem")
    }
    fresh = [
        row for row in rows if (subjects.get(row["subject"]), stem_key(row["stem"])) not in known
    ]
    if not fresh:
        return 0
    report = bank_import(rows=fresh, actor=None, file_name=BANK_FILE.name)
    if report["refused"]:
        raise RuntimeError(f"{BANK_FILE} has rows the bank importer refuses: {report['refused']}")
    return report["created"]


def seed(*, stdout) -> list:
    new_subjects = 0
    subjects = []
    for spec in SUBJECTS:
        subject, created = Subject.objects.get_or_create(
            code=spec["code"], defaults={"name": spec["name"], **spec["policy"]}
        )
        new_subjects += created
        subjects.append(subject)
        courses = list(CoursePage.objects.filter(code__in=spec["courses"]))
        if len(courses) < len(spec["courses"]):
            missing = sorted(set(spec["courses"]) - {course.code for course in courses})
            stdout.write(f"Exam subject {subject.code}: course(s) not found: {', '.join(missing)}")
        subject.required_courses.add(*courses)  # adding a course already there is a no-op
    new_questions = _bank_import()
    for subject in subjects:
        _blueprint_set(subject)

    stdout.write(
        f"Exam bank ready: {Subject.objects.count()} subjects, "
        f"{QuestionCategory.objects.count()} categories, {Question.objects.count()} questions "
        f"({new_subjects} new subjects, {new_questions} new questions)."
    )
    return practical_seed(stdout=stdout)
