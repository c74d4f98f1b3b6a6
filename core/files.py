"""Serving files kept in private storage (photos, certificates): only through views that have
checked who asks, never cached by shared caches."""

from django.http import FileResponse, Http404


def private_file_response(
    stored,
    *,
    content_type: str,
    filename: str | None = None,
    as_attachment: bool = False,
    cache_control: str = "private, no-store",
) -> FileResponse:
    """The stored file as a response; a file missing from storage is a 404, not a 500."""
    if not stored:
        raise Http404
    try:
        handle = stored.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle, content_type=content_type, as_attachment=as_attachment, filename=filename or ""
    )
    response["Cache-Control"] = cache_control
    return response
