from allauth.core.exceptions import RateLimited
from allauth.core.internal.ratelimit import respond_429


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
