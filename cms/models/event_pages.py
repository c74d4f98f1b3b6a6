"""Events (lectures, live streams, hands-on sessions) with online registration."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractForm, AbstractFormField, AbstractFormSubmission
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from accounts.models import District
from core.errors import DomainError
from core.exports import spreadsheet_safe

from ..blocks import RICH_TEXT_FEATURES
from ..forms import registration_form_class
from .base import Audience, BasePage, SectionIndexPage


class EventIndexPage(SectionIndexPage):
    subpage_types = ["cms.EventPage"]
    template = "cms/event_index_page.html"

    class Meta:
        verbose_name = _("event list")

    def listing(self, request) -> dict:
        from ..selectors import event_listing

        return event_listing(index_page=self, request=request)


class EventFormField(AbstractFormField):
    """Extra questions an editor adds to an event's registration form."""

    page = ParentalKey("cms.EventPage", related_name="form_fields", on_delete=models.CASCADE)


class EventRegistration(AbstractFormSubmission):
    """One person's registration. Name and mobile number are always asked; the number is unique
    per event, so a second registration by the same person is refused by the database."""

    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(_("mobile number"), max_length=20)
    attendees = models.PositiveSmallIntegerField(_("people"), default=1)

    class Meta:
        verbose_name = _("event registration")
        verbose_name_plural = _("event registrations")
        constraints = [
            models.UniqueConstraint(fields=["page", "phone"], name="event_registration_once"),
            models.CheckConstraint(
                condition=Q(attendees__gte=1, attendees__lte=5), name="event_attendees_1_to_5"
            ),
        ]

    def get_data(self):
        """Values for the admin list and its CSV export: an answer that starts like a
        spreadsheet formula is defused (Wagtail guards XLSX itself, not CSV)."""
        answers = {key: spreadsheet_safe(value) for key, value in super().get_data().items()}
        return {**answers, "name": self.name, "phone": self.phone, "attendees": self.attendees}


class EventPage(AbstractForm, BasePage):
    """A lecture, live stream or hands-on session, with online registration up to its capacity."""

    class Kind(models.TextChoices):
        LECTURE = "lecture", _("lecture")
        LIVE = "live", _("live stream")
        HANDS_ON = "hands_on", _("hands-on experience")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.LECTURE)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    stream_url = models.URLField(_("live stream link"), blank=True)
    audience = models.CharField(
        _("audience"), max_length=16, choices=Audience.choices, default=Audience.PUBLIC
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), default=0, help_text=_("0 means no registration is needed.")
    )
    registration_closes_at = models.DateTimeField(
        _("registration closes"), null=True, blank=True, help_text=_("Empty: when it starts.")
    )
    campaign = models.ForeignKey(
        "cms.CampaignPage",
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    thank_you_text = RichTextField(_("confirmation text"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("kind"), FieldPanel("audience")]),
                FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
                FieldRowPanel([FieldPanel("place"), FieldPanel("district")]),
                FieldPanel("stream_url"),
                FieldPanel("campaign"),
            ],
            heading=_("When and where"),
        ),
        FieldPanel("intro"),
        FieldPanel("cover"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("capacity"), FieldPanel("registration_closes_at")]),
                InlinePanel("form_fields", label=_("Extra questions")),
                FieldPanel("thank_you_text"),
            ],
            heading=_("Registration"),
        ),
    ]
    search_fields = [*BasePage.search_fields, index.FilterField("starts_at")]
    parent_page_types = ["cms.EventIndexPage"]
    subpage_types: list[str] = []
    template = "cms/event_page.html"
    landing_page_template = "cms/event_page_registered.html"

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("An event must end after it starts.")})
        if self.kind == self.Kind.LIVE and not self.stream_url:
            raise ValidationError({"stream_url": _("A live stream needs its link.")})

    has_poster = True

    def extra_search_text(self) -> str:
        return f"{self.place} {self.get_kind_display()} {self.get_audience_display()}"

    # Registration: the form builder's form, with name and mobile number always asked.
    def get_submission_class(self):
        return EventRegistration

    def get_data_fields(self):
        """Columns of the registrations list and its CSV/XLSX export in the Wagtail admin."""
        submitted, *questions = super().get_data_fields()
        return [
            submitted,
            ("name", _("name")),
            ("phone", _("mobile number")),
            ("attendees", _("people")),
            *questions,
        ]

    def get_form_class(self):
        return registration_form_class(super().get_form_class())

    @cached_property
    def registration_deadline(self):
        return self.registration_closes_at or self.starts_at

    @property
    def needs_registration(self) -> bool:
        return self.capacity > 0

    @property
    def registration_open(self) -> bool:
        return self.needs_registration and timezone.now() < self.registration_deadline

    def seats_taken(self) -> int:
        return (
            EventRegistration.objects.filter(page=self).aggregate(n=models.Sum("attendees"))["n"]
            or 0
        )

    def seats_left(self) -> int:
        return max(0, self.capacity - self.seats_taken())

    def serve(self, request, *args, **kwargs):
        """GET shows the event and its form; POST registers through the service, and a refusal
        (full, closed, already registered) comes back as a form error with nothing saved."""
        if request.method != "POST" or not self.needs_registration:
            return super().serve(request, *args, **kwargs)
        from ..services import event_register

        form = self.get_form(request.POST, page=self, user=request.user)
        if form.is_valid():
            try:
                registration = event_register(event=self, form=form)
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                return self.render_landing_page(request, registration, *args, **kwargs)
        context = self.get_context(request)
        context["form"] = form
        return TemplateResponse(request, self.get_template(request), context)
