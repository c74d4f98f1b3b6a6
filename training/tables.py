import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.tables import WorkerTable
from core.exports import ExportTable

from .models import ProgressSummary


class RosterProgressTable(WorkerTable):
    select = tables.CheckBoxColumn(
        accessor="pk", attrs={"input": {"name": "workers"}}, exclude_from_export=True
    )
    courses_enrolled = tables.Column(verbose_name=_("Courses enrolled"))
    courses_completed = tables.Column(verbose_name=_("Courses completed"))
    hours = tables.Column(verbose_name=_("Hours"), default=0)

    class Meta(WorkerTable.Meta):
        fields = [
            "real_name",
            "id_number",
            "phone",
            "employer",
            "courses_enrolled",
            "courses_completed",
            "hours",
        ]
        sequence = (
            "select",
            "real_name",
            "id_number",
            "phone",
            "employer",
            "courses_enrolled",
            "courses_completed",
            "hours",
        )
        exclude = ("district", "industry", "created_at")


class ProgressTable(ExportTable):
    label = tables.Column(verbose_name=_("Name"))
    registered = tables.Column(verbose_name=_("Registered"))
    enrolled = tables.Column(verbose_name=_("Enrolled"))
    trained = tables.Column(verbose_name=_("Trained"))
    target = tables.Column(verbose_name=_("Target"), default="—")
    percent = tables.Column(
        verbose_name=_("Of target"), accessor="percent", orderable=False, default="—"
    )

    class Meta:
        model = ProgressSummary
        fields = ["label", "registered", "enrolled", "trained", "target"]
        attrs = {"class": "data-table"}
        empty_text = _("No figures yet: they are refreshed every few minutes.")

    def render_percent(self, value):
        return format_html(
            '<span class="meter"><span style="width:{}%"></span></span> {}%', min(value, 100), value
        )

    def value_percent(self, value):
        return value
