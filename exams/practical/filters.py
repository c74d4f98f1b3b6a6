import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

from accounts.filters import ALL, date_input, yes_no_select
from accounts.models import District

from ..models import Booking, ExamCenter, ExamResult, PracticalSession, Subject


def _subject_filter():
    return django_filters.ModelChoiceFilter(
        label=_("Subject"), queryset=Subject.objects.filter(active=True), empty_label=ALL
    )


class SessionFilter(django_filters.FilterSet):
    """Open sessions for workers: where, which subject, from which day."""

    district = django_filters.ModelChoiceFilter(
        label=_("District"),
        field_name="center__district",
        queryset=District.objects.filter(exam_centers__isnull=False).distinct(),
        empty_label=ALL,
    )
    subject = _subject_filter()
    date_from = django_filters.DateFilter(
        label=_("From"), field_name="starts_at", lookup_expr="date__gte", widget=date_input()
    )
    date_to = django_filters.DateFilter(
        label=_("Until"), field_name="starts_at", lookup_expr="date__lte", widget=date_input()
    )

    class Meta:
        model = PracticalSession
        fields = ["district", "subject", "date_from", "date_to"]


class CenterSessionFilter(django_filters.FilterSet):
    subject = _subject_filter()
    date_from = django_filters.DateFilter(
        label=_("From"), field_name="starts_at", lookup_expr="date__gte", widget=date_input()
    )
    date_to = django_filters.DateFilter(
        label=_("Until"), field_name="starts_at", lookup_expr="date__lte", widget=date_input()
    )

    class Meta:
        model = PracticalSession
        fields = ["subject", "date_from", "date_to"]


class _PersonSearch(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or ID number"), method="search")

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(worker__real_name__contains=value) | Q(worker__id_number__startswith=value.upper())
        )


class RosterFilter(_PersonSearch):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Booking.Status.choices, empty_label=ALL
    )

    class Meta:
        model = Booking
        fields = ["q", "status"]


class ResultFilter(_PersonSearch):
    subject = _subject_filter()
    passed = django_filters.BooleanFilter(label=_("Passed"), widget=yes_no_select())
    decided_from = django_filters.DateFilter(
        label=_("From"), field_name="decided_at", lookup_expr="date__gte", widget=date_input()
    )
    decided_to = django_filters.DateFilter(
        label=_("Until"), field_name="decided_at", lookup_expr="date__lte", widget=date_input()
    )

    class Meta:
        model = ExamResult
        fields = ["q", "subject", "passed", "decided_from", "decided_to"]


class PracticalSessionAdminFilterSet(WagtailFilterSet):
    subject = django_filters.ModelChoiceFilter(
        label=_("Subject"), queryset=Subject.objects.all(), empty_label=ALL
    )
    center = django_filters.ModelChoiceFilter(
        label=PracticalSession._meta.get_field("center").verbose_name,
        queryset=ExamCenter.objects.all(),
        empty_label=ALL,
    )
    starts_at = django_filters.DateFromToRangeFilter(
        label=PracticalSession._meta.get_field("starts_at").verbose_name,
        widget=DateRangePickerWidget,
    )
    cancelled = django_filters.BooleanFilter(
        label=PracticalSession._meta.get_field("cancelled").verbose_name
    )

    class Meta:
        model = PracticalSession
        fields = ["subject", "center", "starts_at", "cancelled"]
