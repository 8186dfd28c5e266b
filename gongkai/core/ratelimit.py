"""Per-address rate limits on public forms and endpoints: a fixed-window counter in Django's cache.

Abuse defence that needs no third-party service (spam submissions, guessing 查询码 and phone pairs).
A `RateLimit` counts attempts per purpose and client address; the first attempt opens a window of
`window_seconds` and the count lapses with it. The limit itself is read from settings on each call,
so deployments (and tests) change it there.

The counter relies on `cache.add` and `cache.incr` keeping the key's expiry, as Redis and the
local-memory cache (the platform's two backends) do; `incr` is atomic on both.
"""

from __future__ import annotations

import contextlib
import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def _trusted(address: str) -> bool:
    proxies = settings.GONGKAI_TRUSTED_PROXIES
    return "*" in proxies or address in proxies


def client_address(request: HttpRequest) -> str:
    """The address of the visitor who sent the request.

    Behind nginx every request reaches the app server from the proxy's address, so `REMOTE_ADDR`
    alone would put every visitor under one counter (and one login lockout). When the request comes
    from a trusted proxy (`GONGKAI_FORWARDED_ALLOW_IPS`, as for gunicorn), the address is taken from
    `X-Forwarded-For`, read from the right: the last hop that is not itself a trusted proxy is the
    address the nearest proxy saw — a visitor can prepend addresses to the header, not append them.
    """
    remote = str(request.META.get("REMOTE_ADDR") or "unknown")
    if not _trusted(remote):
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed([hop for hop in hops if hop]):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return remote  # a malformed header: keep the proxy's own address
        if not _trusted(hop):
            return hop
    return remote


def login_client_address(request: HttpRequest | None) -> str | None:
    """The visitor's address for django-axes' lockouts (`AXES_CLIENT_IP_CALLABLE`): an IP address
    or None — axes stores it in an address column, and a login without a request (a test client's
    `login()`, a management command) has none."""
    if request is None or not hasattr(request, "META"):
        return None
    address = client_address(request)
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return None
    return address


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

    def release(self, request: HttpRequest) -> None:
        """Take back one attempt counted by `hit` (for limits on successes only: count first, so
        that parallel requests cannot all pass the check, and release what was not accepted)."""
        with contextlib.suppress(ValueError):  # the window lapsed: nothing left to take back
            cache.decr(self._key(request))


# The platform's limits: one counter per purpose and address, shared by the portal form and the API,
# so that a second channel does not double the allowance (spam, or guessing 查询码 and phone pairs).
# API submissions count only when accepted (a client correcting a rejected payload is not spamming);
# the portal counts every post.
APPLY = RateLimit("apply", "GONGKAI_APPLY_PER_HOUR")
TRACK = RateLimit("track", "GONGKAI_TRACK_PER_HOUR")
