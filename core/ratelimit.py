"""A fixed-window request counter in the cache (Redis in production), for endpoints that
allauth's rate limits do not cover (certificate verification)."""

from django.core.cache import cache


def over_limit(key: str, *, limit: int, period: int, count: bool = True) -> bool:
    """Count one hit on ``key`` and say whether the window's hits are over ``limit``; with
    ``count=False``, say whether the limit is used up (one more hit would be over it).
    Windows are ``period`` seconds long."""
    name = f"ratelimit:{key}"
    if not count:
        return (cache.get(name) or 0) >= limit
    if cache.add(name, 1, timeout=period):
        return limit < 1
    try:
        return cache.incr(name) > limit
    except ValueError:  # the window ended between add and incr
        cache.add(name, 1, timeout=period)
        return limit < 1
