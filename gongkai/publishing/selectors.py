"""Reads of the publishing app. Staff reads are scoped to the user (`*_for_user`); public reads
return published items only. The report figures (`table2_figures`, `section1_figures`) are plain
dicts keyed as in spec/annual-report.md, for the report generator.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)

from gongkai.agencies.models import Agency
from gongkai.agencies.selectors import agencies_for_user
from gongkai.core import clock
from gongkai.core.exceptions import NotFoundError
from gongkai.publishing import search
from gongkai.publishing.models import (
    Channel,
    ChannelKind,
    ChannelMonthlyStat,
    Column,
    ColumnKind,
    ColumnType,
    DocKind,
    FindingStatus,
    InterpretationLink,
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


def item_columns_for(agency: Agency, current: Column | None = None) -> QuerySet[Column]:
    """Columns an item can be filed under: not the generated 指南/年报 nor the statutory root, nor
    an archived column (unless it is the item's `current` one)."""
    archived = Q(archived_at__isnull=False)
    if current is not None:
        archived &= ~Q(pk=current.pk)
    return columns_for(agency).exclude(
        Q(kind__in=[ColumnKind.GUIDE, ColumnKind.ANNUAL_REPORT])
        | Q(kind=ColumnKind.STATUTORY, parent__isnull=True)
        | archived
    )


def column_get_for_user(user: Any, pk: int) -> Column:
    column = (
        Column.objects.select_related("agency", "parent")
        .filter(pk=pk, agency__in=agencies_for_user(user))
        .first()
    )
    if column is None:
        raise NotFoundError()
    return column


def columns_for_editor(user: Any, agency: Agency) -> list[Column]:
    """The column editor's list: the agency's columns in tree order (each parent followed by its
    children), each with `item_count` (items in any state). Empty when the user cannot see it."""
    if not agencies_for_user(user).filter(pk=agency.pk).exists():
        return []
    columns = list(columns_for(agency).annotate(item_count=Count("items")))
    children: dict[int | None, list[Column]] = {}
    for column in columns:
        children.setdefault(column.parent_id, []).append(column)
    ordered: list[Column] = []

    def walk(parent: int | None, depth: int) -> None:
        for column in children.get(parent, []):
            column.depth = depth  # type: ignore[attr-defined]
            ordered.append(column)
            walk(column.pk, depth + 1)

    walk(None, 0)
    return ordered


def policy_items_linkable(agency: Agency, for_item: Item | None = None) -> QuerySet[Item]:
    """The agency's published policy documents a 政策解读 can name (see `Item.is_policy`), newest
    first. With `for_item`: without the item itself, and with the documents it already names (so
    that a link to a since-withdrawn document still shows, for the service to refuse it)."""
    choices = Q(
        agency=agency,
        status__in=PUBLIC_STATUSES,
    ) & (
        Q(doc_kind__in=[DocKind.REGULATION, DocKind.NORMATIVE])
        | Q(column__column_type=ColumnType.POLICY)
    )
    choices &= ~Q(doc_kind=DocKind.INTERPRETATION)
    if for_item is not None:
        choices |= Q(pk__in=for_item.interpreted_links.values("policy_id"))
    items = Item.objects.filter(choices)
    if for_item is not None:
        items = items.exclude(pk=for_item.pk)
    return items.select_related("column").order_by("-published_at", "-id")


def interpretation_links_for(item: Item, *, public: bool) -> dict[str, list[Item]]:
    """Both directions of the 政策解读 links of an item: {"interprets": the policy documents it
    interprets (解读的文件), "interpretations": the 政策解读 of it (相关解读)}. `public` keeps only
    published items (the portal); staff see every state."""
    # Most items have no link at all: one cheap look at the link table spares them two joins.
    if not InterpretationLink.objects.filter(Q(interpretation=item) | Q(policy=item)).exists():
        return {"interprets": [], "interpretations": []}
    interprets = Item.objects.filter(interpretation_links__interpretation=item)
    interpretations = Item.objects.filter(interpreted_links__policy=item)
    if public:
        interprets = interprets.filter(status__in=PUBLIC_STATUSES)
        interpretations = interpretations.filter(status__in=PUBLIC_STATUSES)
    related = ("agency", "column")
    return {
        "interprets": list(interprets.select_related(*related).order_by("-published_at", "id")),
        "interpretations": list(
            interpretations.select_related(*related).order_by("-published_at", "id")
        ),
    }


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


def item_get_public_by_slug(agency_slug: str, pk: int) -> Item:
    """A published item of the agency with that slug, with its agency, column and their parents
    (the item page's breadcrumbs), in one query."""
    item = (
        items_public()
        .select_related("agency__parent", "column__parent")
        .filter(agency__slug=agency_slug, pk=pk)
        .order_by()
        .first()
    )
    if item is None:
        raise NotFoundError("没有找到这条信息，可能已撤稿。")
    return item


def column_get_public_by_slug(agency_slug: str, slug: str) -> Column:
    """A column with its agency and their parents in one query (the column page), annotated with
    `has_children` (whether its list includes sub-columns' items)."""
    column = (
        Column.objects.filter(agency__slug=agency_slug, slug=slug)
        .select_related("agency__parent", "parent")
        .annotate(has_children=Exists(Column.objects.filter(parent=OuterRef("pk"))))
        .order_by()
        .first()
    )
    if column is None:
        raise NotFoundError("没有找到这个栏目。")
    return column


def column_get_public(agency: Agency, slug: str) -> Column:
    column = Column.objects.filter(agency=agency, slug=slug).select_related("parent").first()
    if column is None:
        raise NotFoundError("没有找到这个栏目。")
    return column


def column_items_public(column: Column, *, with_children: bool = True) -> QuerySet[Item]:
    """A column's published items, including those of its sub-columns (an IN on the column ids,
    which the column index serves; an OR across the join would scan every item). A caller that
    knows the column has no sub-columns passes `with_children=False` and spares a query."""
    if not with_children:
        return items_public().filter(column_id=column.pk)
    ids = [column.pk, *Column.objects.filter(parent=column).values_list("id", flat=True)]
    return items_public().filter(column_id__in=ids)


def statutory_columns_public(agency: Agency) -> list[dict[str, Any]]:
    """The 法定主动公开内容 sub-columns that have published items (no empty columns on the site),
    with their counts and years."""
    columns = list(columns_for(agency).filter(kind=ColumnKind.STATUTORY, parent__isnull=False))
    # Counted by column id (the column index), not through a join on the column's kind.
    counts = dict(
        Item.objects.filter(status__in=PUBLIC_STATUSES, column_id__in=[c.pk for c in columns])
        .values_list("column")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [
        {"column": column, "count": counts[column.pk]}
        for column in columns
        if counts.get(column.pk)
    ]


def site_columns_public(agency: Agency) -> list[Column]:
    """The site columns in the navigation: not hidden, not archived (their pages still open)."""
    return list(
        columns_for(agency).filter(kind=ColumnKind.SITE, hidden=False, archived_at__isnull=True)
    )


def item_years_public(agency: Agency) -> list[int]:
    dates = items_public().filter(agency=agency).dates("published_at", "year", order="DESC")
    return [d.year for d in dates]


SEARCH_TYPES: dict[str, str] = search.GROUPS


def search_type(item: Item) -> str:
    """The result group an item is shown under."""
    return search.group_for(item.doc_kind, item.column.kind, item.column.column_type)


def search_public(
    query: str,
    *,
    agency: Agency | None = None,
    column: Column | None = None,
    year: int | None = None,
    kind: str | None = None,
    limit: int = 200,
) -> search.SearchResult:
    """Whole-site search of published items, ranked, highlighted and grouped by type
    (SEARCH_TYPES order). Substring semantics through the n-gram index of `publishing.search`:
    1- and 2-character Chinese queries are exact on SQLite and PostgreSQL alike."""
    return search.search(query, agency=agency, column=column, year=year, kind=kind, limit=limit)


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
    year) and 现行有效 (issued by the year's end and neither repealed nor expired by then); the
    rules are in `count_documents`."""
    documents = list(
        Item.objects.filter(agency=agency, doc_kind=doc_kind, status__in=COUNTED_STATUSES).only(
            "written_on", "published_at", "validity", "validity_changed_on"
        )
    )
    return count_documents(
        (
            (
                doc.written_on
                or (clock.civil_date(doc.published_at) if doc.published_at else None),
                doc.validity,
                doc.validity_changed_on,
            )
            for doc in documents
        ),
        year,
    )


def table2_figures(agency: Agency, year: int) -> dict[str, Any]:
    """Table 2 (二、主动公开政府信息情况) for one agency and year.

    {"regulations": {"issued", "repealed", "in_force"}, "normative_documents": {same},
     "licensing": int, "punishment": int, "coercion": int,
     "fees_fen": int, "fees_yuan": str ("12.34"), "fees_wan_yuan": str ("0.0012")}
    Without a register row for the year the counts are 0.
    """
    return table2_figures_from(
        RegisterYear.objects.filter(agency=agency, year=year).first(),
        regulations=_document_counts(agency, year, DocKind.REGULATION),
        normative_documents=_document_counts(agency, year, DocKind.NORMATIVE),
    )


def section1_figures(agency: Agency, year: int) -> dict[str, Any]:
    """Section 一（一） figures: what the agency published in `year`, per channel and per column.

    {"year": int, "total_items": int,
     "channels": [{"kind": "website"|"wechat"|"other", "name": str, "items": int, "reads": int}],
     "website_columns": [{"column": str, "slug": str, "items": int}]}
    The website channel's `items` are the catalogue items published that year (withdrawn ones
    included); other channels' items and every channel's reads come from the monthly statistics.
    Columns without items that year are left out; channels are listed in their order. The rules
    are in `section1_figures_from`.
    """
    start, end = year_bounds(year)
    published = Item.objects.filter(
        agency=agency,
        status__in=COUNTED_STATUSES,
        published_at__gte=start,
        published_at__lt=end,
    )
    channels = list(
        Channel.objects.filter(agency=agency)
        .order_by("order", "id")
        .values_list("pk", "kind", "name")
    )
    sums = (
        ChannelMonthlyStat.objects.filter(channel__in=[pk for pk, _, _ in channels], year=year)
        .values_list("channel")
        .annotate(items=Sum("items"), reads=Sum("reads"))
        .order_by()
    )
    return section1_figures_from(
        year,
        per_column=dict(published.values_list("column").annotate(n=Count("id")).order_by()),
        channels=channels,
        stat_sums={pk: (items or 0, reads or 0) for pk, items, reads in sums},
        columns=columns_for(agency).values_list("pk", "name", "slug"),
    )


def section1_figures_from(
    year: int,
    *,
    per_column: Mapping[int, int],
    channels: Iterable[tuple[int, str, str]],
    stat_sums: Mapping[int, tuple[int, int]],
    columns: Iterable[tuple[int, str, str]],
) -> dict[str, Any]:
    """Pure: the `section1_figures` dict from the items published in the year per column id, the
    agency's channels (id, kind, name) in their order, the year's (items, reads) per channel id and
    the agency's columns (id, name, slug) in their order.

    The website channel's items are the catalogue's (a website channel is added in front when there
    is none but items were published); the other channels' items and all reads are the statistics'.
    """
    website_items = sum(per_column.values())
    listed = list(channels)
    rows: list[dict[str, Any]] = []
    if website_items and not any(kind == ChannelKind.WEBSITE for _, kind, _ in listed):
        rows.append({"kind": ChannelKind.WEBSITE.value, "name": "政府网站", "items": 0, "reads": 0})
    for pk, kind, name in listed:
        items, reads = stat_sums.get(pk, (0, 0))
        rows.append({"kind": kind, "name": name, "items": items, "reads": reads})
    for row in rows:
        if row["kind"] == ChannelKind.WEBSITE:
            row["items"] = website_items
            break
    return {
        "year": year,
        "total_items": sum(row["items"] for row in rows),
        "channels": rows,
        "website_columns": [
            {"column": name, "slug": slug, "items": per_column[pk]}
            for pk, name, slug in columns
            if per_column.get(pk)
        ],
    }


# --- annual report figures for many agencies at once ----------------------------------------------

# A document's date relative to the report year, as the batch query buckets it.
_BEFORE, _DURING, _AFTER = -1, 0, 1


def count_documents(
    documents: Iterable[tuple[dt.date | None, str, dt.date | None]], year: int
) -> dict[str, int]:
    """Pure: (issued_on, validity, validity_changed_on) of each document → 制发, 废止 and 现行有效
    of `year` (see `_document_counts`). A document without an issue date is not counted."""
    last_day = dt.date(year, 12, 31)
    issued = repealed = in_force = 0
    for issued_on, validity, changed in documents:
        if issued_on is None:
            continue
        if issued_on.year == year:
            issued += 1
        if validity == Validity.REPEALED and changed is not None and changed.year == year:
            repealed += 1
        ended = validity != Validity.VALID and (changed is None or changed <= last_day)
        if issued_on <= last_day and not ended:
            in_force += 1
    return {"issued": issued, "repealed": repealed, "in_force": in_force}


def table2_figures_from(
    register: RegisterYear | None,
    *,
    regulations: dict[str, int],
    normative_documents: dict[str, int],
) -> dict[str, Any]:
    """The `table2_figures` dict from the year's register row (None: zeros) and document counts."""
    fen = register.fees_fen if register else 0
    return {
        "regulations": regulations,
        "normative_documents": normative_documents,
        "licensing": register.licensing if register else 0,
        "punishment": register.punishment if register else 0,
        "coercion": register.coercion if register else 0,
        "fees_fen": fen,
        "fees_yuan": f"{fen // 100}.{fen % 100:02d}",
        "fees_wan_yuan": fen_to_wan_yuan(fen),
    }


def _relative(field: str, first: dt.date, last: dt.date) -> Case:
    """The date in `field` relative to the year: before, during, after, or NULL when empty."""
    return Case(
        When(**{f"{field}__lt": first}, then=Value(_BEFORE)),
        When(**{f"{field}__lte": last}, then=Value(_DURING)),
        When(**{f"{field}__gt": last}, then=Value(_AFTER)),
        default=None,
        output_field=IntegerField(),
    )


def table2_figures_by_agency(agencies: QuerySet[Agency], year: int) -> dict[int, dict[str, Any]]:
    """`table2_figures` of `year` for every agency of `agencies` at once ({agency pk: figures}).

    Two queries: the register rows of the year, and the 规章 / 规范性文件 grouped by agency, kind,
    validity and where their issue date (成文日期, else the civil date of publication) and their
    validity change date fall relative to the year. Each group is counted by `count_documents` on a
    representative document, weighted by its size, so the counting rules stay in one place.
    """
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    start, end = year_bounds(year)
    ids = list(agencies.values_list("pk", flat=True))
    if not ids:
        return {}
    registers = {
        register.agency_id: register
        for register in RegisterYear.objects.filter(agency__in=agencies.values("pk"), year=year)
    }
    issued = Case(
        When(written_on__isnull=False, then=_relative("written_on", first, last)),
        # The civil date of publication, compared through the aware bounds of the year.
        When(published_at__lt=start, then=Value(_BEFORE)),
        When(published_at__lt=end, then=Value(_DURING)),
        When(published_at__gte=end, then=Value(_AFTER)),
        default=None,
        output_field=IntegerField(),
    )
    groups = (
        Item.objects.filter(
            agency__in=agencies.values("pk"),
            doc_kind__in=[DocKind.REGULATION, DocKind.NORMATIVE],
            status__in=COUNTED_STATUSES,
        )
        .annotate(issued=issued, changed=_relative("validity_changed_on", first, last))
        .values_list("agency_id", "doc_kind", "validity", "issued", "changed")
        .annotate(n=Count("pk"))
        .order_by()
    )
    dates = {_BEFORE: first - dt.timedelta(days=1), _DURING: first, _AFTER: last + dt.timedelta(1)}
    patterns: dict[tuple[str, int | None, int | None], dict[str, int]] = {}
    documents: dict[int, dict[str, dict[str, int]]] = {
        pk: {kind: dict.fromkeys(("issued", "repealed", "in_force"), 0) for kind in DocKind}
        for pk in ids
    }
    # Only ints and strings come back: read them as the database gives them, without Django's
    # per-row converters (hundreds of thousands of groups for a province).
    sql, params = groups.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    for agency_id, doc_kind, validity, issued_at, changed_at, n in rows:
        key = (validity, issued_at, changed_at)
        counted = patterns.get(key)
        if counted is None:
            representative = (
                None if issued_at is None else dates[issued_at],
                validity,
                None if changed_at is None else dates[changed_at],
            )
            counted = patterns[key] = count_documents([representative], year)
        if agency_id not in documents:  # an agency created after `ids` was read
            continue
        cells = documents[agency_id][doc_kind]
        for name, value in counted.items():
            cells[name] += value * n
    return {
        pk: table2_figures_from(
            registers.get(pk),
            regulations=documents[pk][DocKind.REGULATION],
            normative_documents=documents[pk][DocKind.NORMATIVE],
        )
        for pk in ids
    }


def section1_figures_by_agency(agencies: QuerySet[Agency], year: int) -> dict[int, dict[str, Any]]:
    """`section1_figures` of `year` for every agency of `agencies` at once ({agency pk: figures}).

    Five queries whatever the number of agencies: the agencies' ids, the items published in the
    year grouped by agency and column, the year's channel statistics grouped by channel, and the
    agencies' channels and columns in their order. Each agency's figures are then made by
    `section1_figures_from`, as for one agency.
    """
    start, end = year_bounds(year)
    ids = list(agencies.values_list("pk", flat=True))
    if not ids:
        return {}
    scope = agencies.values("pk")
    per_column: dict[int, dict[int, int]] = {pk: {} for pk in ids}
    published = (
        Item.objects.filter(
            agency__in=scope,
            status__in=COUNTED_STATUSES,
            published_at__gte=start,
            published_at__lt=end,
        )
        .values_list("agency_id", "column_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for agency_id, column_id, n in published:
        if agency_id in per_column:  # not an agency created after `ids` was read
            per_column[agency_id][column_id] = n
    channels: dict[int, list[tuple[int, str, str]]] = {pk: [] for pk in ids}
    for pk, agency_id, kind, name in (
        Channel.objects.filter(agency__in=scope)
        .order_by("agency_id", "order", "id")
        .values_list("pk", "agency_id", "kind", "name")
    ):
        if agency_id in channels:
            channels[agency_id].append((pk, kind, name))
    sums = (
        ChannelMonthlyStat.objects.filter(channel__agency__in=scope, year=year)
        .values_list("channel")
        .annotate(items=Sum("items"), reads=Sum("reads"))
        .order_by()
    )
    stat_sums = {pk: (items or 0, reads or 0) for pk, items, reads in sums}
    columns: dict[int, list[tuple[int, str, str]]] = {pk: [] for pk in ids}
    for pk, agency_id, name, slug in (
        Column.objects.filter(agency__in=scope)
        .order_by("agency_id", "order", "id")
        .values_list("pk", "agency_id", "name", "slug")
    ):
        if agency_id in columns:
            columns[agency_id].append((pk, name, slug))
    return {
        pk: section1_figures_from(
            year,
            per_column=per_column[pk],
            channels=channels[pk],
            stat_sums=stat_sums,
            columns=columns[pk],
        )
        for pk in ids
    }
