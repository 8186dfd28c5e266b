"""Public views of 主动公开: the 政府信息公开 section of each agency (61号: four first-level columns in
order), column lists, item pages with the catalogue metadata, whole-site search, RSS, sitemap.xml."""

from __future__ import annotations

from typing import Any

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.contrib.syndication.views import Feed
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from gongkai.agencies.models import Agency
from gongkai.agencies.selectors import agencies_public, agency_get_public
from gongkai.core.exceptions import NotFoundError
from gongkai.portal.page_cache import cached_page
from gongkai.portal.pages import stored_page
from gongkai.portal.publishing_context import (
    column_context,
    item_context,
    section_columns,
    section_context,
    year_param,
)
from gongkai.publishing.models import Column, ColumnKind, Item
from gongkai.publishing.selectors import (
    SEARCH_TYPES,
    column_get_public,
    column_get_public_by_slug,
    column_items_public,
    item_get_public,
    item_get_public_by_slug,
    items_public,
    search_public,
    statutory_columns_public,
)


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "404.html", status=404)


@stored_page
@cached_page
def section(request: HttpRequest, slug: str) -> HttpResponse:
    """政府信息公开: 指南, 制度, 法定主动公开内容, 年报 — in this order (61号)."""
    try:
        agency = agency_get_public(slug)
    except NotFoundError:
        return _not_found(request)
    return render(request, "portal/publishing/section.html", section_context(agency))


@cached_page
def guide(request: HttpRequest, slug: str) -> HttpResponse:
    """政府信息公开指南 (第十二条), generated from the agency profile plus the editable text."""
    try:
        agency = agency_get_public(slug)
    except NotFoundError:
        return _not_found(request)
    column = section_columns(agency)[ColumnKind.GUIDE]
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


@stored_page
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
    return render(request, "portal/publishing/column.html", column_context(found, request.GET))


@stored_page
@cached_page
def item_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    try:
        item = item_get_public_by_slug(slug, pk)
    except NotFoundError:
        return _not_found(request)
    return render(request, "portal/publishing/item.html", item_context(item))


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
    year = year_param(request.GET.get("year"))
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
