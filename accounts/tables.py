import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.exports import ExportTable

from .models import CorrectionRequest, Enterprise, WorkerProfile
from .validators import display_mobile, mask_id_number


def _correction_link(record) -> str:
    return reverse("accounts:correction_detail", args=[record.pk])


class WorkerTable(ExportTable):
    real_name = tables.Column(verbose_name=_("Full name"))
    id_number = tables.Column(verbose_name=_("ID number"))
    phone = tables.Column(verbose_name=_("Mobile number"), accessor="user__phone")
    employer = tables.Column(verbose_name=_("Employer"))
    district = tables.Column(verbose_name=_("District"))
    industry = tables.Column(verbose_name=_("Industry"))
    created_at = tables.DateColumn(verbose_name=_("Registered"), format="Y-m-d")

    class Meta:
        model = WorkerProfile
        fields = [
            "real_name",
            "id_number",
            "phone",
            "employer",
            "district",
            "industry",
            "created_at",
        ]
        attrs = {"class": "data-table"}
        empty_text = _("No workers match.")

    def render_id_number(self, value):
        return mask_id_number(value)

    def value_id_number(self, value):
        return value  # exports are for staff who already see the full record

    def render_phone(self, value):
        return display_mobile(value)

    def value_created_at(self, value):
        return timezone.localdate(value).isoformat()


class EnterpriseTable(ExportTable):
    name = tables.Column(verbose_name=_("Name"))
    uscc = tables.Column(verbose_name=_("Unified social credit code"))
    district = tables.Column(verbose_name=_("District"))
    industry = tables.Column(verbose_name=_("Industry"))
    headcount = tables.Column(verbose_name=_("Employees"))
    uses_hazardous_chemicals = tables.BooleanColumn(verbose_name=_("Hazardous chemicals"))

    class Meta:
        model = Enterprise
        fields = ["name", "uscc", "district", "industry", "headcount", "uses_hazardous_chemicals"]
        attrs = {"class": "data-table"}
        empty_text = _("No enterprises match.")


class CorrectionRequestTable(ExportTable):
    created_at = tables.DateTimeColumn(verbose_name=_("Filed"), format="Y-m-d H:i")
    worker = tables.Column(
        verbose_name=_("Worker"), accessor="profile__real_name", linkify=_correction_link
    )
    id_number = tables.Column(verbose_name=_("ID number"), accessor="profile__id_number")
    district = tables.Column(verbose_name=_("District"), accessor="profile__district")
    asks = tables.Column(verbose_name=_("Asks to correct"), accessor="pk", orderable=False)
    status = tables.Column(verbose_name=_("Status"))

    class Meta:
        model = CorrectionRequest
        fields = ["created_at", "worker", "id_number", "district", "asks", "status"]
        attrs = {"class": "data-table"}
        empty_text = _("No correction requests match.")

    def render_id_number(self, value):
        return mask_id_number(value)

    def value_id_number(self, value):
        return value

    def render_asks(self, record):
        return correction_asks(record)

    def value_asks(self, record):
        return correction_asks(record)

    def value_created_at(self, value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def correction_asks(record: CorrectionRequest) -> str:
    """What a request asks to correct, for people: "Full name, Photo (claim)"."""
    parts = [
        str(label)
        for asked, label in (
            (record.real_name, _("Full name")),
            (record.id_number, _("ID number")),
            (record.photo, _("Photo")),
        )
        if asked
    ]
    text = ", ".join(parts)
    if record.is_claim:
        return _("%(fields)s (a claim on another account)") % {"fields": text}
    return text
