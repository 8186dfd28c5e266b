"""Per-address rate limits on public forms and endpoints: a fixed-window counter in Django's cache.

Abuse defence that needs no third-party service (spam submissions, guessing 查询码 and phone pairs).
A `RateLimit` counts attempts per purpose and client address; the first attempt opens a window of
`window_seconds` and the count lapses with it. The limit itself is read from settings on each call,
so deployments (and tests) change it there.

The counter relies on `cache.add` and `cache.incr` keeping the key's expiry, as Redis and the
local-memory cache (the platform's two backends) do; `incr` is atomic on both.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The address a request came from, as the web server reports it."""
    return str(request.META.get("REMOTE_ADDR") or "unknown")


@dataclass(frozen=True, slots=True)
class RateLimit:
    """At most `settings.<setting>` attempts for `purpose` per client address per window."""

    purpose: str
    setting: str
    window_seconds: int = 3600

    @property
    def limit(self) -> int:
        return int(getattr(settings, self.setting))

    def _key(self, request: HttpRequest) -> str:
        return f"gk:ratelimit:{self.purpose}:{client_address(request)}"

    def _count(self, key: str) -> int:
        if cache.add(key, 1, timeout=self.window_seconds):
            return 1
        try:
            return int(cache.incr(key))
        except ValueError:
            # The window lapsed between `add` and `incr`: this attempt opens the next one.
            cache.set(key, 1, timeout=self.window_seconds)
            return 1

    def hit(self, request: HttpRequest) -> bool:
        """Count one attempt; True when it goes over the limit (the caller refuses it)."""
        return self._count(self._key(request)) > self.limit

    def exhausted(self, request: HttpRequest) -> bool:
        """True when the limit is already used up in this window; counts nothing."""
        return int(cache.get(self._key(request), 0)) >= self.limit

    def record(self, request: HttpRequest) -> None:
        """Count one attempt without checking it (for limits on successes only)."""
        self._count(self._key(request))


# The platform's limits: one counter per purpose and address, shared by the portal form and the API,
# so that a second channel does not double the allowance (spam, or guessing 查询码 and phone pairs).
# API submissions count only when accepted (a client correcting a rejected payload is not spamming);
# the portal counts every post.
APPLY = RateLimit("apply", "GONGKAI_APPLY_PER_HOUR")
TRACK = RateLimit("track", "GONGKAI_TRACK_PER_HOUR")
