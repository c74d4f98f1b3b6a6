"""The navigation each user sees, derived from what they may do (``permissions``)."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .permissions import Action, may


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str


def navigation_for(user) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    items = [NavItem(_("My workbench"), reverse("accounts:workbench"))]
    if may(user, Action.EDIT_OWN_PROFILE):
        items.append(NavItem(_("My profile"), reverse("accounts:profile")))
    if may(user, Action.VIEW_WORKERS):
        items.append(NavItem(_("Workers"), reverse("accounts:worker_roster")))
    if may(user, Action.VIEW_ENTERPRISES):
        items.append(NavItem(_("Enterprises"), reverse("accounts:enterprise_directory")))
    if may(user, Action.EDIT_CMS):
        items.append(NavItem(_("Site editor"), reverse("wagtailadmin_home")))
    return items
