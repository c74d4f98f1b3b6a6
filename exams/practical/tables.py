"""Centre staff tables (django-tables2): a session's roster, the centre's sessions with their
utilisation, and results. ID numbers are masked on screen and whole in exports (every export
is audited)."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.validators import mask_id_number
from core.exports import ExportTable, local_time_text, yes_no_text

from ..models import Booking, ExamResult, PracticalSession


class _Person(ExportTable):
    real_name = tables.Column(verbose_name=_("Full name"), accessor="worker__real_name")
    id_number = tables.Column(verbose_name=_("ID number"), accessor="worker__id_number")

    def render_id_number(self, value):
        return mask_id_number(value)


class RosterTable(_Person):
    """Who is booked on a session, checked in and scored."""

    status = tables.Column(verbose_name=_("Status"))
    checked_in_at = tables.DateTimeColumn(verbose_name=_("Checked in"), format="H:i", default="—")
    score = tables.Column(
        verbose_name=_("Practical score"), accessor="result__practical_score", default="—"
    )
    passed = tables.BooleanColumn(verbose_name=_("Passed"), accessor="result__passed", null=True)
    actions = tables.Column(
        verbose_name="", empty_values=(), orderable=False, exclude_from_export=True
    )

    class Meta:
        model = Booking
        fields = ["real_name", "id_number", "status", "checked_in_at", "score", "passed"]
        attrs = {"class": "data-table"}
        empty_text = _("Nobody is booked on this session.")

    def render_status(self, record):
        css = {
            Booking.Status.CHECKED_IN: "badge-live",
            Booking.Status.COMPLETED: "badge-live",
            Booking.Status.SCORES_DIFFER: "badge-warn",
            Booking.Status.NO_SHOW: "badge-warn",
        }.get(record.status, "")
        return format_html('<span class="badge {}">{}</span>', css, record.get_status_display())

    def value_status(self, record):
        return record.get_status_display()

    def render_actions(self, record):
        code = record.session.center.code
        links = []
        if record.status == Booking.Status.CHECKED_IN:
            url = reverse("centre:score", args=[code, record.pk])
            links.append(format_html('<a class="btn btn-small" href="{}">{}</a>', url, _("Score")))
        if record.status in Booking.ATTENDED:
            url = reverse("centre:correct", args=[code, record.pk])
            links.append(format_html('<a href="{}">{}</a>', url, _("Scores")))
        return format_html(" ".join(["{}"] * len(links)), *links) if links else ""

    def value_id_number(self, value):
        return value

    def value_checked_in_at(self, value):
        return local_time_text(value)

    def value_passed(self, record):
        result = getattr(record, "result", None)
        return yes_no_text(result.passed) if result else ""


class CenterSessionTable(ExportTable):
    """A centre's sessions and their utilisation."""

    starts_at = tables.DateTimeColumn(
        verbose_name=_("Starts"),
        format="Y-m-d H:i",
        linkify=lambda record: reverse("centre:session", args=[record.center.code, record.pk]),
    )
    subject = tables.Column(verbose_name=_("Subject"), accessor="subject__name")
    capacity = tables.Column(verbose_name=_("Seats"))
    held_back = tables.Column(verbose_name=_("Held back"))
    seats_taken = tables.Column(verbose_name=_("Booked"))
    waiting = tables.Column(verbose_name=_("Waiting"))
    attended = tables.Column(verbose_name=_("Attended"))
    no_shows = tables.Column(verbose_name=_("No-shows"))
    passed = tables.Column(verbose_name=_("Passed"))
    utilisation = tables.Column(verbose_name=_("Utilisation"), empty_values=(), orderable=False)

    class Meta:
        model = PracticalSession
        fields = [
            "starts_at",
            "subject",
            "capacity",
            "held_back",
            "seats_taken",
            "waiting",
            "attended",
            "no_shows",
            "passed",
        ]
        attrs = {"class": "data-table"}
        empty_text = _("No sessions match.")

    def render_utilisation(self, record):
        return f"{round(100 * record.seats_taken / record.capacity)}%"

    def value_utilisation(self, record):
        return self.render_utilisation(record)

    def value_starts_at(self, value):
        return local_time_text(value)


class ResultTable(_Person):
    subject = tables.Column(verbose_name=_("Subject"), accessor="subject__name")
    session = tables.Column(verbose_name=_("Session"), accessor="booking__session__starts_at")
    theory_score = tables.Column(verbose_name=_("Theory score"))
    practical_score = tables.Column(verbose_name=_("Practical score"))
    critical_failed = tables.BooleanColumn(verbose_name=_("Critical item failed"))
    passed = tables.BooleanColumn(verbose_name=_("Passed"))
    corrected = tables.BooleanColumn(verbose_name=_("Corrected"))
    decided_at = tables.DateTimeColumn(verbose_name=_("Decided"), format="Y-m-d H:i")

    class Meta:
        model = ExamResult
        fields = [
            "real_name",
            "id_number",
            "subject",
            "session",
            "theory_score",
            "practical_score",
            "critical_failed",
            "passed",
            "corrected",
            "decided_at",
        ]
        attrs = {"class": "data-table"}
        empty_text = _("No results match.")

    def render_session(self, value):
        return local_time_text(value)

    def value_session(self, value):
        return local_time_text(value)

    def value_id_number(self, value):
        return value

    def value_critical_failed(self, value):
        return yes_no_text(value)

    def value_passed(self, value):
        return yes_no_text(value)

    def value_corrected(self, value):
        return yes_no_text(value)

    def value_decided_at(self, value):
        return local_time_text(value)
