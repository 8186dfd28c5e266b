"""Reads of the publishing app. Staff reads are scoped to the user (`*_for_user`); public reads
return published items only. The report figures (`table2_figures`, `section1_figures`) are plain
dicts keyed as in spec/annual-report.md, for the report generator.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from gongkai.agencies.models import Agency
from gongkai.agencies.selectors import agencies_for_user
from gongkai.core import clock
from gongkai.core.exceptions import NotFoundError
from gongkai.publishing.models import (
    Channel,
    ChannelKind,
    ChannelMonthlyStat,
    Column,
    ColumnKind,
    DocKind,
    FindingStatus,
    Item,
    ItemStatus,
    RegisterYear,
    Review,
    ReviewStatus,
    Validity,
)
from gongkai.publishing.permissions import can_decide_step

PUBLIC_STATUSES = (ItemStatus.PUBLISHED,)
# An item counts as published in a year when it went public that year, even if withdrawn later.
COUNTED_STATUSES = (ItemStatus.PUBLISHED, ItemStatus.WITHDRAWN)


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """The calendar year in Asia/Shanghai, as an aware half-open interval."""
    return clock.start_of_day(dt.date(year, 1, 1)), clock.start_of_day(dt.date(year + 1, 1, 1))


# --- staff ----------------------------------------------------------------------------------------


def items_for_user(user: Any, agency: Agency) -> QuerySet[Item]:
    if not agencies_for_user(user).filter(pk=agency.pk).exists():
        return Item.objects.none()
    return (
        Item.objects.filter(agency=agency)
        .select_related("column", "department", "author")
        .order_by("-updated_at", "-id")
    )


def item_get_for_user(user: Any, pk: int) -> Item:
    item = (
        Item.objects.select_related("agency", "column", "department", "author")
        .filter(pk=pk, agency__in=agencies_for_user(user))
        .first()
    )
    if item is None:
        raise NotFoundError()
    return item


def review_get_for_user(user: Any, pk: int) -> Review:
    review = (
        Review.objects.select_related("item", "item__agency", "item__column", "submitted_by")
        .filter(pk=pk, item__agency__in=agencies_for_user(user))
        .first()
    )
    if review is None:
        raise NotFoundError()
    return review


def reviews_waiting_for(user: Any) -> list[Review]:
    """Open reviews whose current step the user's role may decide (the "my reviews" queue)."""
    waiting: list[Review] = []
    reviews = (
        Review.objects.filter(status=ReviewStatus.OPEN, item__agency__in=agencies_for_user(user))
        .select_related("item", "item__agency", "item__column")
        .prefetch_related("steps")
        .order_by("created_at", "id")
    )
    for review in reviews:
        step = next((s for s in review.steps.all() if s.decided_at is None), None)
        if step is not None and can_decide_step(user, step, review.item):
            review.current = step  # type: ignore[attr-defined]
            waiting.append(review)
    return waiting


def columns_for(agency: Agency) -> QuerySet[Column]:
    return Column.objects.filter(agency=agency).select_related("parent").order_by("order", "id")


def item_columns_for(agency: Agency) -> QuerySet[Column]:
    """Columns an item can be filed under: not the generated 指南/年报 nor the statutory root."""
    return columns_for(agency).exclude(
        Q(kind__in=[ColumnKind.GUIDE, ColumnKind.ANNUAL_REPORT])
        | Q(kind=ColumnKind.STATUTORY, parent__isnull=True)
    )


def late_items_by_department(agency: Agency, today: dt.date | None = None) -> list[dict[str, Any]]:
    """条例第二十六条: items not public within 20 working days of being formed, per department.
    `late` counts items published after their due date; `overdue` items still unpublished past it."""
    day = today or clock.today()
    rows: dict[str, dict[str, Any]] = {}
    items = Item.objects.filter(agency=agency).select_related("department")
    for item in items.only("department__name", "status", "publish_due", "published_at"):
        name = item.department.name if item.department else "（未指定科室）"
        row = rows.setdefault(name, {"department": name, "late": 0, "overdue": 0})
        if item.published_at is not None:
            if clock.civil_date(item.published_at) > item.publish_due:
                row["late"] += 1
        elif item.status != ItemStatus.WITHDRAWN and item.publish_due < day:
            row["overdue"] += 1
    return sorted(
        (r for r in rows.values() if r["late"] or r["overdue"]), key=lambda r: r["department"]
    )


def published_items_with_findings(agency: Agency) -> QuerySet[Item]:
    """Published items on which the nightly re-scan (事后监督检查) left open findings."""
    return (
        Item.objects.filter(
            agency=agency,
            status=ItemStatus.PUBLISHED,
            findings__status=FindingStatus.OPEN,
        )
        .distinct()
        .order_by("-published_at")
    )


# --- public ---------------------------------------------------------------------------------------


def items_public() -> QuerySet[Item]:
    return (
        Item.objects.filter(status__in=PUBLIC_STATUSES)
        .select_related("agency", "column", "department")
        .order_by("-published_at", "-id")
    )


def item_get_public(agency: Agency, pk: int) -> Item:
    item = items_public().filter(agency=agency, pk=pk).first()
    if item is None:
        raise NotFoundError("没有找到这条信息，可能已撤稿。")
    return item


def column_get_public(agency: Agency, slug: str) -> Column:
    column = Column.objects.filter(agency=agency, slug=slug).select_related("parent").first()
    if column is None:
        raise NotFoundError("没有找到这个栏目。")
    return column


def column_items_public(column: Column) -> QuerySet[Item]:
    """A column's published items, including those of its sub-columns."""
    return items_public().filter(Q(column=column) | Q(column__parent=column))


def statutory_columns_public(agency: Agency) -> list[dict[str, Any]]:
    """The 法定主动公开内容 sub-columns that have published items (no empty columns on the site),
    with their counts and years."""
    counts = dict(
        items_public()
        .filter(agency=agency, column__kind=ColumnKind.STATUTORY)
        .values_list("column")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [
        {"column": column, "count": counts[column.pk]}
        for column in columns_for(agency).filter(kind=ColumnKind.STATUTORY, parent__isnull=False)
        if counts.get(column.pk)
    ]


def site_columns_public(agency: Agency) -> list[Column]:
    return list(columns_for(agency).filter(kind=ColumnKind.SITE))


def item_years_public(agency: Agency) -> list[int]:
    dates = items_public().filter(agency=agency).dates("published_at", "year", order="DESC")
    return [d.year for d in dates]


SEARCH_TYPES: dict[str, str] = {
    "policy": "政策文件",
    "statutory": "法定主动公开内容",
    "notice": "公示公告",
    "news": "工作动态",
    "other": "其他信息",
}


def search_type(item: Item) -> str:
    """The result group an item is shown under."""
    if (
        item.doc_kind in (DocKind.REGULATION, DocKind.NORMATIVE)
        or item.column.column_type == "policy"
    ):
        return "policy"
    if item.column.kind in (ColumnKind.STATUTORY, ColumnKind.RULES):
        return "statutory"
    if item.column.column_type == "news":
        return "news"
    if item.column.column_type == "notice":
        return "notice"
    return "other"


def search_public(
    query: str,
    *,
    agency: Agency | None = None,
    column: Column | None = None,
    year: int | None = None,
    kind: str | None = None,
    limit: int = 200,
) -> dict[str, list[Item]]:
    """Whole-site search, grouped by type (SEARCH_TYPES order). Substring matching (icontains) on
    title, summary and body, so that 1- and 2-character Chinese queries find what they should on
    SQLite and PostgreSQL alike (no word segmentation involved)."""
    words = [w for w in query.split() if w][:5]
    if not words:
        return {}
    items = items_public()
    for word in words:
        items = items.filter(
            Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word)
        )
    if agency is not None:
        items = items.filter(agency=agency)
    if column is not None:
        items = items.filter(Q(column=column) | Q(column__parent=column))
    if year is not None:
        start, end = year_bounds(year)
        items = items.filter(published_at__gte=start, published_at__lt=end)
    groups: dict[str, list[Item]] = {key: [] for key in SEARCH_TYPES}
    for item in items[:limit]:
        groups[search_type(item)].append(item)
    if kind in groups:
        groups = {kind: groups[kind]}
    return {key: found for key, found in groups.items() if found}


# --- annual report figures ------------------------------------------------------------------------


def fen_to_wan_yuan(fen: int) -> str:
    """万元 with up to 4 decimals, trailing zeros dropped; a non-zero amount never shows as 0."""
    if fen == 0:
        return "0"
    wan = (Decimal(fen) / Decimal(1_000_000)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    if wan == 0:
        wan = Decimal("0.0001")
    text = format(wan, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _document_counts(agency: Agency, year: int, doc_kind: str) -> dict[str, int]:
    """制发 (成文日期 in the year, or the publication date when there is none), 废止 (repealed in the
    year) and 现行有效 (issued by the year's end and neither repealed nor expired by then)."""
    last_day = dt.date(year, 12, 31)
    documents = list(
        Item.objects.filter(agency=agency, doc_kind=doc_kind, status__in=COUNTED_STATUSES).only(
            "written_on", "published_at", "validity", "validity_changed_on"
        )
    )
    issued = repealed = in_force = 0
    for doc in documents:
        issued_on = doc.written_on or (
            clock.civil_date(doc.published_at) if doc.published_at else None
        )
        if issued_on is None:
            continue
        if issued_on.year == year:
            issued += 1
        changed = doc.validity_changed_on
        if doc.validity == Validity.REPEALED and changed is not None and changed.year == year:
            repealed += 1
        ended = doc.validity != Validity.VALID and (changed is None or changed <= last_day)
        if issued_on <= last_day and not ended:
            in_force += 1
    return {"issued": issued, "repealed": repealed, "in_force": in_force}


def table2_figures(agency: Agency, year: int) -> dict[str, Any]:
    """Table 2 (二、主动公开政府信息情况) for one agency and year.

    {"regulations": {"issued", "repealed", "in_force"}, "normative_documents": {same},
     "licensing": int, "punishment": int, "coercion": int,
     "fees_fen": int, "fees_yuan": str ("12.34"), "fees_wan_yuan": str ("0.0012")}
    Without a register row for the year the counts are 0.
    """
    register = RegisterYear.objects.filter(agency=agency, year=year).first()
    fen = register.fees_fen if register else 0
    return {
        "regulations": _document_counts(agency, year, DocKind.REGULATION),
        "normative_documents": _document_counts(agency, year, DocKind.NORMATIVE),
        "licensing": register.licensing if register else 0,
        "punishment": register.punishment if register else 0,
        "coercion": register.coercion if register else 0,
        "fees_fen": fen,
        "fees_yuan": f"{fen // 100}.{fen % 100:02d}",
        "fees_wan_yuan": fen_to_wan_yuan(fen),
    }


def _stat_sums(channels: Iterable[Channel], year: int) -> dict[int, dict[str, int]]:
    sums = (
        ChannelMonthlyStat.objects.filter(channel__in=list(channels), year=year)
        .values("channel")
        .annotate(items=Sum("items"), reads=Sum("reads"))
        .order_by()
    )
    return {
        row["channel"]: {"items": row["items"] or 0, "reads": row["reads"] or 0} for row in sums
    }


def section1_figures(agency: Agency, year: int) -> dict[str, Any]:
    """Section 一（一） figures: what the agency published in `year`, per channel and per column.

    {"year": int, "total_items": int,
     "channels": [{"kind": "website"|"wechat"|"other", "name": str, "items": int, "reads": int}],
     "website_columns": [{"column": str, "slug": str, "items": int}]}
    The website channel's `items` are the catalogue items published that year (withdrawn ones
    included); other channels' items and every channel's reads come from the monthly statistics.
    Columns without items that year are left out; channels are listed in their order.
    """
    start, end = year_bounds(year)
    published = Item.objects.filter(
        agency=agency,
        status__in=COUNTED_STATUSES,
        published_at__gte=start,
        published_at__lt=end,
    )
    per_column = dict(published.values_list("column").annotate(n=Count("id")).order_by())
    website_items = sum(per_column.values())
    channels = list(Channel.objects.filter(agency=agency).order_by("order", "id"))
    sums = _stat_sums(channels, year)
    rows: list[dict[str, Any]] = []
    if website_items and not any(c.kind == ChannelKind.WEBSITE for c in channels):
        rows.append({"kind": ChannelKind.WEBSITE.value, "name": "政府网站", "items": 0, "reads": 0})
    for channel in channels:
        stat = sums.get(channel.pk, {"items": 0, "reads": 0})
        rows.append(
            {
                "kind": channel.kind,
                "name": channel.name,
                "items": stat["items"],
                "reads": stat["reads"],
            }
        )
    for row in rows:
        if row["kind"] == ChannelKind.WEBSITE:
            row["items"] = website_items
            break
    columns = [
        {"column": column.name, "slug": column.slug, "items": per_column[column.pk]}
        for column in columns_for(agency)
        if per_column.get(column.pk)
    ]
    return {
        "year": year,
        "total_items": sum(row["items"] for row in rows),
        "channels": rows,
        "website_columns": columns,
    }
