import django_filters
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.filters import district_filter, industry_filter, yes_no_select
from accounts.permissions import officer_district

from .models import ProgressFact


class EnterpriseFactFilter(django_filters.FilterSet):
    label = django_filters.CharFilter(label=_("Enterprise name"), lookup_expr="icontains")
    district = district_filter()
    industry = industry_filter()
    behind = django_filters.BooleanFilter(
        label=_("Below half of its target"), method="filter_behind", widget=yes_no_select()
    )

    class Meta:
        model = ProgressFact
        fields = ["label", "district", "industry", "behind"]

    def __init__(self, *args, viewer=None, **kwargs):
        super().__init__(*args, **kwargs)
        if viewer is not None and officer_district(viewer) is not None:
            del self.filters["district"]  # their own district is the only one

    def filter_behind(self, queryset, name, value):
        if value is None:
            return queryset
        behind = Q(target__gt=F("trained") * 2)  # whole numbers: no integer division
        return queryset.filter(behind) if value else queryset.exclude(behind)
