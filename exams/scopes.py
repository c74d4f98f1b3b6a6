"""Who may see what in exams: the one place for the exam office's scopes (docs/ROLES.md).

The roles and their actions are ``accounts.permissions``; the exam office's own work is granted
with Django model permissions to a Wagtail group: ``exams.view_question`` opens the question
bank and its export, ``exams.add_question`` with ``exams.change_question`` allow imports, and
``exams.view_theoryattempt`` opens every theory attempt and the item statistics. Campaign
officers (``Action.VIEW_CAMPAIGN``) see the attempts of the workers in their scope.
"""

from django.db.models import QuerySet

from accounts.permissions import Action, may, workers_visible_to

from .models import TheoryAttempt

BANK_VIEW_PERMISSION = "exams.view_question"
BANK_EDIT_PERMISSIONS = ("exams.add_question", "exams.change_question")
ATTEMPTS_VIEW_PERMISSION = "exams.view_theoryattempt"


def may_view_bank(user) -> bool:
    return user.has_perm(BANK_VIEW_PERMISSION)


def may_edit_bank(user) -> bool:
    return user.has_perms(BANK_EDIT_PERMISSIONS)


def may_view_attempts(user) -> bool:
    return user.is_authenticated and (
        user.has_perm(ATTEMPTS_VIEW_PERMISSION) or may(user, Action.VIEW_CAMPAIGN)
    )


def attempts_visible_to(user) -> QuerySet[TheoryAttempt]:
    """The attempts a staff user may see (the scope every attempts page reads through)."""
    attempts = TheoryAttempt.objects.all()
    if user.has_perm(ATTEMPTS_VIEW_PERMISSION):
        return attempts
    if may(user, Action.VIEW_CAMPAIGN):
        return attempts.filter(worker__in=workers_visible_to(user))
    return attempts.none()
