"""The one server-side QR decoder of the site's two scanners, for browsers whose own decoder
is missing or failed: the check-in scanner (``static/js/scanner.js``, posting to
``/centre/<code>/decode/``) and the certificate scanner (``static/js/certificate-scanner.js``,
posting to ``/certificates/scan/decode/``). Each route says who may use it:

- ``/certificates/scan/decode/``: ``Action.VERIFY_CERTIFICATES`` (the default);
- ``/centre/<code>/decode/``: ``Action.CHECK_IN_CANDIDATES`` and a post at that centre
  (``exams.practical.urls_centre`` routes it with ``required_action`` set).

A camera frame is posted as ``frame``; the answer is ``{"text": …}``, 422 with ``{"error": …}``
for a frame without a readable code or a picture that is not one, 400 when nothing was sent.
Refusals are JSON as well (401 signed out, 403 not allowed), which both scripts read. Nothing
is stored.
"""

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from accounts.permissions import Action, ActionRequiredMixin
from core.errors import DomainError

from .centre import center_post


class QrDecodeView(ActionRequiredMixin, View):
    """Decode the QR code in a posted camera frame (zxing-cpp)."""

    required_action = Action.VERIFY_CERTIFICATES
    refusal: str | Promise = gettext_lazy("Your role does not allow verifying certificates.")

    def allows(self, request, *args, **kwargs) -> bool:
        if not super().allows(request, *args, **kwargs):
            return False
        if "code" in kwargs:  # a centre's check-in scanner: staff of that centre only
            try:
                center_post(request.user, kwargs["code"])
            except PermissionDenied as refused:
                self.refusal = str(refused)
                return False
        return True

    def handle_no_permission(self):
        if not self.request.user.is_authenticated:
            return JsonResponse(
                {"error": "login_required", "message": _("Sign in first.")}, status=401
            )
        return JsonResponse({"error": "forbidden", "message": str(self.refusal)}, status=403)

    def post(self, request, *args, **kwargs):
        # zxing-cpp: loaded by the one view that decodes
        from core.documents.qr_decode import MAX_BYTES, qr_decode

        frame = request.FILES.get("frame")
        if frame is None:
            return JsonResponse({"error": _("No image was sent.")}, status=400)
        try:
            text = qr_decode(frame.read(MAX_BYTES + 1))
        except DomainError as error:
            return JsonResponse({"error": str(error.message)}, status=422)
        if not text:
            return JsonResponse({"error": _("No QR code found in the image.")}, status=422)
        return JsonResponse({"text": text})
