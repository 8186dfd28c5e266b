from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.core.cache import cache
from django.test import RequestFactory

from gongkai.core import ratelimit
from gongkai.core.ratelimit import RateLimit, client_address

LIMIT = RateLimit("test-purpose", "GONGKAI_TEST_PER_HOUR", window_seconds=60)


def request_from(address: str | None) -> Any:
    request = RequestFactory().get("/")
    if address is None:
        del request.META["REMOTE_ADDR"]
    else:
        request.META["REMOTE_ADDR"] = address
    return request


def test_attempts_over_the_limit_are_refused(settings: Any) -> None:
    settings.GONGKAI_TEST_PER_HOUR = 3
    request = request_from("203.0.113.5")
    assert [LIMIT.hit(request) for _ in range(5)] == [False, False, False, True, True]


def test_each_address_and_purpose_has_its_own_count(settings: Any) -> None:
    settings.GONGKAI_TEST_PER_HOUR = 1
    other_purpose = RateLimit("other-purpose", "GONGKAI_TEST_PER_HOUR")
    first, second = request_from("203.0.113.5"), request_from("203.0.113.6")
    assert LIMIT.hit(first) is False and LIMIT.hit(first) is True
    assert LIMIT.hit(second) is False
    assert other_purpose.hit(first) is False


def test_the_limit_is_read_from_settings_on_each_call(settings: Any) -> None:
    settings.GONGKAI_TEST_PER_HOUR = 1
    request = request_from("203.0.113.5")
    LIMIT.hit(request)
    assert LIMIT.hit(request) is True
    settings.GONGKAI_TEST_PER_HOUR = 10
    assert LIMIT.hit(request) is False


def test_the_count_lapses_with_the_window(settings: Any, monkeypatch: Any) -> None:
    settings.GONGKAI_TEST_PER_HOUR = 2
    now = [1_000_000.0]
    fake_time = SimpleNamespace(time=lambda: now[0])
    # The local-memory cache reads the time in both modules: when setting expiry and checking it.
    monkeypatch.setattr("django.core.cache.backends.base.time", fake_time)
    monkeypatch.setattr("django.core.cache.backends.locmem.time", fake_time)
    request = request_from("203.0.113.5")
    assert [LIMIT.hit(request) for _ in range(3)] == [False, False, True]
    now[0] += 59  # still inside the window that the first attempt opened: it is fixed, not sliding
    assert LIMIT.hit(request) is True
    now[0] += 2
    assert [LIMIT.hit(request) for _ in range(3)] == [False, False, True]


def test_a_window_lapsing_between_add_and_incr_opens_a_new_one(
    settings: Any, monkeypatch: Any
) -> None:
    settings.GONGKAI_TEST_PER_HOUR = 1
    request = request_from("203.0.113.5")
    LIMIT.hit(request)

    def lapsed(key: str, delta: int = 1) -> int:
        raise ValueError(key)

    monkeypatch.setattr(cache, "incr", lapsed)
    assert LIMIT.hit(request) is False
    monkeypatch.undo()
    assert LIMIT.hit(request) is True


def test_exhausted_and_record_limit_successes_only(settings: Any) -> None:
    settings.GONGKAI_TEST_PER_HOUR = 2
    request = request_from("203.0.113.5")
    assert LIMIT.exhausted(request) is False
    LIMIT.record(request)
    assert LIMIT.exhausted(request) is False
    assert LIMIT.exhausted(request) is False  # looking does not count
    LIMIT.record(request)
    assert LIMIT.exhausted(request) is True


def test_a_request_without_an_address_is_counted_under_unknown(settings: Any) -> None:
    settings.GONGKAI_TEST_PER_HOUR = 1
    assert client_address(request_from(None)) == "unknown"
    assert LIMIT.hit(request_from(None)) is False
    assert LIMIT.hit(request_from(None)) is True


def test_the_platforms_limits_use_the_documented_settings() -> None:
    assert {
        (limit.purpose, limit.setting, limit.window_seconds)
        for limit in (ratelimit.APPLY, ratelimit.TRACK)
    } == {
        ("apply", "GONGKAI_APPLY_PER_HOUR", 3600),
        ("track", "GONGKAI_TRACK_PER_HOUR", 3600),
    }


def test_the_portal_and_the_api_share_one_tracking_allowance(
    db: Any, client: Any, settings: Any
) -> None:
    """Guessing 查询码 through both channels gets no more tries than through one."""
    settings.GONGKAI_TRACK_PER_HOUR = 2
    guess = {"code": "ABCDEFGHJK", "phone": "13800000000"}
    for _ in range(2):
        assert client.get("/api/v1/applications/track", guess).status_code == 404
    response = client.post("/track/", guess)
    assert response.status_code == 429
    assert "查询过于频繁" in response.content.decode()


def _via(remote: str | None, forwarded: str | None = None) -> Any:
    request = request_from(remote)
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return request


def test_behind_a_trusted_proxy_the_visitor_is_the_last_hop_the_proxy_saw(settings: Any) -> None:
    settings.GONGKAI_TRUSTED_PROXIES = frozenset({"127.0.0.1", "10.0.0.5"})
    # nginx on the same machine appends the address it saw.
    assert client_address(_via("127.0.0.1", "203.0.113.7")) == "203.0.113.7"
    # A visitor cannot choose its address by sending the header itself: nginx appends the real one.
    assert client_address(_via("127.0.0.1", "198.51.100.1, 203.0.113.7")) == "203.0.113.7"
    # A chain of trusted proxies (a load balancer in front of nginx) is skipped from the right.
    assert client_address(_via("127.0.0.1", "203.0.113.7, 10.0.0.5")) == "203.0.113.7"
    # No header, or one naming only proxies, or garbage: the proxy's own address.
    assert client_address(_via("127.0.0.1")) == "127.0.0.1"
    assert client_address(_via("127.0.0.1", "10.0.0.5")) == "127.0.0.1"
    assert client_address(_via("127.0.0.1", "<script>, 203.0.113.7x")) == "127.0.0.1"


def test_an_untrusted_sender_cannot_name_another_address(settings: Any) -> None:
    settings.GONGKAI_TRUSTED_PROXIES = frozenset({"127.0.0.1"})
    assert client_address(_via("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_visitors_behind_the_proxy_have_their_own_allowance(settings: Any) -> None:
    settings.GONGKAI_TRUSTED_PROXIES = frozenset({"127.0.0.1"})
    settings.GONGKAI_TEST_PER_HOUR = 1
    assert LIMIT.hit(_via("127.0.0.1", "203.0.113.7")) is False
    assert LIMIT.hit(_via("127.0.0.1", "203.0.113.8")) is False
    assert LIMIT.hit(_via("127.0.0.1", "203.0.113.7")) is True


def test_release_takes_back_one_attempt(settings: Any) -> None:
    settings.GONGKAI_TEST_PER_HOUR = 1
    request = request_from("192.0.2.9")
    assert LIMIT.hit(request) is False
    LIMIT.release(request)
    assert LIMIT.hit(request) is False
    assert LIMIT.hit(request) is True


def test_lockouts_get_an_ip_address_or_none(settings: Any) -> None:
    from gongkai.core.ratelimit import login_client_address

    settings.GONGKAI_TRUSTED_PROXIES = frozenset({"127.0.0.1"})
    assert login_client_address(_via("127.0.0.1", "203.0.113.7")) == "203.0.113.7"
    assert login_client_address(request_from(None)) is None  # "unknown" is not an address
    assert login_client_address(None) is None
