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


@pytest.fixture
def published(district: dict[str, Any]) -> dict[str, Any]:
    from gongkai.demo import publishing

    publishing.load(district)
    return district


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


def test_a_second_visit_is_served_from_the_cache(client: Client, published: Any) -> None:
    first = client.get("/agency/songcun/gk/gsgg/")
    assert first.status_code == 200
    assert first.context is not None  # rendered
    second = client.get("/agency/songcun/gk/gsgg/")
    assert second.context is None  # not rendered again
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_publish_and_withdraw_show_on_the_next_request(
    client: Client, published: Any, user_named: Any
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
    client: Client, published: Any
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


def test_not_found_pages_are_not_cached(client: Client, published: Any) -> None:
    assert client.get("/agency/songcun/info/999999/").status_code == 404
    assert not any(key for key in cache._cache)  # type: ignore[attr-defined]


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


def test_a_renamed_column_shows_on_the_next_request(
    client: Client, published: Any, user_named: Any
) -> None:
    from gongkai.publishing.services.columns import column_update

    assert "公示公告" in client.get("/agency/songcun/gk/gsgg/").content.decode()
    column = Column.objects.get(agency__slug="songcun", slug="gsgg")
    column_update(actor=user_named("songcun_admin"), column=column, name="通知公告")
    assert "通知公告" in client.get("/agency/songcun/gk/gsgg/").content.decode()
