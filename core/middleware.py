from allauth.core.exceptions import RateLimited
from allauth.core.internal.ratelimit import respond_429
from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers


class RateLimitedMiddleware:
    """allauth can raise ``RateLimited`` outside its views (e.g. a phone-verification SMS sent
    during login); answer 429 with our page instead of a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, RateLimited):
            return respond_429(request)
        return None


class ChineseFirstLocaleMiddleware:
    """Chinese unless the visitor chose another language with the switcher (its cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language; the campaign's pages
    are Chinese first, so a worker on an English-language phone still sees Chinese.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        patch_vary_headers(response, ("Cookie",))
        return response


class AdminAccessMiddleware:
    """A signed-in user without Wagtail admin access who opens the admin (``/admin/``) gets a
    plain 403 page with a way home; Wagtail itself would send them to a login page they are
    already past. Anonymous visitors still go to the login page."""

    PERMISSION = "wagtailadmin.access_admin"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and self._guarded(request.path_info)
            and not user.has_perm(self.PERMISSION)
        ):
            return render(request, "403_admin.html", status=403)
        return self.get_response(request)

    @staticmethod
    def _guarded(path: str) -> bool:
        return path.startswith(reverse("wagtailadmin_home"))
