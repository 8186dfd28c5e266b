"""The column editor (services/columns.py): fixed statutory columns, site columns added, renamed,
typed, hidden, reordered, deleted when empty or archived — each change audited, slugs never reused."""

from __future__ import annotations

import pytest

from gongkai.audit.models import AuditEvent
from gongkai.core.exceptions import DomainError, PermissionDeniedError
from gongkai.publishing.models import Column, ColumnKind, ColumnType, RetiredColumnSlug
from gongkai.publishing.selectors import item_columns_for, site_columns_public
from gongkai.publishing.services import (
    column_add,
    column_delete,
    column_move,
    column_restore,
    column_update,
    columns_ensure_default,
)
from gongkai.supervision import sources


@pytest.fixture
def admin(user_named):
    return user_named("songcun_admin")


def site_slugs(agency) -> list[str]:
    return list(
        Column.objects.filter(agency=agency, kind=ColumnKind.SITE)
        .order_by("order", "id")
        .values_list("slug", flat=True)
    )


def test_add_a_site_column_at_the_end_with_an_audit_row(songcun, admin):
    column = column_add(
        actor=admin, agency=songcun, name="政策解读", column_type=ColumnType.POLICY, slug="zcjd"
    )
    assert (column.kind, column.slug, column.column_type) == ("site", "zcjd", "policy")
    assert site_slugs(songcun)[-1] == "zcjd"
    event = AuditEvent.objects.get(verb="publishing.column_added")
    assert event.data["slug"] == "zcjd"
    assert event.actor_id == admin.pk


def test_a_column_without_a_slug_gets_the_next_free_one(songcun, admin):
    first = column_add(actor=admin, agency=songcun, name="通知公告")
    second = column_add(actor=admin, agency=songcun, name="专题专栏")
    assert first.slug.startswith("lm")
    assert second.slug.startswith("lm")
    assert first.slug != second.slug


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": ""}, "请填写栏目名称"),
        ({"name": "公示公告"}, "已有名为"),
        ({"name": "新栏目", "slug": "Bad Slug"}, "网址标识应以小写字母开头"),
        ({"name": "新栏目", "slug": "gsgg"}, "已被使用过"),
        ({"name": "新栏目", "column_type": "weekly"}, "请选择栏目类型"),
    ],
)
def test_bad_input_is_refused_with_nothing_written(songcun, admin, fields, message):
    before = Column.objects.count()
    with pytest.raises(DomainError, match=message):
        column_add(actor=admin, agency=songcun, **fields)
    assert Column.objects.count() == before
    assert not AuditEvent.objects.filter(verb="publishing.column_added").exists()


def test_only_the_office_administrator_edits_columns(songcun, user_named, column):
    with pytest.raises(PermissionDeniedError):
        column_add(actor=user_named("songcun_clerk"), agency=songcun, name="新栏目")
    with pytest.raises(PermissionDeniedError):
        column_update(actor=user_named("gaocun_admin"), column=column, name="公告")


def test_statutory_columns_are_fixed_but_can_be_described(songcun, admin):
    guide = Column.objects.get(agency=songcun, kind=ColumnKind.GUIDE)
    policies = Column.objects.get(agency=songcun, slug="zcwj")
    for change in ({"name": "指南"}, {"column_type": ColumnType.NEWS}, {"hidden": True}):
        with pytest.raises(DomainError, match="法定栏目"):
            column_update(actor=admin, column=policies, **change)
    with pytest.raises(DomainError, match="法定栏目"):
        column_delete(actor=admin, column=guide)
    with pytest.raises(DomainError, match="法定栏目"):
        column_move(actor=admin, column=policies, direction="up")
    column_update(
        actor=admin, column=policies, intro="<p>本栏目发布规范性文件。</p><script>x</script>"
    )
    policies.refresh_from_db()
    assert policies.name == "政策文件"
    assert policies.intro == "<p>本栏目发布规范性文件。</p>"
    assert AuditEvent.objects.get(verb="publishing.column_updated").data["intro_changed"] is True


def test_rename_retype_and_hide_keep_the_slug(songcun, admin, column):
    column_update(
        actor=admin, column=column, name="通知公告", column_type=ColumnType.NEWS, hidden=True
    )
    column.refresh_from_db()
    assert (column.slug, column.name, column.column_type, column.hidden) == (
        "gsgg",
        "通知公告",
        "news",
        True,
    )
    event = AuditEvent.objects.get(verb="publishing.column_updated")
    assert event.data["from"] == {"name": "公示公告", "column_type": "notice", "hidden": False}
    assert event.data["to"] == {"name": "通知公告", "column_type": "news", "hidden": True}
    # Hidden: out of the portal navigation and of the supervising office's stale/empty check.
    assert column not in site_columns_public(songcun)
    facts = {fact.slug: fact for fact in sources.columns_of(songcun)}
    assert facts["gsgg"].fileable is False
    assert facts["gzdt"].fileable is True
    assert facts["gzdt"].column_type == "news"


def test_move_swaps_neighbours_among_site_columns(songcun, admin):
    assert site_slugs(songcun) == ["gsgg", "gzdt", "zwgkzztj"]
    moved = Column.objects.get(agency=songcun, slug="zwgkzztj")
    column_move(actor=admin, column=moved, direction="up")
    assert site_slugs(songcun) == ["gsgg", "zwgkzztj", "gzdt"]
    with pytest.raises(DomainError, match="最前面"):
        column_move(
            actor=admin, column=Column.objects.get(slug="gsgg", agency=songcun), direction="up"
        )
    event = AuditEvent.objects.get(verb="publishing.column_moved")
    assert event.data["order"] == ["gsgg", "zwgkzztj", "gzdt"]
    # The statutory section stays first.
    assert Column.objects.filter(agency=songcun).order_by("order", "id").first().slug == "zn"


def test_an_empty_column_is_deleted_and_its_slug_never_given_again(
    songcun, admin, district, user_named
):
    column = column_add(actor=admin, agency=songcun, name="专题", slug="zt")
    assert column_delete(actor=admin, column=column) == "deleted"
    assert not Column.objects.filter(agency=songcun, slug="zt").exists()
    assert RetiredColumnSlug.objects.get(agency=songcun, slug="zt").name == "专题"
    assert AuditEvent.objects.get(verb="publishing.column_deleted").data["slug"] == "zt"
    with pytest.raises(DomainError, match="已被使用过"):
        column_add(actor=admin, agency=songcun, name="专题", slug="zt")
    # A deleted default column is not brought back by the default set-up either.
    gsgg = Column.objects.get(agency=songcun, slug="gsgg")
    column_delete(actor=admin, column=gsgg)
    assert columns_ensure_default(actor=admin, agency=songcun) == []
    assert not Column.objects.filter(agency=songcun, slug="gsgg").exists()
    # Another agency may still use the same slug.
    other = column_add(
        actor=user_named("gaocun_admin"), agency=district["gaocun"], name="专题", slug="zt"
    )
    assert other.slug == "zt"


def test_a_column_with_items_is_archived_not_deleted(songcun, admin, column, make_item):
    item = make_item()
    assert column_delete(actor=admin, column=column) == "archived"
    column.refresh_from_db()
    assert column.is_archived
    assert AuditEvent.objects.get(verb="publishing.column_archived").data["items"] == 1
    # No new items; the item already filed keeps its column; the portal page still resolves.
    assert column not in item_columns_for(songcun)
    assert column in item_columns_for(songcun, current=item.column)
    assert column not in site_columns_public(songcun)
    with pytest.raises(DomainError, match="已归档"):
        column_delete(actor=admin, column=column)
    column_restore(actor=admin, column=column)
    column.refresh_from_db()
    assert not column.is_archived
    assert AuditEvent.objects.filter(verb="publishing.column_restored").count() == 1
