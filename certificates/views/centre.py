"""The gate of the certificate pages served under an exam centre's address
(``/centre/<code>/…``): the user holds the role's action and a post at that centre.

The centre and the user's posts come from the exam side through ``certificates.ports``.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.permissions import Action, ActionRequiredMixin, ContextViewBase

from .. import ports


def center_post(user, code: str) -> tuple[ports.CenterRecord, ports.StaffPost]:
    """The centre of ``code`` and ``user``'s post there. Raise ``Http404`` for an unknown
    centre and ``PermissionDenied`` (with the reason) when the user does not work there."""
    center = get_object_or_404(ports.exam_centers(), code=code)
    post = ports.staff_posts(user).get(center.pk)
    if post is None:
        raise PermissionDenied(_("You do not work at %(center)s.") % {"center": center})
    return center, post


class AtCenterMixin(ActionRequiredMixin, ContextViewBase):
    """Sets ``self.center`` and ``self.staff_post`` from the URL's ``code``; anyone without
    the action or a post there is refused (403 with the reason)."""

    required_action = Action.CHECK_IN_CANDIDATES

    def allows(self, request, *args, **kwargs) -> bool:
        if not super().allows(request, *args, **kwargs):
            return False
        self.center, self.staff_post = center_post(request.user, kwargs["code"])
        return True

    def get_context_data(self, **kwargs):
        return super().get_context_data(center=self.center, staff_post=self.staff_post, **kwargs)
