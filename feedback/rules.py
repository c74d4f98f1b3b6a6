"""Refusal rules for ratings and cases, written once: the views ask them to answer early
(a 403, a message, a redirect) and the services ask them again, so no entry point skips one."""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, WorkerProfile
from accounts.permissions import user_roles
from certificates.models import Certificate
from core.errors import DomainError, PermissionDenied
from exams.models import Booking, CenterStaff
from training.models import TrainingRecord

from .models import Case, Rating, Service

# Which field of a rating names the event it rates, per service.
EVENT_FIELD: dict[str, str] = {
    Service.PRACTICAL_EXAM: "booking",
    Service.CERTIFICATE_DESK: "certificate",
    Service.COURSE: "training_record",
}


def rateable_event(*, worker: WorkerProfile, service: str, event_id: int, now=None):
    """The worker's own event of this service, recent enough to rate: (event, centre, course,
    when it happened). Anything else — someone else's, unknown, not finished — is refused
    alike, so nobody learns what exists."""
    refused = DomainError(
        _("This is not a service you used, so it cannot be rated."), code="not_yours"
    )
    event: Booking | Certificate | TrainingRecord | None
    if service == Service.PRACTICAL_EXAM:
        event = (
            Booking.objects.filter(pk=event_id, worker=worker, status=Booking.Status.COMPLETED)
            .select_related("session__center", "result")
            .first()
        )
        if event is None:
            raise refused
        center, course = event.session.center, None
        happened = getattr(getattr(event, "result", None), "decided_at", None) or event.updated_at
    elif service == Service.CERTIFICATE_DESK:
        event = (
            Certificate.objects.filter(pk=event_id, holder=worker).select_related("center").first()
        )
        if event is None:
            raise refused
        center, course, happened = event.center, None, event.created_at
    elif service == Service.COURSE:
        event = (
            TrainingRecord.objects.filter(pk=event_id, worker=worker)
            .select_related("course")
            .first()
        )
        if event is None:
            raise refused
        center, course, happened = None, event.course, event.completed_at
    else:
        raise refused
    if happened < (now or timezone.now()) - datetime.timedelta(days=settings.ANXUN_RATING_DAYS):
        raise DomainError(
            _("Ratings are taken within %(days)s days of the service.")
            % {"days": settings.ANXUN_RATING_DAYS},
            code="too_late",
        )
    return event, center, course, happened


def already_rated(*, service: str, event) -> bool:
    """Whether this service event has its rating (each is rated once)."""
    return Rating.objects.filter(**{EVENT_FIELD[service]: event}).exists()


def may_handle(user, case: Case) -> bool:
    """Centre staff and examiners posted at the case's centre; moderators for course cases."""
    roles = user_roles(user)
    if case.center_id:
        return (
            bool(roles & {Role.CENTER_STAFF, Role.EXAMINER})
            and CenterStaff.objects.filter(center_id=case.center_id, user=user).exists()
        )
    return Role.PUBLICITY_MODERATOR in roles


def must_handle(user, case: Case) -> None:
    if not may_handle(user, case):
        raise PermissionDenied(_("This case belongs to another centre or office."))


def step_open(case: Case, state: str) -> bool:
    """Whether the step taken from ``state`` is the case's next one (it has not moved on)."""
    return case.state == state


def must_be(case: Case, state: str) -> None:
    if not step_open(case, state):
        raise DomainError(
            _("This case is %(state)s: that step is not open now.")
            % {"state": case.get_state_display()},
            code="wrong_state",
        )
