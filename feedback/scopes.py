"""Who sees which feedback rows, and who answers for a case (ROLES.md, complaint cases).

The roles are decided in ``accounts.permissions``; these narrow ratings and cases to what the
viewer answers for, and name the people a case's messages go to.
"""

from django.db.models import Q, QuerySet

from accounts.models import Role, RoleAssignment, User
from accounts.permissions import officer_district, user_roles
from exams.models import CenterStaff

from .models import Case


def cases_visible_to(user) -> QuerySet[Case]:
    """Bureau: all; a district officer: the district's; centre staff and examiners: their
    centres'; publicity moderators: the courses'."""
    roles = user_roles(user)
    cases = Case.objects.select_related("center", "course", "district", "rating__worker")
    if Role.BUREAU_OFFICER in roles:
        return cases
    scope = Q(pk__in=[])
    if district := officer_district(user):
        scope |= Q(district=district)
    if roles & {Role.CENTER_STAFF, Role.EXAMINER}:
        scope |= Q(center__in=CenterStaff.objects.filter(user=user).values("center_id"))
    if Role.PUBLICITY_MODERATOR in roles:
        scope |= Q(course__isnull=False)
    return cases.filter(scope)


def satisfaction_scope(user) -> dict:
    """The keyword arguments of ``selectors.satisfaction_rows`` for the viewer's scope: the
    bureau all, a district officer the district, centre staff and examiners their centres (and
    the courses if they also moderate), publicity moderators the courses."""
    roles = user_roles(user)
    kwargs: dict = {}
    if Role.BUREAU_OFFICER not in roles:
        if district := officer_district(user):
            kwargs["district"] = district
        elif roles & {Role.CENTER_STAFF, Role.EXAMINER}:
            kwargs["center_ids"] = list(
                CenterStaff.objects.filter(user=user).values_list("center_id", flat=True)
            )
            kwargs["courses"] = Role.PUBLICITY_MODERATOR in roles
        else:  # publicity moderators: the courses
            kwargs["center_ids"] = []
    return kwargs


def case_handlers(case: Case, *, supervisors_only: bool = False) -> QuerySet[User]:
    """Who answers for a case: the centre's staff (its supervisors, for warnings), or the
    publicity moderators who look after the courses."""
    if case.center_id:
        posts = CenterStaff.objects.filter(center_id=case.center_id)
        # A centre without a supervisor: its staff are warned rather than nobody.
        if supervisors_only and posts.filter(supervisor=True).exists():
            posts = posts.filter(supervisor=True)
        return User.objects.filter(pk__in=posts.values("user_id"), is_active=True)
    return User.objects.filter(
        pk__in=RoleAssignment.objects.filter(role=Role.PUBLICITY_MODERATOR).values("user_id"),
        is_active=True,
    )


def district_officers(case: Case) -> QuerySet[User]:
    """The officers of the case's district: told when a deadline passes or a worker disputes."""
    assignments = RoleAssignment.objects.filter(
        role=Role.DISTRICT_OFFICER, district_id=case.district_id
    )
    return User.objects.filter(pk__in=assignments.values("user_id"), is_active=True)
