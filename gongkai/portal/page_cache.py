"""The public pages' cache (home, an agency's pages, column lists, item pages).

A page is cached for an anonymous visitor without a session (no login, no pending messages), keyed
by the published content's version (`publishing.search.public_version`), the full path with its
query and the 适老化 mode. `publishing.signals` bumps the version when the transaction of any
change to what the portal shows commits (publish, withdraw, 有效性, column text). The version lives in the
database; each process keeps a copy read at most once a second (`search.VERSION_SECONDS`), so a
cached page costs no query: a change shows on the next request in the process that made it and
within a second in the others. The pages live in the Django cache: per process (locmem) by
default, shared with `GONGKAI_REDIS_URL`. With a shared cache each process also keeps its most
recently served pages in memory (`_LocalPages`, bounded by count and bytes) in front of it: a hit
there costs no round trip to Redis. The key holds the content version, so a local copy can never
outlive a change to the content; it expires after `PAGE_SECONDS` like the shared one. Changes made
elsewhere (an agency's profile) show within `PAGE_SECONDS`.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from gongkai.publishing.search import public_version

PAGE_SECONDS = 600
ELDERLY_COOKIE = "gk_elderly"

View = Callable[..., HttpResponse]
# (content, content type, expiry as time.time()): the expiry travels with the page, so that a
# process's local copy of a page taken from the shared cache expires when the shared one does.
Page = tuple[bytes, str, float]


class _LocalPages:
    """A process's most recently served pages, least recently used dropped first."""

    def __init__(self, max_pages: int = 2000, max_bytes: int = 64 * 1024 * 1024) -> None:
        self.max_pages, self.max_bytes = max_pages, max_bytes
        self._pages: OrderedDict[str, tuple[float, Page]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> Page | None:
        with self._lock:
            found = self._pages.get(key)
            if found is None:
                return None
            if found[0] < time.monotonic():
                self._drop(key)
                return None
            self._pages.move_to_end(key)
            return found[1]

    def set(self, key: str, page: Page) -> None:
        remaining = page[2] - time.time()
        size = len(page[0])
        if remaining <= 0:
            return
        if size > self.max_bytes // 16:
            return  # one huge page must not push out everything else
        with self._lock:
            if key in self._pages:
                self._drop(key)
            self._pages[key] = (time.monotonic() + min(remaining, PAGE_SECONDS), page)
            self._bytes += size
            while len(self._pages) > self.max_pages or self._bytes > self.max_bytes:
                self._drop(next(iter(self._pages)))

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._bytes = 0

    def _drop(self, key: str) -> None:
        _, (content, _, _) = self._pages.pop(key)
        self._bytes -= len(content)


_local_pages = _LocalPages()


def _shared_cache() -> bool:
    """True when the default cache is shared between processes (Redis in production)."""
    return "locmem" not in str(settings.CACHES["default"]["BACKEND"])


def cacheable(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def page_key(request: HttpRequest, version: int) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    elderly = "1" if request.COOKIES.get(ELDERLY_COOKIE) == "1" else "0"
    return f"portal:page:{version}:{elderly}:{path}"


def cached_page(view: View) -> View:
    """Serve the view's 200 responses from the cache while the published content is unchanged."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not cacheable(request):
            return view(request, *args, **kwargs)
        key = page_key(request, public_version())
        local = _shared_cache()
        hit = _local_pages.get(key) if local else None
        if hit is None:
            hit = cache.get(key)
            if hit is not None and local:
                _local_pages.set(key, hit)
        if hit is not None:
            content, content_type = hit[0], hit[1]
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not getattr(response, "csrf_cookie_set", False)
        ):
            page = (response.content, response["Content-Type"], time.time() + PAGE_SECONDS)
            cache.set(key, page, PAGE_SECONDS)
            if local:
                _local_pages.set(key, page)
        return response

    return wrapper
