"""Workbench endpoints of the column editor, 政策解读 links and 撤稿后重新发布 (plus the portal
item page's links): a happy path, a permission failure and a wrong state for each."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.audit.models import AuditEvent
from gongkai.publishing.models import (
    Column,
    DocKind,
    InterpretationLink,
    Item,
    ItemStatus,
    RetiredColumnSlug,
)
from gongkai.publishing.services import item_create, item_withdraw
from tests.workbench.test_publishing import messages_of, publish


@pytest.fixture
def songcun(district):
    from gongkai.publishing.services import columns_ensure_default

    columns_ensure_default(actor=None, agency=district["songcun"])
    return district["songcun"]


def make(songcun, user_named, **fields):
    values = {
        "title": "宋村镇道路维修通告",
        "formed_on": dt.date(2026, 11, 20),
        "column": Column.objects.get(agency=songcun, slug="gsgg"),
    }
    values.update(fields)
    return item_create(actor=user_named("songcun_clerk"), agency=songcun, **values)


# --- column editor ----------------------------------------------------------------------------


def test_column_editor_lists_columns_and_adds_one(login, songcun):
    client = login("songcun_admin")
    html = client.get("/workbench/agency/songcun/columns/").content.decode()
    assert "政府信息公开指南" in html
    assert "法定栏目" in html
    response = client.post(
        "/workbench/agency/songcun/columns/",
        {"name": "政策解读", "slug": "zcjd", "column_type": "policy", "intro": ""},
    )
    assert response.status_code == 302
    column = Column.objects.get(agency=songcun, slug="zcjd")
    assert (column.name, column.column_type, column.hidden) == ("政策解读", "policy", False)
    assert AuditEvent.objects.filter(verb="publishing.column_added").count() == 1


def test_column_editor_shows_errors_and_refuses_non_admins(login, songcun):
    response = login("songcun_admin").post(
        "/workbench/agency/songcun/columns/",
        {"name": "新栏目", "slug": "gsgg", "column_type": "notice"},
    )
    assert response.status_code == 200
    assert "已被使用过" in response.content.decode()
    assert login("songcun_clerk").get("/workbench/agency/songcun/columns/").status_code == 403
    assert login("gaocun_admin").get("/workbench/agency/songcun/columns/").status_code == 403
    column = Column.objects.get(agency=songcun, slug="gsgg")
    assert login("songcun_clerk").get(f"/workbench/columns/{column.pk}/edit/").status_code == 403
    assert login("gaocun_admin").post(f"/workbench/columns/{column.pk}/delete/").status_code == 403


def test_column_edit_renames_a_site_column_but_only_describes_a_statutory_one(login, songcun):
    client = login("songcun_admin")
    site = Column.objects.get(agency=songcun, slug="gzdt")
    response = client.post(
        f"/workbench/columns/{site.pk}/edit/",
        {"name": "镇务动态", "column_type": "news", "hidden": "on", "intro": "<p>近期工作。</p>"},
    )
    assert response.status_code == 302
    site.refresh_from_db()
    assert (site.slug, site.name, site.hidden) == ("gzdt", "镇务动态", True)
    statutory = Column.objects.get(agency=songcun, slug="rsxx")
    page = client.get(f"/workbench/columns/{statutory.pk}/edit/").content.decode()
    assert "法定栏目" in page
    # The disabled fields are ignored even when posted.
    client.post(
        f"/workbench/columns/{statutory.pk}/edit/",
        {"name": "人事", "column_type": "news", "intro": "<p>任免信息。</p>"},
    )
    statutory.refresh_from_db()
    assert (statutory.name, statutory.column_type, statutory.intro) == (
        "人事信息",
        "notice",
        "<p>任免信息。</p>",
    )


def test_column_move_delete_archive_and_restore(login, songcun, user_named):
    client = login("songcun_admin")
    gzdt = Column.objects.get(agency=songcun, slug="gzdt")
    client.post(f"/workbench/columns/{gzdt.pk}/move/", {"direction": "up"})
    order = list(Column.objects.filter(agency=songcun, kind="site").values_list("slug", flat=True))
    assert order == ["gzdt", "gsgg", "zwgkzztj"]
    top = client.post(f"/workbench/columns/{gzdt.pk}/move/", {"direction": "up"}, follow=True)
    assert "已经在最前面了。" in messages_of(top)
    empty = Column.objects.get(agency=songcun, slug="zwgkzztj")
    client.post(f"/workbench/columns/{empty.pk}/delete/")
    assert RetiredColumnSlug.objects.filter(agency=songcun, slug="zwgkzztj").exists()
    make(songcun, user_named)
    gsgg = Column.objects.get(agency=songcun, slug="gsgg")
    archived = client.post(f"/workbench/columns/{gsgg.pk}/delete/", follow=True)
    assert any("已改为归档" in m for m in messages_of(archived))
    gsgg.refresh_from_db()
    assert gsgg.is_archived
    # The archived column's portal page still opens; it is no longer offered for new items.
    assert client.get("/agency/songcun/gk/gsgg/").status_code == 200
    new_item_form = login("songcun_clerk").get("/workbench/agency/songcun/items/new/")
    assert gsgg not in new_item_form.context["form"].fields["column"].queryset
    restored = login("songcun_admin").post(f"/workbench/columns/{gsgg.pk}/restore/", follow=True)
    assert any("已恢复" in m for m in messages_of(restored))
    again = client.post(f"/workbench/columns/{gsgg.pk}/restore/", follow=True)
    assert "该栏目未归档。" in messages_of(again)


# --- 政策解读 links --------------------------------------------------------------------------------


def test_item_form_links_an_interpretation_and_both_pages_show_it(login, songcun, user_named):
    policy = publish(
        make(songcun, user_named, title="宋村镇农村道路管理办法", doc_kind=DocKind.NORMATIVE),
        user_named,
    )
    client = login("songcun_clerk")
    form_page = client.get("/workbench/agency/songcun/items/new/").content.decode()
    assert "宋村镇农村道路管理办法" in form_page
    assert "gongkai/select_filter.js" in form_page
    column = Column.objects.get(agency=songcun, slug="gsgg")
    response = client.post(
        "/workbench/agency/songcun/items/new/",
        {
            "column": column.pk,
            "title": "《宋村镇农村道路管理办法》解读",
            "formed_on": "2026-11-20",
            "disclosure": "active",
            "doc_kind": "interpretation",
            "interprets": [policy.pk],
        },
    )
    assert response.status_code == 302
    reading = Item.objects.get(title="《宋村镇农村道路管理办法》解读")
    assert InterpretationLink.objects.get(interpretation=reading).policy == policy
    assert "解读的文件" in client.get(f"/workbench/items/{reading.pk}/").content.decode()
    assert "相关解读" in client.get(f"/workbench/items/{policy.pk}/").content.decode()
    # The portal shows the link once both are public.
    portal_policy = client.get(f"/agency/songcun/info/{policy.pk}/").content.decode()
    assert "相关解读" not in portal_policy
    publish(reading, user_named)
    portal_policy = client.get(f"/agency/songcun/info/{policy.pk}/").content.decode()
    assert "相关解读" in portal_policy
    assert f"/agency/songcun/info/{reading.pk}/" in portal_policy
    portal_reading = client.get(f"/agency/songcun/info/{reading.pk}/").content.decode()
    assert "解读的文件" in portal_reading
    assert f"/agency/songcun/info/{policy.pk}/" in portal_reading


def test_item_form_refuses_a_link_from_a_non_interpretation(login, songcun, user_named):
    policy = publish(make(songcun, user_named, doc_kind=DocKind.NORMATIVE), user_named)
    response = login("songcun_clerk").post(
        "/workbench/agency/songcun/items/new/",
        {
            "column": policy.column_id,
            "title": "普通通告",
            "formed_on": "2026-11-20",
            "disclosure": "active",
            "doc_kind": "other",
            "interprets": [policy.pk],
        },
    )
    assert response.status_code == 200
    assert "只有文件类别为“政策解读”" in response.content.decode()
    assert not Item.objects.filter(title="普通通告").exists()


# --- 撤稿后重新发布 --------------------------------------------------------------------------------


def test_reopen_a_withdrawn_item_and_republish_it(login, songcun, user_named):
    item = publish(make(songcun, user_named), user_named)
    item_withdraw(actor=user_named("songcun_leader"), item=item, reason="日期有误")
    url = f"/workbench/items/{item.pk}/reopen/"
    assert login("gaocun_clerk").post(url, {"reason": "重新发布"}).status_code == 403
    client = login("songcun_clerk")
    page = client.get(f"/workbench/items/{item.pk}/").content.decode()
    assert "重新起草" in page
    empty = client.post(url, {"reason": ""}, follow=True)
    assert any("重新起草的说明" in m for m in messages_of(empty))
    client.post(url, {"reason": "更正日期"})
    item.refresh_from_db()
    assert item.status == ItemStatus.DRAFT
    page = client.get(f"/workbench/items/{item.pk}/").content.decode()
    assert "日期有误" in page
    assert "更正日期" in page
    again = client.post(url, {"reason": "再次"}, follow=True)
    assert any("不能变为" in m for m in messages_of(again))
    item = publish(item, user_named)
    assert item.status == ItemStatus.PUBLISHED
    assert client.get(f"/agency/songcun/info/{item.pk}/").status_code == 200
