"""Row locks for training writes (``select_for_update``), taken inside the caller's transaction.

A lesson heartbeat locks the worker's learning clock first, then the lesson's progress row, and
completion locks the enrolment after that: every writer takes them in this order, so two
heartbeats (two tabs, two devices) wait for each other instead of deadlocking.
"""

from accounts.models import WorkerProfile

from .models import Enrollment, LearningClock, LessonPage, LessonProgress, RosterImport


def learning_clock_lock(*, worker: WorkerProfile) -> LearningClock:
    """The worker's clock (one per worker, created on first use), locked."""
    clock, _created = LearningClock.objects.select_for_update().get_or_create(worker=worker)
    return clock


def lesson_progress_lock(*, enrollment: Enrollment, lesson: LessonPage) -> LessonProgress:
    """The progress of one lesson of an enrolment (created on first use), locked."""
    progress, _created = LessonProgress.objects.select_for_update().get_or_create(
        enrollment=enrollment, lesson=lesson
    )
    return progress


def enrollment_lock(*, enrollment_id: int) -> Enrollment:
    return Enrollment.objects.select_for_update().get(pk=enrollment_id)


def roster_import_lock(*, import_id: int) -> RosterImport:
    """The import's own row, locked (not its enterprise or uploader), with what a run reads."""
    return (
        RosterImport.objects.select_for_update(of=("self",))
        .select_related("enterprise__district", "enterprise__industry", "uploaded_by")
        .get(pk=import_id)
    )
