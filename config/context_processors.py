"""Template context every page needs: text size (适老化) and the user's navigation."""

from django.conf import settings

from accounts.text_size import large_text_enabled
from cms.selectors import site_sections
from config.navigation import navigation_for


def ui(request):
    return {
        "site_sections": site_sections,
        "large_text": large_text_enabled(request),
        "nav_items": navigation_for(request.user) if hasattr(request, "user") else [],
        "site_name": settings.WAGTAIL_SITE_NAME,
    }
