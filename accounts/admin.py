from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .forms import EnterpriseForm
from .models import District, Enterprise, Industry, RoleAssignment, User, WorkerProfile


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Anxun"), {"fields": ("phone", "phone_verified", "large_text")}),
    )
    list_display = ("username", "phone", "email", "is_staff", "is_active")
    search_fields = ("username", "phone", "email", "worker_profile__real_name")


@admin.register(WorkerProfile)
class WorkerProfileAdmin(admin.ModelAdmin):
    list_display = ("real_name", "id_number", "employer", "district")
    list_select_related = ("employer", "district")
    search_fields = ("real_name", "id_number")
    raw_id_fields = ("user", "employer")
    readonly_fields = ("id_number", "birth_date", "sex")


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
    """Read-only here: roles are granted with ``manage.py grant_role`` so the audit row is written."""

    list_display = ("user", "role", "enterprise", "district", "created_at")
    list_select_related = ("user", "enterprise", "district")
    list_filter = ("role",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
