"""Article sections (动态 / 科普 / 警示教育) and their articles."""

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Page
from wagtail.search import index

from .base import BasePage, SectionIndexPage, Topic


class ArticleIndexPage(SectionIndexPage):
    """A section of articles: news (动态), science popularisation (科普), warning education (警示教育)."""

    subpage_types = ["cms.ArticlePage"]
    max_count = None  # several sections: 动态, 科普, 警示教育
    template = "cms/article_index_page.html"

    class Meta:
        verbose_name = _("article section")

    def listing(self, request) -> dict:
        from ..selectors import article_listing

        return article_listing(section=self, request=request)


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "cms.ArticlePage", related_name="tagged_items", on_delete=models.CASCADE
    )


class ArticlePage(BasePage):
    date = models.DateField(_("date"), default=date.today)
    source = models.CharField(_("source"), max_length=80, blank=True)
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("topic"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    campaign = models.ForeignKey(
        "cms.CampaignPage",
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    tags = ClusterTaggableManager(verbose_name=_("tags"), through=ArticlePageTag, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("date"), FieldPanel("source")]),
        FieldRowPanel([FieldPanel("topic"), FieldPanel("campaign")]),
        FieldPanel("tags"),
        FieldPanel("intro"),
        FieldPanel("cover"),
        FieldPanel("body"),
    ]
    search_fields = [*BasePage.search_fields, index.FilterField("date")]
    og_type = "article"
    parent_page_types = ["cms.ArticleIndexPage"]
    subpage_types: list[str] = []
    template = "cms/article_page.html"

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def extra_search_text(self) -> str:
        return " ".join([self.source, str(self.topic or ""), *[t.name for t in self.tags.all()]])
