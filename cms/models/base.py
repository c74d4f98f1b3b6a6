"""Shared pieces of the outreach site: topics, audiences, the page every public page builds on
and the section index page that lists its children."""

from django.core.paginator import Paginator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from ..blocks import BodyStreamBlock
from ..search import cjk_terms

PAGE_SIZE = 12


# The ignore: the django-stubs plugin cannot build the reverse manager of ArticlePage.topic
# ("articles") because ArticlePage's base, wagtail's Page, is untyped (Any) to mypy.
@register_snippet
class Topic(models.Model):  # type: ignore[django-manager-missing]
    """A subject articles are filed under (消防, 危化品, 建筑施工 ...): data, kept by editors."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    slug = models.SlugField(_("slug"), max_length=40, unique=True, allow_unicode=True)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Audience(models.TextChoices):
    PUBLIC = "public", _("general public")
    WORKERS = "workers", _("enterprise workers")
    ELDERLY = "elderly", _("older people")
    CHILDREN = "children", _("children and students")
    MANAGERS = "managers", _("enterprise managers")


class BasePage(Page):
    """What every public page has: a summary for lists and sharing, a cover, a body, search terms."""

    intro = models.TextField(_("summary"), max_length=300, blank=True)
    cover = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BodyStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("cover"),
        FieldPanel("body"),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("search_terms"),
        index.FilterField("live"),
    ]

    class Meta:
        abstract = True

    def search_terms(self) -> str:
        text = " ".join(
            [self.title, self.intro, *self.body.stream_block.get_searchable_content(self.body)]
        )
        return cjk_terms(text + " " + self.extra_search_text())

    def extra_search_text(self) -> str:
        return ""

    has_poster = False  # campaigns and events offer a printable A4 poster

    @property
    def share_description(self) -> str:
        return self.search_description or self.intro


class SectionIndexPage(Page):
    """A section under the home page that lists its children (bakerydemo's index pages)."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    max_count: int | None = 1

    class Meta:
        abstract = True

    def listing(self, request) -> dict:
        """What the section's template lists: bounded, paginated, related rows fetched."""
        return {}

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.listing(request))
        return context


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
