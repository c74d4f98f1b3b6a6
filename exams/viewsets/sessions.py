"""Practical sessions. A session is created by ``session_create`` (its rules, its audit row);
an edit goes through ``session_update``, which locks the session's row and never writes
``seats_taken`` (only the booking services change it); once candidates have booked, the
subject, centre and times are fixed."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log

from ..models import (
    PracticalSession,
)
from ..practical.filters import PracticalSessionAdminFilterSet
from ..practical.services import session_create, session_plan_problems, session_update
from ..practical.services.sessions import session_window_defaults
from .common import ProtectedDeleteView, _DomainErrorOnForm


class PracticalSessionAdminForm(WagtailAdminModelForm):
    """A session's form: the same checks as ``session_create`` (which creates it), and on an
    existing session no fewer seats than are taken. ``seats_taken`` is not a field."""

    FIXED_ONCE_BOOKED = ("subject", "center", "starts_at", "ends_at")

    class Meta:
        model = PracticalSession
        fields = [
            "subject",
            "center",
            "starts_at",
            "ends_at",
            "capacity",
            "held_back",
            "booking_opens_at",
            "booking_closes_at",
            "cancel_cutoff_hours",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        session = self.instance
        if session.pk is None:
            for name, help_text in (
                ("booking_opens_at", _("Empty: booking opens now.")),
                (
                    "booking_closes_at",
                    _(
                        "Empty: booking closes a day before the start (a session later today: "
                        "at the start)."
                    ),
                ),
            ):
                if name in self.fields:
                    self.fields[name].required = False
                    self.fields[name].help_text = help_text
            return
        if "capacity" in self.fields:
            self.fields["capacity"].help_text = _(
                "Seats taken now: %(taken)d (bookings change this count; it is not edited here)."
            ) % {"taken": session.seats_taken}
        if session.bookings.exists():
            for name in self.FIXED_ONCE_BOOKED:
                if name in self.fields:
                    self.fields[name].disabled = True
                    self.fields[name].help_text = _(
                        "Fixed once candidates have booked: their admission tickets show it."
                    )

    def clean(self):
        cleaned = super().clean()
        creating = self.instance.pk is None
        starts = cleaned.get("starts_at")
        now = timezone.now()
        default_opens, default_closes = (
            session_window_defaults(starts_at=starts, now=now)
            if creating and starts
            else (None, None)
        )
        for problem in session_plan_problems(
            center=cleaned.get("center"),
            subject=cleaned.get("subject"),
            starts_at=starts,
            ends_at=cleaned.get("ends_at"),
            capacity=cleaned.get("capacity"),
            held_back=cleaned.get("held_back"),
            booking_opens_at=cleaned.get("booking_opens_at") or default_opens,
            booking_closes_at=cleaned.get("booking_closes_at") or default_closes,
            seats_taken=self.instance.seats_taken,
            check_start=creating or "starts_at" in self.changed_data,
            now=now,
        ):
            self.add_error(problem.field, problem.message)
        return cleaned


class PracticalSessionIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("subject", "center")


class PracticalSessionCreateView(_DomainErrorOnForm, generic.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        session = session_create(
            actor=self.request.user,
            center=data["center"],
            subject=data["subject"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            capacity=data["capacity"],
            held_back=data["held_back"],
            booking_opens_at=data.get("booking_opens_at"),
            booking_closes_at=data.get("booking_closes_at"),
            cancel_cutoff_hours=data["cancel_cutoff_hours"],
        )
        log(instance=session, action="wagtail.create", content_changed=True)
        return session


class PracticalSessionEditView(_DomainErrorOnForm, generic.EditView):
    def save_instance(self):
        """Through ``session_update``: the row locked, only the edited fields written (never
        ``seats_taken``), audited, and new public seats offered to the waiting list."""
        changed = [
            name
            for name in self.form.changed_data
            if name in self.form.fields and not self.form.fields[name].disabled
        ]
        session = session_update(
            actor=self.request.user,
            session_id=self.form.instance.pk,
            changes={name: self.form.cleaned_data[name] for name in changed},
        )
        self.has_content_changes = bool(changed)
        log(instance=session, action="wagtail.edit", content_changed=bool(changed))
        return session


class PracticalSessionViewSet(ModelViewSet):
    model = PracticalSession
    icon = "date"
    menu_label = _("Practical sessions")
    url_prefix = "exams/sessions"
    index_view_class = PracticalSessionIndexView
    add_view_class = PracticalSessionCreateView
    edit_view_class = PracticalSessionEditView
    delete_view_class = ProtectedDeleteView
    filterset_class = PracticalSessionAdminFilterSet
    list_display = [
        "subject",
        "center",
        "starts_at",
        "capacity",
        "held_back",
        "seats_taken",
        "cancelled",
    ]
    ordering = ["-starts_at", "pk"]
    list_per_page = 50
    copy_view_enabled = False  # a copy would not go through session_create
    inspect_view_enabled = True
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("subject"), FieldPanel("center")]),
            FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
            FieldRowPanel([FieldPanel("capacity"), FieldPanel("held_back")]),
            FieldRowPanel([FieldPanel("booking_opens_at"), FieldPanel("booking_closes_at")]),
            FieldPanel("cancel_cutoff_hours"),
        ],
        base_form_class=PracticalSessionAdminForm,
    )
