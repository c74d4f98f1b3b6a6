"""Escalation of late cases (Celery beat): supervisors warned as a deadline nears, district
officers told once it has passed; each step once per case and deadline."""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import events
from ..locks import case_lock_if_still
from ..models import Case
from ..scopes import case_handlers, district_officers
from ..working_days import working_days_left
from .common import case_url, service_now, tell


def _escalation(case: Case, *, flag: str, still: Q, record, people, text, now) -> bool:
    """Mark the case (once per ``flag``), record it (an ``events`` function) and tell ``people``. False if done before,
    or if the case no longer matches ``still`` once locked (a callback recorded meanwhile)."""
    locked = case_lock_if_still(case_id=case.pk, still=still)
    if locked is None or getattr(locked, flag) is not None:
        return False
    setattr(locked, flag, now)
    locked.save(update_fields=[flag, "updated_at"])
    verb = record(case=locked, now=now).verb
    for person in people:
        tell(person, key=f"{verb}:{locked.pk}:{person.pk}", text=text)
    return True


def cases_escalate(*, now=None) -> dict[str, int]:
    """Warn the centre's supervisors as a deadline nears, tell the district officers once it
    has passed. Each step happens once per case and deadline, whoever runs this and how often."""
    now = service_now(now)
    done = {"callback_warned": 0, "callback_escalated": 0, "rectification_warned": 0,
            "rectification_escalated": 0}  # fmt: skip
    warning = datetime.timedelta(hours=settings.ANXUN_CASE_CALLBACK_WARNING_HOURS)

    def due_text(case, deadline, what):
        return lambda: (
            _("Anxun: complaint case %(url)s — the %(what)s is due by %(due)s.")
            % {
                "url": case_url(case),
                "what": what,
                "due": timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M"),
            }
        )

    def late_text(case, deadline, what):
        return lambda: (
            _("Anxun: complaint case %(url)s is overdue — the %(what)s was due by %(due)s.")
            % {
                "url": case_url(case),
                "what": what,
                "due": timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M"),
            }
        )

    callback = _("callback to the worker")
    open_cases = Case.objects.filter(state=Case.State.OPEN)
    for case in open_cases.filter(callback_warned_at=None, callback_due__lte=now + warning):
        with transaction.atomic():
            if _escalation(
                case,
                flag="callback_warned_at",
                still=Q(state=Case.State.OPEN),
                record=events.case_callback_due_soon,
                people=case_handlers(case, supervisors_only=True),
                text=due_text(case, case.callback_due, callback),
                now=now,
            ):
                done["callback_warned"] += 1
    for case in open_cases.filter(callback_escalated_at=None, callback_due__lt=now):
        with transaction.atomic():
            if _escalation(
                case,
                flag="callback_escalated_at",
                still=Q(state=Case.State.OPEN, callback_due__lt=now),
                record=events.case_callback_overdue,
                people=district_officers(case),
                text=late_text(case, case.callback_due, callback),
                now=now,
            ):
                done["callback_escalated"] += 1

    rectification = _("rectification feedback")
    unfinished = Case.objects.exclude(state=Case.State.CLOSED)
    soon = unfinished.filter(
        rectification_warned_at=None,
        # A superset (even across the Spring Festival week); the exact test is below.
        rectification_due__lte=now + datetime.timedelta(days=30),
    )
    for case in soon:
        days = working_days_left(case.rectification_due, now)
        if days > settings.ANXUN_CASE_RECTIFICATION_WARNING_DAYS:
            continue
        with transaction.atomic():
            if _escalation(
                case,
                flag="rectification_warned_at",
                still=~Q(state=Case.State.CLOSED),
                record=events.case_rectification_due_soon,
                people=case_handlers(case, supervisors_only=True),
                text=due_text(case, case.rectification_due, rectification),
                now=now,
            ):
                done["rectification_warned"] += 1
    for case in unfinished.filter(rectification_escalated_at=None, rectification_due__lt=now):
        with transaction.atomic():
            if _escalation(
                case,
                flag="rectification_escalated_at",
                still=~Q(state=Case.State.CLOSED) & Q(rectification_due__lt=now),
                record=events.case_rectification_overdue,
                people=district_officers(case),
                text=late_text(case, case.rectification_due, rectification),
                now=now,
            ):
                done["rectification_escalated"] += 1
    return done
