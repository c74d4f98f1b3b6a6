"""Who sees which dashboard (ROLES.md): the city or one district, one enterprise, the weekly
reports. The roles are decided in ``accounts.permissions``; a viewer who asks for more than
their scope is refused (``PermissionDenied``), not quietly narrowed."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from accounts.models import District, Enterprise
from accounts.permissions import (
    Action,
    enterprises_visible_to,
    managed_enterprise,
    may,
    officer_district,
)

from .models import ProgressFact, WeeklyReport


@dataclass(frozen=True)
class Scope:
    """What a dashboard shows: the whole city (district None) or one district."""

    district: District | None

    def facts(self, scope: str) -> QuerySet[ProgressFact]:
        facts = ProgressFact.objects.filter(scope=scope)
        return facts.filter(district=self.district) if self.district else facts


def dashboard_scope(*, viewer, district_code: str | None) -> Scope:
    """The bureau sees the city or any district; a district officer only their own district
    (asking for another is refused, not quietly narrowed); anyone else nothing."""
    if not may(viewer, Action.VIEW_CAMPAIGN):
        raise PermissionDenied
    own = officer_district(viewer)
    if own is not None:
        if district_code and district_code != own.code:
            raise PermissionDenied
        return Scope(district=own)
    if not district_code:
        return Scope(district=None)
    district = District.objects.filter(code=district_code).first()
    if district is None:
        raise PermissionDenied
    return Scope(district=district)


def enterprise_dashboard_enterprise(*, viewer, enterprise_id: int | None) -> Enterprise:
    """The enterprise whose dashboard the viewer may open: their own (administrators) or one in
    their scope (officers)."""
    if not may(viewer, Action.VIEW_WORKERS):
        raise PermissionDenied
    visible = enterprises_visible_to(viewer).select_related("district", "industry")
    if enterprise_id is None:
        # Their own enterprise, whatever other roles widen or narrow ``visible``.
        enterprise = managed_enterprise(viewer)
        if enterprise is None:
            raise PermissionDenied
        return Enterprise.objects.select_related("district", "industry").get(pk=enterprise.pk)
    enterprise = visible.filter(pk=enterprise_id).first()
    if enterprise is None:
        raise PermissionDenied
    return enterprise


def reports_visible_in(scope: Scope) -> QuerySet[WeeklyReport]:
    """The weekly reports of the scope: a district's own, or (the city) every one."""
    listed = WeeklyReport.objects.select_related("district")
    if scope.district is not None:
        listed = listed.filter(district=scope.district)
    return listed
