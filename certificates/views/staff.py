"""The staff certificate scanner (included at ``certificates/scan/``), DESIGN.md §4.

Centre staff, examiners and district and bureau officers (``Action.VERIFY_CERTIFICATES``) scan
a certificate's QR code (camera, handheld scanner) or type its number, and see the full record
— unmasked name and ID number, photo, status with its reason, dates. Every check is a
``VerificationLog`` row on the staff channel: who, at which centre (the user's centre when they
work at exactly one), when, and — for scans made offline and sent later — when it was scanned.

- ``scanner``: the page (``static/js/certificate-scanner.js``). Without JavaScript its form
  still works: a handheld scanner's text or a typed number is posted and the record shown.
- ``verify``: JSON, one scan or a batch ``{"scans": [{token, c, s, scanned_at}, ...]}`` (the
  offline queue); each gets its answer. A batch sent twice (the answer to the first was lost)
  is logged once: a scan already logged for this user with the same time is answered again.
- ``lookup``: JSON, by certificate number.
- ``decode``: a camera frame decoded on the server, for browsers whose decoder failed (the one
  decode view of both scanners, ``certificates.views.decode``).
- ``photo``: the holder's photo, by a signed link valid for an hour to the user it was made for.
- ``log``: the scan log, filtered and exported (CSV/XLSX, audited); centre staff see their
  centres' scans, district officers their district's centres', the bureau all (and everyone
  their own).

Who sees which scans, and at which centre a scan is logged, is ``certificates.scopes``'.
Anonymous users get the login page (JSON endpoints: 401), others without the action 403.
Checks are rate-limited per user, typed numbers more tightly (numbers are guessable).
"""

import json
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from django.db.models.functions import Coalesce
from django.http import Http404, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from accounts.permissions import Action, ActionRequiredMixin
from core.exports import AuditedExportMixin
from core.files import private_file_response
from core.ratelimit import over_limit

from .. import ports
from ..filters import ScanLogFilter
from ..links import holder_photo_key_read, holder_photo_path
from ..models import Certificate, Status, VerificationLog
from ..scopes import scan_center, scans_visible_to
from ..services import certificate_code_genuine, certificate_verify
from ..tables import ScanLogTable

STAFF = VerificationLog.Channel.STAFF
MAX_BATCH = 100  # scans per request; the page sends its offline queue in batches of 50
MAX_TEXT = 500  # a scanned or typed text longer than this is not a certificate's
# A scan's own time (offline scans) is believed within these bounds, else it is not recorded.
SCANNED_AT_MAX_AGE = timedelta(days=30)
CLOCK_SKEW = timedelta(minutes=10)
# Per user and window: scans, and lookups by number (numbers follow a pattern: guessable).
LIMIT_WINDOW = 600
LIMIT_SCANS = 600
LIMIT_LOOKUPS = 120

_VERIFY_PATH = re.compile(r"/v/([A-Za-z0-9_-]{16,32})/?$")
_NUMBER = re.compile(r"^[A-Z0-9-]{4,24}$")


# --- What a scan carries ---------------------------------------------------------------------


def parse_scanned(text: str) -> dict | None:
    """The token and signed fields from a certificate QR code's URL, or None."""
    text = (text or "").strip()
    if not text or len(text) > MAX_TEXT:
        return None
    parts = urlsplit(text)
    match = _VERIFY_PATH.search(parts.path)
    if not match:
        return None
    query = parse_qs(parts.query, keep_blank_values=True)
    if len(query.get("c", [])) != 1 or len(query.get("s", [])) != 1:
        return None  # every certificate's QR code carries both, once
    compact, signature = query["c"][0], query["s"][0]
    return {"token": match[1], "c": compact, "s": signature}


def _scanned_at(value):
    """An offline scan's own time, if it is a believable one (else None: not recorded)."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        moment = parse_datetime(value)
    except ValueError:
        return None
    if moment is None:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    now = timezone.now()
    if moment > now + CLOCK_SKEW or moment < now - SCANNED_AT_MAX_AGE:
        return None
    return moment


def staff_record(certificate: Certificate, user) -> dict:
    """What staff see: every field, nothing masked, and the holder's photo."""
    status = certificate.status
    replaced_by = getattr(certificate, "replaced_by", None)
    return {
        "number": certificate.number,
        "status": status,
        "status_label": str(Status(status).label),
        "revoked_reason": certificate.revoked_reason or "",
        "revoked_at": (
            timezone.localtime(certificate.revoked_at).strftime("%Y-%m-%d %H:%M")
            if certificate.revoked_at
            else ""
        ),
        "replaced_by": replaced_by.number if replaced_by else "",
        "holder_name": certificate.holder_name,
        "holder_id_number": certificate.holder_id_number,
        "photo_url": holder_photo_path(certificate, user),
        "subject": certificate.subject.name,
        "subject_code": certificate.subject.code,
        "issued_on": certificate.issued_on.isoformat(),
        "valid_until": certificate.valid_until.isoformat(),
        "review_due": certificate.review_due.isoformat(),
        "issuer": certificate.issuer,
        "issued_at": certificate.center.name,
    }


def _answer(certificate, outcome, user, *, token="", scanned_at=None, error="") -> dict:
    return {
        "token": token,
        "scanned_at": scanned_at.isoformat() if scanned_at else None,
        "outcome": outcome,
        "outcome_label": str(VerificationLog.Outcome(outcome).label) if outcome else "",
        "genuine": certificate is not None,
        "record": staff_record(certificate, user) if certificate is not None else None,
        "error": error,
    }


def verify_scan(user, scan, center) -> dict:
    """Check one scan (a dict with token, c, s and, for an offline scan, scanned_at) and log it."""
    if not isinstance(scan, dict):
        return _answer(None, "", user, error="malformed")
    token, compact, signature = scan.get("token"), scan.get("c"), scan.get("s")
    if not (
        isinstance(token, str)
        and isinstance(compact, str)
        and isinstance(signature, str)
        and all(len(value) <= MAX_TEXT for value in (token, compact, signature))
    ) or not (compact or signature):
        # Without the signed fields a token alone would open the record: a scan carries them.
        return _answer(None, "", user, error="malformed")
    scanned_at = _scanned_at(scan.get("scanned_at"))
    if scanned_at is not None:
        # Sent again (the answer to the first upload never arrived): answer, do not log twice.
        earlier = (
            VerificationLog.objects.filter(
                channel=STAFF, actor=user, scanned_at=scanned_at, certificate__token=token
            )
            .select_related("certificate")
            .first()
        )
        # (A log found through its certificate's token has its certificate.)
        # The shortcut answers only for the same, genuine code (an upload with other signed
        # fields is verified and logged afresh).
        if (
            earlier is not None
            and earlier.certificate is not None
            and certificate_code_genuine(earlier.certificate, compact=compact, signature=signature)
        ):
            logged = Certificate.objects.select_related(
                "holder", "subject", "center", "replaced_by"
            ).get(pk=earlier.certificate.pk)
            return _answer(logged, logged.status, user, token=token, scanned_at=scanned_at)
    certificate, outcome = certificate_verify(
        token=token,
        compact=compact,
        signature=signature,
        channel=STAFF,
        actor=user,
        center=center,
        scanned_at=scanned_at,
    )
    return _answer(certificate, outcome, user, token=token, scanned_at=scanned_at)


def lookup_number(user, number: str, center) -> dict:
    """Look a certificate up by its number (typed by staff) and log it like a scan."""
    number = (number or "").strip().upper()
    certificate = None
    if _NUMBER.match(number):
        certificate = Certificate.objects.filter(number=number).only("token").first()
    # An unknown number is logged as a "not found" answer (certificate_verify of no token).
    certificate, outcome = certificate_verify(
        token=certificate.token if certificate else "",
        channel=STAFF,
        actor=user,
        center=center,
    )
    return _answer(certificate, outcome, user, token=certificate.token if certificate else "")


def _throttled(user, kind: str, limit: int) -> bool:
    return over_limit(f"staff-{kind}:{user.pk}", limit=limit, period=LIMIT_WINDOW)


def _json_error(status: int, code: str, message) -> JsonResponse:
    return JsonResponse({"error": code, "message": str(message)}, status=status)


# --- Pages -----------------------------------------------------------------------------------


class VerifierMixin(ActionRequiredMixin):
    required_action = Action.VERIFY_CERTIFICATES


class JsonVerifierMixin(VerifierMixin):
    """JSON endpoints answer 401 and 403 in JSON (the page's script reads them)."""

    def handle_no_permission(self):
        if not self.request.user.is_authenticated:
            return _json_error(401, "login_required", _("Sign in first."))
        return _json_error(403, "forbidden", _("Your role does not allow verifying certificates."))


class ScannerView(VerifierMixin, TemplateView):
    """The scanner page. A POST (the form without JavaScript: a handheld scanner's text or a
    typed number) shows the record in the page."""

    template_name = "certificates/staff/scanner.html"

    def post(self, request, *args, **kwargs):
        scanned = (request.POST.get("scanned") or "").strip()
        answer = refusal = None
        center = scan_center(request.user)
        scan = parse_scanned(scanned)
        if not scanned:
            refusal = _("Scan a certificate's QR code or type its number.")
        elif scan is not None:
            if _throttled(request.user, "scan", LIMIT_SCANS):
                refusal = _("Too many checks. Wait a few minutes and try again.")
            else:
                answer = verify_scan(request.user, scan, center)
        elif _NUMBER.match(scanned.upper()):
            if _throttled(request.user, "lookup", LIMIT_LOOKUPS):
                refusal = _("Too many checks. Wait a few minutes and try again.")
            else:
                answer = lookup_number(request.user, scanned, center)
        else:
            refusal = _("This is not a certificate's QR code or number.")
        context = self.get_context_data(answer=answer, refusal=refusal, **kwargs)
        return self.render_to_response(context, status=200 if refusal is None else 400)

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            center=scan_center(user),
            posts=len(ports.staff_posts(user)),
            # Offline, codes show subject names (the ID hash's key never leaves the server).
            subjects=dict(ports.exam_subjects().values_list("code", "name")),
            **kwargs,
        )


class VerifyScansView(JsonVerifierMixin, View):
    """One scan (an object) or a batch (``{"scans": [...]}``); answers ``{"results": [...]}``
    in the same order."""

    def post(self, request, *args, **kwargs):
        try:
            body = json.loads(request.body or b"null")
        except (ValueError, UnicodeDecodeError):
            body = None
        if isinstance(body, dict) and "scans" in body:
            scans = body["scans"]
        elif isinstance(body, dict):
            scans = [body]
        else:
            scans = None
        if not isinstance(scans, list) or not scans or len(scans) > MAX_BATCH:
            return _json_error(
                400,
                "malformed",
                _("Send one scan, or a list of at most %(count)d scans.") % {"count": MAX_BATCH},
            )
        center = scan_center(request.user)
        results: list[dict] = []
        for scan in scans:
            if _throttled(request.user, "scan", LIMIT_SCANS):
                if not results:
                    return JsonResponse(
                        {
                            "error": "throttled",
                            "message": _("Too many checks. Wait a few minutes and try again."),
                        },
                        status=429,
                        headers={"Retry-After": str(LIMIT_WINDOW)},
                    )
                break  # the rest stay in the page's queue: it sends them again later
            results.append(verify_scan(request.user, scan, center))
        return JsonResponse({"results": results})


class LookupView(JsonVerifierMixin, View):
    """A certificate by its number: ``{"number": "..."}`` → ``{"results": [answer]}``."""

    def post(self, request, *args, **kwargs):
        try:
            body = json.loads(request.body or b"null")
        except (ValueError, UnicodeDecodeError):
            body = None
        number = body.get("number") if isinstance(body, dict) else None
        if not isinstance(number, str) or not number.strip() or len(number) > MAX_TEXT:
            return _json_error(400, "malformed", _("Type the certificate number."))
        if _throttled(request.user, "lookup", LIMIT_LOOKUPS):
            return JsonResponse(
                {
                    "error": "throttled",
                    "message": _("Too many checks. Wait a few minutes and try again."),
                },
                status=429,
                headers={"Retry-After": str(LIMIT_WINDOW)},
            )
        answer = lookup_number(request.user, number, scan_center(request.user))
        return JsonResponse({"results": [answer]})


class PhotoView(VerifierMixin, View):
    """A certificate holder's photo, by a link made for this user within the hour."""

    def get(self, request, key: str):
        certificate_id = holder_photo_key_read(key, user=request.user)
        if certificate_id is None:
            raise Http404
        certificate = Certificate.objects.filter(pk=certificate_id).only("holder_photo").first()
        if certificate is None or not certificate.holder_photo:
            raise Http404
        return private_file_response(certificate.holder_photo, content_type="image/jpeg")


class ScanLogView(VerifierMixin, AuditedExportMixin, SingleTableMixin, FilterView):
    table_class = ScanLogTable
    filterset_class = ScanLogFilter
    template_name = "certificates/staff/scan_log.html"
    paginate_by = 50
    export_name = "certificate_scans"

    def get_queryset(self):
        return (
            scans_visible_to(self.request.user)
            .annotate(scanned=Coalesce("scanned_at", "at"))
            .select_related("certificate", "center", "actor__worker_profile")
            .order_by("-scanned", "-pk")
        )
