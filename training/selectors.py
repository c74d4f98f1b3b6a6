"""Reads for training, bounded and with related rows fetched up front."""

from decimal import Decimal

from django.db.models import Count, DecimalField, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone

from accounts.models import WorkerProfile
from cms.models import paginate

from .models import (
    CoursePage,
    Enrollment,
    LessonPage,
    LessonProgress,
    TrainingRecord,
)


def _worker(user) -> WorkerProfile | None:
    if not user.is_authenticated:
        return None
    return WorkerProfile.objects.filter(user=user).first()


def course_listing(*, index_page, request) -> dict:
    courses = (
        CoursePage.objects.child_of(index_page).live().select_related("cover").order_by("path")
    )
    worker = _worker(request.user)
    enrolled = (
        set(Enrollment.objects.filter(worker=worker).values_list("course_id", flat=True))
        if worker
        else set()
    )
    return {"courses": paginate(request, courses), "enrolled_ids": enrolled}


def course_progress_for(*, course: CoursePage, user) -> dict:
    worker = _worker(user)
    lessons = list(course.lessons())
    enrollment = (
        Enrollment.objects.filter(worker=worker, course=course)
        .select_related("last_lesson")
        .first()
        if worker
        else None
    )
    progress = {}
    if enrollment:
        progress = {p.lesson_id: p for p in LessonProgress.objects.filter(enrollment=enrollment)}
    rows = [(lesson, progress.get(lesson.pk)) for lesson in lessons]
    done = sum(1 for _lesson, p in rows if p and p.completed_at)
    return {
        "worker": worker,
        "enrollment": enrollment,
        "record": TrainingRecord.objects.filter(worker=worker, course=course).first()
        if enrollment
        else None,
        "lesson_rows": rows,
        "lessons_done": done,
        "lessons_total": len(lessons),
        "resume_lesson": (enrollment.last_lesson if enrollment and enrollment.last_lesson else None)
        or next((lesson for lesson, p in rows if not (p and p.completed_at)), None),
    }


def lesson_state_for(*, lesson: LessonPage, user) -> dict:
    worker = _worker(user)
    course = lesson.get_parent().specific
    enrollment = Enrollment.objects.filter(worker=worker, course=course).first() if worker else None
    progress = (
        LessonProgress.objects.filter(enrollment=enrollment, lesson=lesson).first()
        if enrollment
        else None
    )
    siblings = list(course.lessons())
    index = next((i for i, page in enumerate(siblings) if page.pk == lesson.pk), 0)
    seconds = progress.seconds_credited if progress else 0
    return {
        "course": course,
        "enrollment": enrollment,
        "progress": progress,
        "checkpoints": list(lesson.checkpoints.all()),
        "seconds_done": min(seconds, lesson.min_seconds),
        "time_percent": min(100, int(100 * seconds / lesson.min_seconds))
        if lesson.min_seconds
        else 100,
        "previous_lesson": siblings[index - 1] if index > 0 else None,
        "next_lesson": siblings[index + 1] if index + 1 < len(siblings) else None,
    }


def my_learning(*, worker: WorkerProfile) -> dict:
    enrollments = list(
        Enrollment.objects.filter(worker=worker)
        .select_related("course", "last_lesson")
        .annotate(
            lessons_done=Count(
                "lesson_progress", filter=Q(lesson_progress__completed_at__isnull=False)
            )
        )
        .order_by("completed_at", "-updated_at")
    )
    records = list(
        TrainingRecord.objects.filter(worker=worker)
        .select_related("course")
        .order_by("completed_at")
    )
    totals = TrainingRecord.objects.filter(worker=worker).aggregate(
        hours=Sum("hours"), n=Count("id")
    )
    lesson_totals = _lesson_counts([enrollment.course for enrollment in enrollments])
    credited = {record.course_id: record.hours for record in records}
    for enrollment in enrollments:
        # Not columns nor annotations (the count is one query for all courses): attributes for
        # the page, set beside the query's annotations, which the annotated type cannot name.
        setattr(enrollment, "lessons_total", lesson_totals.get(enrollment.course.path, 0))  # noqa: B010
        setattr(enrollment, "hours_credited", credited.get(enrollment.course_id))  # noqa: B010
    return {
        "enrollments": enrollments,
        "records": records,
        "total_hours": totals["hours"] or 0,
        "courses_completed": totals["n"],
    }


def _lesson_counts(courses) -> dict[str, int]:
    """Live lessons per course path, in one query (courses all sit at the same depth)."""
    if not courses:
        return {}
    length = len(courses[0].path)
    counts = (
        LessonPage.objects.live()
        .filter(depth=courses[0].depth + 1)
        .annotate(prefix=Substr("path", 1, length))
        .filter(prefix__in=[course.path for course in courses])
        .order_by()  # the page manager orders by path, which would group by lesson
        .values("prefix")
        .annotate(n=Count("id"))
    )
    return {row["prefix"]: row["n"] for row in counts}


def roster_progress(*, viewer):
    """The viewer's scope of workers, each with courses enrolled, completed and hours."""
    from accounts.selectors import worker_roster

    # Each figure is its own subquery: aggregates over two relations in one annotate join
    # them, and the hours were summed once per enrolment.
    enrollments = Enrollment.objects.filter(worker=OuterRef("pk")).order_by().values("worker")
    hours = (
        TrainingRecord.objects.filter(worker=OuterRef("pk"))
        .order_by()
        .values("worker")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    return worker_roster(viewer=viewer).annotate(
        courses_enrolled=_count_of(enrollments),
        courses_completed=_count_of(enrollments.filter(completed_at__isnull=False)),
        hours=Coalesce(Subquery(hours), Value(Decimal("0.0")), output_field=HOURS_FIELD),
    )


HOURS_FIELD = DecimalField(max_digits=9, decimal_places=1)


def _count_of(rows) -> Coalesce:
    return Coalesce(
        Subquery(rows.annotate(n=Count("pk")).values("n")), Value(0), output_field=IntegerField()
    )


def training_completed(*, worker: WorkerProfile, courses) -> bool:
    """Eligibility for exams: has the worker completed every one of these courses?"""
    course_ids = {course.pk for course in courses}
    if not course_ids:
        return True
    done = set(
        TrainingRecord.objects.filter(worker=worker, course_id__in=course_ids).values_list(
            "course_id", flat=True
        )
    )
    return course_ids <= done


def proof_public(*, proof) -> dict | None:
    """What the public page shows of a genuine 学时证明 (``proofs.proof_read``): the worker's
    masked name and ID number, and each course with the hours and date the paper states and
    whether the record still says so. None when the worker is no longer known."""
    from accounts.validators import mask_id_number, mask_name

    worker = WorkerProfile.objects.filter(pk=proof.worker_id).first()
    if worker is None:
        return None
    records = {
        record.pk: record
        for record in TrainingRecord.objects.filter(
            worker=worker, pk__in=[line.record_id for line in proof.lines]
        ).select_related("course")
    }
    lines = []
    for line in proof.lines:
        record = records.get(line.record_id)
        lines.append(
            {
                "course": record.course.title if record else None,
                "hours": line.hours,
                "completed_on": line.completed_on,
                "current": record is not None
                and record.hours == line.hours
                and timezone.localtime(record.completed_at).date() == line.completed_on,
            }
        )
    return {
        "holder_name": mask_name(worker.real_name),
        "holder_id_number": mask_id_number(worker.id_number),
        "issued_on": proof.issued_on,
        "lines": lines,
        "all_current": all(line["current"] for line in lines),
        "total_hours": proof.total_hours,
    }
