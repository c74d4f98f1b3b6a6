"""Writes for theory exams: starting (eligibility, retakes, one active attempt, a drawn paper),
autosaving answers (ordered by sequence number, refused after the deadline), submitting and
grading (once), and the sweep that submits attempts left past their deadline.

Rules (DESIGN.md §2, per subject): required training done; a valid pass needs no new attempt;
after a fail one free retake within ``free_retake_days``; after ``fails_before_retraining``
fails the worker must complete the required training again.
"""

import random
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import WorkerProfile
from core.errors import DomainError
from training.selectors import training_completed

from . import events
from .locks import answer_lock_or_create, attempt_lock
from .models import AttemptAnswer, BlueprintRule, Question, Subject, TheoryAttempt
from .selectors import last_training_at


def grace_seconds() -> int:
    """Saves that left the page just before the deadline are still accepted for this long."""
    return getattr(settings, "ANXUN_EXAM_GRACE_SECONDS", 10)


# --- Eligibility ----------------------------------------------------------------------------


def attempt_eligibility_check(*, worker: WorkerProfile, subject: Subject, now=None) -> None:
    """Raise DomainError saying why the worker may not start, and what to do; else return."""
    now = now or timezone.now()
    if not subject.active:
        raise DomainError(_("This exam is not open."), code="subject_closed")
    courses = list(subject.required_courses.all())
    if not training_completed(worker=worker, courses=courses):
        raise DomainError(
            _("Complete the required training first: %(courses)s.")
            % {"courses": "、".join(course.title for course in courses)},
            code="training_required",
        )
    submitted = TheoryAttempt.objects.filter(
        worker=worker, subject=subject, status=TheoryAttempt.Status.SUBMITTED
    )
    last_pass = submitted.filter(passed=True).order_by("-submitted_at").first()
    passed_at = last_pass.submitted_at if last_pass else None  # set on every submitted attempt
    if passed_at and passed_at + timedelta(days=subject.theory_valid_days) > now:
        raise DomainError(
            _("You passed on %(date)s; the pass is valid until %(until)s. Book the practical exam.")
            % {
                "date": timezone.localdate(passed_at).isoformat(),
                "until": timezone.localdate(
                    passed_at + timedelta(days=subject.theory_valid_days)
                ).isoformat(),
            },
            code="already_passed",
        )
    # Fails count since the worker last (re)trained or last passed, whichever is later.
    fresh_start = max(
        filter(
            None,
            [
                last_training_at(worker=worker, subject=subject),
                passed_at,
            ],
        ),
        default=None,
    )
    failed = submitted.filter(passed=False)
    if fresh_start:
        failed = failed.filter(submitted_at__gt=fresh_start)
    fails = list(failed.order_by("-submitted_at")[: subject.fails_before_retraining])
    if len(fails) >= subject.fails_before_retraining:
        raise DomainError(
            _(
                "You have not passed %(n)d times. Complete the required training again, then "
                "you may sit the exam."
            )
            % {"n": len(fails)},
            code="retraining_required",
        )
    last_fail_at = fails[0].submitted_at if fails else None  # set on every submitted attempt
    if last_fail_at and last_fail_at + timedelta(days=subject.free_retake_days) < now:
        raise DomainError(
            _(
                "The free retake had to be taken within %(days)d days of the failed attempt. "
                "Complete the required training again, then you may sit the exam."
            )
            % {"days": subject.free_retake_days},
            code="retake_expired",
        )


# --- The paper ------------------------------------------------------------------------------


def paper_draw(*, subject: Subject, rng: random.Random | None = None) -> list[dict]:
    """Draw a paper by the subject's blueprint: questions at random, choices shuffled.

    Each entry is a snapshot: question id, kind, category, stem, the choices as shown, the key
    as indexes into the shown choices, points, explanation. It is what the attempt is graded on.
    """
    rng = rng or random.SystemRandom()
    # A paper runs true/false, then single choice, then multiple choice, as printed papers do.
    kind_order: list[str] = [Question.Kind.TRUE_FALSE, Question.Kind.SINGLE, Question.Kind.MULTIPLE]
    rules = sorted(
        BlueprintRule.objects.filter(subject=subject).select_related("category"),
        key=lambda rule: (kind_order.index(rule.kind), rule.pk),
    )
    if sum(rule.count * rule.points_each for rule in rules) != 100:
        raise DomainError(
            _("This exam's blueprint does not add up to 100 points; tell the exam office."),
            code="blueprint_invalid",
        )
    paper: list[dict] = []
    used: set[int] = set()
    for rule in rules:
        pool = Question.objects.filter(subject=subject, kind=rule.kind, active=True).exclude(
            pk__in=used
        )
        if rule.category_id:
            pool = pool.filter(category_id=rule.category_id)
        candidates = list(pool.select_related("category"))
        if len(candidates) < rule.count:
            raise DomainError(
                _("The question bank of this exam is too small; tell the exam office."),
                code="bank_too_small",
            )
        for question in rng.sample(candidates, rule.count):
            used.add(question.pk)
            order = list(range(len(question.choices)))
            if question.kind != Question.Kind.TRUE_FALSE:
                rng.shuffle(order)
            paper.append(
                {
                    "question": question.pk,
                    "kind": question.kind,
                    "category": question.category.name,
                    "stem": question.stem,
                    "choices": [question.choices[i] for i in order],
                    "key": sorted(order.index(i) for i in question.correct),
                    "points": rule.points_each,
                    "explanation": question.explanation,
                    "image": question.image_id,
                }
            )
    return paper


# --- Attempts -------------------------------------------------------------------------------


@transaction.atomic
def attempt_start(*, worker: WorkerProfile, subject: Subject, now=None) -> TheoryAttempt:
    """Start an attempt, or return the one already in progress (the database allows one)."""
    now = now or timezone.now()
    active = TheoryAttempt.objects.filter(
        worker=worker, subject=subject, status=TheoryAttempt.Status.IN_PROGRESS
    ).first()
    if active is not None:
        # An attempt left past its deadline is submitted and returned: the worker sees that
        # result before deciding on a retake (a stale click must not start the retake).
        attempt_expire_if_due(attempt=active, now=now)
        active.refresh_from_db()
        return active
    attempt_eligibility_check(worker=worker, subject=subject, now=now)
    paper = paper_draw(subject=subject)
    number = TheoryAttempt.objects.filter(worker=worker, subject=subject).count() + 1
    try:
        with transaction.atomic():
            attempt = TheoryAttempt.objects.create(
                worker=worker,
                subject=subject,
                number=number,
                started_at=now,
                deadline=now + timedelta(minutes=subject.duration_minutes),
                paper=paper,
                pass_mark=subject.pass_mark,
            )
    except IntegrityError:
        # A second click or tab started one at the same moment: that one is the attempt.
        return TheoryAttempt.objects.get(
            worker=worker, subject=subject, status=TheoryAttempt.Status.IN_PROGRESS
        )
    events.attempt_started(actor=worker.user, attempt=attempt)
    return attempt


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _valid_selection(entry: dict, selected) -> list[int]:
    if not isinstance(selected, list) or not all(_is_int(i) for i in selected):
        raise DomainError(_("An answer is a list of choice numbers."), code="malformed")
    choices = set(range(len(entry["choices"])))
    picked = sorted(set(selected))
    if len(picked) != len(selected) or not set(picked) <= choices:
        raise DomainError(_("That choice does not exist."), code="no_such_choice")
    if entry["kind"] != "multiple" and len(picked) > 1:
        raise DomainError(_("Choose one answer only."), code="one_answer")
    return picked


@transaction.atomic
def answer_save(
    *, attempt_id: int, worker: WorkerProfile, position: int, selected, seq: int, now=None
) -> AttemptAnswer:
    """Save one answer. A save with a sequence number not newer than the stored one changes
    nothing (a stale retry never overwrites a newer answer); saving the same thing twice is
    harmless. Refused after the deadline plus the grace, and for anyone but the taker."""
    now = now or timezone.now()
    attempt = attempt_lock(attempt_id, worker=worker)
    if attempt is None:
        raise DomainError(_("No such attempt."), code="not_found")
    if attempt.status != TheoryAttempt.Status.IN_PROGRESS:
        raise DomainError(_("This attempt has been submitted."), code="submitted")
    if now > attempt.deadline + timedelta(seconds=grace_seconds()):
        raise DomainError(_("Time is up: answers are no longer accepted."), code="deadline")
    if not _is_int(position) or not 0 <= position < len(attempt.paper):
        raise DomainError(_("That question is not in this attempt."), code="no_such_question")
    if not _is_int(seq) or not 1 <= seq < 2**31:
        raise DomainError(_("A save needs a sequence number."), code="malformed")
    picked = _valid_selection(attempt.paper[position], selected)
    answer, created = answer_lock_or_create(
        attempt=attempt,
        position=position,
        defaults={"selected": picked, "seq": seq, "saved_at": now},
    )
    if not created and seq > answer.seq:
        answer.selected, answer.seq, answer.saved_at = picked, seq, now
        answer.save(update_fields=["selected", "seq", "saved_at"])
    return answer


def _grade(attempt: TheoryAttempt) -> None:
    saved = {a.position: a.selected for a in attempt.answers.all()}
    score = 0
    breakdown: dict[str, dict[str, int]] = {}
    for position, entry in enumerate(attempt.paper):
        right = saved.get(position) == entry["key"]
        points = entry["points"] if right else 0
        score += points
        row = breakdown.setdefault(
            entry["category"], {"points": 0, "of": 0, "right": 0, "questions": 0}
        )
        row["points"] += points
        row["of"] += entry["points"]
        row["right"] += int(right)
        row["questions"] += 1
    attempt.score, attempt.breakdown = score, breakdown
    attempt.passed = score >= attempt.pass_mark


@transaction.atomic
def attempt_submit(
    *, attempt_id: int, worker: WorkerProfile | None = None, now=None, automatic: bool = False
) -> TheoryAttempt:
    """Submit and grade once: a second submit (another tab, a retry, the sweep) returns the
    same result. The finish time is never later than the deadline."""
    now = now or timezone.now()
    attempt = attempt_lock(attempt_id, worker=worker)
    if attempt is None:
        raise DomainError(_("No such attempt."), code="not_found")
    if attempt.status == TheoryAttempt.Status.SUBMITTED:
        return attempt
    _grade(attempt)
    attempt.status = TheoryAttempt.Status.SUBMITTED
    attempt.auto_submitted = automatic
    attempt.submitted_at = min(now, attempt.deadline)
    attempt.save()
    events.attempt_submitted(actor=attempt.worker.user if worker else None, attempt=attempt)
    return attempt


def attempt_expire_if_due(*, attempt: TheoryAttempt, now=None) -> bool:
    """Submit an attempt whose deadline (plus the grace) has passed. True if it did."""
    now = now or timezone.now()
    if attempt.status == TheoryAttempt.Status.IN_PROGRESS and now > attempt.deadline + timedelta(
        seconds=grace_seconds()
    ):
        attempt_submit(attempt_id=attempt.pk, now=now, automatic=True)
        return True
    return False


def attempts_sweep(*, now=None, batch: int = 500) -> int:
    """Beat task body: submit attempts left past their deadline. Returns how many."""
    now = now or timezone.now()
    due = TheoryAttempt.objects.filter(
        status=TheoryAttempt.Status.IN_PROGRESS,
        deadline__lt=now - timedelta(seconds=grace_seconds()),
    ).values_list("pk", flat=True)[:batch]
    count = 0
    for attempt_id in list(due):
        attempt_submit(attempt_id=attempt_id, now=now, automatic=True)
        count += 1
    return count
