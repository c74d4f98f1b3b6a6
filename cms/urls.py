from django.urls import path, re_path

from . import feeds, views

app_name = "cms"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("feeds/articles.rss", feeds.ArticleFeed(), name="feed_rss"),
    path("feeds/articles.atom", feeds.ArticleAtomFeed(), name="feed_atom"),
    path("share/<int:page_id>/qr.png", views.share_qr, name="share_qr"),
    re_path(r"^share/(?P<page_id>[0-9]+)/poster\.(?P<fmt>png|pdf)$", views.poster, name="poster"),
]
