"""Reads for theory exams that the services of both theory and practical exams share."""

from datetime import datetime

from accounts.models import WorkerProfile
from training.models import TrainingRecord

from .models import Subject


def last_training_at(*, worker: WorkerProfile, subject: Subject) -> datetime | None:
    """When the worker last completed one of the subject's required courses, or None: fails
    (theory and practical) count from then."""
    return (
        TrainingRecord.objects.filter(worker=worker, course__in=subject.required_courses.all())
        .order_by("-completed_at")
        .values_list("completed_at", flat=True)
        .first()
    )
