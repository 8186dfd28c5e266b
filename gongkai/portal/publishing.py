"""Public views of 主动公开: the 政府信息公开 section of each agency (61号: four first-level columns in
order), column lists, item pages with the catalogue metadata, whole-site search, RSS, sitemap.xml."""

from __future__ import annotations

from typing import Any

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import cached_property

from gongkai.agencies.models import Agency
from gongkai.agencies.selectors import agencies_public, agency_get_public
from gongkai.core.exceptions import NotFoundError
from gongkai.portal.page_cache import cached_page
from gongkai.publishing.columns import SECTION_ORDER
from gongkai.publishing.models import ARTICLE20_CHOICES, Column, ColumnKind, Item
from gongkai.publishing.selectors import (
    SEARCH_TYPES,
    column_get_public,
    column_get_public_by_slug,
    column_items_public,
    columns_for,
    interpretation_links_for,
    item_get_public,
    item_get_public_by_slug,
    item_years_public,
    items_public,
    search_public,
    site_columns_public,
    statutory_columns_public,
    year_bounds,
)

PAGE_SIZE = 20
# A column list counts at most this many items (see CappedPaginator); older ones are reached
# through the year filter.
COUNT_CAP = 10_000


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "404.html", status=404)


def _year(value: str | None) -> int | None:
    try:
        year = int(value or "")
    except ValueError:
        return None
    return year if 1990 <= year <= 2100 else None


def _section_columns(agency: Agency) -> dict[str, Column | None]:
    roots = {
        c.kind: c for c in columns_for(agency).filter(parent__isnull=True, kind__in=SECTION_ORDER)
    }
    return {kind: roots.get(kind) for kind in SECTION_ORDER}


@cached_page
def section(request: HttpRequest, slug: str) -> HttpResponse:
    """政府信息公开: 指南, 制度, 法定主动公开内容, 年报 — in this order (61号)."""
    try:
        agency = agency_get_public(slug)
    except NotFoundError:
        return _not_found(request)
    roots = _section_columns(agency)
    rules = roots[ColumnKind.RULES]
    return render(
        request,
        "portal/publishing/section.html",
        {
            "agency": agency,
            "roots": roots,
            "statutory": statutory_columns_public(agency),
            "rules_items": column_items_public(rules)[:5] if rules else [],
            "site_columns": site_columns_public(agency),
            "latest": items_public().filter(agency=agency)[:8],
        },
    )


@cached_page
def guide(request: HttpRequest, slug: str) -> HttpResponse:
    """政府信息公开指南 (第十二条), generated from the agency profile plus the editable text."""
    try:
        agency = agency_get_public(slug)
    except NotFoundError:
        return _not_found(request)
    column = _section_columns(agency)[ColumnKind.GUIDE]
    return render(
        request,
        "portal/publishing/guide.html",
        {
            "agency": agency,
            "column": column,
            "statutory": statutory_columns_public(agency),
            "apply_url": f"/agency/{agency.slug}/apply/",
        },
    )


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


@cached_page
def column_detail(request: HttpRequest, slug: str, column: str) -> HttpResponse:
    """A column's items, newest first, filterable by year and (for 法定主动公开内容) 第二十条 item."""
    try:
        found = column_get_public_by_slug(slug, column)
    except NotFoundError:
        return _not_found(request)
    agency = found.agency
    if found.kind == ColumnKind.GUIDE:
        return guide(request, slug)
    if found.kind == ColumnKind.ANNUAL_REPORT:
        # The annual reports are the reports area's pages.
        return HttpResponseRedirect(f"/agency/{agency.slug}/reports/")
    # The rows show the title and date, and link to the item under its agency: no joins, and
    # not the bodies.
    items = (
        column_items_public(found, with_children=found.has_children)  # type: ignore[attr-defined]
        .select_related(None)
        .only("id", "agency_id", "title", "published_at")
    )
    year = _year(request.GET.get("year"))
    if year is not None:
        start, end = year_bounds(year)
        items = items.filter(published_at__gte=start, published_at__lt=end)
    try:
        article = int(request.GET.get("item", "")) or None
    except ValueError:
        article = None
    if article is not None:
        items = items.filter(article20_item=article)
    page = CappedPaginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = rows = list(page.object_list)
    for row in rows:
        if row.agency_id == agency.pk:  # a column's items are its agency's (item_create)
            row.agency = agency
    children = (
        statutory_columns_public(agency)
        if found.kind == ColumnKind.STATUTORY and found.parent_id is None
        else []
    )
    return render(
        request,
        "portal/publishing/column.html",
        {
            "agency": agency,
            "column": found,
            "page": page,
            "year": year,
            "years": item_years_public(agency),
            "article": article,
            "articles": ARTICLE20_CHOICES if found.kind == ColumnKind.STATUTORY else [],
            "children": children,
            "count_cap": COUNT_CAP,
        },
    )


@cached_page
def item_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    try:
        item = item_get_public_by_slug(slug, pk)
    except NotFoundError:
        return _not_found(request)
    agency = item.agency
    return render(
        request,
        "portal/publishing/item.html",
        {
            "agency": agency,
            "item": item,
            "attachments": item.attachments.filter(is_current=True),
            "links": interpretation_links_for(item, public=True),
        },
    )


def attachment_download(
    request: HttpRequest, slug: str, pk: int, attachment: int
) -> HttpResponse | FileResponse:
    try:
        agency = agency_get_public(slug)
        item = item_get_public(agency, pk)
    except NotFoundError:
        return _not_found(request)
    found = item.attachments.filter(pk=attachment, is_current=True).first()
    if found is None:
        return _not_found(request)
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.name)


# With more agencies than this, the search form's agency list holds the county level and above
# (a township's items are found through its county, or from the township's own pages).
SEARCH_AGENCIES_MAX = 300
# Results shown on the page: the best ones by rank; the count says how many there are in all.
SEARCH_SHOWN = 50


@cached_page
def search(request: HttpRequest) -> HttpResponse:
    """Whole-site search: ranked, highlighted, grouped by type; 1- and 2-character queries are
    exact (see publishing/search.py)."""
    query = request.GET.get("q", "").strip()[:50]
    agency = None
    if request.GET.get("agency"):
        agency = agencies_public().filter(slug=request.GET["agency"]).first()
    column = None
    if agency is not None and request.GET.get("column"):
        column = Column.objects.filter(agency=agency, slug=request.GET["column"]).first()
    year = _year(request.GET.get("year"))
    kind = request.GET.get("type") or None
    if kind not in SEARCH_TYPES:
        kind = None
    result = (
        search_public(query, agency=agency, column=column, year=year, kind=kind, limit=SEARCH_SHOWN)
        if query
        else None
    )
    choices = agencies_public()
    if choices.count() > SEARCH_AGENCIES_MAX:
        choices = choices.filter(level__in=["province", "city", "county"])
        if agency is not None:
            choices = choices | agencies_public().filter(pk=agency.pk)
    return render(
        request,
        "portal/publishing/search.html",
        {
            "query": query,
            "result": result,
            "total": result.total if result else 0,
            "groups": (
                [(key, SEARCH_TYPES[key], hits) for key, hits in result.groups.items()]
                if result
                else []
            ),
            "agencies": choices,
            "agency": agency,
            "column": column,
            "year": year,
            "type": kind,
            "types": SEARCH_TYPES.items(),
        },
    )


class ColumnFeed(Feed):
    """RSS 2.0 of one column's latest items."""

    def get_object(self, request: HttpRequest, slug: str, column: str) -> Column:
        try:
            agency = agency_get_public(slug)
            return column_get_public(agency, column)
        except NotFoundError as exc:
            raise Http404(exc.message) from exc

    def title(self, obj: Column) -> str:
        return f"{obj.agency.name} · {obj.name}"

    def link(self, obj: Column) -> str:
        return reverse("portal:publishing_column", args=[obj.agency.slug, obj.slug])

    def description(self, obj: Column) -> str:
        return f"{obj.agency.name}“{obj.name}”栏目最新发布的政府信息。"

    def items(self, obj: Column) -> Any:
        return column_items_public(obj)[:30]

    def item_title(self, item: Item) -> str:
        return item.title

    def item_description(self, item: Item) -> str:
        return item.summary

    def item_link(self, item: Item) -> str:
        return reverse("portal:publishing_item", args=[item.agency.slug, item.pk])

    def item_pubdate(self, item: Item) -> Any:
        return item.published_at

    def item_guid(self, item: Item) -> str:
        return item.index_no

    item_guid_is_permalink = False


class ItemSitemap(Sitemap):
    limit = 5000

    def items(self) -> Any:
        return items_public().order_by("id")

    def location(self, item: Item) -> str:
        return reverse("portal:publishing_item", args=[item.agency.slug, item.pk])

    def lastmod(self, item: Item) -> Any:
        return item.published_at


class SectionSitemap(Sitemap):
    def items(self) -> Any:
        return list(agencies_public())

    def location(self, agency: Agency) -> str:
        return reverse("portal:publishing_section", args=[agency.slug])


class ColumnSitemap(Sitemap):
    def items(self) -> Any:
        return Column.objects.select_related("agency").order_by("agency", "order", "id")

    def location(self, column: Column) -> str:
        return reverse("portal:publishing_column", args=[column.agency.slug, column.slug])


SITEMAPS: dict[str, type[Sitemap[Any]] | Sitemap[Any]] = {
    "sections": SectionSitemap,
    "columns": ColumnSitemap,
    "items": ItemSitemap,
}


def sitemap(request: HttpRequest) -> HttpResponse:
    return sitemap_view(request, SITEMAPS, template_name="portal/publishing/sitemap.xml")
