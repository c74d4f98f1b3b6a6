"""Theory exam pages. The answer key is never rendered or returned before submission: views
pass the paper through ``public_paper``, which drops it."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import WorkerProfile
from core.errors import DomainError

from . import services
from .models import Subject, TheoryAttempt

STATUS_FOR = {
    "not_found": 404,
    "submitted": 409,
    "deadline": 409,
    "no_such_question": 400,
    "no_such_choice": 400,
    "one_answer": 400,
    "malformed": 400,
}


def _worker(request) -> WorkerProfile:
    worker = WorkerProfile.objects.filter(user=request.user).first()
    if worker is None:
        raise Http404
    return worker


def paper_images(paper: list[dict]) -> dict[int, str]:
    """Image URLs for the paper's illustrated questions, in one query."""
    from wagtail.images import get_image_model

    ids = {entry.get("image") for entry in paper} - {None}
    images = get_image_model().objects.filter(pk__in=ids).prefetch_renditions("max-800x500")
    return {image.pk: image.get_rendition("max-800x500").url for image in images}


def public_paper(paper: list[dict]) -> list[dict]:
    """What the taker may see: no key, no explanation."""
    images = paper_images(paper)
    return [
        {
            "kind": entry["kind"],
            "category": entry["category"],
            "stem": entry["stem"],
            "choices": entry["choices"],
            "points": entry["points"],
            "image_url": images.get(entry["image"]) if entry.get("image") is not None else None,
        }
        for entry in paper
    ]


@login_required
def exam_list(request):
    worker = _worker(request)
    rows = []
    active = {
        a.subject_id: a
        for a in TheoryAttempt.objects.filter(
            worker=worker, status=TheoryAttempt.Status.IN_PROGRESS
        )
    }
    for subject in Subject.objects.filter(active=True).prefetch_related("required_courses"):
        refusal = retrain = book = None
        try:
            if subject.pk not in active:
                services.attempt_eligibility_check(worker=worker, subject=subject)
        except DomainError as error:
            refusal, retrain = error.message, error.code in RETRAINING_CODES
            book = error.code == "already_passed"
        rows.append(
            {
                "subject": subject,
                "active": active.get(subject.pk),
                "refusal": refusal,
                "retrain": retrain,
                "book": book,
            }
        )
    history = TheoryAttempt.objects.filter(
        worker=worker, status=TheoryAttempt.Status.SUBMITTED
    ).select_related("subject")[:20]
    return render(request, "exams/exam_list.html", {"rows": rows, "history": history})


RETRAINING_CODES = {"retraining_required", "retake_expired"}


@login_required
@require_POST
def retrain(request, code: str):
    """After repeated fails: put the subject's required courses back to the first lesson."""
    from training.services import training_restart

    subject = get_object_or_404(Subject, code=code)
    worker = _worker(request)
    try:
        services.attempt_eligibility_check(worker=worker, subject=subject)
    except DomainError as error:
        if error.code not in RETRAINING_CODES:
            messages.error(request, error.message)
            return redirect("exams:list")
    else:
        return redirect("exams:list")  # eligible already: nothing to redo
    training_restart(worker=worker, courses=subject.required_courses.all(), actor=request.user)
    messages.success(request, _("Your required courses start again from the first lesson."))
    return redirect("training:learning")


@login_required
@require_POST
def attempt_start(request, code: str):
    subject = get_object_or_404(Subject, code=code)
    try:
        attempt = services.attempt_start(worker=_worker(request), subject=subject)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("exams:list")
    return redirect("exams:attempt", attempt_id=attempt.pk)


@login_required
def attempt_page(request, attempt_id: int):
    attempt = get_object_or_404(TheoryAttempt, pk=attempt_id, worker=_worker(request))
    services.attempt_expire_if_due(attempt=attempt)
    attempt.refresh_from_db()
    if attempt.status == TheoryAttempt.Status.SUBMITTED:
        return redirect("exams:result", attempt_id=attempt.pk)
    saved = {a.position: {"selected": a.selected, "seq": a.seq} for a in attempt.answers.all()}
    questions = [
        {**entry, "position": position, "saved": saved.get(position, {}).get("selected", [])}
        for position, entry in enumerate(public_paper(attempt.paper))
    ]
    remaining = max(0, int((attempt.deadline - timezone.now()).total_seconds()))
    state = {
        "attempt": attempt.pk,
        "remaining": remaining,
        "saveUrl": reverse("exams:answer", args=[attempt.pk]),
        "seq": {str(p): v["seq"] for p, v in saved.items()},
    }
    return render(
        request,
        "exams/attempt.html",
        {
            "attempt": attempt,
            "questions": questions,
            "state": state,
            "remaining": remaining,
        },
    )


@login_required
@require_POST
def answer_save(request, attempt_id: int):
    """Autosave one answer: JSON {position, selected: [choice indexes], seq}."""
    worker = WorkerProfile.objects.filter(user=request.user).first()
    if worker is None:
        return JsonResponse({"error": "forbidden"}, status=403)
    try:
        payload = json.loads(request.body or b"{}")
        position, selected, seq = payload["position"], payload["selected"], payload["seq"]
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"error": str(_malformed())}, status=400)
    try:
        answer = services.answer_save(
            attempt_id=attempt_id, worker=worker, position=position, selected=selected, seq=seq
        )
    except DomainError as error:
        return JsonResponse(
            {"error": str(error.message), "code": error.code},
            status=STATUS_FOR.get(error.code, 400),
        )
    return JsonResponse(
        {"position": answer.position, "seq": answer.seq, "selected": answer.selected}
    )


def _malformed():
    return _("The answer could not be read; reload the page.")


@login_required
@require_POST
def attempt_submit(request, attempt_id: int):
    try:
        attempt = services.attempt_submit(attempt_id=attempt_id, worker=_worker(request))
    except DomainError:
        raise Http404 from None
    return redirect("exams:result", attempt_id=attempt.pk)


@login_required
def attempt_result(request, attempt_id: int):
    attempt = get_object_or_404(
        TheoryAttempt.objects.select_related("subject"), pk=attempt_id, worker=_worker(request)
    )
    services.attempt_expire_if_due(attempt=attempt)
    attempt.refresh_from_db()
    if attempt.status != TheoryAttempt.Status.SUBMITTED:
        return redirect("exams:attempt", attempt_id=attempt.pk)
    saved = {a.position: a.selected for a in attempt.answers.all()}
    review = [
        {
            **entry,
            "position": position,
            "given": saved.get(position, []),
            "right": saved.get(position) == entry["key"],
        }
        for position, entry in enumerate(attempt.paper)
    ]
    return render(request, "exams/result.html", {"attempt": attempt, "review": review})
