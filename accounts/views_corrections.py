"""Real-name corrections: a worker asks (with a reason and an ID card scan), staff of the
worker's district or the bureau decide. Views check who asks and call one service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from core.errors import PermissionDenied
from core.exports import AuditedExportMixin
from core.files import private_file_response

from . import ports
from .filters import CorrectionRequestFilter
from .forms import CorrectionDecisionForm, CorrectionRequestForm
from .models import CorrectionRequest
from .permissions import Action, ActionRequiredMixin, corrections_visible_to
from .tables import CorrectionRequestTable, correction_asks
from .validators import mask_id_number


class CorrectionRequestCreateView(ActionRequiredMixin, View):
    """``/me/corrections/new/``: the worker's own request (a staff account has no profile)."""

    required_action = Action.EDIT_OWN_PROFILE

    def get(self, request):
        profile = request.user.worker_profile
        pending = profile.correction_requests.filter(
            status=CorrectionRequest.Status.PENDING
        ).first()
        form = CorrectionRequestForm(request.POST or None, request.FILES or None)
        if (
            request.method == "POST"
            and form.is_valid()
            and form.save_for(profile=profile, actor=request.user)
        ):
            messages.success(
                request,
                _("Your correction request was filed. You will be told the decision by SMS."),
            )
            return redirect("accounts:profile")
        return render(
            request,
            "accounts/correction_new.html",
            {"form": form, "profile": profile, "pending": pending},
        )

    post = get


@login_required
def correction_file(request, pk: int, kind: str):
    """The evidence or the requested photo of a correction, to the worker who filed it and to
    staff who may decide it; to anyone else it does not exist (404, ids cannot be probed)."""
    if kind not in ("evidence", "photo"):
        raise Http404
    correction = (
        CorrectionRequest.objects.filter(pk=pk, profile__user=request.user).first()
        or corrections_visible_to(request.user).filter(pk=pk).first()
    )
    if correction is None:
        raise Http404
    return private_file_response(
        getattr(correction, kind), content_type="image/jpeg", cache_control="private, no-store"
    )


class CorrectionListView(ActionRequiredMixin, AuditedExportMixin, SingleTableMixin, FilterView):
    """``/corrections/``: the requests staff may decide, waiting ones first by default."""

    required_action = Action.DECIDE_CORRECTIONS
    table_class = CorrectionRequestTable
    filterset_class = CorrectionRequestFilter
    template_name = "accounts/correction_list.html"
    paginate_by = 50
    export_name = "corrections"

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        data = (kwargs["data"] or self.request.GET).copy()
        data.setdefault("status", CorrectionRequest.Status.PENDING)
        kwargs["data"] = data
        return kwargs

    def get_queryset(self):
        return (
            corrections_visible_to(self.request.user)
            .select_related("profile__district", "claims_from")
            .order_by("created_at", "pk")
        )


class CorrectionDetailView(ActionRequiredMixin, View):
    """``/corrections/<pk>/``: the request, the evidence, the records it touches; approve or
    refuse. A request outside the officer's district is refused (403)."""

    required_action = Action.DECIDE_CORRECTIONS

    def get(self, request, pk: int):
        if not CorrectionRequest.objects.filter(pk=pk).exists():
            raise Http404
        correction = (
            corrections_visible_to(request.user)
            .select_related("profile__user", "profile__district", "claims_from__user", "decided_by")
            .filter(pk=pk)
            .first()
        )
        if correction is None:
            raise HttpPermissionDenied(_("This correction request is not in your district."))
        form = CorrectionDecisionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                decided = form.save_for(request_id=correction.pk, actor=request.user)
            except PermissionDenied as error:
                raise HttpPermissionDenied(error.message) from None
            if decided is not None:
                messages.success(
                    request,
                    _("The request was approved.")
                    if decided.status == CorrectionRequest.Status.APPROVED
                    else _("The request was refused."),
                )
                return redirect("accounts:correction_detail", pk=correction.pk)
        claims_from = correction.claims_from
        return render(
            request,
            "accounts/correction_detail.html",
            {
                "correction": correction,
                "pending": correction.status == CorrectionRequest.Status.PENDING,
                "profile": correction.profile,
                "asks": correction_asks(correction),
                "uses": ports.profile_uses(correction.profile_id),
                "claims_from": claims_from,
                "claims_from_uses": ports.profile_uses(claims_from.pk) if claims_from else [],
                "claims_from_id_masked": mask_id_number(claims_from.id_number)
                if claims_from
                else "",
                "form": form,
            },
        )

    post = get
