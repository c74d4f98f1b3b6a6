"""Account pages. Views check permission and input, call one service, render or redirect."""

from allauth.account import signals as allauth_signals
from allauth.account.views import SignupView
from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import FormView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from accounts.text_size import LARGE_TEXT_COOKIE, large_text_enabled
from core.errors import DomainError
from core.exports import AuditedExportMixin
from core.files import private_file_response

from . import password_reset_sms
from .filters import EnterpriseFilter, WorkerFilter
from .forms import PasswordResetSmsForm, PasswordResetSmsRequestForm, WorkerProfileForm
from .models import CorrectionRequest, User, WorkerProfile
from .permissions import (
    Action,
    ActionRequiredMixin,
    managed_enterprise,
    officer_district,
    role_labels,
    workers_visible_to,
)
from .selectors import enterprise_directory, enterprise_suggestions, worker_roster
from .services import user_large_text_set, user_password_reset_by_sms
from .tables import EnterpriseTable, WorkerTable


class WorkerSignupView(SignupView):
    """allauth's sign-up, answering a lost race (the same ID number, mobile number or e-mail
    registered a moment earlier by someone else) with a form error instead of a 500."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except DomainError as error:
            form.add_domain_error(error)
        except IntegrityError:
            form.add_error(
                None,
                _("This mobile number or e-mail was registered a moment ago. Please log in."),
            )
        return self.form_invalid(form)


class PasswordResetSmsRequestView(FormView):
    """忘记密码, step 1: the mobile number. Registered or not, the answer is the same page."""

    template_name = "account/password_reset_sms.html"
    form_class = PasswordResetSmsRequestForm

    def form_valid(self, form):
        phone = form.cleaned_data["phone"]
        if not password_reset_sms.code_request_allowed(self.request, phone=phone):
            form.add_error(
                "phone",
                _(
                    "Too many codes were asked for this number or from this network. "
                    "Wait a minute (or an hour after five codes) and try again."
                ),
            )
            return self.form_invalid(form)
        password_reset_sms.code_send(self.request, phone=phone)
        return redirect("accounts:password_reset_sms_confirm")


class PasswordResetSmsConfirmView(FormView):
    """Step 2: the code and the new password; then the login page."""

    template_name = "account/password_reset_sms_confirm.html"
    form_class = PasswordResetSmsForm

    def dispatch(self, request, *args, **kwargs):
        self.phone = password_reset_sms.pending_phone(request)
        if self.phone is None:
            messages.error(request, _("The code has expired. Ask for a new one."))
            return redirect("accounts:password_reset_sms")
        if request.method == "POST":
            refused = ratelimit.consume_or_429(request, action="reset_password_from_key")
            if refused is not None:
                return refused
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "phone": self.phone}

    def form_valid(self, form):
        user = form.user
        try:
            user_password_reset_by_sms(user=user, password=form.cleaned_data["password1"])
        except DomainError as error:
            form.add_error("password1", error.message)
            return self.form_invalid(form)
        password_reset_sms.code_forget(self.request)
        allauth_signals.password_reset.send(sender=User, request=self.request, user=user)
        messages.success(self.request, _("Your password has been changed. Log in with it."))
        return redirect("account_login")

    def form_invalid(self, form):
        if form.exhausted:
            messages.error(self.request, _("Too many wrong codes. Ask for a new one."))
            return redirect("accounts:password_reset_sms")
        return super().form_invalid(form)


def admin_login(request):
    """Both admin sites log in through allauth's rate-limited page, never their own forms."""
    if request.user.is_authenticated:
        raise PermissionDenied
    return redirect_to_login(request.GET.get("next", "/"), login_url=reverse("account_login"))


@login_required
def workbench(request):
    """Where everyone lands after logging in: who they are here and what they can do."""
    profile = (
        WorkerProfile.objects.filter(user=request.user)
        .select_related("employer", "district")
        .first()
    )
    return render(
        request,
        "accounts/workbench.html",
        {
            "profile": profile,
            "role_labels": role_labels(request.user),
            "enterprise": managed_enterprise(request.user),
            "district": officer_district(request.user),
        },
    )


class ProfileEditView(ActionRequiredMixin, View):
    """A worker's own profile; a staff account has none and is sent to its workbench."""

    required_action = Action.EDIT_OWN_PROFILE

    def handle_no_permission(self):
        if self.request.user.is_authenticated:
            messages.info(self.request, _("Staff accounts have no real-name worker profile."))
            return redirect("accounts:workbench")
        return super().handle_no_permission()

    def get(self, request):
        profile = request.user.worker_profile
        form = WorkerProfileForm(request.POST or None, request.FILES or None, instance=profile)
        if request.method == "POST" and form.is_valid() and form.save_for(actor=request.user):
            messages.success(request, _("Your profile has been saved."))
            return redirect("accounts:profile")
        corrections = list(profile.correction_requests.order_by("-created_at", "-pk")[:20])
        return render(
            request,
            "accounts/profile.html",
            {
                "form": form,
                "profile": profile,
                "corrections": corrections,
                "pending": any(c.status == CorrectionRequest.Status.PENDING for c in corrections),
            },
        )

    post = get  # the form posts back to the page


@require_GET
def enterprise_search(request):
    """Suggestions for the employer box: at most 10 registered enterprises matching the text."""
    text = " ".join(request.GET.get("q", "").split())
    matches = enterprise_suggestions(text=text) if len(text) >= 2 else []
    response = JsonResponse(
        {
            "results": [
                {"name": e.name, "uscc": e.uscc, "district": e.district.name} for e in matches
            ]
        }
    )
    response["Cache-Control"] = "public, max-age=300"
    return response


@login_required
def worker_photo(request, profile_id: int):
    """A worker's photo, to the worker and to staff whose scope includes them; to anyone else
    the photo does not exist (404, so ids cannot be probed)."""
    visible = WorkerProfile.objects.filter(pk=profile_id).exclude(photo="")
    profile = visible.filter(user=request.user).first() or (
        workers_visible_to(request.user).filter(pk=profile_id).exclude(photo="").first()
    )
    if profile is None:
        raise Http404
    return private_file_response(
        profile.photo, content_type="image/jpeg", cache_control="private, max-age=3600"
    )


class WorkerRosterView(ActionRequiredMixin, AuditedExportMixin, SingleTableMixin, FilterView):
    required_action = Action.VIEW_WORKERS
    table_class = WorkerTable
    filterset_class = WorkerFilter
    template_name = "accounts/worker_roster.html"
    paginate_by = 50
    export_name = "workers"

    def get_queryset(self):
        return worker_roster(viewer=self.request.user)


class EnterpriseDirectoryView(
    ActionRequiredMixin, AuditedExportMixin, SingleTableMixin, FilterView
):
    required_action = Action.VIEW_ENTERPRISES
    table_class = EnterpriseTable
    filterset_class = EnterpriseFilter
    template_name = "accounts/enterprise_directory.html"
    paginate_by = 50
    export_name = "enterprises"

    def get_queryset(self):
        return enterprise_directory(viewer=self.request.user)


def _safe_next(request) -> str:
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return "/"
    return target


@csrf_exempt  # a visitor's own display preference: nothing to forge, and cached pages carry no token
@require_POST
def language_set(request):
    """Switch the interface language (kept in Django's language cookie)."""
    language = request.POST.get("language", "")
    response = HttpResponseRedirect(_safe_next(request))
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


@csrf_exempt  # see language_set
@require_POST
def text_size_toggle(request):
    """Large-text mode (适老化): kept in a cookie, and on the account when logged in."""
    enable = not large_text_enabled(request)
    if request.user.is_authenticated:
        user_large_text_set(user=request.user, enable=enable)
    response = HttpResponseRedirect(_safe_next(request))
    response.set_cookie(
        LARGE_TEXT_COOKIE,
        "large" if enable else "normal",
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response
