"""Videos and the document library."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from ..blocks import RICH_TEXT_FEATURES
from .base import BasePage, SectionIndexPage


class VideoIndexPage(SectionIndexPage):
    subpage_types = ["cms.VideoPage"]
    template = "cms/video_index_page.html"

    class Meta:
        verbose_name = _("video list")

    def listing(self, request) -> dict:
        from ..selectors import video_listing

        return video_listing(index_page=self, request=request)


class VideoPage(BasePage):
    video_file = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("video file (MP4)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    video_url = models.URLField(_("or a video link"), blank=True)
    duration = models.CharField(_("duration"), max_length=10, blank=True, help_text="12:30")
    transcript = RichTextField(_("transcript"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("video_file"), FieldPanel("video_url"), FieldPanel("duration")]),
        FieldPanel("intro"),
        FieldPanel("cover"),
        FieldPanel("transcript"),
        FieldPanel("body"),
    ]
    parent_page_types = ["cms.VideoIndexPage"]
    subpage_types: list[str] = []
    template = "cms/video_page.html"

    class Meta:
        verbose_name = _("video")
        verbose_name_plural = _("videos")

    def clean(self):
        super().clean()
        if not self.video_file and not self.video_url:
            raise ValidationError({"video_file": _("Choose a video file or give a video link.")})

    def extra_search_text(self) -> str:
        return strip_tags(self.transcript)


class DocumentLibraryPage(SectionIndexPage):
    """Regulations, posters and leaflets from Wagtail documents, by collection and search."""

    subpage_types: list[str] = []
    template = "cms/document_library_page.html"

    class Meta:
        verbose_name = _("document library")

    def listing(self, request) -> dict:
        from ..selectors import document_listing

        return document_listing(request=request)
