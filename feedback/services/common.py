"""What the feedback services share: the clock seam and how people are told."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.notifications import absolute_url, user_notify

from ..models import Case


def service_now(now=None) -> datetime.datetime:
    """``now`` if a test or a task passes one, else the current time."""
    return now or timezone.now()


def tell(user, *, key: str, text) -> None:
    user_notify(user, key=key, text=text, subject=_("Anxun service feedback"))


def case_url(case: Case) -> str:
    return absolute_url(reverse("feedback:case", args=[case.pk]))
