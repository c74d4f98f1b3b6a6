"""A worker's own certificates: the list, one certificate (status, dates, the drawn certificate,
its files, the share link) and the certificate as a verifiable credential.

Everything here is the holder's alone: another user asking for a certificate's page, files or
credential is told it does not exist (404, so ids cannot be probed); anonymous visitors go to
the login page. The files (``certificates.rendering`` draws them) live in the private storage,
which a front server does not publish, and are served only through these views. A certificate
that was revoked or replaced is shown with its status and nothing to download or share.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.files import private_file_response

from .. import credentials, links
from ..models import Certificate, Status

FILE_TYPES = {"png": "image/png", "pdf": "application/pdf"}
# The detail page reloads itself this often while the certificate is being drawn.
REFRESH_SECONDS = 5


def _own(request, certificate_id: int) -> Certificate:
    return get_object_or_404(
        Certificate.objects.select_related("subject", "center", "holder", "replaces").filter(
            holder__user=request.user
        ),
        pk=certificate_id,
    )


def _replacement(certificate: Certificate) -> Certificate | None:
    return Certificate.objects.filter(replaces=certificate).only("pk", "number").first()


@require_GET
@login_required
def certificate_list(request):
    certificates = list(
        Certificate.objects.filter(holder__user=request.user)
        .select_related("subject")
        .order_by("-issued_on", "-pk")
    )
    return render(request, "certificates/mine/list.html", {"certificates": certificates})


@require_GET
@login_required
def certificate_detail(request, certificate_id: int):
    certificate = _own(request, certificate_id)
    status = certificate.status
    in_force = certificate.state == Certificate.State.ACTIVE
    ready = in_force and bool(certificate.png)
    return render(
        request,
        "certificates/mine/detail.html",
        {
            "certificate": certificate,
            "status": status,
            "status_label": Status(status).label,
            "in_force": in_force,
            "ready": ready,
            "pdf_ready": in_force and bool(certificate.pdf),
            "refresh_seconds": REFRESH_SECONDS if in_force and not ready else None,
            "share_url": links.verification_url(certificate) if in_force else None,
            "credential_offered": status in (Status.VALID, Status.REVIEW_DUE),
            "replacement": _replacement(certificate)
            if certificate.state == Certificate.State.REPLACED
            else None,
        },
    )


@require_GET
@login_required
def certificate_file(request, certificate_id: int, file_format: str):
    """The drawn certificate (PNG shown on the page, PNG/PDF to download with ``?download``)."""
    if file_format not in FILE_TYPES:
        raise Http404
    certificate = _own(request, certificate_id)
    if certificate.state != Certificate.State.ACTIVE:
        raise Http404
    stored = certificate.png if file_format == "png" else certificate.pdf
    download = "download" in request.GET
    if not stored:
        if download:
            messages.info(request, _("Your certificate is being prepared. Try again in a minute."))
            return redirect("my_certificates:detail", certificate.pk)
        raise Http404
    return private_file_response(
        stored,
        content_type=FILE_TYPES[file_format],
        as_attachment=download,
        filename=f"{certificate.number}.{file_format}",
    )


@require_GET
@login_required
def certificate_credential(request, certificate_id: int):
    """The certificate as an Open Badges 3.0 verifiable credential (VC-JWT), to download."""
    certificate = _own(request, certificate_id)
    if certificate.status not in (Status.VALID, Status.REVIEW_DUE):
        raise Http404
    response = HttpResponse(credentials.credential_jwt(certificate), content_type="application/jwt")
    response["Content-Disposition"] = f'attachment; filename="{certificate.number}.jwt"'
    response["Cache-Control"] = "private, no-store"
    return response
