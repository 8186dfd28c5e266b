"""The link checker of the self-inspection: fetch each link once, with bounded concurrency and a
timeout, using only http.client. A link is broken when the server answers 4xx/5xx or cannot be
reached in time; redirects count as working (the inspectors follow them).
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
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


class _PinnedHTTP(http.client.HTTPConnection):
    """An HTTP connection to an address resolved and checked before (no second DNS lookup that
    could answer differently); the Host header still names the host."""

    def __init__(self, host: str, port: int | None, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """The same for HTTPS: TLS is verified against the host name (SNI), on the checked address."""

    def __init__(self, host: str, port: int | None, address: str, timeout: float) -> None:
        self._tls = ssl.create_default_context()  # certificates and host name verified
        super().__init__(host, port, timeout=timeout, context=self._tls)
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._tls.wrap_socket(sock, server_hostname=self.host)


def _fetch_status(url: str, timeout: float, address: str | None = None) -> int:
    parts = urlsplit(url)
    connection: http.client.HTTPConnection
    if address is not None:
        pinned = _PinnedHTTPS if parts.scheme == "https" else _PinnedHTTP
        connection = pinned(parts.hostname or "", parts.port, address, timeout)
    else:
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


def _public_address(host: str) -> str | bool | None:
    """The address to connect to for `host`: its first address when every address it resolves to
    is globally routable; False when any is not (loopback, private, link-local, shared 100.64/10,
    reserved, multicast — such a link cannot work for the public, and the checker must not be a
    way to probe the internal network); None when it does not resolve (the fetch then reports it)."""
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return None
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    if not addresses:
        return None
    if any(
        not address.is_global or address.is_multicast or address.is_reserved
        for address in addresses
    ):
        return False
    return str(addresses[0])


def _internal(host: str) -> bool:
    return _public_address(host) is False


def check_one(
    item_pk: int, url: str, timeout: float = TIMEOUT_SECONDS, *, own_host: str = ""
) -> LinkResult:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return LinkResult(item_pk, url, False, None, "不支持的地址")
    address: str | None = None
    if parts.netloc != own_host:
        found = _public_address(parts.hostname)
        if found is False:
            return LinkResult(item_pk, url, False, None, "内部网络地址")
        # Connect to the address just checked: a second lookup could answer with an internal one.
        address = found if isinstance(found, str) else None
    try:
        status = _fetch_status(url, timeout, address)
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
