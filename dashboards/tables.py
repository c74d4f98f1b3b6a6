"""The dashboards' tables: every chart's numbers, sortable and exportable (CSV/XLSX)."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.templatetags.accounts_tags import masked_id
from cms.models import EventPage
from core.exports import ExportTable, local_time_text
from core.figures import percent_of

from .models import ProgressFact

ATTRS = {"class": "data-table"}


class PercentColumn(tables.Column):
    """A percentage with a small meter; exported as the bare number."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", "—")
        kwargs.setdefault("attrs", {"td": {"class": "num"}})
        super().__init__(*args, **kwargs)

    def render(self, value):
        return format_html(
            '<span class="meter" aria-hidden="true"><span style="width:{}%"></span></span> {}%',
            min(value, 100),
            value,
        )

    def value(self, value):
        return value


class CountColumn(tables.Column):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", {"td": {"class": "num"}})
        kwargs.setdefault("default", 0)
        super().__init__(*args, **kwargs)

    def render(self, value):
        return f"{value:,}"

    def value(self, value):
        return value


class FunnelTable(ExportTable):
    """A group's workers at each step of the campaign."""

    label = tables.Column(verbose_name=_("Group"))
    registered = CountColumn(verbose_name=_("Registered workers"))
    enrolled = CountColumn(verbose_name=_("Enrolled"))
    trained = CountColumn(verbose_name=_("Trained"))
    examined = CountColumn(verbose_name=_("Sat the theory exam"))
    certified = CountColumn(verbose_name=_("Certified"))

    class Meta:
        attrs = ATTRS
        empty_text = _("No figures yet: they are refreshed every few minutes.")


class DistrictTable(FunnelTable):
    label = tables.Column(verbose_name=_("District"))
    target = CountColumn(verbose_name=_("Target"), default="—")
    percent = PercentColumn(verbose_name=_("Trained of target"))


class BreakdownTable(FunnelTable):
    percent = PercentColumn(verbose_name=_("Trained of registered"))


class TrendTable(ExportTable):
    week = tables.DateColumn(verbose_name=_("Week starting"), format="Y-m-d")
    registered = CountColumn(verbose_name=_("Registered workers"))
    trained = CountColumn(verbose_name=_("Trained"))
    examined = CountColumn(verbose_name=_("Sat the theory exam"))
    certified = CountColumn(verbose_name=_("Certified"))

    class Meta:
        attrs = ATTRS
        empty_text = _("No figures yet: they are refreshed every few minutes.")


class SubjectTable(ExportTable):
    label = tables.Column(verbose_name=_("Subject"))
    theory_sat = CountColumn(verbose_name=_("Theory exams sat"))
    theory_passed = CountColumn(verbose_name=_("Theory passed"))
    theory_rate = PercentColumn(verbose_name=_("Theory pass rate"))
    practical_passed = CountColumn(verbose_name=_("Practical passed"))
    practical_failed = CountColumn(verbose_name=_("Practical failed"))
    practical_rate = PercentColumn(verbose_name=_("Practical pass rate"))

    class Meta:
        attrs = ATTRS
        empty_text = _("No exams in this period.")


class CentreTable(ExportTable):
    label = tables.Column(verbose_name=_("Exam centre"))
    district__name = tables.Column(verbose_name=_("District"))
    seats = CountColumn(verbose_name=_("Seats"))
    booked = CountColumn(verbose_name=_("Booked"))
    utilisation = PercentColumn(verbose_name=_("Seats booked"))
    attended = CountColumn(verbose_name=_("Attended"))
    no_show = CountColumn(verbose_name=_("No-shows"))
    waiting = CountColumn(verbose_name=_("Waiting list"))
    practical_rate = PercentColumn(verbose_name=_("Practical pass rate"))

    class Meta:
        attrs = ATTRS
        empty_text = _("No sessions in this period.")


class ReviewDueTable(ExportTable):
    week = tables.DateColumn(verbose_name=_("Week starting"), format="Y-m-d")
    certificates = CountColumn(verbose_name=_("Certificates due for review"))

    class Meta:
        attrs = ATTRS
        empty_text = _("No certificates due for review in the next 90 days.")


class EventTable(ExportTable):
    title = tables.Column(verbose_name=pgettext_lazy("outreach", "Event"))
    kind = tables.Column(verbose_name=_("Kind"))
    district = tables.Column(verbose_name=_("District"), default=_("Whole city"))
    starts_at = tables.Column(verbose_name=_("Starts"))
    capacity = CountColumn(verbose_name=_("Places"), default="—")
    registrations = CountColumn(verbose_name=_("Registrations"))
    attendees = CountColumn(verbose_name=_("People"))

    class Meta:
        attrs = ATTRS
        empty_text = _("No events published.")
        orderable = False

    def render_kind(self, value):
        return dict(EventPage.Kind.choices).get(value, value)

    value_kind = render_kind

    def render_starts_at(self, value):
        return local_time_text(value)

    value_starts_at = render_starts_at


class EnterpriseTable(ExportTable):
    label = tables.Column(verbose_name=_("Enterprise"))
    district = tables.Column(verbose_name=_("District"), accessor="district__name")
    industry = tables.Column(verbose_name=_("Industry"), accessor="industry__name", default="—")
    registered = CountColumn(verbose_name=_("Registered workers"))
    enrolled = CountColumn(verbose_name=_("Enrolled"))
    trained = CountColumn(verbose_name=_("Trained"))
    certified = CountColumn(verbose_name=_("Certified"))
    target = CountColumn(verbose_name=_("Target"), default="—")
    percent = PercentColumn(verbose_name=_("Trained of target"), orderable=False, accessor="key")

    class Meta:
        model = ProgressFact
        fields = ["label", "district", "industry", "registered", "enrolled", "trained"]
        sequence = (*fields, "certified", "target", "percent")
        attrs = ATTRS
        empty_text = _("No enterprises match.")

    def render_label(self, value, record):
        url = reverse("dashboards:enterprise_detail", args=[record.key])
        return format_html('<a href="{}">{}</a>', url, value)

    def value_label(self, value):
        return value

    def render_percent(self, record):
        value = _percent(record)
        return "—" if value is None else PercentColumn.render(self.columns["percent"], value)

    def value_percent(self, record):
        return _percent(record)


def _percent(fact: ProgressFact):
    return percent_of(fact.trained, fact.target)


class CertificatesExpiringTable(ExportTable):
    holder = tables.Column(verbose_name=_("Holder"), accessor="holder_name")
    id_number = tables.Column(verbose_name=_("ID number"), accessor="holder_id_number")
    subject = tables.Column(verbose_name=_("Subject"), accessor="subject__name")
    number = tables.Column(verbose_name=_("Certificate number"))
    review_due = tables.Column(verbose_name=_("Review due"))
    valid_until = tables.Column(verbose_name=_("Valid until"))

    class Meta:
        attrs = ATTRS
        orderable = False
        empty_text = _("No certificates fall due in the next 90 days.")

    def render_id_number(self, value):
        return masked_id(value)

    value_id_number = render_id_number

    def render_review_due(self, value):
        return date_format(value, "Y-m-d")

    render_valid_until = render_review_due


class NotStartedTable(ExportTable):
    real_name = tables.Column(
        verbose_name=pgettext_lazy("person", "Name"), accessor="worker__real_name"
    )
    phone = tables.Column(
        verbose_name=_("Mobile number"), accessor="worker__user__phone", default="—"
    )
    created_at = tables.Column(verbose_name=_("Registered"), accessor="worker__created_at")

    class Meta:
        attrs = ATTRS
        orderable = False
        empty_text = _("Everyone has started a course.")

    def render_created_at(self, value):
        return local_time_text(value)
