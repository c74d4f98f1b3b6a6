"""Who may do what: the one place that answers it.

Views ask ``may(user, Action.X)`` (or use ``ActionRequiredMixin``) and read rows through the
``*_visible_to`` scopes below; nothing else in the code checks a role directly. The table
``ACTIONS`` is the whole policy, so a reviewer can read it in one screen.
"""

from enum import StrEnum
from typing import TYPE_CHECKING

from django.contrib.auth.mixins import AccessMixin
from django.db.models import Q, QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic.base import ContextMixin

from .models import (
    CorrectionRequest,
    District,
    Enterprise,
    Role,
    RoleAssignment,
    User,
    WorkerProfile,
)

WORKER = "worker"  # not a granted role: anyone with a real-name profile


class Action(StrEnum):
    EDIT_OWN_PROFILE = "edit_own_profile"
    VIEW_WORKERS = "view_workers"  # a roster, scoped by enterprise or district
    VIEW_ENTERPRISES = "view_enterprises"  # the enterprise directory, scoped by district
    EDIT_CMS = "edit_cms"  # Wagtail admin: draft and submit pages
    PUBLISH_CMS = "publish_cms"  # Wagtail admin: approve and publish
    CHECK_IN_CANDIDATES = "check_in_candidates"
    SCORE_PRACTICAL = "score_practical"
    MANAGE_SESSIONS = "manage_sessions"  # publish practical sessions, seat urgent cases
    VIEW_CAMPAIGN = "view_campaign"  # dashboards, scoped by district
    VERIFY_CERTIFICATES = "verify_certificates"  # the staff scanner: the full record, logged
    REVOKE_CERTIFICATES = "revoke_certificates"  # also re-issue and record reviews
    GRANT_ROLES = "grant_roles"
    RATE_SERVICES = "rate_services"  # rate the services one used; answer one's cases
    HANDLE_CASES = "handle_cases"  # complaint cases of one's centre (or the courses)
    VIEW_CASES = "view_cases"  # complaint cases in scope, and satisfaction figures
    DECIDE_CORRECTIONS = "decide_corrections"  # real-name corrections, scoped by district


ACTIONS: dict[Action, frozenset[str]] = {
    Action.EDIT_OWN_PROFILE: frozenset({WORKER}),
    Action.VIEW_WORKERS: frozenset(
        {Role.ENTERPRISE_ADMIN, Role.DISTRICT_OFFICER, Role.BUREAU_OFFICER}
    ),
    Action.VIEW_ENTERPRISES: frozenset({Role.DISTRICT_OFFICER, Role.BUREAU_OFFICER}),
    Action.EDIT_CMS: frozenset({Role.PUBLICITY_EDITOR, Role.PUBLICITY_MODERATOR}),
    Action.PUBLISH_CMS: frozenset({Role.PUBLICITY_MODERATOR}),
    Action.CHECK_IN_CANDIDATES: frozenset({Role.CENTER_STAFF, Role.EXAMINER}),
    Action.SCORE_PRACTICAL: frozenset({Role.EXAMINER}),
    Action.MANAGE_SESSIONS: frozenset({Role.CENTER_STAFF}),
    Action.VIEW_CAMPAIGN: frozenset({Role.DISTRICT_OFFICER, Role.BUREAU_OFFICER}),
    Action.VERIFY_CERTIFICATES: frozenset(
        {Role.CENTER_STAFF, Role.EXAMINER, Role.DISTRICT_OFFICER, Role.BUREAU_OFFICER}
    ),
    Action.REVOKE_CERTIFICATES: frozenset({Role.BUREAU_OFFICER}),
    Action.GRANT_ROLES: frozenset({Role.BUREAU_OFFICER}),
    Action.RATE_SERVICES: frozenset({WORKER}),
    Action.HANDLE_CASES: frozenset({Role.CENTER_STAFF, Role.EXAMINER, Role.PUBLICITY_MODERATOR}),
    Action.VIEW_CASES: frozenset(
        {
            Role.CENTER_STAFF,
            Role.EXAMINER,
            Role.PUBLICITY_MODERATOR,
            Role.DISTRICT_OFFICER,
            Role.BUREAU_OFFICER,
        }
    ),
    Action.DECIDE_CORRECTIONS: frozenset({Role.DISTRICT_OFFICER, Role.BUREAU_OFFICER}),
}

# Wagtail's own groups carry the CMS page permissions; publicity roles are kept in step with them.
WAGTAIL_GROUP_FOR_ROLE = {
    Role.PUBLICITY_EDITOR: "Editors",
    Role.PUBLICITY_MODERATOR: "Moderators",
}


def user_roles(user) -> frozenset[str]:
    """The roles a user holds, read once per request and kept on the user object."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_anxun_roles", None)
    if cached is None:
        roles = set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))
        if WorkerProfile.objects.filter(user=user).exists():
            roles.add(WORKER)
        cached = user._anxun_roles = frozenset(roles)
    return cached


def role_labels(user) -> list[str]:
    """The user's roles, named for people, in a stable order (worker first)."""
    held = user_roles(user)
    labels = [str(_("Worker"))] if WORKER in held else []
    return labels + [str(capfirst(role.label)) for role in Role if role in held]


def may(user, action: Action) -> bool:
    return bool(user_roles(user) & ACTIONS[action])


def _assignment(user, role: Role) -> RoleAssignment | None:
    return (
        RoleAssignment.objects.filter(user=user, role=role)
        .select_related("enterprise", "district")
        .first()
    )


def managed_enterprise(user) -> Enterprise | None:
    """The enterprise an enterprise administrator answers for (one per administrator)."""
    if Role.ENTERPRISE_ADMIN not in user_roles(user):
        return None
    assignment = _assignment(user, Role.ENTERPRISE_ADMIN)
    return assignment.enterprise if assignment else None


def officer_district(user) -> District | None:
    if Role.DISTRICT_OFFICER not in user_roles(user):
        return None
    assignment = _assignment(user, Role.DISTRICT_OFFICER)
    return assignment.district if assignment else None


def enterprises_visible_to(user) -> QuerySet[Enterprise]:
    roles = user_roles(user)
    enterprises = Enterprise.objects.all()
    if Role.BUREAU_OFFICER in roles:
        return enterprises
    if district := officer_district(user):
        return enterprises.filter(district=district)
    if enterprise := managed_enterprise(user):
        return enterprises.filter(pk=enterprise.pk)
    return enterprises.none()


def workers_visible_to(user) -> QuerySet[WorkerProfile]:
    roles = user_roles(user)
    workers = WorkerProfile.objects.all()
    if Role.BUREAU_OFFICER in roles:
        return workers
    if district := officer_district(user):
        # Those who live in the district and those who work for its enterprises.
        return workers.filter(Q(district=district) | Q(employer__district=district))
    if enterprise := managed_enterprise(user):
        return workers.filter(employer=enterprise)
    return workers.none()


def corrections_visible_to(user) -> QuerySet[CorrectionRequest]:
    """The correction requests a user may decide: the bureau all of them, a district officer
    those of workers registered in the district (the district on the worker's profile, not
    their employer's: a real-name record belongs to where the person is registered)."""
    requests = CorrectionRequest.objects.all()
    if not may(user, Action.DECIDE_CORRECTIONS):
        return requests.none()
    if Role.BUREAU_OFFICER in user_roles(user):
        return requests
    if district := officer_district(user):
        return requests.filter(profile__district=district)
    return requests.none()


if TYPE_CHECKING:
    # The mixins are only ever combined with a view; mypy is told so, the classes stay plain
    # mixins. ``ContextViewBase`` is for a mixin that adds to the view's template context.
    _ViewBase = View

    class ContextViewBase(ContextMixin, View): ...

else:
    _ViewBase = ContextViewBase = object


class ActionRequiredMixin(AccessMixin, _ViewBase):
    """The one policy mixin for class-based views.

    Anonymous users go to the login page; a signed-in user whom ``allows`` refuses gets 403.
    ``allows`` is the single hook: by default it asks ``may(user, required_action)``; a view that
    needs more (a post at the centre in the URL, a managed enterprise) overrides it, may set
    what it resolves on ``self`` for the view to use, and may raise ``PermissionDenied`` with a
    message of its own. Views that answer in JSON override ``handle_no_permission`` only.
    """

    required_action: Action | None = None

    def allows(self, request, *args, **kwargs) -> bool:
        """Whether the signed-in ``request.user`` may use this view (called before the handler)."""
        return self.required_action is not None and may(request.user, self.required_action)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not self.allows(request, *args, **kwargs):
            self.raise_exception = True
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)

    @property
    def signed_in_user(self) -> User:
        """``request.user`` for the handlers, typed as the signed-in user it is there."""
        user = self.request.user
        assert user.is_authenticated  # ``dispatch`` sent anonymous users to the login page
        return user
