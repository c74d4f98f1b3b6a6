"""Reads for accounts, already scoped by ``permissions`` and shaped for their pages."""

import datetime

from allauth.account.authentication import get_authentication_records
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import Enterprise, WorkerProfile
from .permissions import enterprises_visible_to, workers_visible_to


def worker_roster(*, viewer) -> QuerySet[WorkerProfile]:
    return (
        workers_visible_to(viewer)
        .select_related("user", "employer", "district", "industry")
        .order_by("employer__name", "real_name", "pk")
    )


def enterprise_suggestions(*, text: str, limit: int = 10) -> list[Enterprise]:
    """Registered enterprises (public register data) whose name contains the text or whose
    credit code starts with it."""
    return list(
        Enterprise.objects.filter(Q(name__contains=text) | Q(uscc__startswith=text.upper()))
        .select_related("district")
        .order_by("name")[:limit]
    )


def enterprise_directory(*, viewer) -> QuerySet[Enterprise]:
    return (
        enterprises_visible_to(viewer)
        .select_related("district", "industry")
        .order_by("district__sort_order", "name", "pk")
    )


def password_change_without_current_until(*, request, user) -> datetime.datetime | None:
    """Until when this session may change ``user``'s password without the current one, or None.

    allauth records each way the session authenticated (``get_authentication_records``); a login
    or re-authentication by a code sent to the account's own number (method "code" with that
    ``phone``) proved the phone, which is as much as a reset by SMS would. That lasts
    ``ANXUN_PASSWORD_CHANGE_AFTER_CODE_LOGIN_SECONDS`` from the code's acceptance.
    """
    if request is None or not user.phone:
        return None
    proved_at = max(
        (
            record.get("at", 0)
            for record in get_authentication_records(request, user)
            if record.get("method") == "code" and record.get("phone") == user.phone
        ),
        default=None,
    )
    if proved_at is None:
        return None
    until = proved_at + settings.ANXUN_PASSWORD_CHANGE_AFTER_CODE_LOGIN_SECONDS
    if until <= timezone.now().timestamp():
        return None
    return datetime.datetime.fromtimestamp(until, tz=datetime.UTC)
