"""Anonymous pages from cache; any publish, unpublish, move or delete makes the cache stale.

A cached page must hold nothing personal: anonymous pages carry no CSRF token (the language
and text-size switches are token-free POSTs) and pages showing a flash message are not cached.
"""

from django.conf import settings
from django.core.cache import cache

VERSION_KEY = "cms:content-version"
PAGE_TTL = 300
# Kept here rather than in the selectors that fill them, so this module imports nothing of cms.
COUNTERS_CACHE_KEY = "cms:campaign-counters"
SECTIONS_CACHE_KEY = "cms:site-sections"


def content_version() -> int:
    version = cache.get_or_set(VERSION_KEY, 1, None)
    assert version is not None  # get_or_set answers None only for a None default
    return version


def content_changed(**kwargs) -> None:
    """Signal receiver: published content changed, so every cached page and menu is stale."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, None)
    cache.delete_many([SECTIONS_CACHE_KEY, COUNTERS_CACHE_KEY])


def counters_changed() -> None:
    """The campaign figures took new values: the cached counters, and the cached anonymous pages
    that print them, are stale (at most once a refresh, which is no more often than PAGE_TTL)."""
    content_changed()


def anonymous_page_key(request, page) -> str | None:
    """The cache key for this request's rendering of the page, or None if it must not be cached."""
    if request.method != "GET" or request.user.is_authenticated or request.GET:
        return None
    if "messages" in request.COOKIES or request.session.get("_messages"):
        return None
    text = "large" if request.COOKIES.get("anxun_text_size") == "large" else "normal"
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    return f"cms:page:{page.pk}:{content_version()}:{language}:{text}"


def serve_cached(page, request, render):
    """``render()`` the page, or answer from the cache for anonymous visitors."""
    from django.http import HttpResponse

    key = anonymous_page_key(request, page)
    if key is not None and (content := cache.get(key)) is not None:
        response = HttpResponse(content)
        response["X-Anxun-Cache"] = "hit"
        return response
    response = render()
    if key is not None and response.status_code == 200:
        if hasattr(response, "render"):
            response.render()
        cache.set(key, response.content, PAGE_TTL)
        response["X-Anxun-Cache"] = "miss"
    return response
