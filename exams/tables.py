import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from accounts.validators import mask_id_number
from core.exports import ExportTable, local_time_text, yes_no_text

from .models import TheoryAttempt


class AttemptTable(ExportTable):
    """Theory attempts for staff: the ID number is masked on screen, whole in exports (the
    staff who may export already see the full record, and every export is audited)."""

    real_name = tables.Column(verbose_name=_("Full name"), accessor="worker__real_name")
    id_number = tables.Column(verbose_name=_("ID number"), accessor="worker__id_number")
    subject = tables.Column(verbose_name=_("Subject"), accessor="subject__name")
    number = tables.Column(verbose_name=_("Attempt"))
    started_at = tables.DateTimeColumn(verbose_name=_("Started"), format="Y-m-d H:i")
    submitted_at = tables.DateTimeColumn(
        verbose_name=_("Submitted"), format="Y-m-d H:i", default="—"
    )
    score = tables.Column(verbose_name=_("Score"), default="—")
    passed = tables.BooleanColumn(verbose_name=_("Passed"), null=True, default="—")
    auto_submitted = tables.BooleanColumn(verbose_name=_("Submitted at the deadline"))

    class Meta:
        model = TheoryAttempt
        fields = [
            "real_name",
            "id_number",
            "subject",
            "number",
            "started_at",
            "submitted_at",
            "score",
            "passed",
            "auto_submitted",
        ]
        attrs = {"class": "data-table"}
        empty_text = _("No attempts match.")

    def render_id_number(self, value):
        return mask_id_number(value)

    def value_id_number(self, value):
        return value

    def value_started_at(self, value):
        return local_time_text(value)

    def value_submitted_at(self, value):
        return local_time_text(value)

    def value_score(self, record):
        return "" if record.score is None else record.score

    def value_passed(self, record):
        return yes_no_text(record.passed)

    def value_auto_submitted(self, record):
        return yes_no_text(record.auto_submitted) if record.submitted_at else ""
