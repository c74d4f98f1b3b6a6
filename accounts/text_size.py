"""Large text (适老化): the device's cookie and the account's choice, kept in step by the toggle."""

LARGE_TEXT_COOKIE = "anxun_text_size"


def large_text_enabled(request) -> bool:
    """On if this device asked for it (cookie) or the account did; the toggle sets both, so
    turning it on before logging in carries over, and turning it off turns off both."""
    user = getattr(request, "user", None)
    on_account = user is not None and user.is_authenticated and user.large_text
    return on_account or request.COOKIES.get(LARGE_TEXT_COOKIE) == "large"
