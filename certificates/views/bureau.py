"""The bureau's certificate register: a filterable table (CSV/XLSX export, audited) and one
certificate's record, history and actions — revoke, re-issue (replace a lost certificate) and
record a passed review.

Who may: bureau officers (``Action.REVOKE_CERTIFICATES``) see every certificate and act on it;
district officers (``Action.VIEW_CAMPAIGN``) see the certificates of their district's workers
(``workers_visible_to``) and cannot act. Anonymous visitors go to the login page, other users
get 403; a certificate outside the viewer's scope does not exist (404).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import View
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from accounts.permissions import ActionRequiredMixin
from accounts.validators import mask_id_number
from core.errors import DomainError
from core.errors import PermissionDenied as DomainPermissionDenied
from core.exports import AuditedExportMixin

from .. import links, services
from ..filters import CertificateFilter
from ..models import Certificate, CertificateEvent, Status
from ..scopes import certificates_visible_to, may_act, may_view_register
from ..tables import CertificateTable

EVENTS_SHOWN = 100


# --- Who may (the rules are certificates.scopes') ---------------------------------------------


class RegisterViewerMixin(ActionRequiredMixin):
    def allows(self, request, *args, **kwargs) -> bool:
        return may_view_register(request.user)


# --- Forms -----------------------------------------------------------------------------------


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RevokeForm(ReasonForm):
    prefix = "revoke"


class ReissueForm(ReasonForm):
    prefix = "reissue"


class ReviewForm(forms.Form):
    prefix = "review"
    passed_on = forms.DateField(
        label=gettext_lazy("Review passed on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


# --- Pages -----------------------------------------------------------------------------------


class CertificateListView(RegisterViewerMixin, AuditedExportMixin, SingleTableMixin, FilterView):
    table_class = CertificateTable
    filterset_class = CertificateFilter
    template_name = "certificates/manage/list.html"
    paginate_by = 50
    export_name = "certificates"

    def get_queryset(self):
        return (
            certificates_visible_to(self.request.user)
            .select_related("holder", "subject", "center")
            .order_by("-issued_on", "-pk")
        )


def _visible(user, certificate_id: int) -> Certificate:
    return get_object_or_404(
        certificates_visible_to(user).select_related(
            "holder", "subject", "center", "revoked_by", "replaces"
        ),
        pk=certificate_id,
    )


def _detail(request, certificate: Certificate, *, status: int = 200, **forms_given):
    """The record page, with the action forms (bound ones carry their errors)."""
    state = certificate.status
    acting = may_act(request.user) and certificate.state == Certificate.State.ACTIVE
    events = (
        CertificateEvent.objects.filter(certificate=certificate)
        .select_related("actor")
        .order_by("-at", "-pk")[:EVENTS_SHOWN]
    )
    return TemplateResponse(
        request,
        "certificates/manage/detail.html",
        {
            "certificate": certificate,
            "status": state,
            "status_label": Status(state).label,
            "replacement": Certificate.objects.filter(replaces=certificate)
            .only("pk", "number")
            .first(),
            "events": events,
            "id_number_masked": mask_id_number(certificate.holder_id_number),
            "verification_path": links.verification_path(certificate),
            "acting": acting,
            "revoke_form": forms_given.get("revoke_form") or RevokeForm(),
            "reissue_form": forms_given.get("reissue_form") or ReissueForm(),
            "review_form": forms_given.get("review_form") or ReviewForm(),
        },
        status=status,
    )


class CertificateDetailView(RegisterViewerMixin, View):
    def get(self, request, certificate_id: int):
        return _detail(request, _visible(request.user, certificate_id))


class _ActionView(RegisterViewerMixin, View):
    """POST only: check the actor may act, validate the form, call one service, redirect; a
    refusal shows the record again with the error and changes nothing."""

    form_class: type[forms.Form]
    form_name: str

    def perform(self, certificate: Certificate, data: dict) -> Certificate:
        raise NotImplementedError

    def success_message(self, certificate: Certificate) -> str:
        raise NotImplementedError

    def post(self, request, certificate_id: int):
        if not may_act(request.user):
            raise PermissionDenied
        certificate = _visible(request.user, certificate_id)
        form = self.form_class(request.POST)
        if not form.is_valid():
            messages.error(request, _("Nothing was changed: correct the form below."))
            return _detail(request, certificate, status=400, **{self.form_name: form})
        try:
            result = self.perform(certificate, form.cleaned_data)
        except DomainPermissionDenied as error:
            raise PermissionDenied(error.message) from error
        except DomainError as error:
            if error.field in form.fields:
                form.add_error(error.field, error.message)
            messages.error(request, error.message)
            certificate.refresh_from_db()
            return _detail(request, certificate, status=400, **{self.form_name: form})
        messages.success(request, self.success_message(result))
        return redirect("certificate_bureau:detail", result.pk)


class RevokeView(_ActionView):
    form_class = RevokeForm
    form_name = "revoke_form"

    def perform(self, certificate, data):
        return services.certificate_revoke(
            actor=self.request.user, certificate_id=certificate.pk, reason=data["reason"]
        )

    def success_message(self, certificate):
        return _("Certificate %(number)s is revoked.") % {"number": certificate.number}


class ReissueView(_ActionView):
    form_class = ReissueForm
    form_name = "reissue_form"

    def perform(self, certificate, data):
        return services.certificate_replace(
            actor=self.request.user, certificate_id=certificate.pk, reason=data["reason"]
        )

    def success_message(self, certificate):
        return _(
            "Certificate %(number)s is issued in place of %(old)s; the old one now answers "
            "“replaced”."
        ) % {"number": certificate.number, "old": certificate.replaces.number}


class ReviewView(_ActionView):
    form_class = ReviewForm
    form_name = "review_form"

    def perform(self, certificate, data):
        return services.certificate_review_record(
            actor=self.request.user, certificate_id=certificate.pk, passed_on=data["passed_on"]
        )

    def success_message(self, certificate):
        return _(
            "The review is recorded: the next one is due on %(review_due)s and the certificate "
            "is valid until %(valid_until)s."
        ) % {
            "review_due": certificate.review_due.isoformat(),
            "valid_until": certificate.valid_until.isoformat(),
        }
