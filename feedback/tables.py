import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.exports import ExportTable, local_time_text

from .models import Case

ATTRS = {"class": "data-table"}


class CaseTable(ExportTable):
    id = tables.Column(verbose_name=pgettext_lazy("complaint", "Case"))
    opened = tables.Column(verbose_name=_("Opened"), accessor="created_at")
    owner = tables.Column(verbose_name=_("Centre or course"), empty_values=(), orderable=False)
    district = tables.Column(verbose_name=_("District"), accessor="district__name")
    stars = tables.Column(verbose_name=_("Stars"), accessor="rating__stars")
    state = tables.Column(verbose_name=_("State"))
    callback_due = tables.Column(verbose_name=_("Callback due"))
    rectification_due = tables.Column(verbose_name=_("Feedback due"))
    answer = tables.Column(verbose_name=_("Worker's answer"), default="—")

    class Meta:
        model = Case
        fields = ["id", "opened", "owner", "district", "stars", "state"]
        sequence = (*fields, "callback_due", "rectification_due", "answer")
        attrs = ATTRS
        empty_text = _("No complaint cases.")

    def render_id(self, value):
        return format_html('<a href="{}">#{}</a>', reverse("feedback:case", args=[value]), value)

    def value_id(self, value):
        return value

    def render_owner(self, record):
        return record.center.name if record.center_id else record.course.title

    value_owner = render_owner

    def render_opened(self, value):
        return local_time_text(value)

    value_opened = render_opened

    def render_callback_due(self, value, record):
        late = record.state == Case.State.OPEN and record.callback_late
        return _due(value, late)

    def value_callback_due(self, value):
        return local_time_text(value)

    def render_rectification_due(self, value, record):
        late = record.state != Case.State.CLOSED and record.rectification_late
        return _due(value, late)

    def value_rectification_due(self, value):
        return local_time_text(value)

    def render_state(self, record):
        return record.get_state_display()

    value_state = render_state

    def render_answer(self, record):
        return record.get_answer_display() or "—"

    value_answer = render_answer


def _due(value, late: bool):
    if late:
        return format_html(
            '<span class="badge badge-warn">{} · {}</span>', local_time_text(value), _("overdue")
        )
    return local_time_text(value)


class SatisfactionTable(ExportTable):
    label = tables.Column(verbose_name=_("Centre or course"))
    district = tables.Column(verbose_name=_("District"), default="—")
    ratings = tables.Column(verbose_name=_("Ratings"), attrs={"td": {"class": "num"}})
    average = tables.Column(verbose_name=_("Average stars"), attrs={"td": {"class": "num"}})
    low = tables.Column(verbose_name=_("1–2 stars"), attrs={"td": {"class": "num"}})
    cases = tables.Column(verbose_name=_("Cases"), attrs={"td": {"class": "num"}})
    open = tables.Column(verbose_name=_("Still open"), attrs={"td": {"class": "num"}})
    callback_rate = tables.Column(
        verbose_name=_("Callbacks on time"), default="—", attrs={"td": {"class": "num"}}
    )
    rectification_rate = tables.Column(
        verbose_name=_("Rectifications on time"), default="—", attrs={"td": {"class": "num"}}
    )

    class Meta:
        attrs = ATTRS
        empty_text = _("No ratings yet.")

    def render_callback_rate(self, value):
        return f"{value}%"

    render_rectification_rate = render_callback_rate
