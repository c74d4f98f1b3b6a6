"""Public verification of certificates: the page inside the QR code (``/v/<token>``), the same as
JSON for employers' systems, the public keys (JWKS) and the OpenAPI schema.

An unknown token and a signature that does not verify get the same plain answer. Every
verification is logged; each client (a keyed hash of its IP) is limited in how many it may ask
and, more tightly, in how many unknown answers it may collect (guessing is throttled).
"""

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

from accounts.validators import mask_id_number, mask_name
from core.ratelimit import over_limit

from .. import credentials, services, signing
from ..models import Certificate, Status, VerificationLog

# Per client (IP), per 10 minutes: all verifications, and answers "not found or not genuine".
LIMIT_WINDOW = 600
LIMIT_ALL = getattr(settings, "ANXUN_VERIFY_LIMIT_ALL", 300)
LIMIT_MISSES = getattr(settings, "ANXUN_VERIFY_LIMIT_MISSES", 30)


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def _throttled(client: str) -> bool:
    return over_limit(f"verify:{client}", limit=LIMIT_ALL, period=LIMIT_WINDOW) or over_limit(
        f"verify-miss:{client}", limit=LIMIT_MISSES, period=LIMIT_WINDOW, count=False
    )


def _verify(request, token: str, channel: str):
    client = services.client_hash(_client_ip(request))
    if _throttled(client):
        return None, None, client
    compact, signature = request.GET.getlist("c"), request.GET.getlist("s")
    certificate, outcome = services.certificate_verify(
        # A parameter given twice is not a QR code's: refused, as the scanner refuses it.
        token=token if len(compact) <= 1 and len(signature) <= 1 else "",
        compact=compact[0] if compact else None,
        signature=signature[0] if signature else None,
        channel=channel,
        client=client,
    )
    if certificate is None:
        over_limit(f"verify-miss:{client}", limit=LIMIT_MISSES, period=LIMIT_WINDOW)
    return certificate, outcome, client


def public_record(certificate: Certificate) -> dict:
    """What anyone may see: every authoritative field, personal data masked."""
    return {
        "number": certificate.number,
        "status": certificate.status,
        "status_label": str(Status(certificate.status).label),
        "revoked_reason": certificate.revoked_reason or None,
        "replaced_by": getattr(getattr(certificate, "replaced_by", None), "number", None),
        "holder_name": mask_name(certificate.holder_name),
        "holder_id_number": mask_id_number(certificate.holder_id_number),
        "subject": certificate.subject.name,
        "subject_code": certificate.subject.code,
        "issued_on": certificate.issued_on.isoformat(),
        "valid_until": certificate.valid_until.isoformat(),
        "review_due": certificate.review_due.isoformat(),
        "issuer": certificate.issuer,
        "issued_at": certificate.center.name,
    }


@require_GET
@never_cache
def verify_page(request, token: str):
    certificate, outcome, _client = _verify(request, token, VerificationLog.Channel.PAGE)
    if outcome is None:
        return render(request, "certificates/verify_throttled.html", status=429)
    if certificate is None:
        return render(request, "certificates/verify_not_found.html", status=404)
    return render(
        request,
        "certificates/verify.html",
        {"certificate": certificate, "record": public_record(certificate)},
    )


@require_GET
@never_cache
def verify_api(request, token: str):
    certificate, outcome, _client = _verify(request, token, VerificationLog.Channel.API)
    if outcome is None:
        return JsonResponse(
            {"error": "throttled", "message": _("Too many verifications. Try again later.")},
            status=429,
            headers={"Retry-After": str(LIMIT_WINDOW)},
        )
    if certificate is None:
        return JsonResponse(
            {"error": "not_found", "message": _("Not found, or not genuine.")}, status=404
        )
    return JsonResponse(public_record(certificate))


@require_GET
@cache_control(public=True, max_age=3600)
def jwks(request):
    return JsonResponse(signing.jwks())


@require_GET
@cache_control(public=True, max_age=credentials.STATUS_LIST_SECONDS)
def status_list(request, list_id: int):
    """The revocation status list of the certificates' verifiable credentials (a W3C
    BitstringStatusListCredential as a VC-JWT, signed with the certificate keys)."""
    if list_id != credentials.STATUS_LIST_ID:
        raise Http404
    return HttpResponse(credentials.status_list_jwt(), content_type=credentials.MEDIA_TYPE)


@require_GET
@cache_control(public=True, max_age=3600)
def openapi_schema(request):
    """The OpenAPI 3.1 description of the verification API (a stable contract)."""
    record = {
        "type": "object",
        "required": [
            "number",
            "status",
            "holder_name",
            "holder_id_number",
            "subject",
            "issued_on",
            "valid_until",
            "review_due",
            "issuer",
        ],
        "properties": {
            "number": {"type": "string", "example": "AX20260010000123"},
            "status": {"type": "string", "enum": [choice.value for choice in Status]},
            "status_label": {"type": "string"},
            "revoked_reason": {"type": ["string", "null"]},
            "replaced_by": {"type": ["string", "null"]},
            "holder_name": {"type": "string", "description": "Masked, e.g. 张*三"},
            "holder_id_number": {"type": "string", "description": "Masked ID number"},
            "subject": {"type": "string"},
            "subject_code": {"type": "string"},
            "issued_on": {"type": "string", "format": "date"},
            "valid_until": {"type": "string", "format": "date"},
            "review_due": {"type": "string", "format": "date"},
            "issuer": {"type": "string"},
            "issued_at": {"type": "string", "description": "The exam centre"},
        },
    }
    error = {
        "type": "object",
        "required": ["error", "message"],
        "properties": {"error": {"type": "string"}, "message": {"type": "string"}},
    }
    path = reverse("certificates:verify_api", args=["TOKEN"]).replace("TOKEN", "{token}")
    status_path = reverse("certificates:status_list", args=[1]).removesuffix("1") + "{list}"
    schema = {
        "openapi": "3.1.0",
        "info": {
            "title": "Anxun certificate verification",
            "version": "1.0.0",
            "description": "Verify a certificate by the token in its QR code. The signed fields "
            "(c) and signature (s) from the QR code's URL may be passed to check they are "
            "genuine; each at most once (a repeated parameter is answered 404). Public keys: "
            "/.well-known/jwks.json. The revocation status list of the certificates' "
            "verifiable credentials (W3C Bitstring Status List) is at " + status_path + ".",
        },
        "servers": [{"url": settings.WAGTAILADMIN_BASE_URL}],
        "paths": {
            path: {
                "get": {
                    "operationId": "verifyCertificate",
                    "parameters": [
                        {
                            "name": "token",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        },
                        {
                            "name": "c",
                            "in": "query",
                            "required": False,
                            "description": "The signed fields: kid~number~subject code~issued"
                            "~valid until~review due~masked name~ID hash (eight fields; six in "
                            "codes printed before the holder was bound)",
                            "schema": {"type": "string"},
                        },
                        {
                            "name": "s",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "string"},
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": "The certificate's record",
                            "content": {"application/json": {"schema": record}},
                        },
                        "404": {
                            "description": "Not found, or not genuine",
                            "content": {"application/json": {"schema": error}},
                        },
                        "429": {
                            "description": "Too many verifications from this client",
                            "content": {"application/json": {"schema": error}},
                        },
                    },
                }
            },
            status_path: {
                "get": {
                    "operationId": "certificateStatusList",
                    "parameters": [
                        {
                            "name": "list",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer", "enum": [credentials.STATUS_LIST_ID]},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "A BitstringStatusListCredential (statusPurpose "
                            "revocation) as a VC-JWT signed with the keys of "
                            "/.well-known/jwks.json; a revoked or replaced certificate's bit "
                            "is 1",
                            "content": {credentials.MEDIA_TYPE: {"schema": {"type": "string"}}},
                        },
                        "404": {"description": "No such list"},
                    },
                }
            },
        },
    }
    return JsonResponse(schema)
