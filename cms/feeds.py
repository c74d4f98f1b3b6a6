"""RSS and Atom feeds of the latest articles, across every section."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from .models import ArticlePage


class ArticleFeed(Feed):
    title = _("Anxun safety training: news and articles")
    description = _("News, science popularisation and warning education from the campaign.")

    def link(self):
        return "/"

    def items(self):
        return ArticlePage.objects.live().select_related("topic").order_by("-date", "-pk")[:30]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.intro

    def item_link(self, item):
        return item.url

    def item_pubdate(self, item):
        return item.first_published_at

    def item_categories(self, item):
        return [item.topic.name] if item.topic else []


class ArticleAtomFeed(ArticleFeed):
    feed_type = Atom1Feed
    subtitle = ArticleFeed.description
