from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gongkai.supervision.inspection import (
    LinkResult,
    RuleKey,
    Severity,
    column_states,
    inspect,
    links_in,
    months_before,
)
from gongkai.supervision.linkcheck import check_links
from gongkai.supervision.sources import ColumnFact, ItemFact

TODAY = dt.date(2023, 8, 31)


def column(pk: int, column_type: str = "notice", *, fileable: bool = True) -> ColumnFact:
    return ColumnFact(pk, f"栏目{pk}", f"c{pk}", column_type, "site", fileable)


def item(pk: int, column_id: int, published_on: dt.date | None, **extra: Any) -> ItemFact:
    values: dict[str, Any] = {
        "title": f"信息{pk}",
        "status": "published",
        "publish_due": None,
        "written_on": None,
        "doc_kind": "other",
    }
    values.update(extra)
    return ItemFact(pk=pk, column_id=column_id, published_on=published_on, **values)


def keys(flags: list[Any]) -> list[str]:
    return [str(f.rule.key) for f in flags]


def test_news_column_is_stale_after_two_weeks() -> None:
    news = column(1, "news")
    fresh = column_states([news], [item(1, 1, TODAY - dt.timedelta(days=14))], TODAY)
    stale = column_states([news], [item(1, 1, TODAY - dt.timedelta(days=15))], TODAY)
    assert not fresh[0].stale
    assert stale[0].stale


def test_notice_and_policy_columns_are_stale_after_six_months() -> None:
    for column_type in ("notice", "policy"):
        col = column(1, column_type)
        assert not column_states([col], [item(1, 1, dt.date(2023, 2, 28))], TODAY)[0].stale
        assert column_states([col], [item(1, 1, dt.date(2023, 2, 27))], TODAY)[0].stale


def test_months_before_clamps_the_day() -> None:
    assert months_before(dt.date(2023, 8, 31), 6) == dt.date(2023, 2, 28)
    assert months_before(dt.date(2024, 3, 15), 6) == dt.date(2023, 9, 15)


def test_parent_and_generated_columns_are_not_inspected() -> None:
    assert column_states([column(1, fileable=False)], [], TODAY) == []


def test_a_stale_column_is_flagged_with_its_rule_and_fix() -> None:
    flags = inspect(
        [column(1, "news"), column(2)], [item(1, 1, dt.date(2023, 8, 1)), item(2, 2, TODAY)], TODAY
    )
    assert keys(flags) == ["stale_column"]
    flag = flags[0]
    assert flag.subject == "栏目1"
    assert "2023年8月1日" in flag.detail
    assert "2周" in flag.rule.basis
    assert flag.rule.fix
    assert flag.severity == Severity.DEDUCT


def test_five_empty_columns_are_a_single_veto() -> None:
    columns = [column(pk) for pk in range(1, 7)]
    items = [item(1, 1, TODAY)]
    four = inspect(columns[:5], items, TODAY)
    five = inspect(columns, items, TODAY)
    assert keys(four).count("empty_column") == 4
    assert "empty_columns_many" not in keys(four)
    assert keys(five)[0] == "empty_columns_many"
    assert five[0].severity == Severity.VETO
    assert keys(five).count("empty_column") == 5


def test_ten_stale_columns_are_a_single_veto() -> None:
    columns = [column(pk) for pk in range(1, 11)] + [column(99, "news")]
    items = [item(pk, pk, dt.date(2022, 1, 1)) for pk in range(1, 11)] + [item(99, 99, TODAY)]
    flags = inspect(columns, items, TODAY)
    assert keys(flags)[0] == "stale_columns_many"
    assert keys(flags).count("stale_column") == 10


def test_home_page_not_updated_for_two_weeks_is_a_veto() -> None:
    flags = inspect([column(1)], [item(1, 1, dt.date(2023, 8, 1))], TODAY)
    assert keys(flags) == ["home_stale"]
    assert flags[0].severity == Severity.VETO


def test_policy_document_without_written_date_is_undated() -> None:
    items = [
        item(1, 1, TODAY, doc_kind="normative_document"),
        item(2, 1, TODAY, doc_kind="normative_document", written_on=dt.date(2023, 8, 1)),
        item(3, 1, None),
    ]
    flags = [f for f in inspect([column(1)], items, TODAY) if f.rule.key == RuleKey.UNDATED_ITEM]
    assert [(f.item_pk, f.detail) for f in flags] == [(1, "缺少成文日期。"), (3, "缺少发布日期。")]


def test_broken_links_are_flagged_with_the_item_title() -> None:
    links = [
        LinkResult(1, "http://127.0.0.1/ok", True, 200),
        LinkResult(1, "http://127.0.0.1/gone", False, 404),
        LinkResult(1, "http://127.0.0.1:9/", False, None, "ConnectionRefusedError"),
    ]
    flags = [
        f
        for f in inspect([column(1)], [item(1, 1, TODAY)], TODAY, links)
        if f.rule.key == "broken_link"
    ]
    assert [f.subject for f in flags] == ["http://127.0.0.1/gone", "http://127.0.0.1:9/"]
    assert flags[0].detail == "“信息1”中的链接返回状态码404。"
    assert "无法访问" in flags[1].detail


def test_links_in_finds_http_and_site_links_once() -> None:
    html = (
        '<p><a href="http://a.example/x">甲</a><a href="/info/1/">乙</a><a href="/info/1/">乙</a>'
        '<a href="mailto:x@example.cn">信</a><a href="#top">顶</a><img src="https://b.example/i.png">'
        '<a href="//c.example/">丙</a></p>'
    )
    assert links_in(html) == ["http://a.example/x", "/info/1/", "https://b.example/i.png"]


@pytest.mark.django_db(transaction=True)
def test_link_checker_against_the_live_server(live_server: Any) -> None:
    targets = [(1, "/portal-page-that-does-not-exist/"), (2, "/")]
    # A generous timeout: the shared test machine can be slow to answer the first request.
    results = check_links(targets, base_url=live_server.url, timeout=20, workers=2)
    by_item = {r.item_pk: r for r in results}
    assert by_item[1].ok is False
    assert by_item[1].status == 404
    assert by_item[2].url == live_server.url + "/"
    assert (by_item[2].ok, by_item[2].status) == (True, 200)


def test_link_checker_refuses_other_schemes() -> None:
    results = check_links([(1, "ftp://127.0.0.1/x")], base_url="http://127.0.0.1/")
    assert results[0].ok is False
    assert results[0].error == "不支持的地址"


def test_link_checker_stops_starting_fetches_when_the_budget_is_spent() -> None:
    # A spent budget: nothing is fetched (no network involved at all).
    results = check_links([(1, "/a/"), (2, "/b/")], base_url="http://127.0.0.1:9/", budget=-1)
    assert results == []


def test_links_to_other_internal_addresses_are_not_fetched() -> None:
    # 127.0.0.1:9 is not the site's own address: refused before any connection is made.
    results = check_links([(1, "http://127.0.0.1:9/x")], base_url="http://127.0.0.1:8000/")
    assert [(r.ok, r.status, r.error) for r in results] == [(False, None, "内部网络地址")]


def channel(kind: str, months: set[tuple[int, int]], *, has_stats: bool = True) -> Any:
    from gongkai.supervision.sources import ChannelFact

    label = "微信公众号" if kind == "wechat" else "其他渠道"
    return ChannelFact(f"{label}甲", kind, label, frozenset(months), has_stats)


def test_wechat_is_stale_when_its_last_active_month_ended_over_two_weeks_ago() -> None:
    from gongkai.supervision.inspection import channel_flags

    # TODAY is 31 August: July ended 31 days ago, but August is still active.
    assert channel_flags([channel("wechat", {(2023, 8)})], TODAY) == []
    (flag,) = channel_flags([channel("wechat", {(2023, 7)})], TODAY)
    assert (flag.rule.key, flag.severity) == (RuleKey.CHANNEL_STALE, Severity.VETO)
    assert "最近一次有发布记录的是2023年7月" in flag.detail
    # 17 August: July ended 17 days ago.
    assert channel_flags([channel("wechat", {(2023, 7)})], dt.date(2023, 8, 14)) == []
    assert len(channel_flags([channel("wechat", {(2023, 7)})], dt.date(2023, 8, 15))) == 1
    (other,) = channel_flags([channel("other", set())], TODAY)
    assert other.severity == Severity.DEDUCT
    assert "统计中没有发布记录" in other.detail
    (missing,) = channel_flags([channel("wechat", set(), has_stats=False)], TODAY)
    assert (missing.rule.key, missing.severity) == (RuleKey.CHANNEL_NO_STATS, Severity.WARN)


def test_unreachable_pages_and_hidden_links_are_flagged() -> None:
    from gongkai.supervision.inspection import HiddenLink, PageCheck

    flags = inspect(
        [column(1, "news")],
        [item(1, 1, TODAY)],
        TODAY,
        pages=[
            PageCheck("网站首页", "http://site/", 200),
            PageCheck("本机关信息公开页面", "http://site/agency/x/", None, "无法连接"),
        ],
        hidden=[HiddenLink(1, "/agency/x/info/9/", "已撤回或未发布")],
    )
    assert keys(flags) == ["site_unreachable", "hidden_link"]
    assert flags[0].subject == "本机关信息公开页面"
    assert "无法访问（无法连接）" in flags[0].detail
    assert flags[1].detail == "“信息1”中的链接指向已撤回或未发布的信息。"


def test_check_rows_say_what_was_checked_and_what_does_not_apply() -> None:
    from gongkai.supervision.inspection import check_rows

    flags = inspect([column(1, "news")], [item(1, 1, TODAY - dt.timedelta(days=20))], TODAY)
    rows = {r.name: (r.state, r.note) for r in check_rows(flags, link_check_ran=False, channels=[])}
    assert rows["首页更新"] == ("发现问题", "1项")
    assert rows["栏目更新"] == ("发现问题", "1项")
    assert rows["空白栏目"] == ("通过", "")
    assert rows["错链断链"] == ("未运行", "请运行链接检查。")
    assert rows["网站可访问"][0] == "未运行"
    assert rows["隐链（指向未公开信息的链接）"] == ("通过", "")
    assert rows["政务新媒体更新"][0] == "不适用"
    assert rows["在线咨询答复"][0] == "不适用"
    assert "不受理在线咨询留言" in rows["在线咨询答复"][1]
    after = check_rows(flags, link_check_ran=True, channels=None)
    states = {r.name: r.state for r in after}
    assert states["错链断链"] == "通过"
    assert states["政务新媒体更新"] == "暂无数据"


def test_shared_and_reserved_addresses_are_refused_too(monkeypatch: Any) -> None:
    """Carrier-grade NAT (100.64/10), reserved and multicast addresses are not public either."""
    import socket

    for internal in ("100.64.0.1", "240.0.0.1", "224.0.0.1", "169.254.169.254"):
        results = check_links([(1, f"http://{internal}/x")], base_url="http://127.0.0.1:8000/")
        assert [r.error for r in results] == ["内部网络地址"], internal

    def rebinding(host: str, port: Any, *args: Any, **kwargs: Any) -> Any:
        # A name with one public and one internal answer: refused, not a coin toss.
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", 0)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", 0)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    results = check_links([(1, "http://mixed.example.cn/x")], base_url="http://127.0.0.1:8000/")
    assert [r.error for r in results] == ["内部网络地址"]


def test_a_public_host_is_fetched_at_the_address_that_was_checked(monkeypatch: Any) -> None:
    """No second DNS lookup: the connection goes to the address the check resolved."""
    from gongkai.supervision import linkcheck

    seen: list[Any] = []

    def public(host: str, port: Any, *args: Any, **kwargs: Any) -> Any:
        import socket

        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", 0))]

    def fetch(url: str, timeout: float, address: Any = None) -> int:
        seen.append(address)
        return 200

    monkeypatch.setattr(linkcheck.socket, "getaddrinfo", public)
    monkeypatch.setattr(linkcheck, "_fetch_status", fetch)
    results = check_links([(1, "http://www.example.cn/x")], base_url="http://127.0.0.1:8000/")
    assert [(r.ok, r.status) for r in results] == [(True, 200)]
    assert seen == ["93.184.216.34"]


def test_the_pinned_connection_sends_the_host_name_to_the_checked_address() -> None:
    import http.server
    import threading

    from gongkai.supervision.linkcheck import _fetch_status

    hosts: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_HEAD(self) -> None:
            hosts.append(self.headers["Host"])
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        status = _fetch_status(f"http://www.example.cn:{port}/x", 5.0, "127.0.0.1")
    finally:
        server.shutdown()
    assert status == 204
    assert hosts == [f"www.example.cn:{port}"]
