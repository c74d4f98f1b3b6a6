"""Invitations to rate (Celery beat): an SMS with a link, once per service event."""

import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from certificates.models import Certificate
from core.notifications import absolute_url
from exams.models import Booking
from training.models import TrainingRecord

from ..models import Service
from .common import service_now, tell


def rating_path(service: str, event_id: int) -> str:
    return reverse("feedback:rate", args=[service, event_id])


def rating_invitations_send(*, now=None) -> int:
    """Ask workers to rate what they used an hour or more ago (within two days), once per
    event, by SMS with a link to the rating page."""
    now = service_now(now)
    window = (now - datetime.timedelta(days=2), now - datetime.timedelta(hours=1))
    events: list[
        tuple[
            str, QuerySet[Booking] | QuerySet[Certificate] | QuerySet[TrainingRecord], StrOrPromise
        ]
    ] = [
        (
            Service.PRACTICAL_EXAM,
            Booking.objects.filter(
                status=Booking.Status.COMPLETED,
                result__decided_at__range=window,
                rating__isnull=True,
            ).select_related("worker__user"),
            _("your practical exam"),
        ),
        (
            Service.CERTIFICATE_DESK,
            Certificate.objects.filter(
                created_at__range=window, rating__isnull=True
            ).select_related("holder__user"),
            _("collecting your certificate"),
        ),
        (
            Service.COURSE,
            TrainingRecord.objects.filter(
                completed_at__range=window, rating__isnull=True
            ).select_related("worker__user"),
            _("your online course"),
        ),
    ]
    sent = 0
    for service, queryset, what in events:
        for event in queryset.iterator(chunk_size=500):
            worker = event.holder if isinstance(event, Certificate) else event.worker
            url = absolute_url(rating_path(service, event.pk))
            with transaction.atomic():
                tell(
                    worker.user,
                    key=f"rate-invite:{service}:{event.pk}",
                    text=lambda what=what, url=url: (
                        _("Anxun: how was %(what)s? Rate it in a minute: %(url)s")
                        % {"what": what, "url": url}
                    ),
                )
            sent += 1
    return sent
