"""Django admin for operators. Writes that have rules go through the services, or are closed here."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.utils.translation import gettext_lazy as _

from . import services
from .forms import EnterpriseForm
from .models import District, Enterprise, Industry, RoleAssignment, User, WorkerProfile
from .permissions import WAGTAIL_GROUP_FOR_ROLE
from .validators import normalize_mobile


class AnxunUserChangeForm(UserChangeForm):
    def clean_phone(self):
        phone = self.cleaned_data.get("phone")
        return normalize_mobile(phone) if phone else None

    def clean_groups(self):
        # Publicity groups follow the publicity roles (services.role_grant / role_revoke).
        groups = self.cleaned_data["groups"]
        managed = set(WAGTAIL_GROUP_FOR_ROLE.values())
        before = {g.name for g in self.instance.groups.all()} if self.instance.pk else set()
        after = {g.name for g in groups}
        if (before ^ after) & managed:
            raise forms.ValidationError(
                _("Editors and Moderators follow the publicity roles; grant or revoke the role.")
            )
        return groups


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = AnxunUserChangeForm
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Anxun"), {"fields": ("phone", "phone_verified", "large_text")}),
    )
    list_display = ("username", "phone", "email", "is_staff", "is_active")
    search_fields = ("username", "phone", "email", "worker_profile__real_name")


@admin.register(WorkerProfile)
class WorkerProfileAdmin(admin.ModelAdmin):
    """Profiles are created by sign-up or import (the services), not here."""

    list_display = ("real_name", "id_number", "employer", "district")
    list_select_related = ("employer", "district")
    search_fields = ("real_name", "id_number")
    raw_id_fields = ("user", "employer")
    readonly_fields = ("id_number", "birth_date", "sex")

    def has_add_permission(self, request):
        return False


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    form = EnterpriseForm
    list_display = ("name", "uscc", "district", "industry")
    list_select_related = ("district", "industry")
    list_filter = ("district", "industry")
    search_fields = ("name", "uscc")


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "parent")


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin):
    list_display = ("code", "name")


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    """Roles are granted with ``manage.py grant_role``; deleting here revokes through the service,
    so the Wagtail group and the audit trail stay in step."""

    list_display = ("user", "role", "enterprise", "district", "created_at")
    list_select_related = ("user", "enterprise", "district")
    list_filter = ("role",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        services.role_revoke(user=obj.user, role=obj.role, actor=request.user)

    def delete_queryset(self, request, queryset):
        for assignment in queryset.select_related("user"):
            self.delete_model(request, assignment)
