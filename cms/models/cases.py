"""The case library (以案说法): real enforcement cases explained."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from accounts.models import District, Industry

from ..blocks import RICH_TEXT_FEATURES
from .base import BasePage, SectionIndexPage


class CaseIndexPage(SectionIndexPage):
    subpage_types = ["cms.CasePage"]
    template = "cms/case_index_page.html"

    class Meta:
        verbose_name = _("case library")

    def listing(self, request) -> dict:
        from ..selectors import case_listing

        return case_listing(index_page=self, request=request)


class CasePage(BasePage):
    """A real enforcement case explained: what was violated, the penalty, the lesson."""

    industry = models.ForeignKey(
        Industry, verbose_name=_("industry"), on_delete=models.PROTECT, related_name="+"
    )
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_on = models.DateField(_("decision date"))
    violation = models.TextField(_("violation"))
    penalty = models.TextField(_("penalty"))
    lesson = RichTextField(_("lesson"), features=RICH_TEXT_FEATURES)

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("industry"), FieldPanel("district"), FieldPanel("decided_on")]),
        FieldPanel("violation"),
        FieldPanel("penalty"),
        FieldPanel("lesson"),
        FieldPanel("intro"),
        FieldPanel("cover"),
        FieldPanel("body"),
    ]
    search_fields = [*BasePage.search_fields, index.FilterField("decided_on")]
    parent_page_types = ["cms.CaseIndexPage"]
    subpage_types: list[str] = []
    template = "cms/case_page.html"

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def extra_search_text(self) -> str:
        return f"{self.industry} {self.violation} {self.penalty}"
