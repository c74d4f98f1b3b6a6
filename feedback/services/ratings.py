"""Ratings: a worker rates a service they used, once; a bad one opens a case."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from accounts.models import WorkerProfile
from core.errors import DomainError

from .. import events
from ..models import Rating, Service
from ..rules import EVENT_FIELD, already_rated, rateable_event
from .cases import case_open
from .common import service_now

COMMENT_MAX = 500

# What could have been better, per service: the tick boxes of the rating form.
REASONS: dict[str, dict[str, StrOrPromise]] = {
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
    now = service_now(now)
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
    if already_rated(service=service, event=event):
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
                **{EVENT_FIELD[service]: event},
            )
    except IntegrityError as error:  # the same rating sent twice at once
        raise already from error
    events.rating_submitted(rating=rating)
    if rating.low or rating.complaint:
        case_open(rating=rating, now=now)
    return rating
