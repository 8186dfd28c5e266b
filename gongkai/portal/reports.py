"""Public pages of the annual reports: per agency, per year, district-wide; DOCX and PDF files.

Only published versions are shown. A corrected report shows its latest version with the dated
change notes of every correction; earlier versions stay readable (`?version=N`).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from gongkai.agencies.models import Agency
from gongkai.agencies.selectors import agency_get_public
from gongkai.core.exceptions import NotFoundError
from gongkai.reports.models import ReportVersion
from gongkai.reports.renderers.docx import render_docx
from gongkai.reports.renderers.html import SCREEN_STYLESHEET, render_article
from gongkai.reports.renderers.pdf import render_pdf
from gongkai.reports.selectors import (
    PublishedReport,
    published_report_public,
    published_reports_public,
    report_version_get,
    version_value,
)

FILES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def _agency(slug: str) -> Agency:
    try:
        return agency_get_public(slug)
    except NotFoundError as exc:
        raise Http404 from exc


def _published(agency: Agency, year: int) -> PublishedReport:
    try:
        return published_report_public(agency, year)
    except NotFoundError as exc:
        raise Http404 from exc


def _version(request: HttpRequest, published: PublishedReport) -> ReportVersion:
    wanted = request.GET.get("version")
    if not wanted:
        return published.latest
    try:
        return report_version_get(published.record, int(wanted))
    except (ValueError, NotFoundError) as exc:
        raise Http404 from exc


@require_GET
def agency_reports(request: HttpRequest, slug: str) -> HttpResponse:
    agency = _agency(slug)
    return render(
        request,
        "portal/reports/agency.html",
        {"agency": agency, "reports": published_reports_public(agency)},
    )


@require_GET
def report_detail(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    agency = _agency(slug)
    published = _published(agency, year)
    version = _version(request, published)
    report = version_value(version)
    return render(
        request,
        "portal/reports/detail.html",
        {
            "agency": agency,
            "published": published,
            "version": version,
            "report": report,
            # The renderer escapes every text it prints; its markup is ours.
            "article": mark_safe(render_article(report)),  # noqa: S308
            "stylesheet": SCREEN_STYLESHEET,
            "versions": list(published.record.versions.order_by("-number")),
        },
    )


@require_GET
def report_file(request: HttpRequest, slug: str, year: int, file_format: str) -> HttpResponse:
    if file_format not in FILES:
        raise Http404
    agency = _agency(slug)
    version = _version(request, _published(agency, year))
    report = version_value(version)
    content = render_docx(report) if file_format == "docx" else render_pdf(report)
    response = HttpResponse(content, content_type=FILES[file_format])
    suffix = f"（第{version.number}版）" if version.number > 1 else ""
    disposition = content_disposition_header(
        as_attachment=True, filename=f"{report.title}{suffix}.{file_format}"
    )
    if disposition:
        response["Content-Disposition"] = disposition
    return response


@require_GET
def reports_index(request: HttpRequest) -> HttpResponse:
    reports = published_reports_public()
    years: dict[int, list[PublishedReport]] = {}
    for item in reports:
        years.setdefault(item.record.year, []).append(item)
    return render(
        request,
        "portal/reports/index.html",
        {"years": sorted(years.items(), reverse=True)},
    )
