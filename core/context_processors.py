"""Template context every page needs: text size (适老化) and the user's navigation."""

from django.conf import settings

LARGE_TEXT_COOKIE = "anxun_text_size"


def large_text_enabled(request) -> bool:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user.large_text
    return request.COOKIES.get(LARGE_TEXT_COOKIE) == "large"


def ui(request):
    from accounts.navigation import navigation_for

    return {
        "large_text": large_text_enabled(request),
        "nav_items": navigation_for(request.user) if hasattr(request, "user") else [],
        "site_name": settings.WAGTAIL_SITE_NAME,
    }
