import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.filters import ALL, district_filter, yes_no_select
from exams.models import ExamCenter

from .models import Case, Service


class CaseFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=Case.State.choices, empty_label=ALL
    )
    service = django_filters.ChoiceFilter(
        label=_("Service"),
        field_name="rating__service",
        choices=Service.choices,
        empty_label=ALL,
    )
    center = django_filters.ModelChoiceFilter(
        label=_("Exam centre"), queryset=ExamCenter.objects.order_by("code"), empty_label=ALL
    )
    district = district_filter()
    overdue = django_filters.BooleanFilter(
        label=_("Overdue"), method="filter_overdue", widget=yes_no_select()
    )

    class Meta:
        model = Case
        fields = ["state", "service", "center", "district", "overdue"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        now = timezone.now()
        late = (Q(state=Case.State.OPEN) & Q(callback_due__lt=now)) | (
            ~Q(state=Case.State.CLOSED) & Q(rectification_due__lt=now)
        )
        return queryset.filter(late) if value else queryset.exclude(late)
