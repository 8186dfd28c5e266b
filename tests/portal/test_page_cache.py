"""The public pages' cache (gongkai/portal/page_cache.py): served from the cache while nothing
published changes, and a publish or withdraw shows on the very next request."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from gongkai.publishing.models import Column, Item, ItemStatus
from gongkai.publishing.search import public_version
from gongkai.publishing.services import (
    item_create,
    item_submit_for_review,
    item_withdraw,
    review_decide,
)


def _publish(user_named: Any, title: str) -> Item:
    clerk = user_named("songcun_clerk")
    item = item_create(
        actor=clerk,
        agency=Column.objects.get(agency__slug="songcun", slug="gsgg").agency,
        column=Column.objects.get(agency__slug="songcun", slug="gsgg"),
        title=title,
        summary="请相关群众知悉。",
        formed_on=dt.date(2026, 11, 20),
    )
    review = item_submit_for_review(actor=clerk, item=item)
    for username in ("songcun_head", "songcun_secrecy", "songcun_leader"):
        review_decide(actor=user_named(username), review=review, decision="approve")
    item.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED
    return item


class TestOnTheDemoCatalogue:
    """Pages of the demo catalogue, loaded once for the class (`demo_catalogue_for_class`) instead
    of once per test; what a test publishes or renames is undone by its savepoint. The tests below
    the class need a district without the catalogue, or no database, or are transactional."""

    @pytest.fixture
    def district(self, demo_catalogue_for_class: dict[str, Any], db: None) -> dict[str, Any]:
        return demo_catalogue_for_class

    @pytest.fixture
    def published(self, district: dict[str, Any]) -> dict[str, Any]:
        return district

    def test_a_second_visit_is_served_from_the_cache(self, client: Client, published: Any) -> None:
        first = client.get("/agency/songcun/gk/gsgg/")
        assert first.status_code == 200
        assert first.context is not None  # rendered
        second = client.get("/agency/songcun/gk/gsgg/")
        assert second.context is None  # not rendered again
        assert second.content == first.content
        assert second["Content-Type"] == first["Content-Type"]

    def test_publish_and_withdraw_show_on_the_next_request(
        self, client: Client, published: Any, user_named: Any
    ) -> None:
        column_url = "/agency/songcun/gk/gsgg/"
        before = client.get(column_url).content.decode()
        assert "关于冬季供暖的通知" not in before
        version = public_version()
        item = _publish(user_named, "宋村镇关于冬季供暖的通知")
        assert public_version() > version
        assert "关于冬季供暖的通知" in client.get(column_url).content.decode()
        assert "关于冬季供暖的通知" in client.get("/agency/songcun/gk/").content.decode()
        item_url = f"/agency/songcun/info/{item.pk}/"
        assert client.get(item_url).status_code == 200
        assert client.get(item_url).status_code == 200  # now cached
        item_withdraw(actor=user_named("songcun_leader"), item=item, reason="信息有误")
        assert client.get(item_url).status_code == 404
        assert "关于冬季供暖的通知" not in client.get(column_url).content.decode()

    def test_visitors_with_a_session_and_other_modes_get_their_own_page(
        self, client: Client, published: Any
    ) -> None:
        url = "/agency/songcun/gk/gsgg/"
        client.get(url)
        client.cookies["gk_elderly"] = "1"
        elderly = client.get(url)
        assert elderly.context is not None  # the large-type page is another cache entry
        assert "elderly-mode" in elderly.content.decode()
        session = Client()
        session.cookies["sessionid"] = "abc"
        assert session.get(url).context is not None  # never from (or into) the cache
        assert session.get(url).context is not None

    def test_not_found_pages_are_not_cached(self, client: Client, published: Any) -> None:
        assert client.get("/agency/songcun/info/999999/").status_code == 404
        assert not any(key for key in cache._cache)  # type: ignore[attr-defined]

    def test_a_renamed_column_shows_on_the_next_request(
        self,
        client: Client,
        published: Any,
        user_named: Any,
        django_capture_on_commit_callbacks: Any,
    ) -> None:
        from gongkai.publishing.services.columns import column_update

        assert "公示公告" in client.get("/agency/songcun/gk/gsgg/").content.decode()
        column = Column.objects.get(agency__slug="songcun", slug="gsgg")
        # The version is bumped when the change commits (publishing.signals).
        with django_capture_on_commit_callbacks(execute=True):
            column_update(actor=user_named("songcun_admin"), column=column, name="通知公告")
        assert "通知公告" in client.get("/agency/songcun/gk/gsgg/").content.decode()

    def test_search_pages_are_cached_and_a_publication_shows_on_the_next_request(
        self, client: Client, published: Any, user_named: Any
    ) -> None:
        url = "/search/?q=%E4%BE%9B%E6%9A%96"  # 供暖
        assert client.get(url).context is not None
        assert client.get(url).context is None  # from the cache
        _publish(user_named, "宋村镇关于冬季供暖的通知")
        fresh = client.get(url)
        assert fresh.context is not None
        assert "冬季<mark>供暖</mark>的通知" in fresh.content.decode()

    def test_a_long_column_counts_up_to_the_cap_and_points_to_the_year_filter(
        self, client: Client, published: Any, monkeypatch: Any
    ) -> None:
        from gongkai.portal import publishing_context as publishing

        monkeypatch.setattr(publishing, "PAGE_SIZE", 1)
        monkeypatch.setattr(publishing, "COUNT_CAP", 2)
        column = Column.objects.get(agency__slug="songcun", slug="gsgg")
        assert Item.objects.filter(column=column, status=ItemStatus.PUBLISHED).count() > 2
        html = client.get("/agency/songcun/gk/gsgg/").content.decode()
        assert "共2页（仅列出最新2条，更早的信息请按年份筛选）" in html
        assert client.get("/agency/songcun/gk/gsgg/?page=9").context["page"].number == 2

    def test_with_a_shared_cache_each_process_keeps_recent_pages_in_front_of_it(
        self, client: Client, published: Any, user_named: Any, settings: Any, monkeypatch: Any
    ) -> None:
        """Redis in production: a page is then served from the process's own copy, with no round trip
        to the shared cache; a publication still shows on the next request (the key holds the version)."""
        from gongkai.portal import page_cache

        local = page_cache._LocalPages()
        monkeypatch.setattr(page_cache, "_local_pages", local)
        monkeypatch.setattr(page_cache, "_shared_cache", lambda: True)
        first = client.get("/agency/songcun/gk/gsgg/")
        assert first.context is not None
        cache.clear()  # the shared cache is emptied: the local copy answers
        second = client.get("/agency/songcun/gk/gsgg/")
        assert second.context is None and second.content == first.content
        item = _publish(user_named, "本地缓存之后发布的公告")
        third = client.get("/agency/songcun/gk/gsgg/")
        assert third.context is not None and item.title in third.content.decode()


def test_home_lists_only_upper_levels_when_there_are_many_agencies(
    client: Client, district: Any, monkeypatch: Any
) -> None:
    from gongkai.portal import views

    assert "宋村镇" in client.get("/").content.decode()
    cache.clear()
    monkeypatch.setattr(views, "HOME_AGENCIES_MAX", 2)
    html = client.get("/").content.decode()
    assert "文登区人民政府" in html
    assert "宋村镇人民政府" not in html
    assert "请从所属机关页面进入" in html


@pytest.mark.django_db(transaction=True)
def test_the_version_is_read_once_a_second_but_this_process_sees_its_own_bumps(
    monkeypatch: Any,
) -> None:
    from django.db.models import F

    from gongkai.publishing import search
    from gongkai.publishing.models import SearchIndexState

    SearchIndexState.objects.get_or_create(pk=1)
    monkeypatch.setattr(search, "VERSION_SECONDS", 3600.0)
    search._version_invalidate()
    first = public_version()
    # Another process's change: this process keeps its copy until VERSION_SECONDS pass.
    SearchIndexState.objects.filter(pk=1).update(version=F("version") + 5)
    assert public_version() == first
    # A bump made here is seen at once, before and after its transaction commits.
    from django.db import transaction

    with transaction.atomic():
        search.public_version_bump()
        assert public_version() == first + 6
    assert public_version() == first + 6
    monkeypatch.setattr(search, "VERSION_SECONDS", 0.0)
    SearchIndexState.objects.filter(pk=1).update(version=F("version") + 1)
    assert public_version() == first + 7


def test_the_local_pages_are_bounded_by_count_bytes_and_age(monkeypatch: Any) -> None:
    from gongkai.portal import page_cache

    later = page_cache.time.time() + page_cache.PAGE_SECONDS
    local = page_cache._LocalPages(max_pages=3, max_bytes=16 * 100)
    for number in range(5):
        local.set(f"k{number}", (b"x" * 10, "text/html", later))
    assert [local.get(f"k{n}") is not None for n in range(5)] == [False, False, True, True, True]
    local.set("big", (b"x" * 101, "text/html", later))  # over a sixteenth of the budget: not kept
    assert local.get("big") is None
    by_bytes = page_cache._LocalPages(max_pages=100, max_bytes=16 * 100)
    for number in range(18):
        by_bytes.set(f"m{number}", (b"x" * 90, "text/html", later))  # 18 × 90 = 1,620 bytes > 1,600
    assert by_bytes.get("m0") is None and by_bytes.get("m1") is not None
    now = page_cache.time.monotonic()
    monkeypatch.setattr(page_cache.time, "monotonic", lambda: now + page_cache.PAGE_SECONDS + 1)
    assert by_bytes.get("m17") is None


def test_a_local_copy_expires_when_the_shared_page_does() -> None:
    """A page taken from the shared cache 590 s into its 600 s keeps only its last 10 s locally."""
    from gongkai.portal import page_cache

    local = page_cache._LocalPages()
    local.set("old", (b"x", "text/html", page_cache.time.time() - 1))
    assert local.get("old") is None  # already expired: not kept
    local.set("late", (b"x", "text/html", page_cache.time.time() + 10))
    deadline, _ = local._pages["late"]
    assert deadline - page_cache.time.monotonic() <= 10
