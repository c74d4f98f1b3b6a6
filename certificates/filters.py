from datetime import timedelta

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.filters import ALL, date_input

from . import ports
from .models import Certificate, Status, VerificationLog
from .scopes import centers_visible_to

MAX_DAYS = 3650


def status_q(status: str, today) -> Q:
    """The rows whose ``Certificate.status_on(today)`` is ``status``, as a query."""
    active = Q(state=Certificate.State.ACTIVE)
    return {
        Status.VALID: active & Q(review_due__gt=today, valid_until__gte=today),
        Status.REVIEW_DUE: active & Q(review_due__lte=today, valid_until__gte=today),
        Status.EXPIRED: active & Q(valid_until__lt=today),
        Status.REVOKED: Q(state=Certificate.State.REVOKED),
        Status.REPLACED: Q(state=Certificate.State.REPLACED),
    }[Status(status)]


class DaysFilter(django_filters.Filter):
    field_class = forms.IntegerField


class CertificateFilter(django_filters.FilterSet):
    """The certificate register: who or which number, subject, status, issue dates, and whose
    review falls due soon."""

    q = django_filters.CharFilter(label=_("Number, name or ID number"), method="search")
    subject = django_filters.ModelChoiceFilter(label=_("Subject"), queryset=None, empty_label=ALL)
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Status.choices, empty_label=ALL, method="by_status"
    )
    issued_from = django_filters.DateFilter(
        label=_("Issued from"), field_name="issued_on", lookup_expr="gte", widget=date_input()
    )
    issued_to = django_filters.DateFilter(
        label=_("Issued until"), field_name="issued_on", lookup_expr="lte", widget=date_input()
    )
    review_within = DaysFilter(
        label=_("Review due within (days)"),
        help_text=_("Certificates in force whose review is due within this many days, or overdue."),
        method="by_review_due",
        min_value=0,
        max_value=MAX_DAYS,
    )

    class Meta:
        model = Certificate
        fields = ["q", "subject", "status", "issued_from", "issued_to", "review_within"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The subjects are exams' rows, reached through the certificate's own key.
        subject = self.filters["subject"]
        assert isinstance(subject, django_filters.ModelChoiceFilter)  # made for the key above
        subject.queryset = ports.exam_subjects()

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__startswith=value.upper())
            | Q(holder_name__contains=value)
            | Q(holder_id_number__startswith=value.upper())
        )

    def by_status(self, queryset, name, value):
        return queryset.filter(status_q(value, timezone.localdate()))

    def by_review_due(self, queryset, name, value):
        today = timezone.localdate()
        return queryset.filter(
            state=Certificate.State.ACTIVE,
            valid_until__gte=today,
            review_due__lte=today + timedelta(days=value),
        )


def _filter_centers(request):
    if request is None:
        return ports.exam_centers().none()
    return centers_visible_to(request.user)


class ScanLogFilter(django_filters.FilterSet):
    number = django_filters.CharFilter(label=_("Certificate number"), method="search")
    scanned_from = django_filters.DateFilter(
        label=_("Scanned from"),
        field_name="scanned",
        lookup_expr="date__gte",
        widget=date_input(),
    )
    scanned_to = django_filters.DateFilter(
        label=_("Scanned until"),
        field_name="scanned",
        lookup_expr="date__lte",
        widget=date_input(),
    )
    outcome = django_filters.ChoiceFilter(
        label=_("Outcome"), choices=VerificationLog.Outcome.choices, empty_label=ALL
    )
    center = django_filters.ModelChoiceFilter(
        label=_("Exam centre"),
        # django-filter takes a callable of the request here (its documented form); the stubs
        # of types-django-filter name only a queryset.
        queryset=_filter_centers,  # type: ignore[arg-type]
        empty_label=ALL,
    )

    class Meta:
        model = VerificationLog
        fields = ["number", "scanned_from", "scanned_to", "outcome", "center"]

    def search(self, queryset, name, value):
        return queryset.filter(certificate__number__startswith=value.strip().upper())
