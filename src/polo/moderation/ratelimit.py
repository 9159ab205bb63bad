"""Rate limits on posting, counted in Django's cache (a fixed window per person
and action): ``allow(request.user, "agendas.comment", per_minute=5, per_hour=40)``.

A window is a cache key that expires with it; ``cache.add`` then ``incr`` keep the
count right when requests from the same person arrive together. With the
database or local-memory cache a server restart forgets the windows: a limit
against floods, not an accounting."""

from __future__ import annotations

import time

from django.core.cache import cache

WINDOWS = {"minute": 60, "hour": 3600}


def _hit(key: str, period: int) -> int:
    window = int(time.time() // period)
    full_key = f"ratelimit:{key}:{period}:{window}"
    if cache.add(full_key, 1, timeout=period + 5):
        return 1
    try:
        return cache.incr(full_key)
    except ValueError:  # expired between add and incr
        cache.add(full_key, 1, timeout=period + 5)
        return 1


def allow(user, action: str, *, per_minute: int, per_hour: int) -> bool:
    """Count one attempt; False if it goes over either limit."""
    key = f"{action}:{user.pk}"
    over_minute = _hit(key, WINDOWS["minute"]) > per_minute
    over_hour = _hit(key, WINDOWS["hour"]) > per_hour
    return not (over_minute or over_hour)
