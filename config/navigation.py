"""The navigation each user sees, derived from what they may do (``permissions``)."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from accounts.permissions import Action, managed_enterprise, may


@dataclass(frozen=True)
class NavItem:
    label: StrOrPromise
    url: str


def navigation_for(user) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    items = [NavItem(_("My workbench"), reverse("accounts:workbench"))]
    if may(user, Action.EDIT_OWN_PROFILE):
        items.append(NavItem(_("My learning"), reverse("training:learning")))
        items.append(NavItem(_("My exams"), reverse("exams:list")))
        items.append(NavItem(_("Practice"), reverse("practice:home")))
        items.append(NavItem(_("Practical exam"), reverse("practical:bookings")))
        items.append(NavItem(_("My certificates"), reverse("my_certificates:list")))
        items.append(NavItem(_("My ratings"), reverse("feedback:mine")))
        items.append(NavItem(_("My profile"), reverse("accounts:profile")))
    if may(user, Action.CHECK_IN_CANDIDATES):
        items.append(NavItem(_("Exam centre"), reverse("centre:home")))
    if may(user, Action.VERIFY_CERTIFICATES):
        items.append(NavItem(_("Verify certificates"), reverse("certificate_staff:scanner")))
    if may(user, Action.VIEW_WORKERS):
        items.append(NavItem(_("Workers"), reverse("accounts:worker_roster")))
    if managed_enterprise(user) is not None:
        items.append(NavItem(_("Enterprise dashboard"), reverse("dashboards:enterprise")))
    if may(user, Action.VIEW_WORKERS):
        items.append(NavItem(_("Training progress"), reverse("training:roster")))
    if managed_enterprise(user) is not None:
        items.append(NavItem(_("Import workers"), reverse("training_imports:list")))
    if may(user, Action.VIEW_CASES):
        items.append(NavItem(_("Complaint cases"), reverse("feedback:cases")))
        items.append(NavItem(_("Service satisfaction"), reverse("feedback:satisfaction")))
    if may(user, Action.VIEW_CAMPAIGN):
        items.append(NavItem(_("Campaign dashboard"), reverse("dashboards:overview")))
        items.append(NavItem(_("Enterprises' progress"), reverse("dashboards:enterprises")))
        items.append(NavItem(_("Weekly reports"), reverse("dashboards:reports")))
    if user.has_perm("exams.view_question"):
        items.append(NavItem(_("Question bank"), reverse("exam_staff:bank")))
    if may(user, Action.VIEW_CAMPAIGN) or user.has_perm("exams.view_theoryattempt"):
        items.append(NavItem(_("Theory attempts"), reverse("exam_staff:attempts")))
        items.append(NavItem(_("Item statistics"), reverse("exam_staff:statistics")))
    if may(user, Action.VIEW_CAMPAIGN) or may(user, Action.REVOKE_CERTIFICATES):
        items.append(NavItem(_("Certificates"), reverse("certificate_bureau:list")))
    if may(user, Action.VIEW_ENTERPRISES):
        items.append(NavItem(_("Enterprises"), reverse("accounts:enterprise_directory")))
    if may(user, Action.DECIDE_CORRECTIONS):
        items.append(NavItem(_("Real-name corrections"), reverse("accounts:correction_list")))
    if may(user, Action.EDIT_CMS):
        items.append(NavItem(_("Site editor"), reverse("wagtailadmin_home")))
    return items
