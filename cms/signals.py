from django.db.models.signals import post_delete
from wagtail.signals import page_published, page_unpublished, post_page_move

from .caching import content_changed


def connect() -> None:
    page_published.connect(content_changed, dispatch_uid="cms-published")
    page_unpublished.connect(content_changed, dispatch_uid="cms-unpublished")
    post_page_move.connect(content_changed, dispatch_uid="cms-moved")
    from wagtail.models import Page

    post_delete.connect(content_changed, sender=Page, dispatch_uid="cms-deleted")
