"""Campaigns: themed periods with their events and articles."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Page
from wagtail.search import index

from .base import BasePage, SectionIndexPage


class CampaignIndexPage(SectionIndexPage):
    subpage_types = ["cms.CampaignPage"]
    template = "cms/campaign_index_page.html"

    class Meta:
        verbose_name = _("campaign list")

    def listing(self, request) -> dict:
        from ..selectors import campaign_listing

        return campaign_listing(index_page=self, request=request)


class CampaignPage(BasePage):
    """A themed period (3·19 森林消防日, 5·12 防灾减灾日, 安全生产月 ...) with its events and articles."""

    theme = models.CharField(_("theme"), max_length=120, blank=True)
    start_date = models.DateField(_("starts"))
    end_date = models.DateField(_("ends"))
    audiences = models.CharField(_("audiences"), max_length=200, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("theme"),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
        FieldPanel("audiences"),
        FieldPanel("intro"),
        FieldPanel("cover"),
        FieldPanel("body"),
    ]
    search_fields = [*BasePage.search_fields, index.FilterField("start_date")]
    parent_page_types = ["cms.CampaignIndexPage"]
    subpage_types: list[str] = []
    template = "cms/campaign_page.html"

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("A campaign cannot end before it starts.")})

    has_poster = True

    def extra_search_text(self) -> str:
        return f"{self.theme} {self.audiences}"

    @property
    def is_current(self) -> bool:
        return self.start_date <= timezone.localdate() <= self.end_date

    def get_context(self, request, *args, **kwargs):
        from ..selectors import campaign_sections

        context = super().get_context(request, *args, **kwargs)
        context.update(campaign_sections(campaign=self))
        return context
