"""The column editor: an agency's 公开办管理员 maintains its columns.

The statutory columns of the 政府信息公开 section (61号: 指南, 制度, 法定主动公开内容 and its 第二十条
sub-columns, 年报) are fixed: they can be described (`column_set_intro`) but not renamed, retyped,
hidden, moved or deleted. The site's other columns (公示公告, 工作动态, …) can be added, renamed,
given their update-frequency type (动态类 / 公告类 / 政策类: the supervising office's stale-column
rule reads it), hidden from the navigation, reordered, and deleted — really deleted only while
empty, otherwise archived (no new items; the published ones stay where they are).

A slug is given once: it is never changed, and a deleted column's slug is retired
(`RetiredColumnSlug`) so that no other column ever takes it and old portal URLs never show other
content. Every function is keyword-only with an explicit `actor`, one transaction, an audit row.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.db.models import Max

from gongkai.agencies.models import Agency
from gongkai.agencies.permissions import can_manage_agency
from gongkai.audit.services import audit_record
from gongkai.core import clock
from gongkai.core.exceptions import PermissionDeniedError
from gongkai.publishing.exceptions import PublishingError
from gongkai.publishing.models import Column, ColumnKind, ColumnType, RetiredColumnSlug
from gongkai.publishing.services.catalogue import sanitise_body
from gongkai.publishing.signals import public_content_changed

SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9-]{1,39}$")
# Taken by fixed portal URLs under /agency/<slug>/gk/ (the generated 指南).
RESERVED_SLUGS = frozenset({"guide"})
# Site columns are listed after the statutory section (whose defaults take orders 10–90).
SITE_ORDER_START = 100
ORDER_STEP = 10


def _require_admin(actor: Any, agency: Agency) -> None:
    if not can_manage_agency(actor, agency):
        raise PermissionDeniedError("只有本机关的公开办管理员可以维护栏目。")


def _require_site_column(column: Column, what: str) -> None:
    if column.is_statutory:
        raise PublishingError(
            f"“{column.name}”是政府信息公开专栏的法定栏目（61号文），不能{what}，只能修改栏目说明。"
        )


def _clean_name(agency: Agency, name: str, exclude_pk: int | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise PublishingError("请填写栏目名称。")
    if len(name) > 60:
        raise PublishingError("栏目名称不能超过60个字。")
    taken = Column.objects.filter(agency=agency, name=name, archived_at__isnull=True)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise PublishingError(f"本机关已有名为“{name}”的栏目。")
    return name


def _check_type(column_type: str) -> None:
    if column_type not in ColumnType.values:
        raise PublishingError("请选择栏目类型（动态类、公告类或政策类）。")


def slug_is_free(agency: Agency, slug: str) -> bool:
    """Free means: no column of the agency has it now, and no deleted column ever had it."""
    return (
        slug not in RESERVED_SLUGS
        and not Column.objects.filter(agency=agency, slug=slug).exists()
        and not RetiredColumnSlug.objects.filter(agency=agency, slug=slug).exists()
    )


def _next_slug(agency: Agency) -> str:
    n = Column.objects.filter(agency=agency).count() + 1
    while not slug_is_free(agency, f"lm{n}"):
        n += 1
    return f"lm{n}"


def column_add(
    *,
    actor: Any,
    agency: Agency,
    name: str,
    column_type: str = ColumnType.NOTICE,
    slug: str = "",
    intro: str = "",
    hidden: bool = False,
) -> Column:
    """A new site column at the end of the site columns. `slug` (the URL part) is optional: without
    one the column gets the next free `lmN`."""
    _require_admin(actor, agency)
    _check_type(column_type)
    slug = (slug or "").strip().lower()
    if slug and not SLUG_PATTERN.match(slug):
        raise PublishingError(
            "网址标识应以小写字母开头，只含小写字母、数字和连字符，长度2到40位（如 zcjd）。"
        )
    with transaction.atomic():
        # The agency row serialises column edits of one agency (names, slugs and order).
        Agency.objects.select_for_update().get(pk=agency.pk)
        name = _clean_name(agency, name)
        if slug and not slug_is_free(agency, slug):
            raise PublishingError(f"网址标识“{slug}”已被使用过（含已删除的栏目），请换一个。")
        slug = slug or _next_slug(agency)
        last = Column.objects.filter(agency=agency, kind=ColumnKind.SITE).aggregate(m=Max("order"))
        order = max((last["m"] or 0) + ORDER_STEP, SITE_ORDER_START)
        column = Column.objects.create(
            agency=agency,
            name=name,
            slug=slug,
            kind=ColumnKind.SITE,
            column_type=column_type,
            order=order,
            intro=sanitise_body(intro),
            hidden=hidden,
        )
        audit_record(
            actor=actor,
            verb="publishing.column_added",
            target=column,
            agency_id=agency.pk,
            data={"name": name, "slug": slug, "type": column_type, "hidden": hidden},
        )
    return column


def column_update(
    *,
    actor: Any,
    column: Column,
    name: str | None = None,
    column_type: str | None = None,
    hidden: bool | None = None,
    intro: str | None = None,
) -> Column:
    """Rename, retype, hide or show, or describe a column (None: unchanged). The slug never changes.
    A statutory column takes only its description."""
    _require_admin(actor, column.agency)
    with transaction.atomic():
        Agency.objects.select_for_update().get(pk=column.agency_id)
        column = Column.objects.select_for_update().select_related("agency").get(pk=column.pk)
        changes: dict[str, Any] = {}
        if name is not None and name.strip() != column.name:
            _require_site_column(column, "改名")
            changes["name"] = _clean_name(column.agency, name, exclude_pk=column.pk)
        if column_type is not None and column_type != column.column_type:
            _require_site_column(column, "修改栏目类型")
            _check_type(column_type)
            changes["column_type"] = column_type
        if hidden is not None and hidden != column.hidden:
            _require_site_column(column, "隐藏")
            changes["hidden"] = hidden
        if intro is not None:
            clean = sanitise_body(intro)
            if clean != column.intro:
                changes["intro"] = clean
        if not changes:
            return column
        before = {field: getattr(column, field) for field in changes}
        for field, value in changes.items():
            setattr(column, field, value)
        column.updated_at = clock.now()
        column.save(update_fields=[*changes, "updated_at"])
        audit_record(
            actor=actor,
            verb="publishing.column_updated",
            target=column,
            agency_id=column.agency_id,
            data={
                "slug": column.slug,
                "from": {k: v for k, v in before.items() if k != "intro"},
                "to": {k: v for k, v in changes.items() if k != "intro"},
                "intro_changed": "intro" in changes,
            },
        )
    return column


def column_move(*, actor: Any, column: Column, direction: str) -> Column:
    """Swap a site column with its neighbour among the site columns ("up" or "down")."""
    if direction not in ("up", "down"):
        raise PublishingError("移动方向只能为上移或下移。")
    _require_admin(actor, column.agency)
    with transaction.atomic():
        Agency.objects.select_for_update().get(pk=column.agency_id)
        column = Column.objects.select_for_update().get(pk=column.pk)
        _require_site_column(column, "调整顺序")
        siblings = list(
            Column.objects.select_for_update()
            .filter(agency_id=column.agency_id, kind=ColumnKind.SITE, parent=column.parent_id)
            .order_by("order", "id")
        )
        # Give every sibling a distinct order first: older rows may share one.
        for index, sibling in enumerate(siblings):
            sibling.order = SITE_ORDER_START + index * ORDER_STEP
        position = next(i for i, c in enumerate(siblings) if c.pk == column.pk)
        other = position - 1 if direction == "up" else position + 1
        if not 0 <= other < len(siblings):
            raise PublishingError("已经在最前面了。" if direction == "up" else "已经在最后面了。")
        siblings[position].order, siblings[other].order = (
            siblings[other].order,
            siblings[position].order,
        )
        now = clock.now()
        for sibling in siblings:
            sibling.updated_at = now
        Column.objects.bulk_update(siblings, ["order", "updated_at"])
        # bulk_update sends no post_save (publishing.signals)
        public_content_changed(agencies={column.agency_id})
        audit_record(
            actor=actor,
            verb="publishing.column_moved",
            target=column,
            agency_id=column.agency_id,
            data={
                "direction": direction,
                "order": [c.slug for c in sorted(siblings, key=lambda c: c.order)],
            },
        )
    return siblings[other]


def column_delete(*, actor: Any, column: Column) -> str:
    """Delete a site column. An empty one (no items in any state, no sub-columns) is deleted and its
    slug retired; one with items is archived instead. Returns "deleted" or "archived"."""
    _require_admin(actor, column.agency)
    with transaction.atomic():
        Agency.objects.select_for_update().get(pk=column.agency_id)
        column = Column.objects.select_for_update().get(pk=column.pk)
        _require_site_column(column, "删除")
        items = column.items.count()
        if items or column.children.exists():
            if column.archived_at is not None:
                raise PublishingError("该栏目已归档。")
            column.archived_at = clock.now()
            column.updated_at = column.archived_at
            column.save(update_fields=["archived_at", "updated_at"])
            audit_record(
                actor=actor,
                verb="publishing.column_archived",
                target=column,
                agency_id=column.agency_id,
                data={"slug": column.slug, "name": column.name, "items": items},
            )
            return "archived"
        RetiredColumnSlug.objects.create(
            agency_id=column.agency_id, slug=column.slug, name=column.name, retired_at=clock.now()
        )
        audit_record(
            actor=actor,
            verb="publishing.column_deleted",
            target=column,
            agency_id=column.agency_id,
            data={"slug": column.slug, "name": column.name},
        )
        column.delete()
    return "deleted"


def column_restore(*, actor: Any, column: Column) -> Column:
    """Bring an archived column back (it takes new items again)."""
    _require_admin(actor, column.agency)
    with transaction.atomic():
        Agency.objects.select_for_update().get(pk=column.agency_id)
        column = Column.objects.select_for_update().select_related("agency").get(pk=column.pk)
        if column.archived_at is None:
            raise PublishingError("该栏目未归档。")
        _clean_name(column.agency, column.name, exclude_pk=column.pk)
        column.archived_at = None
        column.updated_at = clock.now()
        column.save(update_fields=["archived_at", "updated_at"])
        audit_record(
            actor=actor,
            verb="publishing.column_restored",
            target=column,
            agency_id=column.agency_id,
            data={"slug": column.slug},
        )
    return column
