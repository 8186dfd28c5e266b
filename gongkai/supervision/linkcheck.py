"""The link checker of the self-inspection: fetch each link once, with bounded concurrency and a
timeout, using only http.client. A link is broken when the server answers 4xx/5xx or cannot be
reached in time; redirects count as working (the inspectors follow them).
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urljoin, urlsplit

from gongkai.supervision.inspection import LinkResult

TIMEOUT_SECONDS = 5.0
# 19号 counts the site as unreachable when a page does not load within 15 seconds.
SITE_TIMEOUT_SECONDS = 15.0
MAX_WORKERS = 4
MAX_LINKS = 200
# The whole run stays within this many seconds; links not reached in time are left unchecked.
BUDGET_SECONDS = 40.0
USER_AGENT = "Gongkai-LinkCheck/1.0 (self-inspection)"


def _fetch_status(url: str, timeout: float) -> int:
    parts = urlsplit(url)
    connection_class = (
        http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    )
    connection = connection_class(parts.netloc, timeout=timeout)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    try:
        status = 0
        for method in ("HEAD", "GET"):
            connection.request(method, path, headers={"User-Agent": USER_AGENT})
            response = connection.getresponse()
            response.read(0 if method == "HEAD" else 1024)
            status = response.status
            response.close()
            # Some servers refuse HEAD; ask again with GET before calling the link broken.
            if status not in (405, 501):
                break
        return status
    finally:
        connection.close()


def _internal(host: str) -> bool:
    """Whether the host resolves to a loopback, private or link-local address: such a link cannot
    work for the public, and the checker must not be a way to probe the internal network."""
    try:
        infos = socket.getaddrinfo(host, None)
    except (OSError, UnicodeError):
        return False
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if address.is_private or address.is_loopback or address.is_link_local:
            return True
    return False


def check_one(
    item_pk: int, url: str, timeout: float = TIMEOUT_SECONDS, *, own_host: str = ""
) -> LinkResult:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return LinkResult(item_pk, url, False, None, "不支持的地址")
    if parts.netloc != own_host and _internal(parts.hostname):
        return LinkResult(item_pk, url, False, None, "内部网络地址")
    try:
        status = _fetch_status(url, timeout)
    except TimeoutError:
        return LinkResult(item_pk, url, False, None, "连接超时")
    except (OSError, http.client.HTTPException) as error:
        return LinkResult(item_pk, url, False, None, type(error).__name__)
    return LinkResult(item_pk, url, status < 400, status)


def check_links(
    targets: Sequence[tuple[int, str]],
    *,
    base_url: str,
    timeout: float = TIMEOUT_SECONDS,
    workers: int = MAX_WORKERS,
    limit: int = MAX_LINKS,
    budget: float = BUDGET_SECONDS,
) -> list[LinkResult]:
    """Check (item pk, link) pairs; site-relative links are resolved against `base_url`. Links to
    other internal addresses are reported as broken without being fetched. At most
    `limit` links, `workers` at a time, each within `timeout` seconds, and no new fetch once
    `budget` seconds have passed (those links are left out of the result)."""
    resolved = [(pk, urljoin(base_url, url)) for pk, url in targets[:limit]]
    if not resolved:
        return []
    deadline = time.monotonic() + budget
    # The site's own address is checked even when it is internal (a test server, an intranet).
    own_host = urlsplit(base_url).netloc

    def check(pair: tuple[int, str]) -> LinkResult | None:
        if time.monotonic() > deadline:
            return None
        return check_one(pair[0], pair[1], timeout, own_host=own_host)

    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(resolved)))) as pool:
        return [result for result in pool.map(check, resolved) if result is not None]
