"""Ratings and complaint cases: submit a rating, open a case for a bad one, move the case
along (callback → rectification → closed with feedback → the worker's answer), escalate late
cases, and invite workers to rate what they used. Every state change writes an audit event."""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, RoleAssignment, WorkerProfile
from certificates.models import Certificate
from core.errors import DomainError, PermissionDenied
from core.events import audit_record
from core.notifications import absolute_url, user_notify
from exams.models import Booking, CenterStaff
from training.models import TrainingRecord

from .models import Case, Rating, Service
from .working_days import working_day_deadline, working_days_left

COMMENT_MAX = 500
TEXT_MIN = 10  # a callback note, plan or feedback shorter than this says nothing

# What could have been better, per service: the tick boxes of the rating form.
REASONS: dict[str, dict[str, str]] = {
    Service.PRACTICAL_EXAM: {
        "waiting": _("Long wait at check-in"),
        "late_start": _("The session started late"),
        "staff": _("Staff were unhelpful or impolite"),
        "instructions": _("Instructions were unclear"),
        "equipment": _("Equipment or site in poor condition"),
        "scoring": _("The scoring was not explained"),
    },
    Service.CERTIFICATE_DESK: {
        "waiting": _("Long wait at the desk"),
        "staff": _("Staff were unhelpful or impolite"),
        "details": _("Details on the certificate were wrong"),
        "print": _("Poor print quality"),
    },
    Service.COURSE: {
        "playback": _("Videos did not play smoothly"),
        "outdated": _("Content out of date"),
        "too_long": _("Too long for what it teaches"),
        "checkpoints": _("Checkpoint questions were wrong or unclear"),
        "hours": _("Study time was not counted"),
    },
}


def _now(now=None) -> datetime.datetime:
    return now or timezone.now()


def _tell(user, *, key: str, text) -> None:
    user_notify(user, key=key, text=text, subject=_("Anxun service feedback"))


# --- Which events a worker may rate ------------------------------------------------------


def rateable_event(*, worker: WorkerProfile, service: str, event_id: int, now=None):
    """The worker's own event of this service, recent enough to rate: (event, centre, course,
    when it happened). Anything else — someone else's, unknown, not finished — is refused
    alike, so nobody learns what exists."""
    refused = DomainError(
        _("This is not a service you used, so it cannot be rated."), code="not_yours"
    )
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
    if happened < _now(now) - datetime.timedelta(days=settings.ANXUN_RATING_DAYS):
        raise DomainError(
            _("Ratings are taken within %(days)s days of the service.")
            % {"days": settings.ANXUN_RATING_DAYS},
            code="too_late",
        )
    return event, center, course, happened


def _clean_rating(service: str, stars, reasons, comment) -> tuple[int, list[str], str]:
    try:
        stars = int(stars)
    except (TypeError, ValueError):
        stars = 0
    if not 1 <= stars <= 5:
        raise DomainError(_("Choose from one to five stars."), code="stars", field="stars")
    allowed = REASONS.get(service, {})
    reasons = list(dict.fromkeys(reasons or []))
    if any(reason not in allowed for reason in reasons):
        raise DomainError(_("Tick only the reasons listed."), code="reasons", field="reasons")
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise DomainError(
            _("Keep the comment to %(n)s characters.") % {"n": COMMENT_MAX},
            code="comment",
            field="comment",
        )
    if "\x00" in comment:
        raise DomainError(_("The comment holds characters that cannot be saved."), field="comment")
    return stars, reasons, comment


@transaction.atomic
def rating_submit(
    *,
    worker: WorkerProfile,
    service: str,
    event_id: int,
    stars,
    reasons=(),
    comment: str = "",
    complaint: bool = False,
    now=None,
) -> Rating:
    """Record the worker's rating of one service event (once). One or two stars, or a comment
    marked as a complaint, opens a case."""
    now = _now(now)
    event, center, course, _happened = rateable_event(
        worker=worker, service=service, event_id=event_id, now=now
    )
    stars, reasons, comment = _clean_rating(service, stars, reasons, comment)
    if complaint and not comment:
        raise DomainError(
            _("Say what went wrong: a complaint needs a comment."),
            code="complaint",
            field="comment",
        )
    already = DomainError(_("You have already rated this service."), code="already_rated")
    if Rating.objects.filter(**{_event_field(service): event}).exists():
        raise already
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                worker=worker,
                service=service,
                center=center,
                course=course,
                district=center.district if center else worker.district,
                stars=stars,
                reasons=reasons,
                comment=comment,
                complaint=bool(complaint),
                **{_event_field(service): event},
            )
    except IntegrityError as error:  # the same rating sent twice at once
        raise already from error
    audit_record(
        actor=worker.user,
        verb="rating.submitted",
        target=rating,
        after={"stars": stars, "reasons": reasons, "complaint": rating.complaint},
    )
    if rating.low or rating.complaint:
        case_open(rating=rating, now=now)
    return rating


def _event_field(service: str) -> str:
    return {
        Service.PRACTICAL_EXAM: "booking",
        Service.CERTIFICATE_DESK: "certificate",
        Service.COURSE: "training_record",
    }[service]


# --- Cases ------------------------------------------------------------------------------


def case_handlers(case: Case, *, supervisors_only: bool = False):
    """Who answers for a case: the centre's staff (its supervisors, for warnings), or the
    publicity moderators who look after the courses."""
    from accounts.models import User

    if case.center_id:
        posts = CenterStaff.objects.filter(center_id=case.center_id)
        # A centre without a supervisor: its staff are warned rather than nobody.
        if supervisors_only and posts.filter(supervisor=True).exists():
            posts = posts.filter(supervisor=True)
        return User.objects.filter(pk__in=posts.values("user_id"), is_active=True)
    return User.objects.filter(
        pk__in=RoleAssignment.objects.filter(role=Role.PUBLICITY_MODERATOR).values("user_id"),
        is_active=True,
    )


def district_officers(case: Case):
    from accounts.models import User

    assignments = RoleAssignment.objects.filter(
        role=Role.DISTRICT_OFFICER, district_id=case.district_id
    )
    return User.objects.filter(pk__in=assignments.values("user_id"), is_active=True)


def may_handle(user, case: Case) -> bool:
    """Centre staff and examiners posted at the case's centre; moderators for course cases."""
    from accounts.permissions import user_roles

    roles = user_roles(user)
    if case.center_id:
        return (
            bool(roles & {Role.CENTER_STAFF, Role.EXAMINER})
            and CenterStaff.objects.filter(center_id=case.center_id, user=user).exists()
        )
    return Role.PUBLICITY_MODERATOR in roles


def case_url(case: Case) -> str:
    return absolute_url(reverse("feedback:case", args=[case.pk]))


def case_open(*, rating: Rating, now=None) -> Case:
    now = _now(now)
    case = Case.objects.create(
        rating=rating,
        center=rating.center,
        course=rating.course,
        district=rating.district,
        callback_due=working_day_deadline(now, settings.ANXUN_CASE_CALLBACK_WORKING_DAYS),
        rectification_due=working_day_deadline(now, settings.ANXUN_CASE_RECTIFICATION_WORKING_DAYS),
    )
    audit_record(
        actor=rating.worker.user,
        verb="case.opened",
        target=case,
        after={
            "state": case.state,
            "callback_due": case.callback_due.isoformat(),
            "rectification_due": case.rectification_due.isoformat(),
        },
    )
    for handler in case_handlers(case):
        _tell(
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


def _locked_case(case_id: int) -> Case:
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("rating__worker__user")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise DomainError(_("No such case."), code="not_found")
    return case


def _text(value, *, field: str, message) -> str:
    value = (value or "").strip()
    if len(value) < TEXT_MIN or "\x00" in value:
        raise DomainError(message, code="text", field=field)
    return value[:2000]


def _move(case: Case, *, actor, to: str, verb: str, now, **changes) -> Case:
    before = {"state": case.state}
    case.state = to
    for name, value in changes.items():
        setattr(case, name, value)
    case.save()
    audit_record(
        actor=actor,
        verb=verb,
        target=case,
        before=before,
        after={"state": to, "at": now.isoformat(), **{k: str(v) for k, v in changes.items()}},
    )
    return case


def _must_handle(actor, case: Case) -> None:
    if not may_handle(actor, case):
        raise PermissionDenied(_("This case belongs to another centre or office."))


def _must_be(case: Case, state: str) -> None:
    if case.state != state:
        raise DomainError(
            _("This case is %(state)s: that step is not open now.")
            % {"state": case.get_state_display()},
            code="wrong_state",
        )


@transaction.atomic
def case_callback_record(*, actor, case_id: int, note: str, now=None) -> Case:
    """The worker was called back: what they said."""
    now = _now(now)
    case = _locked_case(case_id)
    _must_handle(actor, case)
    _must_be(case, Case.State.OPEN)
    note = _text(note, field="note", message=_("Write down what the worker said on the call."))
    return _move(
        case,
        actor=actor,
        to=Case.State.CALLED_BACK,
        verb="case.called_back",
        now=now,
        called_back_at=now,
        callback_note=note,
    )


@transaction.atomic
def case_rectification_start(*, actor, case_id: int, plan: str, now=None) -> Case:
    now = _now(now)
    case = _locked_case(case_id)
    _must_handle(actor, case)
    _must_be(case, Case.State.CALLED_BACK)
    plan = _text(plan, field="plan", message=_("Describe what will be put right, and how."))
    return _move(
        case,
        actor=actor,
        to=Case.State.RECTIFYING,
        verb="case.rectifying",
        now=now,
        rectifying_at=now,
        rectification_plan=plan,
    )


@transaction.atomic
def case_close(*, actor, case_id: int, feedback: str, now=None) -> Case:
    """Close with the feedback the worker receives (required: a case is never closed blank)."""
    now = _now(now)
    case = _locked_case(case_id)
    _must_handle(actor, case)
    _must_be(case, Case.State.RECTIFYING)
    feedback = _text(
        feedback,
        field="feedback",
        message=_("Write the feedback the worker will receive: what was done about it."),
    )
    case = _move(
        case,
        actor=actor,
        to=Case.State.CLOSED,
        verb="case.closed",
        now=now,
        closed_at=now,
        feedback=feedback,
    )
    worker_user = case.rating.worker.user
    _tell(
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
    now = _now(now)
    case = _locked_case(case_id)
    if case.rating.worker_id != worker.pk:
        raise DomainError(_("No such case."), code="not_found")
    _must_be(case, Case.State.CLOSED)
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
    audit_record(actor=worker.user, verb=f"case.{answer}", target=case, after={"note": note})
    if answer == Case.Answer.DISPUTED:
        for officer in district_officers(case):
            _tell(
                officer,
                key=f"case-disputed:{case.pk}:{officer.pk}",
                text=lambda: (
                    _("Anxun: a worker disputes the feedback on complaint case %(url)s")
                    % {"url": case_url(case)}
                ),
            )
    return case


# --- Escalation (Celery beat) ------------------------------------------------------------


def _escalation(case: Case, *, flag: str, still: Q, verb: str, people, text, now) -> bool:
    """Mark the case (once per ``flag``), audit it and tell ``people``. False if done before,
    or if the case no longer matches ``still`` once locked (a callback recorded meanwhile)."""
    locked = Case.objects.select_for_update(skip_locked=True).filter(still, pk=case.pk).first()
    if locked is None or getattr(locked, flag) is not None:
        return False
    setattr(locked, flag, now)
    locked.save(update_fields=[flag, "updated_at"])
    audit_record(actor=None, verb=verb, target=locked, after={"at": now.isoformat()})
    for person in people:
        _tell(person, key=f"{verb}:{locked.pk}:{person.pk}", text=text)
    return True


def cases_escalate(*, now=None) -> dict[str, int]:
    """Warn the centre's supervisors as a deadline nears, tell the district officers once it
    has passed. Each step happens once per case and deadline, whoever runs this and how often."""
    now = _now(now)
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
                verb="case.callback_due_soon",
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
                verb="case.callback_overdue",
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
                verb="case.rectification_due_soon",
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
                verb="case.rectification_overdue",
                people=district_officers(case),
                text=late_text(case, case.rectification_due, rectification),
                now=now,
            ):
                done["rectification_escalated"] += 1
    return done


# --- Invitations to rate (Celery beat) ----------------------------------------------------


def rating_path(service: str, event_id: int) -> str:
    return reverse("feedback:rate", args=[service, event_id])


def rating_invitations_send(*, now=None) -> int:
    """Ask workers to rate what they used an hour or more ago (within two days), once per
    event, by SMS with a link to the rating page."""
    now = _now(now)
    window = (now - datetime.timedelta(days=2), now - datetime.timedelta(hours=1))
    events = [
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
            worker = event.holder if service == Service.CERTIFICATE_DESK else event.worker
            url = absolute_url(rating_path(service, event.pk))
            with transaction.atomic():
                _tell(
                    worker.user,
                    key=f"rate-invite:{service}:{event.pk}",
                    text=lambda what=what, url=url: (
                        _("Anxun: how was %(what)s? Rate it in a minute: %(url)s")
                        % {"what": what, "url": url}
                    ),
                )
            sent += 1
    return sent
