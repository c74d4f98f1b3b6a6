"""Who sees which certificates and scans: the one place that answers it for this app.

- The register (``certificate_bureau``): bureau officers (``Action.REVOKE_CERTIFICATES``) see
  and act on every certificate; district officers (``Action.VIEW_CAMPAIGN``) see the
  certificates of the workers they may see (``workers_visible_to``) and cannot act.
- The staff scan log (``certificate_staff:log``): the bureau reads every staff scan; district
  officers their district's centres'; centre staff and examiners their centres'; everyone with
  ``Action.VERIFY_CERTIFICATES`` their own.
- Where a staff scan happened: the user's centre when they work at exactly one.

Centres and posts come from the exam side through ``certificates.ports``.
"""

from django.db.models import Q, QuerySet

from accounts.models import Role
from accounts.permissions import Action, may, officer_district, user_roles, workers_visible_to

from . import ports
from .models import Certificate, VerificationLog

__all__ = [
    "centers_visible_to",
    "certificates_visible_to",
    "may_act",
    "may_view_register",
    "scan_center",
    "scans_visible_to",
]


def may_act(user) -> bool:
    """Whether ``user`` may revoke, re-issue and record reviews."""
    return may(user, Action.REVOKE_CERTIFICATES)


def may_view_register(user) -> bool:
    return user.is_authenticated and (may_act(user) or may(user, Action.VIEW_CAMPAIGN))


def certificates_visible_to(user) -> QuerySet[Certificate]:
    """The certificates a staff user may see (every register page reads through this)."""
    certificates = Certificate.objects.all()
    if may_act(user):
        return certificates
    if may(user, Action.VIEW_CAMPAIGN):
        return certificates.filter(holder__in=workers_visible_to(user))
    return certificates.none()


def scan_center(user) -> ports.CenterRecord | None:
    """The centre a user's scans are logged at: theirs if they work at exactly one."""
    posts = ports.staff_posts(user)
    if len(posts) != 1:
        return None
    return ports.exam_centers().filter(pk=next(iter(posts))).first()


def centers_visible_to(user) -> QuerySet:
    """The exam centres whose scan logs a user may read."""
    centers = ports.exam_centers()
    if Role.BUREAU_OFFICER in user_roles(user):
        return centers
    if district := officer_district(user):
        return centers.filter(district=district)
    return centers.filter(pk__in=list(ports.staff_posts(user)))


def scans_visible_to(user) -> QuerySet[VerificationLog]:
    """Staff scans a user may read: their centres' (district's, all for the bureau) and their own."""
    scans = VerificationLog.objects.filter(channel=VerificationLog.Channel.STAFF)
    if not may(user, Action.VERIFY_CERTIFICATES):
        return scans.none()
    if Role.BUREAU_OFFICER in user_roles(user):
        return scans
    return scans.filter(Q(actor=user) | Q(center__in=centers_visible_to(user)))
