import django_tables2 as tables
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.validators import mask_id_number
from core.exports import ExportTable

from .models import Certificate, Status, VerificationLog


def _day(value) -> str:
    return value.isoformat() if value else ""


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else ""


class CertificateTable(ExportTable):
    """The certificate register for the bureau: the ID number is masked on screen, whole in
    exports (every export is audited); the status follows the dates, as verifiers see it."""

    number = tables.Column(
        verbose_name=_("Certificate number"),
        linkify=("certificate_bureau:detail", {"certificate_id": tables.A("pk")}),
    )
    real_name = tables.Column(verbose_name=_("Full name"), accessor="holder_name")
    id_number = tables.Column(verbose_name=_("ID number"), accessor="holder_id_number")
    subject = tables.Column(verbose_name=_("Subject"), accessor="subject__name")
    center = tables.Column(verbose_name=_("Exam centre"), accessor="center__name")
    issued_on = tables.DateColumn(verbose_name=_("Issued on"), format="Y-m-d")
    review_due = tables.DateColumn(verbose_name=_("Review due"), format="Y-m-d")
    valid_until = tables.DateColumn(verbose_name=_("Valid until"), format="Y-m-d")
    status = tables.Column(verbose_name=_("Status"), empty_values=(), orderable=False)
    revoked_reason = tables.Column(
        verbose_name=_("Reason for revocation"), visible=False, default=""
    )

    class Meta:
        model = Certificate
        fields = [
            "number",
            "real_name",
            "id_number",
            "subject",
            "center",
            "issued_on",
            "review_due",
            "valid_until",
            "status",
            "revoked_reason",
        ]
        attrs = {"class": "data-table"}
        empty_text = _("No certificates match.")

    def render_id_number(self, value):
        return mask_id_number(value)

    def value_id_number(self, value):
        return value

    def render_status(self, record):
        return Status(record.status).label

    def value_status(self, record):
        return str(Status(record.status).label)

    def value_issued_on(self, value):
        return _day(value)

    def value_review_due(self, value):
        return _day(value)

    def value_valid_until(self, value):
        return _day(value)


class ScanLogTable(ExportTable):
    scanned = tables.DateTimeColumn(
        verbose_name=_("Scanned at"), format="Y-m-d H:i:s", order_by=("scanned",)
    )
    at = tables.DateTimeColumn(verbose_name=_("Logged at"), format="Y-m-d H:i:s")
    actor = tables.Column(verbose_name=_("Checked by"), default="—")
    center = tables.Column(verbose_name=_("Exam centre"), default="—")
    outcome = tables.Column(verbose_name=_("Outcome"))
    number = tables.Column(
        verbose_name=_("Certificate number"),
        accessor="certificate__number",
        default="—",
    )

    class Meta:
        model = VerificationLog
        fields = ["scanned", "at", "actor", "center", "outcome", "number"]
        attrs = {"class": "data-table"}
        empty_text = _("No scans match.")

    def render_outcome(self, record):
        return record.get_outcome_display()

    def value_outcome(self, record):
        return record.get_outcome_display()

    def value_scanned(self, value):
        return _local(value)

    def value_at(self, value):
        return _local(value)

    def value_actor(self, value):
        return str(value) if value else ""

    def value_center(self, value):
        return value.name if value else ""
