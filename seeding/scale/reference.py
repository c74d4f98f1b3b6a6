"""The reference data the scale rows hang on — districts, industries, courses, exam subjects
and their policy, centres — read once into plain records. It is the demo's: when any of it is
missing, ``seed_demo`` makes it, so there is one copy of the reference data, not two."""

import json
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db.models import Count, Q

# Breakdown shapes drawn per subject: real papers (their categories and points) that the scale
# attempts' per-category breakdowns are cut from. A few give variety; each costs a few queries.
PAPER_SHAPES = 6
BREAKDOWN_VARIANTS = 4


@dataclass(frozen=True)
class DistrictRef:
    id: int
    code: str
    name: str
    weight: float  # how many workers it has, relative to the others


@dataclass(frozen=True)
class CourseRef:
    id: int
    hours: Decimal
    hazardous_chemicals: bool


@dataclass
class SubjectRef:
    """An exam subject and the policy that shapes its candidates' histories (DESIGN.md §2)."""

    id: int
    code: str
    pass_mark: int
    duration_minutes: int
    theory_valid_days: int
    free_retake_days: int
    fails_before_retraining: int
    practical_pass_mark: int
    certificate_valid_years: int
    review_interval_years: int
    course_ids: tuple[int, ...]
    hazardous_chemicals_only: bool  # e.g. heads of firms that use hazardous chemicals
    centre_ids: tuple[int, ...]
    shapes: list[list[tuple[str, int]]] = field(default_factory=list)
    _breakdowns: dict = field(default_factory=dict)

    def breakdown(self, score: int, pick: int) -> tuple[int, str]:
        """A per-category breakdown (as ``exams.services._grade`` writes it) of a paper that
        scored about ``score``; returns the exact score it adds up to and the JSON text.
        Cached: there are only a few hundred distinct ones per subject."""
        shape_index, variant = divmod(pick, BREAKDOWN_VARIANTS)
        shape_index %= len(self.shapes)
        key = (score, shape_index, variant)
        if key not in self._breakdowns:
            shape = self.shapes[shape_index]
            order = list(range(len(shape)))
            random.Random(f"{self.id}-{shape_index}-{variant}").shuffle(order)  # noqa: S311
            order.sort(key=lambda position: -shape[position][1])  # big items wrong first
            to_lose, wrong = 100 - score, set()
            for position in order:
                if shape[position][1] <= to_lose:
                    wrong.add(position)
                    to_lose -= shape[position][1]
            rows: dict[str, dict[str, int]] = {}
            total = 0
            for position, (category, points) in enumerate(shape):
                right = position not in wrong
                row = rows.setdefault(category, {"points": 0, "of": 0, "right": 0, "questions": 0})
                row["points"] += points if right else 0
                row["of"] += points
                row["right"] += int(right)
                row["questions"] += 1
                total += points if right else 0
            self._breakdowns[key] = (total, json.dumps(rows, ensure_ascii=False))
        return self._breakdowns[key]


@dataclass(frozen=True)
class CentreRef:
    id: int
    district_id: int
    stations: int
    desk_user_id: int | None  # who checks candidates in, when the centre has staff


@dataclass
class Reference:
    districts: list[DistrictRef]
    industries: dict[str, int]  # code -> id
    courses: dict[int, CourseRef]
    general_track: tuple[int, ...]  # the course every enrolled worker takes
    hazardous_chemicals_track: tuple[int, ...]  # added for firms that use them
    subjects: list[SubjectRef]
    centres: dict[int, CentreRef]
    issuer: str


def _usable_subjects():
    Subject = apps.get_model("exams", "Subject")
    return (
        Subject.objects.filter(active=True)
        .annotate(
            courses=Count("required_courses", distinct=True),
            rubric_items=Count("rubric", distinct=True),
            open_centres=Count("centers", filter=Q(centers__active=True), distinct=True),
        )
        .filter(courses__gt=0, rubric_items__gt=0, open_centres__gt=0)
    )


def reference_missing() -> list[str]:
    """What of the reference data is not there yet (empty when all of it is)."""
    District = apps.get_model("accounts", "District")
    Industry = apps.get_model("accounts", "Industry")
    missing = []
    if not District.objects.filter(parent__isnull=False).exists():
        missing.append("districts")
    if not Industry.objects.exists():
        missing.append("industries")
    if not _usable_subjects().exists():
        missing.append(
            "exam subjects with required courses, a rubric and an open centre offering them"
        )
    return missing


def reference_ensure(*, stdout) -> bool:
    """Seed the demo when reference data is missing; returns whether it did."""
    if not reference_missing():
        return False
    call_command("seed_demo", stdout=stdout)
    return True


def reference_load(*, seed: int) -> Reference:
    District = apps.get_model("accounts", "District")
    Industry = apps.get_model("accounts", "Industry")
    CampaignTarget = apps.get_model("training", "CampaignTarget")
    CoursePage = apps.get_model("training", "CoursePage")
    ExamCenter = apps.get_model("exams", "ExamCenter")
    CenterStaff = apps.get_model("exams", "CenterStaff")

    # Districts weighed by their campaign target when they have one (the demo's targets say
    # how big each district's workforce is), else alike.
    targets = dict(
        CampaignTarget.objects.filter(district__isnull=False).values_list("district_id", "target")
    )
    districts = [
        DistrictRef(pk, code, name, float(targets.get(pk) or 1) or 1.0)
        for pk, code, name in District.objects.filter(parent__isnull=False)
        .order_by("sort_order", "code")
        .values_list("pk", "code", "name")
    ]
    industries = dict(Industry.objects.values_list("code", "pk"))
    courses = {
        pk: CourseRef(pk, hours, hazardous)
        for pk, hours, hazardous in CoursePage.objects.values_list(
            "pk", "credit_hours", "for_hazardous_chemicals"
        )
    }

    subjects = []
    for subject in _usable_subjects().order_by("pk").prefetch_related("required_courses"):
        course_ids = tuple(sorted(course.pk for course in subject.required_courses.all()))
        centre_ids = tuple(
            subject.centers.filter(active=True).order_by("pk").values_list("pk", flat=True)
        )
        subjects.append(
            SubjectRef(
                id=subject.pk,
                code=subject.code,
                pass_mark=subject.pass_mark,
                duration_minutes=subject.duration_minutes,
                theory_valid_days=subject.theory_valid_days,
                free_retake_days=subject.free_retake_days,
                fails_before_retraining=subject.fails_before_retraining,
                practical_pass_mark=subject.practical_pass_mark,
                certificate_valid_years=subject.certificate_valid_years,
                review_interval_years=subject.review_interval_years,
                course_ids=course_ids,
                hazardous_chemicals_only=all(courses[pk].hazardous_chemicals for pk in course_ids),
                centre_ids=centre_ids,
                shapes=_paper_shapes(subject, seed=seed),
            )
        )

    # The general track: the course most subjects require (the demo's general safety course);
    # firms that use hazardous chemicals add the first special course for them.
    required = [pk for subject in subjects for pk in subject.course_ids]
    general = max(set(required), key=lambda pk: (required.count(pk), -pk))
    special = sorted(pk for pk, course in courses.items() if course.hazardous_chemicals)

    desks: dict[int, int] = {}
    for centre_id, user_id in CenterStaff.objects.order_by("-supervisor", "pk").values_list(
        "center_id", "user_id"
    ):
        desks.setdefault(centre_id, user_id)
    centres = {
        pk: CentreRef(pk, district_id, max(stations, 1), desks.get(pk))
        for pk, district_id, stations in ExamCenter.objects.filter(active=True).values_list(
            "pk", "district_id", "stations"
        )
    }
    return Reference(
        districts=districts,
        industries=industries,
        courses=courses,
        general_track=(general,),
        hazardous_chemicals_track=(general, special[0]) if special else (general,),
        subjects=subjects,
        centres=centres,
        issuer=settings.ANXUN_CERTIFICATE_ISSUER_NAME,
    )


def _paper_shapes(subject, *, seed: int) -> list[list[tuple[str, int]]]:
    """(category, points) of each question of a few papers drawn the way attempts draw them;
    one even 25-question paper when the bank cannot make a paper."""
    from core.errors import DomainError
    from exams.services import paper_draw

    shapes = []
    for number in range(PAPER_SHAPES):
        try:
            paper = paper_draw(
                subject=subject,
                rng=random.Random(f"{seed}-{subject.pk}-{number}"),  # noqa: S311
            )
        except DomainError:
            break
        shapes.append([(entry["category"], entry["points"]) for entry in paper])
    return shapes or [[(str(subject.name), 4)] * 25]
