"""Writes for training: enrolment, honest lesson time, checkpoints, completion and hours.

Time is credited only by ``lesson_heartbeat``: the client sends a heartbeat every
``ANXUN_HEARTBEAT_SECONDS`` while the lesson is visible; the server credits the time since the
worker's previous credited heartbeat (on any lesson, tab or device), capped, and nothing for
heartbeats that come too fast. So credit never runs faster than the wall clock.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_DOWN, Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import CharField, Exists, OuterRef, Sum, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import WorkerProfile
from core.errors import DomainError

from . import events
from .locks import enrollment_lock, learning_clock_lock, lesson_progress_lock
from .models import (
    CoursePage,
    Enrollment,
    LessonPage,
    LessonProgress,
    TrainingRecord,
)


def heartbeat_seconds() -> int:
    return getattr(settings, "ANXUN_HEARTBEAT_SECONDS", 15)


def hour_seconds() -> int:
    """Seconds of active time per credited hour (学时): 3600 unless the bureau counts a 学时
    as a class period (``ANXUN_TRAINING_HOUR_SECONDS``, e.g. 2700 for 45 minutes)."""
    return getattr(settings, "ANXUN_TRAINING_HOUR_SECONDS", 3600)


def hours_for(*, seconds: int, course: CoursePage) -> Decimal:
    """The hours a training record credits for ``seconds`` of measured active time: rounded
    down to a tenth (never more than was measured) and capped by the course's hours."""
    measured = (Decimal(seconds) / hour_seconds()).quantize(Decimal("0.1"), rounding=ROUND_DOWN)
    return min(measured, course.credit_hours)


@transaction.atomic
def enrollment_create(*, worker: WorkerProfile, course: CoursePage, actor) -> Enrollment:
    """Enrol a worker in a course (idempotent: an existing enrolment is returned)."""
    if not course.live:
        raise DomainError(_("This course is not open for enrolment."), code="course_closed")
    missing = [
        prerequisite.title
        for prerequisite in course.prerequisites.all()
        if not TrainingRecord.objects.filter(worker=worker, course=prerequisite).exists()
    ]
    if missing:
        raise DomainError(
            _("Complete these courses first: %(courses)s.") % {"courses": "、".join(missing)},
            code="prerequisites",
        )
    try:
        with transaction.atomic():
            enrollment, created = Enrollment.objects.get_or_create(
                worker=worker, course=course, defaults={"enrolled_by": actor}
            )
    except IntegrityError:  # two clicks at once: the other one enrolled
        enrollment, created = Enrollment.objects.get(worker=worker, course=course), False
    if created:
        events.enrollment_created(actor=actor, enrollment=enrollment, course=course)
    return enrollment


def _enrollment_for(*, worker: WorkerProfile, lesson: LessonPage) -> Enrollment:
    enrollment = Enrollment.objects.filter(worker=worker, course_id=lesson.get_parent().pk).first()
    if enrollment is None:
        raise DomainError(_("Enrol in the course to study this lesson."), code="not_enrolled")
    return enrollment


@dataclass(frozen=True)
class HeartbeatResult:
    credited: int
    seconds: int
    required: int
    completed: bool


@transaction.atomic
def lesson_heartbeat(
    *, worker: WorkerProfile, lesson: LessonPage, now=None, resume: bool = False
) -> HeartbeatResult:
    """Credit the worker's active time on a lesson since their last credited heartbeat.

    ``resume`` is the beat a page sends when it becomes visible again: it restarts the clock
    and earns nothing, so time spent hidden is never paid."""
    now = now or timezone.now()
    enrollment = _enrollment_for(worker=worker, lesson=lesson)
    clock = learning_clock_lock(worker=worker)
    progress = lesson_progress_lock(enrollment=enrollment, lesson=lesson)
    interval = heartbeat_seconds()
    credited = 0
    if clock.last_heartbeat_at is None or resume:
        clock.last_heartbeat_at = now  # the first beat starts the clock; it earns nothing yet
        clock.save(update_fields=["last_heartbeat_at"])
    else:
        elapsed = (now - clock.last_heartbeat_at).total_seconds()
        if elapsed >= interval / 2:  # faster than that is a forgery or a second tab: no credit
            # A long pause (tab hidden, laptop asleep) earns one interval at most.
            credited = int(min(elapsed, interval + 5))
            clock.last_heartbeat_at = now
            clock.save(update_fields=["last_heartbeat_at"])
    if credited and progress.completed_at is None:
        progress.seconds_credited = min(progress.seconds_credited + credited, 24 * 3600)
        progress.save(update_fields=["seconds_credited", "updated_at"])
    if enrollment.last_lesson_id != lesson.pk:
        enrollment.last_lesson = lesson
        enrollment.save(update_fields=["last_lesson", "updated_at"])
    _complete_if_done(progress=progress, lesson=lesson, now=now)
    return HeartbeatResult(
        credited=credited,
        seconds=progress.seconds_credited,
        required=lesson.min_seconds,
        completed=progress.completed_at is not None,
    )


@transaction.atomic
def lesson_checkpoints_answer(
    *, worker: WorkerProfile, lesson: LessonPage, answers: dict[int, int]
) -> list[int]:
    """Check the answers (checkpoint id → 1-based choice). Returns the ids answered wrongly;
    all right marks the checkpoints passed."""
    enrollment = _enrollment_for(worker=worker, lesson=lesson)
    progress = lesson_progress_lock(enrollment=enrollment, lesson=lesson)
    wrong = [c.pk for c in lesson.checkpoints.all() if answers.get(c.pk) != c.correct_choice]
    if not wrong and not progress.checkpoints_passed:
        progress.checkpoints_passed = True
        progress.save(update_fields=["checkpoints_passed", "updated_at"])
        _complete_if_done(progress=progress, lesson=lesson, now=timezone.now())
    return wrong


def _complete_if_done(*, progress: LessonProgress, lesson: LessonPage, now) -> None:
    if progress.completed_at is not None:
        return
    has_checkpoints = lesson.checkpoints.exists()
    if progress.seconds_credited < lesson.min_seconds or (
        has_checkpoints and not progress.checkpoints_passed
    ):
        return
    progress.completed_at = now
    progress.save(update_fields=["completed_at", "updated_at"])
    enrollment = enrollment_lock(enrollment_id=progress.enrollment_id)
    course = CoursePage.objects.get(pk=enrollment.course_id)
    lesson_ids = set(course.lessons().values_list("pk", flat=True))
    done = set(
        LessonProgress.objects.filter(
            enrollment=enrollment, lesson_id__in=lesson_ids, completed_at__isnull=False
        ).values_list("lesson_id", flat=True)
    )
    if enrollment.completed_at is None and lesson_ids <= done:
        enrollment.completed_at = now
        enrollment.save(update_fields=["completed_at", "updated_at"])
        # The time the heartbeat clock measured on this study of the course (retraining
        # deletes the progress of the previous one, whose time the record already holds).
        seconds = (
            LessonProgress.objects.filter(enrollment=enrollment).aggregate(
                total=Sum("seconds_credited")
            )["total"]
            or 0
        )
        record = TrainingRecord.objects.filter(
            worker_id=enrollment.worker_id, course=course
        ).first()
        if record is None:
            record = TrainingRecord.objects.create(
                worker_id=enrollment.worker_id,
                course=course,
                seconds=seconds,
                hours=hours_for(seconds=seconds, course=course),
                completed_at=now,
            )
            events.training_record_credited(record=record, course=course)
        else:  # retraining completed: the time adds up, and the record dates from now
            before = {"hours": str(record.hours), "seconds": record.seconds}
            record.seconds += seconds
            record.hours = hours_for(seconds=record.seconds, course=course)
            record.completed_at = now
            record.save(update_fields=["seconds", "hours", "completed_at", "updated_at"])
            events.training_record_recredited(record=record, before=before)


@transaction.atomic
def training_restart(*, worker: WorkerProfile, courses, actor) -> list[Enrollment]:
    """Retraining (after repeated exam fails): the courses are studied again from the first
    lesson; the time already credited stays on the record, which adds the time of the new study
    (up to the course's hours) and dates from when the course is completed again."""
    enrollments = []
    for course in courses:
        enrollment = enrollment_create(worker=worker, course=course, actor=actor)
        enrollment = enrollment_lock(enrollment_id=enrollment.pk)
        if enrollment.completed_at is not None:
            LessonProgress.objects.filter(enrollment=enrollment).delete()
            enrollment.completed_at = None
            enrollment.last_lesson = None
            enrollment.save(update_fields=["completed_at", "last_lesson", "updated_at"])
            events.enrollment_restarted(actor=actor, enrollment=enrollment)
        enrollments.append(enrollment)
    return enrollments


def lesson_seconds_left(*, progress: LessonProgress | None, lesson: LessonPage) -> int:
    return max(0, lesson.min_seconds - (progress.seconds_credited if progress else 0))


def reminder_cutoff() -> timedelta:
    return timedelta(days=getattr(settings, "ANXUN_TRAINING_REMINDER_DAYS", 7))


def _reminder_week(now) -> str:
    week = now.isocalendar()
    return f"{week.year}-{week.week}"


def reminders_send_not_started(*, now=None, batch: int = 1000) -> int:
    """SMS to workers enrolled for a while who have not started (once per enrolment per week).

    Each run takes up to ``batch`` enrolments not yet reminded this week (the deduplication
    key of their message is looked for in the query, before the batch is cut), so successive
    runs reach everyone. Safe to run twice: each message carries that key
    (core.notifications)."""
    from core.models import OutboundMessage
    from core.notifications import message_send

    now = now or timezone.now()
    week = _reminder_week(now)  # the key: training-reminder:<enrolment>:<ISO year-week>
    reminded = OutboundMessage.objects.filter(
        dedupe_key=Concat(
            Value("training-reminder:"),
            Cast(OuterRef("pk"), output_field=CharField()),
            Value(f":{week}"),
            output_field=CharField(),
        )
    )
    stale = (
        Enrollment.objects.filter(
            completed_at__isnull=True,
            created_at__lte=now - reminder_cutoff(),
            lesson_progress__isnull=True,
            worker__user__phone__isnull=False,
        )
        .exclude(Exists(reminded))
        .select_related("worker__user", "course")
        .order_by("pk")[:batch]
    )
    sent = 0
    for enrollment in stale:
        phone = enrollment.worker.user.phone
        if phone is None:  # not reached: the query asks for a phone; this tells mypy
            continue
        text = _(
            "[Anxun] %(name)s, you enrolled in “%(course)s” but have not started. "
            "Study online any time; your hours are credited as you go."
        ) % {"name": enrollment.worker.real_name, "course": enrollment.course.title}
        key = f"training-reminder:{enrollment.pk}:{week}"
        message_send(channel="sms", recipient=phone, body=str(text), dedupe_key=key)
        sent += 1
    return sent
