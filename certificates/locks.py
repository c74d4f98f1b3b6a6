"""Row locks of certificates (``SELECT … FOR UPDATE``), the only place certificates takes one.

Call inside the service's transaction. A certificate is locked alone (re-issuing locks the old
certificate, then creates the new one), so no order between rows is needed.
"""

from .models import Certificate


def certificate_lock(certificate_id: int, *, related: tuple[str, ...] = ()) -> Certificate | None:
    """Lock one certificate's row (not its related rows), with ``related`` selected; None if
    there is no such certificate."""
    return (
        Certificate.objects.select_for_update(of=("self",))
        .select_related(*related)
        .filter(pk=certificate_id)
        .first()
    )
