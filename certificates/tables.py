import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from accounts.validators import mask_id_number
from core.exports import ExportTable

from .models import Certificate, Status


def _day(value) -> str:
    return value.isoformat() if value else ""


class CertificateTable(ExportTable):
    """The certificate register for the bureau: the ID number is masked on screen, whole in
    exports (every export is audited); the status follows the dates, as verifiers see it."""

    number = tables.Column(
        verbose_name=_("Certificate number"),
        linkify=("certificate_bureau:detail", {"certificate_id": tables.A("pk")}),
    )
    real_name = tables.Column(verbose_name=_("Full name"), accessor="holder__real_name")
    id_number = tables.Column(verbose_name=_("ID number"), accessor="holder__id_number")
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
