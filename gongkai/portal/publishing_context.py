"""What the 政府信息公开 pages show: the context of the section, column and item pages.

Shared by the views (`portal/publishing.py`, rendered on a visit that no stored page answers) and
by `portal/pages.py` (rendered ahead of any visit when the content changes), so that both render
the same page from the same data.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.paginator import Paginator
from django.http import QueryDict
from django.utils.functional import cached_property

from gongkai.agencies.models import Agency
from gongkai.publishing.columns import SECTION_ORDER
from gongkai.publishing.models import ARTICLE20_CHOICES, Attachment, Column, ColumnKind, Item
from gongkai.publishing.selectors import (
    column_items_public,
    columns_for,
    interpretation_links_for,
    item_years_public,
    items_public,
    site_columns_public,
    statutory_columns_public,
    year_bounds,
)

PAGE_SIZE = 20
# A column list counts at most this many items (see CappedPaginator); older ones are reached
# through the year filter.
COUNT_CAP = 10_000


def year_param(value: str | None) -> int | None:
    try:
        year = int(value or "")
    except ValueError:
        return None
    return year if 1990 <= year <= 2100 else None


def section_columns(agency: Agency) -> dict[str, Column | None]:
    roots = {
        c.kind: c for c in columns_for(agency).filter(parent__isnull=True, kind__in=SECTION_ORDER)
    }
    return {kind: roots.get(kind) for kind in SECTION_ORDER}


def section_context(agency: Agency) -> dict[str, Any]:
    """政府信息公开: 指南, 制度, 法定主动公开内容, 年报 — in this order (61号)."""
    roots = section_columns(agency)
    rules = roots[ColumnKind.RULES]
    return {
        "agency": agency,
        "roots": roots,
        "statutory": statutory_columns_public(agency),
        "rules_items": column_items_public(rules)[:5] if rules else [],
        "site_columns": site_columns_public(agency),
        "latest": items_public().filter(agency=agency)[:8],
    }


class CappedPaginator(Paginator):
    """Counts at most COUNT_CAP objects (COUNT over a LIMIT subquery), as large sites do: a list
    longer than that shows its newest COUNT_CAP, and `capped` says so."""

    capped = False

    @cached_property
    def count(self) -> int:
        items: Any = self.object_list  # a queryset: the count runs in the database
        found = int(items.order_by()[: COUNT_CAP + 1].count())
        self.capped = found > COUNT_CAP
        return min(found, COUNT_CAP)


def column_context(
    found: Column, query: QueryDict, *, years: list[int] | None = None
) -> dict[str, Any]:
    """A column's items, newest first, filtered by the query's year and (for 法定主动公开内容)
    第二十条 item, one page of PAGE_SIZE. `found` comes from `column_get_public_by_slug` (its
    agency and `has_children` with it); a caller rendering all of an agency's columns passes the
    agency's `years` (item_years_public), read once."""
    agency = found.agency
    # The rows show the title and date, and link to the item under its agency: no joins, and
    # not the bodies.
    items = (
        column_items_public(found, with_children=found.has_children)  # type: ignore[attr-defined]
        .select_related(None)
        .only("id", "agency_id", "title", "published_at")
    )
    year = year_param(query.get("year"))
    if year is not None:
        start, end = year_bounds(year)
        items = items.filter(published_at__gte=start, published_at__lt=end)
    try:
        article = int(query.get("item", "")) or None
    except ValueError:
        article = None
    if article is not None:
        items = items.filter(article20_item=article)
    page = CappedPaginator(items, PAGE_SIZE).get_page(query.get("page"))
    page.object_list = rows = list(page.object_list)
    for row in rows:
        if row.agency_id == agency.pk:  # a column's items are its agency's (item_create)
            row.agency = agency
    children = (
        statutory_columns_public(agency)
        if found.kind == ColumnKind.STATUTORY and found.parent_id is None
        else []
    )
    return {
        "agency": agency,
        "column": found,
        "page": page,
        "year": year,
        "years": item_years_public(agency) if years is None else years,
        "article": article,
        "articles": ARTICLE20_CHOICES if found.kind == ColumnKind.STATUTORY else [],
        "children": children,
        "count_cap": COUNT_CAP,
    }


def item_context(
    item: Item,
    *,
    attachments: Sequence[Attachment] | None = None,
    links: dict[str, list[Item]] | None = None,
) -> dict[str, Any]:
    """An item page: `item` from `item_get_public_by_slug` (agency, column and their parents with
    it). A caller rendering many items passes their attachments and links, read in bulk."""
    return {
        "agency": item.agency,
        "item": item,
        "attachments": (
            item.attachments.filter(is_current=True) if attachments is None else attachments
        ),
        "links": interpretation_links_for(item, public=True) if links is None else links,
    }
