import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelChoiceField as FilterModelChoiceField
from wagtail.admin.filters import WagtailFilterSet

from accounts.filters import ALL, date_input, yes_no_select

from .models import Question, QuestionCategory, Subject, TheoryAttempt


class AttemptFilter(django_filters.FilterSet):
    """Staff list of theory attempts: who, which subject, passed or not, when started."""

    q = django_filters.CharFilter(label=_("Name or ID number"), method="search")
    subject = django_filters.ModelChoiceFilter(
        label=_("Subject"), queryset=Subject.objects.all(), empty_label=ALL
    )
    passed = django_filters.BooleanFilter(label=_("Passed"), widget=yes_no_select())
    started_from = django_filters.DateFilter(
        label=_("Started from"),
        field_name="started_at",
        lookup_expr="date__gte",
        widget=date_input(),
    )
    started_to = django_filters.DateFilter(
        label=_("Started until"),
        field_name="started_at",
        lookup_expr="date__lte",
        widget=date_input(),
    )

    class Meta:
        model = TheoryAttempt
        fields = ["q", "subject", "passed", "started_from", "started_to"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(worker__real_name__contains=value) | Q(worker__id_number__startswith=value.upper())
        )


class _CategoryChoiceField(FilterModelChoiceField):
    """Categories of different subjects may share a name: say whose each one is.

    Built on django-filter's own field (the filter's default), whose null choice stays off:
    no null_label is given."""

    def label_from_instance(self, obj: QuestionCategory) -> str:
        return f"{obj.subject.name} · {obj.name}"


class CategoryChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = _CategoryChoiceField


def categories_with_subjects():
    return QuestionCategory.objects.select_related("subject").order_by("subject__code", "name")


class QuestionAdminFilterSet(WagtailFilterSet):
    """The Wagtail admin's question listing: by subject, type, category and use."""

    subject = django_filters.ModelChoiceFilter(
        label=_("Subject"), queryset=Subject.objects.all(), empty_label=ALL
    )
    kind = django_filters.ChoiceFilter(
        label=_("Type"), choices=Question.Kind.choices, empty_label=ALL
    )
    category = CategoryChoiceFilter(
        label=_("Category"), queryset=categories_with_subjects(), empty_label=ALL
    )
    active = django_filters.BooleanFilter(label=_("In use"), widget=yes_no_select())

    class Meta:
        model = Question
        fields = ["subject", "kind", "category", "active"]
