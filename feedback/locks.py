"""Row locks for case writes (``select_for_update``), taken inside the caller's transaction.
A case step locks one case row at a time, so no order between cases is needed."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError

from .models import Case


def case_lock(*, case_id: int) -> Case:
    """The case's own row, locked, with its rating's worker; ``DomainError`` if there is none."""
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("rating__worker__user")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise DomainError(_("No such case."), code="not_found")
    return case


def case_lock_if_still(*, case_id: int, still: Q) -> Case | None:
    """The case locked if it still matches ``still``; None if it no longer does or another
    run holds it (an escalation sweep skips it rather than wait)."""
    return Case.objects.select_for_update(skip_locked=True).filter(still, pk=case_id).first()
