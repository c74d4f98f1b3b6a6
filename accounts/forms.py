"""Forms: they validate input and call one service; the rules live in validators and services."""

from typing import TYPE_CHECKING

from allauth.account.adapter import get_adapter
from allauth.account.fields import PasswordField, SetPasswordField
from allauth.account.forms import (
    ChangePasswordForm,
    LoginForm,
    PasswordVerificationMixin,
    SignupForm,
)
from allauth.core import context
from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.errors import DomainError, PermissionDenied

from . import password_reset_sms, selectors, services
from .models import CorrectionRequest, District, Enterprise, Industry, User, WorkerProfile
from .photos import evidence_prepare, photo_prepare
from .validators import normalize_id_number, normalize_real_name, normalize_uscc


class EnterpriseSearchInput(forms.TextInput):
    """A text box that suggests registered enterprises as you type (static/js/anxun.js fetches
    them); the page never lists every enterprise, however many there are."""

    template_name = "django/forms/widgets/enterprise_search.html"

    def __init__(self, attrs=None):
        super().__init__(
            {
                "list": "enterprise-options",
                "autocomplete": "off",
                "data-enterprise-search": reverse_lazy("accounts:enterprise_search"),
                "placeholder": _("Type the name or the unified social credit code"),
                **(attrs or {}),
            }
        )


class EnterpriseField(forms.CharField):
    """An employer typed by exact name or credit code, resolved to the registered enterprise."""

    widget = EnterpriseSearchInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 128)
        kwargs.setdefault(
            "help_text", _("Leave empty if your employer is not listed or you are self-employed.")
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, int):
            value = Enterprise.objects.filter(pk=value).first()
        return value.name if isinstance(value, Enterprise) else value

    def clean(self, value) -> Enterprise | None:
        text = " ".join((super().clean(value) or "").split())
        if not text:
            return None
        try:
            enterprise = Enterprise.objects.filter(uscc=normalize_uscc(text)).first()
        except ValidationError:
            matches = list(Enterprise.objects.filter(name=text)[:2])
            enterprise = matches[0] if len(matches) == 1 else None
        if enterprise is None:
            raise ValidationError(
                _(
                    "No registered enterprise has this name or credit code. Pick one of the "
                    "suggestions, or leave the field empty."
                ),
                code="unknown_enterprise",
            )
        return enterprise


if TYPE_CHECKING:
    # The mixin is only ever combined with a form; mypy is told so, the class stays a plain mixin.
    _FormBase = forms.BaseForm
else:
    _FormBase = object


class DomainErrorFormMixin(_FormBase):
    """Show a service's ``DomainError`` on the field it names (or on the form)."""

    def add_domain_error(self, error: DomainError) -> None:
        field = error.field if error.field in self.fields else None
        self.add_error(field, ValidationError(error.message, code=error.code))


class RealNameFieldsMixin(forms.Form):
    real_name = forms.CharField(
        label=_("Full name"),
        max_length=50,
        help_text=_("As printed on your resident ID card."),
        error_messages={"required": _("Enter your full name as on your ID card.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    id_number = forms.CharField(
        label=_("Resident ID number"),
        max_length=24,
        help_text=_("18 characters; the last may be X."),
        error_messages={"required": _("Enter your resident ID number.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_real_name(self) -> str:
        return normalize_real_name(self.cleaned_data["real_name"])

    def clean_id_number(self) -> str:
        number = normalize_id_number(self.cleaned_data["id_number"])
        try:
            return services.id_number_check_available(id_number=number)
        except DomainError as error:
            raise ValidationError(error.message, code=error.code) from None


class AnxunLoginForm(LoginForm):
    """allauth's login, labelled for how people here log in: a mobile number or an e-mail."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("Mobile number or e-mail")
        self.fields["login"].widget.attrs.update(
            {"placeholder": _("e.g. 13812345678"), "autocomplete": "username"}
        )


class PasswordResetSmsRequestForm(forms.Form):
    """Step 1 of a reset by SMS: the account's mobile number."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"] = get_adapter().phone_form_field(required=True)


class PasswordResetSmsForm(PasswordVerificationMixin, forms.Form):
    """Step 2: the code the SMS brought and the new password (Django's validators, with the
    account known once the code is right). A wrong code counts against the reset's attempts;
    ``exhausted`` says the last one was used and the reset is void."""

    code = forms.CharField(
        label=_("Code from the SMS"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "placeholder": "123456"}
        ),
    )
    password1 = SetPasswordField(label=_("New password"))
    password2 = PasswordField(label=_("New password (again)"), autocomplete="new-password")

    user: "User | None" = None
    exhausted = False

    def __init__(self, *args, request, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned_data = super().clean()
        if self.errors or cleaned_data is None:  # a code is tried only beside a usable password
            return cleaned_data
        outcome, user = password_reset_sms.code_check(self.request, code=cleaned_data["code"])
        if outcome is password_reset_sms.Check.RIGHT:
            self.user = user
            try:
                get_adapter().clean_password(cleaned_data["password1"], user=user)
            except ValidationError as error:
                self.add_error("password1", error)
        elif outcome is password_reset_sms.Check.WRONG:
            self.add_error("code", _("This code is not right. Check the SMS and type it again."))
        else:
            self.exhausted = True
            self.add_error(None, _("This code no longer works. Ask for a new one."))
        return cleaned_data


class AnxunChangePasswordForm(ChangePasswordForm):
    """allauth's password change, without the current password for a short while after a login
    by an SMS code that proved the account's phone (its authentication records say so): a worker
    who forgot the password logs in by code and sets a new one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.no_current_until = selectors.password_change_without_current_until(
            request=context.request, user=self.user
        )
        if self.no_current_until is not None:
            del self.fields["oldpassword"]


class WorkerSignupForm(DomainErrorFormMixin, RealNameFieldsMixin, SignupForm):
    """Real-name sign-up (实名注册): who you are, where you work, how to reach you."""

    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.filter(parent__isnull=False),
        empty_label=_("Choose your district"),
    )
    employer = EnterpriseField(label=_("Employer"))

    field_order = [
        "real_name",
        "id_number",
        "phone",
        "email",
        "district",
        "employer",
        "password1",
        "password2",
    ]

    def save(self, request):
        # The account and its real-name profile are created together or not at all.
        with transaction.atomic():
            user = super().save(request)
            services.worker_profile_create(
                user=user,
                real_name=self.cleaned_data["real_name"],
                id_number=self.cleaned_data["id_number"],
                district=self.cleaned_data["district"],
                employer=self.cleaned_data.get("employer"),
            )
        return user


class WorkerProfileForm(DomainErrorFormMixin, forms.ModelForm):
    """What a worker may change about themselves; the ID number is shown, not edited."""

    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        help_text=_("A recent front-facing photo, JPEG/PNG/WebP, at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    employer = EnterpriseField(label=_("Employer"))

    class Meta:
        model = WorkerProfile
        fields = ["real_name", "district", "employer", "industry"]
        error_messages = {
            "real_name": {"required": _("Enter your full name as on your ID card.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Once a booking or a certificate uses them, the name and photo change only through a
        # correction request: shown, not edited (a posted value is ignored, and the service
        # refuses one anyway).
        self.fixed = services.profile_is_fixed(profile=self.instance)
        if self.fixed:
            self.fields["real_name"].disabled = True
            self.fields["real_name"].help_text = _(
                "Fixed: it is on a booking or a certificate. Request a correction to change it."
            )
            del self.fields["photo"]
        district, industry = self.fields["district"], self.fields["industry"]
        # Both are ForeignKeys on the model, so the form made them ModelChoiceFields.
        assert isinstance(district, forms.ModelChoiceField)
        assert isinstance(industry, forms.ModelChoiceField)
        district.queryset = District.objects.filter(parent__isnull=False)
        industry.queryset = Industry.objects.all()

    def clean_real_name(self) -> str:
        return normalize_real_name(self.cleaned_data["real_name"])

    def clean_photo(self):
        uploaded = self.cleaned_data.get("photo")
        return photo_prepare(uploaded) if uploaded else None

    def save_for(self, *, actor) -> WorkerProfile | None:
        try:
            return services.worker_profile_update(
                profile=self.instance,
                actor=actor,
                real_name=None if self.fixed else self.cleaned_data["real_name"],
                district=self.cleaned_data["district"],
                employer=self.cleaned_data.get("employer"),
                industry=self.cleaned_data.get("industry"),
                photo=self.cleaned_data.get("photo"),
            )
        except DomainError as error:
            self.add_domain_error(error)
            return None


USCC_INPUT_LENGTH = 40  # 18 characters with spaces, hyphens or stray blanks between them


class CorrectionRequestForm(DomainErrorFormMixin, forms.Form):
    """A worker asks for their real-name record to be corrected: the corrected values (blank
    ones stay as they are), the reason, and a scan of the ID card as evidence."""

    real_name = forms.CharField(
        label=_("Corrected full name"),
        max_length=50,
        required=False,
        help_text=_("Leave empty if your name is right."),
    )
    id_number = forms.CharField(
        label=_("Corrected resident ID number"),
        max_length=24,
        required=False,
        help_text=_("Leave empty if your ID number is right."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    photo = forms.FileField(
        label=_("New photo"),
        required=False,
        help_text=_("Only if your photo is to be replaced: a recent front-facing photo."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    evidence = forms.FileField(
        label=_("Scan or photo of your ID card"),
        help_text=_("JPEG, PNG or WebP, at most 5 MB. Only the staff deciding it see it."),
        error_messages={"required": _("Upload a scan or photo of your ID card as evidence.")},
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        help_text=_("What is wrong, and how it happened."),
        error_messages={"required": _("Say what is wrong and why (at least a few words).")},
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_real_name(self) -> str:
        value = self.cleaned_data["real_name"]
        return normalize_real_name(value) if value.strip() else ""

    def clean_id_number(self) -> str:
        value = self.cleaned_data["id_number"]
        return normalize_id_number(value) if value.strip() else ""

    def clean_photo(self):
        uploaded = self.cleaned_data.get("photo")
        return photo_prepare(uploaded) if uploaded else None

    def clean_evidence(self):
        return evidence_prepare(self.cleaned_data["evidence"])

    def save_for(self, *, profile: WorkerProfile, actor) -> CorrectionRequest | None:
        try:
            return services.correction_request_file(
                profile=profile,
                actor=actor,
                reason=self.cleaned_data["reason"],
                evidence=self.cleaned_data["evidence"],
                real_name=self.cleaned_data["real_name"],
                id_number=self.cleaned_data["id_number"],
                photo=self.cleaned_data.get("photo"),
            )
        except DomainError as error:
            self.add_domain_error(error)
            return None


class CorrectionDecisionForm(DomainErrorFormMixin, forms.Form):
    """Staff approve or refuse a correction request, with the reason the worker is told."""

    decision = forms.ChoiceField(
        # A context of their own: a plain "Approve" would also retranslate Wagtail's workflow.
        choices=[
            ("approve", pgettext_lazy("correction decision", "Approve")),
            ("refuse", pgettext_lazy("correction decision", "Refuse")),
        ],
        widget=forms.HiddenInput,
    )
    decision_reason = forms.CharField(
        label=_("Reason for the decision"),
        max_length=1000,
        help_text=_("The worker is told it, by SMS and on their profile page."),
        error_messages={"required": _("Give the reason for the decision; the worker is told it.")},
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def save_for(self, *, request_id: int, actor) -> CorrectionRequest | None:
        decide = (
            services.correction_request_approve
            if self.cleaned_data["decision"] == "approve"
            else services.correction_request_refuse
        )
        try:
            return decide(
                actor=actor, request_id=request_id, reason=self.cleaned_data["decision_reason"]
            )
        except PermissionDenied:
            raise
        except DomainError as error:
            self.add_domain_error(error)
            return None


class EnterpriseForm(forms.ModelForm):
    """Staff edit enterprises (Django admin for now): the code is normalised and checked."""

    # The code as people copy it (91 110000 600037341L, 91-110000-600037341L) is longer than
    # the 18 characters stored: the field takes it raw and ``clean_uscc`` compacts it.
    uscc = forms.CharField(
        label=Enterprise._meta.get_field("uscc").verbose_name, max_length=USCC_INPUT_LENGTH
    )

    def clean_uscc(self) -> str:
        return normalize_uscc(self.cleaned_data["uscc"])

    class Meta:
        model = Enterprise
        fields = [
            "name",
            "uscc",
            "district",
            "industry",
            "address",
            "contact_name",
            "contact_phone",
            "headcount",
            "uses_hazardous_chemicals",
        ]
