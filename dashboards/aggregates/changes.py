"""Which workers changed since the last refresh (the source tables and their dates)."""

from django.db.models import Q

from accounts.models import Enterprise, WorkerProfile
from certificates.models import Certificate
from exams.models import Booking, ExamResult, PracticalSession, TheoryAttempt
from training.models import CampaignTarget, Enrollment, TrainingRecord

# The tables whose ``updated_at`` the incremental run follows.
SOURCES = (
    WorkerProfile,
    Enterprise,
    Enrollment,
    TrainingRecord,
    TheoryAttempt,
    Certificate,
    Booking,
    ExamResult,
    PracticalSession,
    CampaignTarget,
)


def changed_workers(since) -> set[int] | None:
    """Ids of workers whose funnel may have moved since ``since``; None means all of them."""
    if since is None:
        return None
    changed = set(
        WorkerProfile.objects.filter(
            Q(updated_at__gte=since) | Q(employer__updated_at__gte=since)
        ).values_list("pk", flat=True)
    )
    for model, worker_field in (
        (Enrollment, "worker_id"),
        (TrainingRecord, "worker_id"),
        (TheoryAttempt, "worker_id"),
        (Certificate, "holder_id"),
    ):
        changed.update(
            model.objects.filter(updated_at__gte=since).values_list(worker_field, flat=True)
        )
    return changed
