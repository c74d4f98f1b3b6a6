"""What the exam office's viewsets share: deleting what is still in use, and a service's
refusal shown on the form."""

from typing import TYPE_CHECKING, TypeAlias

from django.contrib import messages
from django.db.models import ProtectedError
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views import generic

from core.errors import DomainError

if TYPE_CHECKING:
    # The mixins below go before a Wagtail view; to mypy that view is their base (Wagtail ships
    # no types, so it is Any), at run time they are plain classes and the MRO is the view's.
    ViewMixinBase: TypeAlias = generic.CreateView
else:
    ViewMixinBase = object


class ProtectedDeleteView(generic.DeleteView):
    """Deleting something still referred to (a session with bookings, a centre with sessions, a
    subject with attempts) says so and changes nothing, instead of failing."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ProtectedError:
            messages.error(
                self.request,
                _(
                    "“%(object)s” is still in use (sessions, bookings or results refer to it) and "
                    "cannot be deleted."
                )
                % {"object": self.object},
            )
            return redirect(self.get_success_url())


class _DomainErrorOnForm(ViewMixinBase):
    """A service's refusal is shown on the form (on its field, when it names one)."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)
