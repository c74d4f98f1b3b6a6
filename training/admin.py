from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import CampaignTarget, Enrollment, RosterImport, TrainingRecord


@admin.register(CampaignTarget)
class CampaignTargetAdmin(admin.ModelAdmin):
    list_display = ("__str__", "district", "enterprise", "target")
    list_select_related = ("district", "enterprise")
    raw_id_fields = ("enterprise",)


@admin.register(Enrollment)
class EnrollmentAdmin(ReadOnlyAdmin):
    list_display = ("worker", "course", "created_at", "completed_at")
    list_select_related = ("worker", "course")
    search_fields = ("worker__real_name", "worker__id_number")


@admin.register(TrainingRecord)
class TrainingRecordAdmin(ReadOnlyAdmin):
    list_display = ("worker", "course", "hours", "completed_at")
    list_select_related = ("worker", "course")


@admin.register(RosterImport)
class RosterImportAdmin(ReadOnlyAdmin):
    list_display = (
        "enterprise",
        "original_name",
        "status",
        "created_count",
        "error_count",
        "created_at",
    )
    list_select_related = ("enterprise",)
