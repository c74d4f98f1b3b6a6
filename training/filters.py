import django_filters
from django.utils.translation import gettext_lazy as _

from accounts.filters import WorkerFilter, yes_no_select


class RosterProgressFilter(WorkerFilter):
    started = django_filters.BooleanFilter(
        label=_("Has started a course"), method="filter_started", widget=yes_no_select()
    )

    class Meta(WorkerFilter.Meta):
        fields = [*WorkerFilter.Meta.fields, "started"]

    def filter_started(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(enrollments__isnull=not value).distinct()
