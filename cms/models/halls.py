"""The directory of safety experience halls (安全体验馆) and the halls."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from accounts.models import District

from ..blocks import RICH_TEXT_FEATURES
from .base import BasePage, SectionIndexPage


class ExperienceHallIndexPage(SectionIndexPage):
    """The directory of safety experience halls (安全体验馆), filterable by district."""

    subpage_types = ["cms.ExperienceHallPage"]
    template = "cms/experience_hall_index_page.html"

    class Meta:
        verbose_name = _("experience hall directory")

    def listing(self, request) -> dict:
        from ..selectors import hall_listing

        return hall_listing(index_page=self, request=request)


class ExperienceHallPage(BasePage):
    class Level(models.TextChoices):
        CITY = "city", _("city-level")
        DISTRICT = "district", _("district-level")
        ENTERPRISE = "enterprise", _("enterprise-run")

    address = models.CharField(_("address"), max_length=200)
    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.PROTECT, related_name="+"
    )
    opening_hours = models.CharField(_("opening hours"), max_length=200)
    phone = models.CharField(_("booking phone"), max_length=40, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    designation = models.CharField(
        _("designation"), max_length=16, choices=Level.choices, default=Level.DISTRICT
    )
    how_to_book = RichTextField(_("how to book"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("district"), FieldPanel("designation")]),
        FieldPanel("address"),
        FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
        FieldRowPanel([FieldPanel("opening_hours"), FieldPanel("phone")]),
        FieldPanel("how_to_book"),
        FieldPanel("intro"),
        FieldPanel("cover"),
        FieldPanel("body"),
    ]
    parent_page_types = ["cms.ExperienceHallIndexPage"]
    subpage_types: list[str] = []
    template = "cms/experience_hall_page.html"

    class Meta:
        verbose_name = _("experience hall")
        verbose_name_plural = _("experience halls")
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="hall_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="hall_longitude_range",
            ),
        ]

    def extra_search_text(self) -> str:
        return f"{self.address} {self.district}"
