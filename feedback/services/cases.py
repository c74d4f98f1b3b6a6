"""Complaint cases: opened for a bad rating, then callback → rectification → closed with
feedback → the worker's answer. Each step locks the case, asks the refusal rules and writes
its audit row in the same transaction."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import WorkerProfile
from core.errors import DomainError
from core.notifications import absolute_url

from .. import events
from ..locks import case_lock
from ..models import Case, Rating
from ..rules import must_be, must_handle
from ..scopes import case_handlers, district_officers
from ..working_days import working_day_deadline
from .common import case_url, service_now, tell

TEXT_MIN = 10  # a callback note, plan or feedback shorter than this says nothing


def case_open(*, rating: Rating, now=None) -> Case:
    now = service_now(now)
    case = Case.objects.create(
        rating=rating,
        center=rating.center,
        course=rating.course,
        district=rating.district,
        callback_due=working_day_deadline(now, settings.ANXUN_CASE_CALLBACK_WORKING_DAYS),
        rectification_due=working_day_deadline(now, settings.ANXUN_CASE_RECTIFICATION_WORKING_DAYS),
    )
    events.case_opened(case=case)
    for handler in case_handlers(case):
        tell(
            handler,
            key=f"case-opened:{case.pk}:{handler.pk}",
            text=lambda: (
                _(
                    "Anxun: a bad review of your service (%(stars)s stars) needs a callback to the "
                    "worker by %(due)s. Case: %(url)s"
                )
                % {
                    "stars": rating.stars,
                    "due": timezone.localtime(case.callback_due).strftime("%Y-%m-%d %H:%M"),
                    "url": case_url(case),
                }
            ),
        )
    return case


def _text(value, *, field: str, message) -> str:
    value = (value or "").strip()
    if len(value) < TEXT_MIN or "\x00" in value:
        raise DomainError(message, code="text", field=field)
    return value[:2000]


def _move(case: Case, *, actor, to: str, record, now, **changes) -> Case:
    """Move the case on, set the step's fields and ``record`` the step (an ``events``
    function) with the state it came from."""
    before_state = case.state
    case.state = to
    for name, value in changes.items():
        setattr(case, name, value)
    case.save()
    record(actor=actor, case=case, before_state=before_state, now=now)
    return case


@transaction.atomic
def case_callback_record(*, actor, case_id: int, note: str, now=None) -> Case:
    """The worker was called back: what they said."""
    now = service_now(now)
    case = case_lock(case_id=case_id)
    must_handle(actor, case)
    must_be(case, Case.State.OPEN)
    note = _text(note, field="note", message=_("Write down what the worker said on the call."))
    return _move(
        case,
        actor=actor,
        to=Case.State.CALLED_BACK,
        record=events.case_called_back,
        now=now,
        called_back_at=now,
        callback_note=note,
    )


@transaction.atomic
def case_rectification_start(*, actor, case_id: int, plan: str, now=None) -> Case:
    now = service_now(now)
    case = case_lock(case_id=case_id)
    must_handle(actor, case)
    must_be(case, Case.State.CALLED_BACK)
    plan = _text(plan, field="plan", message=_("Describe what will be put right, and how."))
    return _move(
        case,
        actor=actor,
        to=Case.State.RECTIFYING,
        record=events.case_rectification_started,
        now=now,
        rectifying_at=now,
        rectification_plan=plan,
    )


@transaction.atomic
def case_close(*, actor, case_id: int, feedback: str, now=None) -> Case:
    """Close with the feedback the worker receives (required: a case is never closed blank)."""
    now = service_now(now)
    case = case_lock(case_id=case_id)
    must_handle(actor, case)
    must_be(case, Case.State.RECTIFYING)
    feedback = _text(
        feedback,
        field="feedback",
        message=_("Write the feedback the worker will receive: what was done about it."),
    )
    case = _move(
        case,
        actor=actor,
        to=Case.State.CLOSED,
        record=events.case_closed,
        now=now,
        closed_at=now,
        feedback=feedback,
    )
    worker_user = case.rating.worker.user
    tell(
        worker_user,
        key=f"case-closed:{case.pk}",
        text=lambda: (
            _(
                "Anxun: your complaint has been dealt with. Read the feedback and confirm or "
                "dispute it: %(url)s"
            )
            % {"url": absolute_url(reverse("feedback:mine"))}
        ),
    )
    return case


@transaction.atomic
def case_answer(
    *, worker: WorkerProfile, case_id: int, answer: str, note: str = "", now=None
) -> Case:
    """The worker confirms the feedback, or disputes it (once). A dispute goes to the district
    officer."""
    now = service_now(now)
    case = case_lock(case_id=case_id)
    if case.rating.worker_id != worker.pk:
        raise DomainError(_("No such case."), code="not_found")
    must_be(case, Case.State.CLOSED)
    if case.answer:
        raise DomainError(_("You have already answered this feedback."), code="answered")
    if answer not in Case.Answer.values:
        raise DomainError(_("Confirm or dispute the feedback."), code="answer")
    note = (note or "").strip()
    if len(note) > 300 or "\x00" in note:
        raise DomainError(_("Keep the note to 300 characters."), field="note")
    if answer == Case.Answer.DISPUTED and not note:
        raise DomainError(_("Say why you dispute it."), code="note", field="note")
    case.answer, case.answered_at, case.answer_note = answer, now, note
    case.save(update_fields=["answer", "answered_at", "answer_note", "updated_at"])
    if answer == Case.Answer.CONFIRMED:
        events.case_confirmed(case=case)
    else:
        events.case_disputed(case=case)
    if answer == Case.Answer.DISPUTED:
        for officer in district_officers(case):
            tell(
                officer,
                key=f"case-disputed:{case.pk}:{officer.pk}",
                text=lambda: (
                    _("Anxun: a worker disputes the feedback on complaint case %(url)s")
                    % {"url": case_url(case)}
                ),
            )
    return case
