"""Public pages of the annual reports: per agency, per year, district-wide; DOCX and PDF files
(rendered by background jobs, `gongkai.reports.tasks`).

Only published versions are shown. A corrected report shows its latest version with the dated
change notes of every correction; earlier versions stay readable (`?version=N`).
"""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods

from gongkai.agencies.models import Agency
from gongkai.agencies.selectors import agency_get_public
from gongkai.core.exceptions import NotFoundError
from gongkai.reports.models import ReportVersion
from gongkai.reports.renderers.html import SCREEN_STYLESHEET, render_article
from gongkai.reports.selectors import (
    PublishedReport,
    published_report_public,
    published_reports_public,
    report_version_get,
    version_value,
)
from gongkai.reports.tasks import (
    failure_message,
    is_ready,
    rendered_file_request,
    rendered_file_retry,
)

FILES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
FORMAT_NAMES = {"docx": "Word 文档", "pdf": "PDF 文件"}


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


@require_http_methods(["GET", "POST"])
def report_file(request: HttpRequest, slug: str, year: int, file_format: str) -> HttpResponseBase:
    """The DOCX or PDF file, rendered by a background job: served at once when it exists,
    otherwise a "正在生成" page that polls (htmx) until it does. POST retries a failed job."""
    if file_format not in FILES:
        raise Http404
    agency = _agency(slug)
    published = _published(agency, year)
    version = _version(request, published)
    report = version_value(version)
    rendered = rendered_file_request(
        record=published.record, version=version, value=report, file_format=file_format
    )
    if request.method == "POST":
        rendered_file_retry(rendered)
        return redirect(request.get_full_path())
    polling = request.headers.get("HX-Request") == "true"
    ready = is_ready(rendered)
    if ready and not polling:
        suffix = f"（第{version.number}版）" if version.number > 1 else ""
        return FileResponse(
            rendered.file.open("rb"),
            as_attachment=True,
            filename=f"{report.title}{suffix}.{file_format}",
            content_type=FILES[file_format],
        )
    failure = failure_message(rendered)
    response = render(
        request,
        "portal/reports/_file_status.html" if polling else "portal/reports/file_status.html",
        {
            "agency": agency,
            "published": published,
            "version": version,
            "report": report,
            "format_name": FORMAT_NAMES[file_format],
            "ready": ready,
            "failure": failure,
            "url": request.get_full_path(),
        },
        # 202 while the job runs: accepted, not yet done.
        status=200 if ready or failure else 202,
    )
    add_never_cache_headers(response)
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
