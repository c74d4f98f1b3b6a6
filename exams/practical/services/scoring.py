"""Scoring and results: examiners' locked scorings, the result they decide (a pass calls the
certificate issuer through ``exams.ports``, in the same transaction), a supervisor's decision
or correction, and a checked-in candidate recorded as not attended."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.permissions import Action
from core.errors import DomainError

from ... import events
from ...locks import booking_lock, result_lock
from ...models import Booking, ExamResult, PracticalScore, Subject
from ...ports import certificate_issuer
from ...services import _is_int
from ..selectors import agreed_items, rubric_for
from .common import _not_own, _reason, _staff_check

NOTE_MAX = 200  # an examiner's note on an item: shown to the candidate with the result


def rubric_marks(
    *, subject: Subject, points: dict[int, int], critical_failed, notes=None
) -> tuple[list[dict], list[int], int]:
    """Check a full scoring of the rubric; return the item snapshot, failed critical items and
    the total. A failed critical item scores 0. ``notes`` (item → text) are the examiner's
    optional notes, which the candidate reads with the result."""
    items = rubric_for(subject)
    by_id = {item.pk: item for item in items}
    failed = set(critical_failed)
    notes = {key: (text or "").strip() for key, text in (notes or {}).items()}
    if set(points) != set(by_id):
        raise DomainError(_("Score every item of the rubric."), code="incomplete")
    if not failed <= {item.pk for item in items if item.critical}:
        raise DomainError(_("Only critical items can fail the exam outright."), code="malformed")
    if not set(notes) <= set(by_id):
        raise DomainError(_("A note names an item that is not in the rubric."), code="malformed")
    for key, text in notes.items():
        if len(text) > NOTE_MAX or any(ord(char) < 32 for char in text):
            raise DomainError(
                _("The note on “%(item)s” must be plain text of at most %(max)d characters.")
                % {"item": by_id[key].title, "max": NOTE_MAX},
                code="note",
            )
    snapshot, total = [], 0
    for item in items:
        given = points[item.pk]
        if not _is_int(given) or not 0 <= given <= item.max_points:
            raise DomainError(
                _("“%(item)s” takes 0 to %(max)d points.")
                % {"item": item.title, "max": item.max_points},
                code="out_of_range",
            )
        given = 0 if item.pk in failed else given
        total += given
        snapshot.append(
            {
                "item": item.pk,
                "part": item.part,
                "title": item.title,
                "max": item.max_points,
                "critical": item.critical,
                "points": given,
                "failed": item.pk in failed,
                "note": notes.get(item.pk, ""),
            }
        )
    return snapshot, sorted(failed), total


def _result_record(
    booking: Booking,
    *,
    practical: int,
    critical: bool,
    items: list[dict],
    actor,
    now,
    corrected=False,
) -> ExamResult:
    subject = booking.subject
    passed = practical >= subject.practical_pass_mark and not critical
    theory_score = booking.theory_attempt.score
    assert theory_score is not None, "a booking rests on a graded theory pass"
    result = ExamResult.objects.create(
        booking=booking,
        worker=booking.worker,
        subject=subject,
        theory_score=theory_score,
        practical_score=practical,
        critical_failed=critical,
        passed=passed,
        decided_at=now,
        corrected=corrected,
        items=items,
    )
    before = booking.status
    booking.status = Booking.Status.COMPLETED
    booking.save(update_fields=["status", "updated_at"])
    events.booking_completed(
        actor=actor, booking=booking, before=before, score=practical, passed=passed
    )
    events.result_decided(actor=actor, result=result)
    if passed and (issue := certificate_issuer()):
        issue(result=result)
    return result


def _examiner_booking(
    *, examiner, booking_id: int, action: Action | None = None, supervisor: bool = False
) -> Booking:
    booking = booking_lock(
        booking_id, related=("session__center", "subject", "theory_attempt", "worker__user")
    )
    if booking is None:
        raise DomainError(_("No such booking."), code="not_found")
    _staff_check(examiner, booking.session.center, action=action, supervisor=supervisor)
    _not_own(examiner, booking)
    return booking


@transaction.atomic
def score_submit(
    *,
    examiner,
    booking_id: int,
    points: dict[int, int],
    critical_failed=(),
    notes: dict[int, str] | None = None,
    now=None,
) -> PracticalScore:
    """Record one examiner's locked scoring of a checked-in candidate. When the subject's
    examiners have all scored, the result is decided (and a pass issues the certificate) —
    unless two examiners' totals differ by more than the subject's margin, which waits for the
    supervisor."""
    now = now or timezone.now()
    booking = _examiner_booking(
        examiner=examiner, booking_id=booking_id, action=Action.SCORE_PRACTICAL
    )
    if booking.status == Booking.Status.CONFIRMED:
        raise DomainError(_("Check the candidate in before scoring."), code="not_checked_in")
    if booking.status != Booking.Status.CHECKED_IN:
        raise DomainError(_("This candidate has been scored."), code="scored")
    scores = list(PracticalScore.objects.filter(booking=booking))
    if any(score.examiner_id == examiner.pk for score in scores):
        raise DomainError(_("You have scored this candidate already."), code="scored")
    snapshot, failed, total = rubric_marks(
        subject=booking.subject, points=points, critical_failed=critical_failed, notes=notes
    )
    score = PracticalScore.objects.create(
        booking=booking,
        examiner=examiner,
        items=snapshot,
        critical_failed=failed,
        total=total,
        submitted_at=now,
    )
    events.score_submitted(actor=examiner, score=score)
    scores.append(score)
    if len(scores) < booking.subject.practical_examiners:
        return score
    totals = [s.total for s in scores]
    verdicts = {bool(s.critical_failed) for s in scores}
    if max(totals) - min(totals) > booking.subject.examiner_margin or len(verdicts) > 1:
        booking.status = Booking.Status.SCORES_DIFFER
        booking.save(update_fields=["status", "updated_at"])
        events.booking_scores_differ(actor=examiner, booking=booking, totals=totals)
        return score
    _result_record(
        booking,
        practical=(sum(totals) * 2 + len(totals)) // (2 * len(totals)),  # the mean, halves up
        critical=any(s.critical_failed for s in scores),
        items=agreed_items(scores),
        actor=examiner,
        now=now,
    )
    return score


@transaction.atomic
def result_correct(
    *,
    supervisor,
    booking_id: int,
    points: dict[int, int],
    critical_failed=(),
    reason: str,
    notes: dict[int, str] | None = None,
    now=None,
) -> ExamResult:
    """A centre supervisor's scoring that decides a result (examiners' totals differ) or
    corrects one, with a reason, as an audit event. A pass cannot be corrected into a fail
    here: its certificate has been issued and only a bureau officer may revoke it."""
    now = now or timezone.now()
    reason = _reason(reason, message=_("Give the reason for the correction (4 to 200 characters)."))
    booking = _examiner_booking(examiner=supervisor, booking_id=booking_id, supervisor=True)
    if booking.status not in (Booking.Status.COMPLETED, Booking.Status.SCORES_DIFFER):
        raise DomainError(_("There is no score to correct yet."), code="not_scored")
    snapshot, failed, total = rubric_marks(
        subject=booking.subject, points=points, critical_failed=critical_failed, notes=notes
    )
    if booking.status == Booking.Status.SCORES_DIFFER:
        result = _result_record(
            booking,
            practical=total,
            critical=bool(failed),
            items=snapshot,
            actor=supervisor,
            now=now,
            corrected=True,
        )
        events.result_corrected(actor=supervisor, result=result, items=snapshot, reason=reason)
        return result
    result = result_lock(booking)
    if result.passed:
        raise DomainError(
            _("A certificate has been issued on this pass; a bureau officer must revoke it."),
            code="passed",
        )
    before = {"practical": result.practical_score, "passed": result.passed}
    result.practical_score, result.critical_failed = total, bool(failed)
    result.passed = total >= booking.subject.practical_pass_mark and not failed
    result.corrected, result.decided_at, result.items = True, now, snapshot
    result.save()
    events.result_corrected(
        actor=supervisor, result=result, items=snapshot, reason=reason, before=before
    )
    if result.passed and (issue := certificate_issuer()):
        issue(result=result)
    return result


@transaction.atomic
def booking_abandon(*, supervisor, booking_id: int, reason: str, now=None) -> Booking:
    """A checked-in candidate who left before being scored (or was sent away): the supervisor
    records it, with a reason, as not attended — it counts as an attempt, and the worker may
    book again under the retake rules instead of staying booked for good."""
    now = now or timezone.now()
    reason = _reason(reason, message=_("Give the reason (4 to 200 characters)."))
    booking = _examiner_booking(examiner=supervisor, booking_id=booking_id, supervisor=True)
    if booking.status != Booking.Status.CHECKED_IN or booking.scores.exists():
        raise DomainError(
            _("Only a checked-in candidate with no score can be recorded as not attended."),
            code="not_abandonable",
        )
    booking.status, booking.ended_at = Booking.Status.NO_SHOW, now
    booking.save(update_fields=["status", "ended_at", "updated_at"])
    events.booking_abandoned(actor=supervisor, booking=booking, reason=reason)
    return booking
