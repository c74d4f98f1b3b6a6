"""Scoring at an exam centre (included at ``centre/`` by ``urls_centre``): the examiner's
tablet form, and the supervisor's page to decide differing scores, correct a result or record a
candidate as not attended. Who may: ``CenterMixin`` (a post at the centre in the URL), the
examiner's ``SCORE_PRACTICAL`` to score, the post's supervisor flag to correct.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from accounts.permissions import Action
from core.errors import DomainError
from core.errors import PermissionDenied as DomainPermissionDenied
from core.params import int_param

from ..models import Booking, ExamResult, PracticalScore
from . import selectors, services
from .views_centre import CenterMixin

# --- Scoring -------------------------------------------------------------------------------


def _points_from(post, items) -> tuple[dict[int, int], list[int], list[str]]:
    """Read the scoring form: points per item (blank or junk is an error), failed criticals."""
    points, failed, errors = {}, [], []
    for item in items:
        raw = (post.get(f"item-{item.pk}") or "").strip()
        value = int_param(raw)
        if value is None:
            errors.append(
                _("Give a score for “%(item)s” (0 to %(max)d).")
                % {"item": item.title, "max": item.max_points}
            )
        else:
            points[item.pk] = value
        if item.critical and post.get(f"failed-{item.pk}") == "1":
            failed.append(item.pk)
    return points, failed, errors


def _waiting_message(booking: Booking) -> str:
    """What a saved score that decides no result yet waits for, in each state."""
    if booking.status == Booking.Status.SCORES_DIFFER:
        return _(
            "Your score is saved. The examiners' scores differ by more than %(margin)d points "
            "or on a critical item, so the centre's supervisor decides the result."
        ) % {"margin": booking.subject.examiner_margin}
    missing = booking.subject.practical_examiners - booking.scores.count()
    if missing == 1:
        return _("Your score is saved; the result waits for the other examiner's score.")
    return _("Your score is saved; the result waits for %(n)d more examiners' scores.") % {
        "n": missing
    }


def _notes_from(post, items) -> dict[int, str]:
    """The examiner's optional notes per item (the candidate reads them with the result)."""
    return {
        item.pk: note for item in items if (note := (post.get(f"note-{item.pk}") or "").strip())
    }


class ScoringMixin(CenterMixin):
    template_name: str  # every scoring view names its template

    def load(self) -> Booking:
        return get_object_or_404(
            Booking.objects.select_related("worker__user", "session__subject", "subject"),
            pk=self.kwargs["booking_id"],
            session__center=self.center,
        )

    def render_form(self, booking, *, errors=(), values=None, failed=(), status=200, **extra):
        try:
            items = selectors.rubric_for(booking.subject)
        except DomainError as error:
            items, errors = [], [*errors, error.message]
        values = values or {}
        rows = [
            {
                "item": item,
                "value": values.get(f"item-{item.pk}", ""),
                "note": values.get(f"note-{item.pk}", ""),
                "failed": item.pk in set(failed),
            }
            for item in items
        ]
        context = self.get_context_data(
            booking=booking,
            rows=rows,
            errors=errors,
            reason=values.get("reason", ""),
            scores=PracticalScore.objects.filter(booking=booking).select_related("examiner"),
            **extra,
        )
        return TemplateResponse(self.request, self.template_name, context, status=status)


class ScoreView(ScoringMixin, TemplateView):
    """The examiner's tablet form: one row per rubric item, critical items with a fail box."""

    required_action = Action.SCORE_PRACTICAL
    template_name = "exams/practical/centre/score.html"

    def get(self, request, *args, **kwargs):
        booking = self.load()
        refusal = None
        if booking.status == Booking.Status.CONFIRMED:
            refusal = _("Check the candidate in before scoring.")
        elif booking.status == Booking.Status.SCORES_DIFFER:
            refusal = _("The examiners' scores differ; the centre's supervisor decides the result.")
        elif booking.status != Booking.Status.CHECKED_IN:
            refusal = _("This candidate has been scored.")
        elif booking.scores.filter(examiner=request.user).exists():
            refusal = _("You have scored this candidate already.")
        return self.render_form(booking, refusal=refusal)

    def post(self, request, *args, **kwargs):
        booking = self.load()
        try:
            items = selectors.rubric_for(booking.subject)
        except DomainError as error:
            return self.render_form(booking, errors=[error.message], status=400)
        points, failed, errors = _points_from(request.POST, items)
        if not errors:
            try:
                services.score_submit(
                    examiner=request.user,
                    booking_id=booking.pk,
                    points=points,
                    critical_failed=failed,
                    notes=_notes_from(request.POST, items),
                )
            except DomainError as error:
                errors = [error.message]
        if errors:
            return self.render_form(
                booking,
                errors=errors,
                values=dict(request.POST.items()),
                failed=failed,
                status=400,
            )
        booking.refresh_from_db()
        result = ExamResult.objects.filter(booking=booking).first()
        if result is None:
            messages.success(request, _waiting_message(booking))
        elif result.passed:
            messages.success(
                request,
                _("%(name)s passed with %(score)d points.")
                % {"name": booking.worker.real_name, "score": result.practical_score},
            )
            certificate = result.certificates.filter(replaces__isnull=True).first()
            if certificate is not None:
                return redirect("certificate_desk:certificate", self.center.code, certificate.pk)
        else:
            messages.warning(
                request,
                _("%(name)s did not pass (%(score)d points).")
                % {"name": booking.worker.real_name, "score": result.practical_score},
            )
        return redirect("centre:session", self.center.code, booking.session_id)


class CorrectView(ScoringMixin, TemplateView):
    """The scores of a candidate; the supervisor may decide differing scores or correct a
    result, with a reason."""

    template_name = "exams/practical/centre/correct.html"

    def get(self, request, *args, **kwargs):
        booking = self.load()
        return self.render_form(booking, result=ExamResult.objects.filter(booking=booking).first())

    def post(self, request, *args, **kwargs):
        booking = self.load()
        if not self.staff_post.supervisor:
            raise DjangoPermissionDenied(_("Only the centre's supervisor may do this."))
        if request.POST.get("action") == "abandon":
            try:
                services.booking_abandon(
                    supervisor=request.user,
                    booking_id=booking.pk,
                    reason=request.POST.get("reason", ""),
                )
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Recorded as not attended."))
            return redirect("centre:correct", self.center.code, booking.pk)
        try:
            items = selectors.rubric_for(booking.subject)
        except DomainError as error:
            return self.render_form(booking, errors=[error.message], status=400)
        points, failed, errors = _points_from(request.POST, items)
        if not errors:
            try:
                services.result_correct(
                    supervisor=request.user,
                    booking_id=booking.pk,
                    points=points,
                    critical_failed=failed,
                    reason=request.POST.get("reason", ""),
                    notes=_notes_from(request.POST, items),
                )
            except (DomainError, DomainPermissionDenied) as error:
                errors = [error.message]
        if errors:
            return self.render_form(
                booking,
                errors=errors,
                values=dict(request.POST.items()),
                failed=failed,
                status=400,
                result=ExamResult.objects.filter(booking=booking).first(),
            )
        messages.success(request, _("The result is recorded."))
        return redirect("centre:correct", self.center.code, booking.pk)
