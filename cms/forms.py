"""The event registration form: the editor's questions plus name, mobile number and party size."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.validators import normalize_mobile, normalize_real_name

FIXED_FIELDS = ("name", "phone", "attendees")


def registration_form_class(builder_form_class: type[forms.Form]) -> type[forms.Form]:
    # A base chosen at run time (wagtail's form builder makes it) is beyond a static checker.
    class EventRegistrationForm(builder_form_class):  # type: ignore[misc,valid-type]
        name = forms.CharField(label=_("Your name"), max_length=50)
        phone = forms.CharField(
            label=_("Mobile number"),
            max_length=20,
            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
            help_text=_("We send the confirmation and any change of plan to this number."),
        )
        attendees = forms.TypedChoiceField(
            label=_("Number of people"),
            coerce=int,
            choices=[(n, n) for n in range(1, 6)],
            initial=1,
        )

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            # The fixed questions first, then the editor's.
            order = [*FIXED_FIELDS, *[f for f in self.fields if f not in FIXED_FIELDS]]
            self.order_fields(order)

        def clean_name(self) -> str:
            return normalize_real_name(self.cleaned_data["name"])

        def clean_phone(self) -> str:
            return normalize_mobile(self.cleaned_data["phone"])

        def answers(self) -> dict:
            """The editor's questions and their answers, as stored with the registration."""
            return {k: v for k, v in self.cleaned_data.items() if k not in FIXED_FIELDS}

    return EventRegistrationForm
