"""Stored public pages (gongkai/portal/pages.py): rendered when their content changes, served
without rendering, byte for byte the page a visit would render, never stale after a commit."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import Client

from gongkai.agencies.models import Agency
from gongkai.portal import pages
from gongkai.portal.models import PageKind, RenderedPage
from gongkai.portal.page_cache import _local_pages
from gongkai.publishing.models import Column, InterpretationLink, Item, ItemStatus
from gongkai.publishing.search import public_version_bump
from gongkai.publishing.services import (
    column_update,
    item_withdraw,
)
from tests.portal.test_page_cache import _publish  # one way to publish through the review


@pytest.fixture(scope="module")
def world(module_transaction: None, django_db_blocker: Any) -> dict[str, Any]:
    """The demo district with its catalogue, and 宋村镇's pages rendered: built once per module."""
    from gongkai.demo import publishing
    from gongkai.demo.district import ensure_district

    with django_db_blocker.unblock():
        district = ensure_district()
        publishing.load(district)
        songcun = Agency.objects.get(slug="songcun")
        pages.render_all(agency=songcun)
        return {"district": district, "songcun": songcun}


@pytest.fixture
def stored(world: dict[str, Any], db: Any) -> dict[str, Any]:
    cache.clear()
    _local_pages.clear()
    # The layout is rendered once per process, on first use: done here, so that the test client
    # (which records every template rendered during a request) sees a stored page as unrendered.
    pages.shell(elderly=False)
    pages.shell(elderly=True)
    return world


def _visit(client: Client, path: str, *, elderly: bool = False) -> Any:
    client.cookies.clear()
    if elderly:
        client.cookies["gk_elderly"] = "1"
    return client.get(path)


def _rendered_on_visit(client: Client, path: str, *, elderly: bool = False) -> bytes:
    """The page as the view renders it (the stored row set aside for the visit)."""
    row = RenderedPage.objects.get(path=path)
    RenderedPage.objects.filter(pk=row.pk).delete()
    cache.clear()
    _local_pages.clear()
    response = _visit(client, path, elderly=elderly)
    assert response.context is not None  # rendered
    row.save()
    return response.content


def test_every_stored_page_of_an_agency_is_the_page_a_visit_renders(
    client: Client, stored: Any
) -> None:
    rows = RenderedPage.objects.filter(agency=stored["songcun"])
    kinds = set(rows.values_list("kind", flat=True))
    assert kinds == {PageKind.ITEM, PageKind.COLUMN, PageKind.SECTION}
    items = list(rows.filter(kind=PageKind.ITEM).order_by("id").values_list("path", flat=True))
    others = list(rows.exclude(kind=PageKind.ITEM).values_list("path", flat=True))
    # Every list page, and items spread over the catalogue (with and without attachments/links).
    linked = set(InterpretationLink.objects.values_list("interpretation_id", flat=True)) | set(
        InterpretationLink.objects.values_list("policy_id", flat=True)
    )
    with_links = [p for p in items if int(p.rstrip("/").rsplit("/", 1)[1]) in linked]
    sample = sorted(set(others + items[::5] + with_links[:5]))
    assert len(sample) > 20
    for path in sample:
        for elderly in (False, True):
            served = _visit(client, path, elderly=elderly)
            assert served.status_code == 200
            assert served.context is None, path  # not rendered: the stored page
            assert served["Content-Type"] == "text/html; charset=utf-8"
            assert served.content == _rendered_on_visit(client, path, elderly=elderly), path


def test_the_elderly_mode_and_the_visitors_path_are_filled_in(client: Client, stored: Any) -> None:
    path = pages.section_path("songcun")
    normal = _visit(client, path).content.decode()
    elderly = _visit(client, path, elderly=True).content.decode()
    assert 'class="elderly-mode' in elderly and "elderly-mode" not in normal
    assert "next=/agency/songcun/gk/" in normal
    assert pages.PATH_SLOT not in normal and "gk:slot" not in normal
    assert pages.PART_SEPARATOR not in normal


def test_a_query_string_a_session_or_a_post_is_not_served_from_the_store(
    client: Client, stored: Any, login: Any
) -> None:
    path = pages.column_path("songcun", "gsgg")
    assert client.get(path, {"page": "2"}).context is not None
    cache.clear()
    assert client.get(path + "?year=2023").context is not None
    cache.clear()
    signed_in = login("songcun_clerk")
    assert signed_in.get(path).context is not None


def test_a_page_rendered_by_other_code_is_not_served(client: Client, stored: Any) -> None:
    path = pages.section_path("songcun")
    RenderedPage.objects.filter(path=path).update(fingerprint="0" * 16)
    assert _visit(client, path).context is not None
    assert pages.render_all(agency=stored["songcun"], missing_only=True) >= 1
    assert RenderedPage.objects.get(path=path).fingerprint == pages.fingerprint()
    cache.clear()
    assert _visit(client, path).context is None


def test_a_publication_renders_its_page_and_the_lists_after_the_commit(
    client: Client, stored: Any, user_named: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        item = _publish(user_named, "关于预生成页面的测试公告")
    path = pages.item_path("songcun", item.pk)
    assert RenderedPage.objects.filter(path=path, item=item).exists()
    for page in (path, pages.column_path("songcun", "gsgg"), pages.section_path("songcun")):
        cache.clear()
        response = _visit(client, page)
        assert response.context is None, page  # served from the store
        assert "关于预生成页面的测试公告" in response.content.decode(), page


def test_a_withdrawal_removes_the_page_in_its_own_transaction(
    client: Client, stored: Any, user_named: Any, django_capture_on_commit_callbacks: Any
) -> None:
    item = Item.objects.filter(agency=stored["songcun"], status=ItemStatus.PUBLISHED).first()
    assert item is not None
    path = pages.item_path("songcun", item.pk)
    assert RenderedPage.objects.filter(path=path).exists()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        item_withdraw(actor=user_named("songcun_leader"), item=item, reason="内容已过时")
        # Gone before the commit: no visitor can see the withdrawn page from the store.
        assert not RenderedPage.objects.filter(path=path).exists()
        assert not RenderedPage.objects.filter(
            agency=stored["songcun"], kind=PageKind.COLUMN
        ).exists()
    for callback in callbacks:
        callback()
    assert not RenderedPage.objects.filter(path=path).exists()  # not public: not rendered again
    column = pages.column_path("songcun", item.column.slug)
    assert RenderedPage.objects.filter(path=column).exists()
    assert item.title not in _visit(client, column).content.decode()


def test_a_rolled_back_change_renders_nothing_and_keeps_the_pages(
    stored: Any, user_named: Any, django_capture_on_commit_callbacks: Any
) -> None:
    before = RenderedPage.objects.filter(agency=stored["songcun"]).count()
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                column = Column.objects.get(agency__slug="songcun", slug="gsgg")
                column_update(actor=user_named("songcun_admin"), column=column, name="通知公告栏")
                raise RuntimeError("roll back")
        except RuntimeError:
            pass
    assert callbacks == []
    assert RenderedPage.objects.filter(agency=stored["songcun"]).count() == before


def test_renaming_a_column_renders_every_page_of_its_agency_again(
    client: Client,
    stored: Any,
    user_named: Any,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: Any,
) -> None:
    monkeypatch.setattr(pages, "RENDER_INLINE_MAX", 10**9)
    songcun = stored["songcun"]
    count = RenderedPage.objects.filter(agency=songcun).count()
    column = Column.objects.get(agency=songcun, slug="gsgg")
    with django_capture_on_commit_callbacks(execute=True):
        column_update(actor=user_named("songcun_admin"), column=column, name="通知公告（改名）")
    assert RenderedPage.objects.filter(agency=songcun).count() == count
    item = Item.objects.filter(column=column, status=ItemStatus.PUBLISHED).first()
    assert item is not None
    response = _visit(client, pages.item_path("songcun", item.pk))
    assert response.context is None
    assert "通知公告（改名）" in response.content.decode()


def test_a_large_change_is_rendered_by_the_background_job(
    stored: Any, user_named: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    from huey.contrib.djhuey import HUEY

    monkeypatch.setattr(HUEY, "immediate", True)
    monkeypatch.setattr(pages, "RENDER_INLINE_MAX", 0)
    calls: list[dict[str, Any]] = []
    from gongkai.portal import tasks

    original = tasks.render_pages_job

    def job(**arguments: Any) -> Any:
        calls.append(arguments)
        return original(**arguments)

    monkeypatch.setattr(tasks, "render_pages_job", job)
    songcun = stored["songcun"]
    with django_capture_on_commit_callbacks(execute=True):
        songcun.short_name = "宋村"  # shown in every page's crumbs: everything of the agency
        songcun.save()
    assert calls and calls[0]["agencies"] == [songcun.pk]
    assert RenderedPage.objects.filter(agency=songcun, kind=PageKind.SECTION).exists()


def test_a_render_that_read_before_a_change_is_not_stored(
    stored: Any, django_capture_on_commit_callbacks: Any
) -> None:
    path = pages.section_path("songcun")
    old = pages._version_now()
    out = pages._Rendered()
    pages._render_lists([stored["songcun"].pk], out)
    RenderedPage.objects.filter(path=path).delete()
    public_version_bump()  # a change committed while the pages were rendered
    assert pages._store(out.rows, old) is False
    assert not RenderedPage.objects.filter(path=path).exists()
    assert pages._store(out.rows, pages._version_now()) is True
    assert RenderedPage.objects.filter(path=path).exists()


def test_a_part_holding_the_separator_is_not_stored(stored: Any) -> None:
    item = Item.objects.filter(agency=stored["songcun"], status=ItemStatus.PUBLISHED).first()
    assert item is not None
    # Written around the sanitiser (which drops comments), as a broken import could.
    Item.objects.filter(pk=item.pk).update(body=f"<p>a</p>{pages.PART_SEPARATOR}<p>b</p>")
    RenderedPage.objects.filter(item=item).delete()
    assert pages.render_pages(items=[item.pk]) == 0
    assert not RenderedPage.objects.filter(item=item).exists()


def test_the_command_renders_one_agency_or_a_shard(stored: Any, capsys: Any) -> None:
    RenderedPage.objects.all().delete()
    call_command("portal_render", "--agency", "songcun", "--shard", "1/2")
    first = RenderedPage.objects.count()
    assert first > 0
    call_command("portal_render", "--agency", "songcun", "--shard", "0/2")
    assert RenderedPage.objects.count() > first
    assert "已生成" in capsys.readouterr().out
    with pytest.raises(CommandError, match="没有网址标识"):
        call_command("portal_render", "--agency", "nowhere")
    with pytest.raises(CommandError, match="K/N"):
        call_command("portal_render", "--shard", "2/2")


def test_the_periodic_job_fills_in_missing_pages(stored: Any) -> None:
    from gongkai.portal.tasks import render_missing_pages

    songcun = stored["songcun"]
    total = RenderedPage.objects.filter(agency=songcun).count()
    RenderedPage.objects.filter(agency=songcun, kind=PageKind.ITEM)[:1].get().delete()
    RenderedPage.objects.filter(agency=songcun, kind=PageKind.SECTION).delete()
    render_missing_pages.call_local()
    assert RenderedPage.objects.filter(agency=songcun).count() >= total


def test_a_change_not_shown_on_the_pages_keeps_them(
    stored: Any, user_named: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from gongkai.agencies.services import agency_update_profile

    songcun = stored["songcun"]
    before = RenderedPage.objects.filter(agency=songcun).count()
    agency_update_profile(actor=user_named("songcun_admin"), agency=songcun, phone="0631-1234567")
    assert RenderedPage.objects.filter(agency=songcun).count() == before
    # A column's intro shows on its own page only: the lists go, the item pages stay.
    column = Column.objects.get(agency=songcun, slug="gsgg")
    items = RenderedPage.objects.filter(agency=songcun, kind=PageKind.ITEM).count()
    column_update(
        actor=user_named("songcun_admin"), column=column, intro="<p>本栏目发布公示公告。</p>"
    )
    assert RenderedPage.objects.filter(agency=songcun, kind=PageKind.ITEM).count() == items
    assert not RenderedPage.objects.filter(agency=songcun, kind=PageKind.COLUMN).exists()


def test_a_bulk_write_registers_the_bump_before_its_render(
    stored: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from gongkai.publishing.signals import _BumpOnCommit, public_content_changed

    item = Item.objects.filter(agency=stored["songcun"], status=ItemStatus.PUBLISHED).first()
    assert item is not None
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        public_content_changed(agencies={item.agency_id}, items={item.pk})
    assert isinstance(callbacks[0], _BumpOnCommit)
    assert callbacks[-1] is pages._render_after_commit


def test_pages_left_by_a_rolled_back_transaction_are_not_rendered_later() -> None:
    pages._pending.value = pages._Pending(owner=object(), items={1, 2, 3})
    fresh = pages._pending_for_transaction()
    assert fresh.items == set() and fresh.size() == 0


def test_an_import_stores_the_imported_item_pages(
    stored: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    from huey.contrib.djhuey import HUEY

    from gongkai.core import clock
    from gongkai.publishing.services import PublishedRow, items_import_published

    monkeypatch.setattr(HUEY, "immediate", True)
    songcun = stored["songcun"]
    column = Column.objects.get(agency=songcun, slug="gzdt")
    rows = [
        PublishedRow(column=column, title=f"导入的工作动态{n}", published_at=clock.now())
        for n in range(3)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        items = items_import_published(actor=None, agency=songcun, rows=rows)
    for item in items:
        assert RenderedPage.objects.filter(path=pages.item_path("songcun", item.pk)).exists()


def test_a_render_inside_a_transaction_leaves_its_lock_timeout_behind(stored: Any) -> None:
    from django.db import connection

    out = pages._Rendered()
    pages._render_lists([stored["songcun"].pk], out)
    assert pages._store(out.rows, pages._version_now())
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW lock_timeout")
            assert cursor.fetchone()[0] == "0"


def test_many_saves_in_one_transaction_register_one_bump(
    stored: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from gongkai.publishing.signals import _BumpOnCommit

    items = list(Item.objects.filter(agency=stored["songcun"], status=ItemStatus.PUBLISHED)[:5])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        for item in items:
            item.save()
    assert sum(isinstance(c, _BumpOnCommit) for c in callbacks) == 1
