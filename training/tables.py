import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from accounts.tables import WorkerTable


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
