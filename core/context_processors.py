"""Template context every page needs: text size (适老化) and the user's navigation."""

from django.conf import settings

LARGE_TEXT_COOKIE = "anxun_text_size"


def large_text_enabled(request) -> bool:
    """On if this device asked for it (cookie) or the account did; the toggle sets both, so
    turning it on before logging in carries over, and turning it off turns off both."""
    user = getattr(request, "user", None)
    on_account = user is not None and user.is_authenticated and user.large_text
    return on_account or request.COOKIES.get(LARGE_TEXT_COOKIE) == "large"


def ui(request):
    from accounts.navigation import navigation_for
    from cms.selectors import site_sections

    return {
        "site_sections": site_sections,
        "large_text": large_text_enabled(request),
        "nav_items": navigation_for(request.user) if hasattr(request, "user") else [],
        "site_name": settings.WAGTAIL_SITE_NAME,
    }
