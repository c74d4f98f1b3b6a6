import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import CorrectionRequest, District, Enterprise, Industry, WorkerProfile

ALL = _("All")


def date_input() -> forms.DateInput:
    """The browser's date picker, ISO dates (the one date widget of the staff filters)."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def yes_no_select() -> forms.Select:
    """All / Yes / No (django-filter's default says "Unknown" for "all")."""
    return forms.Select(choices=[("", ALL), ("true", _("Yes")), ("false", _("No"))])


def district_filter():
    return django_filters.ModelChoiceFilter(
        label=_("District"),
        queryset=District.objects.filter(parent__isnull=False),
        empty_label=ALL,
    )


def industry_filter():
    return django_filters.ModelChoiceFilter(
        label=_("Industry"), queryset=Industry.objects.all(), empty_label=ALL
    )


class WorkerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or ID number"), method="search")
    district = district_filter()
    industry = industry_filter()

    class Meta:
        model = WorkerProfile
        fields = ["q", "district", "industry"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(real_name__contains=value) | Q(id_number__startswith=value.upper())
        )


class EnterpriseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or credit code"), method="search")
    district = district_filter()
    industry = industry_filter()
    uses_hazardous_chemicals = django_filters.BooleanFilter(
        label=_("Uses hazardous chemicals"),
        widget=yes_no_select(),
    )

    class Meta:
        model = Enterprise
        fields = ["q", "district", "industry", "uses_hazardous_chemicals"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__contains=value) | Q(uscc__startswith=value.upper()))


class CorrectionRequestFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or ID number"), method="search")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=CorrectionRequest.Status.choices, empty_label=ALL
    )
    district = django_filters.ModelChoiceFilter(
        label=_("District"),
        field_name="profile__district",
        queryset=District.objects.filter(parent__isnull=False),
        empty_label=ALL,
    )

    class Meta:
        model = CorrectionRequest
        fields = ["q", "status", "district"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(profile__real_name__contains=value)
            | Q(profile__id_number__startswith=value.upper())
            | Q(real_name__contains=value)
            | Q(id_number__startswith=value.upper())
        )
