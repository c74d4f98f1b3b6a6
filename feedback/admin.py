from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Case, Holiday, Rating


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    """The working-day calendar the case deadlines count in: enter each year's public
    holidays and adjusted working weekends (调休) when the State Council publishes them."""

    list_display = ("day", "name", "working")
    list_filter = ("working",)
    date_hierarchy = "day"


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "service", "stars", "center", "course", "complaint")
    list_filter = ("service", "stars")


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("pk", "state", "center", "course", "callback_due", "rectification_due")
    list_filter = ("state",)
