"""The certificate desk of an exam centre (即考即领), served at ``/centre/<code>/desk/…``: the
certificates issued there today, one certificate shown as soon as it is drawn, printed from
there (each print recorded), and its files. Both pages ask a small JSON status (``today.json``,
``status.json``) every few seconds (``static/js/desk.js``) instead of reloading themselves.

Who may: centre staff and examiners (``Action.CHECK_IN_CANDIDATES``) with a post at the centre
in the URL (``AtCenterMixin``); anyone else gets 403 with the reason, anonymous visitors the
login page. A certificate of another centre does not exist here (404).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.views.generic import TemplateView, View

from core.errors import DomainError
from core.errors import PermissionDenied as DomainPermissionDenied
from core.files import private_file_response

from .. import services
from ..models import Certificate
from .centre import AtCenterMixin

FILE_TYPES = {"png": "image/png", "pdf": "application/pdf"}
SHOWN_TODAY = 200


def _desk_certificate(center, certificate_id: int) -> Certificate:
    return get_object_or_404(
        Certificate.objects.select_related("holder", "subject"),
        pk=certificate_id,
        center=center,
    )


def _today(center) -> list[Certificate]:
    return list(
        Certificate.objects.filter(center_id=center.pk, issued_on=timezone.localdate())
        .select_related("holder", "subject")
        .order_by("-created_at")[:SHOWN_TODAY]
    )


def _status(center, certificate: Certificate) -> dict:
    """What the desk's script needs to show a certificate: where it is and whether it is drawn
    (the image and PDF addresses answer only once it is)."""
    return {
        "id": certificate.pk,
        "number": certificate.number,
        "holder": certificate.holder_name,
        "subject": certificate.subject.name,
        "issued": time_format(timezone.localtime(certificate.created_at), "H:i"),
        "ready": bool(certificate.png),
        "url": reverse("certificate_desk:certificate", args=[center.code, certificate.pk]),
        "image": reverse("certificate_desk:file", args=[center.code, certificate.pk, "png"]),
        "pdf": reverse("certificate_desk:file", args=[center.code, certificate.pk, "pdf"]),
    }


def _no_store(response: JsonResponse) -> JsonResponse:
    response["Cache-Control"] = "private, no-store"
    return response


class DeskView(AtCenterMixin, TemplateView):
    """Today's certificates at this centre, newest first, each ready to print once drawn."""

    template_name = "certificates/desk/list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(certificates=_today(self.center), **kwargs)


class DeskTodayJsonView(AtCenterMixin, View):
    """Today's certificates at this centre as JSON, for the desk list's script."""

    def get(self, request, *args, **kwargs):
        certificates = [_status(self.center, item) for item in _today(self.center)]
        return _no_store(JsonResponse({"certificates": certificates}))


class DeskStatusJsonView(AtCenterMixin, View):
    """One certificate's status as JSON, for the desk page's script (polled until drawn)."""

    def get(self, request, *args, **kwargs):
        certificate = _desk_certificate(self.center, kwargs["certificate_id"])
        return _no_store(JsonResponse(_status(self.center, certificate)))


class DeskCertificateView(AtCenterMixin, TemplateView):
    """One certificate at the desk: shown as soon as it is drawn, printed from here (a POST
    records the print through ``certificate_print``, then the page opens the print dialog)."""

    template_name = "certificates/desk/certificate.html"

    def get_context_data(self, **kwargs):
        certificate = _desk_certificate(self.center, kwargs["certificate_id"])
        return super().get_context_data(
            certificate=certificate, ready=bool(certificate.png), **kwargs
        )

    def post(self, request, *args, **kwargs):
        try:
            certificate = services.certificate_print(
                actor=request.user,
                certificate_id=kwargs["certificate_id"],
                center_id=self.center.pk,
            )
        except DomainPermissionDenied as error:
            raise PermissionDenied(error.message) from error
        except DomainError as error:
            raise Http404 from error
        url = reverse("certificate_desk:certificate", args=[self.center.code, certificate.pk])
        return redirect(f"{url}?print=1")


class DeskCertificateFileView(AtCenterMixin, View):
    """The drawn certificate's PNG (shown on the desk page) or PDF."""

    def get(self, request, *args, **kwargs):
        certificate = _desk_certificate(self.center, kwargs["certificate_id"])
        stored = {"png": certificate.png, "pdf": certificate.pdf}.get(kwargs["file_format"])
        return private_file_response(
            stored, content_type=FILE_TYPES.get(kwargs["file_format"], "application/pdf")
        )
