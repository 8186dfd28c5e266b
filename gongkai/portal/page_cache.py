"""The public pages' cache (home, an agency's pages, column lists, item pages).

A page is cached for an anonymous visitor without a session (no login, no pending messages), keyed
by the published content's version (`publishing.search.public_version`, one indexed read per
request), the full path with its query and the 适老化 mode. The publishing services bump the
version in the transaction of every change to what the portal shows (publish, withdraw, 有效性,
column text), so a change shows on the next request in every process — the version lives in the
database, while the pages live in the Django cache: per process (locmem) by default, shared with
`GONGKAI_REDIS_URL`. Changes made elsewhere (an agency's profile) show within `PAGE_SECONDS`.
"""

from __future__ import annotations

import hashlib
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


def _cacheable(request: HttpRequest) -> bool:
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
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        key = page_key(request, public_version())
        hit = cache.get(key)
        if hit is not None:
            content, content_type = hit
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not getattr(response, "csrf_cookie_set", False)
        ):
            cache.set(key, (response.content, response["Content-Type"]), PAGE_SECONDS)
        return response

    return wrapper
