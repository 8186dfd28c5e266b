"""Workbench views of the annual report: the year list, the edit page, review and publication.

Each view authorises, binds the posted data, calls one service and redirects or renders; the
checks, the workflow and the permissions live in `gongkai.reports`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai.agencies.models import Agency
from gongkai.agencies.selectors import agencies_for_user, agency_get_for_user, report_deadline
from gongkai.core import clock
from gongkai.core.exceptions import DomainError, NotFoundError
from gongkai.core.uploads import Kind, validate_upload
from gongkai.reports import format as fmt
from gongkai.reports.exceptions import ReportInputInvalid
from gongkai.reports.models import FIRST_YEAR, ReportRecord
from gongkai.reports.permissions import (
    can_edit_report,
    can_review_report,
    can_sign_report,
    can_view_report,
)
from gongkai.reports.renderers.docx import render_docx
from gongkai.reports.renderers.html import render_document
from gongkai.reports.renderers.json import render_json
from gongkai.reports.renderers.layout import CellKind, GridCell, TableGrid, report_grids
from gongkai.reports.renderers.pdf import render_pdf
from gongkai.reports.renderers.xlsx import render_xlsx
from gongkai.reports.rules import Finding, Severity, describe_cell
from gongkai.reports.selectors import (
    previous_published_value,
    record_value,
    report_events,
    report_findings,
    report_progress,
    report_record_get_for_user,
    report_records_for_agency,
    report_version_get,
    report_versions,
    reports_awaiting_review,
    sections_beside_last_year,
    submit_problems,
    supervised_agencies,
    version_value,
)
from gongkai.reports.services import (
    report_approve,
    report_draft_get_or_create,
    report_publish,
    report_refresh_tables,
    report_return,
    report_save_draft,
    report_start_correction,
    report_submit,
    tables_from_input,
)
from gongkai.reports.states import Status, is_editable
from gongkai.reports.tasks import FILE_FORMATS as RENDERED_FORMATS
from gongkai.reports.tasks import (
    failure_message,
    is_ready,
    rendered_file_request,
    rendered_file_retry,
)
from gongkai.reports.value import AnnualReport
from gongkai.reports.xlsx_import import MAX_BYTES as IMPORT_MAX_BYTES
from gongkai.reports.xlsx_import import read_tables
from gongkai.workbench.access import forbidden, staff_required

SECTION_KEYS = (fmt.PREAMBLE_KEY, *fmt.SECTION_NUMBERS)
DOWNLOADS: dict[str, tuple[str, str]] = {
    "html": ("text/html; charset=utf-8", "html"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "pdf": ("application/pdf", "pdf"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "json": ("application/json; charset=utf-8", "json"),
}
FORMAT_NAMES = {"html": "网页", "docx": "Word", "pdf": "PDF", "xlsx": "Excel", "json": "JSON"}


def _agency(request: HttpRequest, slug: str) -> Agency | None:
    try:
        return agency_get_for_user(request.user, slug)
    except NotFoundError:
        return None


def _record(request: HttpRequest, slug: str, year: int) -> ReportRecord | None:
    agency = _agency(request, slug)
    if agency is None:
        return None
    try:
        return report_record_get_for_user(request.user, agency, year)
    except NotFoundError:
        return None


def _edit_url(record: ReportRecord) -> str:
    return reverse("workbench:report_edit", args=[record.agency.slug, record.year])


def _is_computed(address: str) -> bool:
    """Totals the form computes (and the save recomputes) from the cells they add up."""
    parts = address.split(".")
    if parts[0] == "table3":
        return parts[1] == fmt.T3_TOTAL_ROW or parts[2] == fmt.T3_TOTAL_COLUMN
    return parts[0] == "table4" and parts[2] == fmt.T4_TOTAL_COLUMN


@dataclass(frozen=True)
class FormCell:
    cell: GridCell
    input_id: str
    label: str
    value: str
    computed: bool
    result_row: bool
    error: str


def _form_grid(
    grid: TableGrid, entered: Mapping[str, str], invalid: Mapping[str, str]
) -> list[list[FormCell | GridCell]]:
    rows: list[list[FormCell | GridCell]] = []
    for row in grid.rows:
        out: list[FormCell | GridCell] = []
        for cell in row:
            if cell.kind is not CellKind.DATA or cell.address is None:
                out.append(cell)
                continue
            address = cell.address
            parts = address.split(".")
            out.append(
                FormCell(
                    cell=cell,
                    input_id="cell-" + address.replace(".", "-"),
                    label=describe_cell(address),
                    value=entered.get(address, cell.text),
                    computed=_is_computed(address),
                    result_row=parts[0] == "table3" and parts[1] in fmt.T3_RESULT_ROWS,
                    error=invalid.get(address, ""),
                )
            )
        rows.append(out)
    return rows


@dataclass(frozen=True)
class ShownFinding:
    finding: Finding
    cells: list[tuple[str, str]]  # (anchor id, reader's name)

    @property
    def is_error(self) -> bool:
        return self.finding.severity is Severity.ERROR


def _shown(findings: list[Finding]) -> list[ShownFinding]:
    shown = []
    for finding in findings:
        cells = []
        for address in finding.cells:
            if address.startswith("section."):
                anchor = f"section-{address.split('.')[1]}"
            elif address.count(".") >= 1:
                anchor = "cell-" + address.replace(".", "-")
            else:
                anchor = f"table-{address}"
            cells.append((anchor, describe_cell(address)))
        shown.append(ShownFinding(finding, cells))
    return shown


def _posted_sections(request: HttpRequest) -> dict[str, str]:
    return {
        number: request.POST[f"section-{number}"]
        for number in SECTION_KEYS
        if f"section-{number}" in request.POST
    }


def _posted_cells(request: HttpRequest) -> dict[str, str]:
    return {
        key: request.POST.get(key, "")
        for key in request.POST
        if key.split(".", 1)[0] in ("table2", "table3", "table4") and not _is_computed(key)
    }


# -------------------------------------------------------------------------------------------------
# Lists


@staff_required
@require_GET
def reports_home(request: HttpRequest) -> HttpResponse:
    agencies = [a for a in agencies_for_user(request.user) if can_view_report(request.user, a)]
    return render(
        request,
        "workbench/reports/home.html",
        {
            "agencies": agencies,
            "supervises": supervised_agencies(request.user).exists(),
        },
    )


@staff_required
@require_GET
def agency_reports(request: HttpRequest, slug: str) -> HttpResponse:
    agency = _agency(request, slug)
    if agency is None:
        return forbidden(request)
    records = {record.year: record for record in report_records_for_agency(request.user, agency)}
    rows = [
        {
            "year": year,
            "record": records.get(year),
            "versions": list(records[year].versions.all()) if year in records else [],
            "deadline": report_deadline(agency, year),
        }
        for year in range(clock.today().year, FIRST_YEAR - 1, -1)
    ]
    return render(
        request,
        "workbench/reports/agency.html",
        {"agency": agency, "rows": rows, "can_edit": can_edit_report(request.user, agency)},
    )


@staff_required
@require_POST
def report_create(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    agency = _agency(request, slug)
    if agency is None:
        return forbidden(request)
    try:
        record, notes = report_draft_get_or_create(actor=request.user, agency=agency, year=year)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("workbench:reports_agency", slug=slug)
    messages.success(request, f"已生成{year}年度报告工作稿。")
    for note in notes:
        messages.warning(request, note)
    return redirect(_edit_url(record))


# -------------------------------------------------------------------------------------------------
# The edit page


def _edit_context(
    request: HttpRequest,
    record: ReportRecord,
    *,
    value: AnnualReport | None = None,
    entered_cells: Mapping[str, str] | None = None,
    entered_sections: Mapping[str, str] | None = None,
    invalid: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    user = request.user
    agency = record.agency
    report = value or record_value(record)
    previous = previous_published_value(agency, record.year)
    findings = report_findings(record, report)
    error_cells = {
        address
        for finding in findings
        if finding.severity is Severity.ERROR
        for address in finding.cells
    }
    sections = sections_beside_last_year(report, previous)
    shown_sections = [
        {
            "row": row,
            "text": (entered_sections or {}).get(row.number, row.text),
            "percent": None if row.similarity is None else round(row.similarity * 100),
        }
        for row in sections
    ]
    grids = report_grids(report)
    tables = [
        {
            "key": key,
            "caption": grid.caption,
            "name": fmt.TABLE_NAMES[key],
            "rows": _form_grid(grid, entered_cells or {}, invalid or {}),
            "error_cells": error_cells,
        }
        for key, grid in grids.items()
    ]
    editable = is_editable(record.status) and can_edit_report(user, agency)
    problems = submit_problems(record) if is_editable(record.status) else []
    finding_messages = {finding.message for finding in findings}
    return {
        "agency": agency,
        "record": record,
        "report": report,
        "previous": previous,
        "sections": shown_sections,
        "tables": tables,
        "error_cells": error_cells,
        "findings": _shown(findings),
        "problems": problems,
        "other_problems": [p for p in problems if p not in finding_messages],
        "editable": editable,
        "can_sign": can_sign_report(user, agency),
        "can_review": can_review_report(user, agency),
        "versions": list(report_versions(record)),
        "events": list(report_events(record)),
        "deadline": report_deadline(agency, record.year),
        "formats": FORMAT_NAMES,
        "Status": Status,
        "invalid": invalid or {},
    }


@staff_required
def report_edit(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    record = _record(request, slug, year)
    if record is None:
        return forbidden(request)
    if request.method == "POST":
        cells = _posted_cells(request)
        sections = _posted_sections(request)
        try:
            record = report_save_draft(
                actor=request.user, record=record, sections=sections, tables=cells
            )
        except ReportInputInvalid as exc:
            messages.error(request, exc.message)
            context = _edit_context(
                request,
                record,
                entered_cells=cells,
                entered_sections=sections,
                invalid={exc.field: exc.message} if exc.field else {},
            )
            return render(request, "workbench/reports/edit.html", context, status=400)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect(_edit_url(record))
        if request.POST.get("action") == "submit":
            try:
                report_submit(actor=request.user, record=record)
            except DomainError as exc:
                messages.error(request, "已保存，但未能报送：" + exc.message)
            else:
                messages.success(request, "年度报告已报送上级审核。")
        else:
            messages.success(request, "已保存。")
        return redirect(_edit_url(record))
    return render(request, "workbench/reports/edit.html", _edit_context(request, record))


@staff_required
@require_POST
def report_check(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """Re-run the checks on the form as it stands (htmx), without saving it."""
    record = _record(request, slug, year)
    if record is None:
        return forbidden(request)
    current = record_value(record)
    error = ""
    findings: list[Finding] = []
    try:
        tables = tables_from_input(_posted_cells(request), current, compute_totals=True)
    except ReportInputInvalid as exc:
        error = exc.message
    else:
        sections = {**current.sections, **_posted_sections(request)}
        value = AnnualReport(
            format=current.format,
            agency=current.agency,
            year=current.year,
            published_on=current.published_on,
            sections=sections,
            table2=tables.table2,
            table3=tables.table3,
            table4=tables.table4,
        )
        findings = report_findings(record, value)
    return render(
        request,
        "workbench/reports/_findings.html",
        {"findings": _shown(findings), "input_error": error, "checked": True},
    )


@staff_required
@require_POST
def report_refresh(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    record = _record(request, slug, year)
    if record is None:
        return forbidden(request)
    try:
        record, notes = report_refresh_tables(actor=request.user, record=record)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已按业务记录重新统计表二至表四。")
        for note in notes:
            messages.warning(request, note)
    return redirect(_edit_url(record))


@staff_required
@require_POST
def report_import(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    record = _record(request, slug, year)
    if record is None:
        return forbidden(request)
    upload = request.FILES.get("tables_file")
    if upload is None:
        messages.error(request, "请选择要导入的 Excel 表格。")
        return redirect(_edit_url(record))
    try:
        # Refused by content (an .xlsx, no zip bomb) before openpyxl opens it.
        checked = validate_upload(
            upload, allowed={Kind.XLSX}, max_bytes=IMPORT_MAX_BYTES, match_name=True, label="表格"
        )
        cells = read_tables(checked.data)
        report_save_draft(actor=request.user, record=record, tables=cells, compute_totals=False)
    except DomainError as exc:
        messages.error(request, "导入失败：" + exc.message)
    else:
        messages.success(request, "已从 Excel 表格导入表二至表四，请查看检查结果。")
    return redirect(_edit_url(record))


# -------------------------------------------------------------------------------------------------
# Workflow


def _back(request: HttpRequest, record: ReportRecord) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(_edit_url(record))


@staff_required
@require_POST
def report_submit_view(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    record = _record(request, slug, year)
    if record is None:
        return forbidden(request)
    try:
        report_submit(actor=request.user, record=record)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "年度报告已报送上级审核。")
    return _back(request, record)


@staff_required
@require_POST
def report_return_view(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    record = _record(request, slug, year)
    if record is None:
        return forbidden(request)
    try:
        report_return(actor=request.user, record=record, comment=request.POST.get("comment", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已退回{record.agency.name}{year}年度报告。")
    return _back(request, record)


@staff_required
@require_POST
def report_approve_view(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    record = _record(request, slug, year)
    if record is None:
        return forbidden(request)
    try:
        report_approve(actor=request.user, record=record, comment=request.POST.get("comment", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{record.agency.name}{year}年度报告已审核通过。")
    return _back(request, record)


@staff_required
@require_POST
def report_publish_view(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    record = _record(request, slug, year)
    if record is None:
        return forbidden(request)
    try:
        version = report_publish(
            actor=request.user, record=record, change_note=request.POST.get("change_note", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"年度报告已发布（第{version.number}版）。")
    return _back(request, record)


@staff_required
@require_POST
def report_correct_view(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    record = _record(request, slug, year)
    if record is None:
        return forbidden(request)
    try:
        report_start_correction(
            actor=request.user, record=record, change_note=request.POST.get("change_note", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已发起更正，报告回到草稿状态；重新发布时将公开更正说明。")
    return _back(request, record)


@staff_required
@require_http_methods(["GET", "POST"])
def report_download(
    request: HttpRequest, slug: str, year: int, which: str, file_format: str
) -> HttpResponse:
    """The report in one format. DOCX and PDF come from a background job (served at once when
    rendered, otherwise a "正在生成" page polling with htmx; POST retries a failed job); the
    quick formats are rendered in the request."""
    record = _record(request, slug, year)
    if record is None:
        return forbidden(request)
    if file_format not in DOWNLOADS:
        raise Http404
    version = None
    if which == "draft":
        value = record_value(record)
        suffix = "工作稿"
    else:
        try:
            version = report_version_get(record, int(which))
        except (ValueError, NotFoundError) as exc:
            raise Http404 from exc
        value = version_value(version)
        suffix = f"第{version.number}版"
    if file_format not in RENDERED_FORMATS:
        if request.method != "GET":
            raise Http404
        return download_response(value, file_format, suffix)
    rendered = rendered_file_request(
        record=record, version=version, value=value, file_format=file_format
    )
    if request.method == "POST":
        rendered_file_retry(rendered)
        return redirect(request.get_full_path())
    polling = request.headers.get("HX-Request") == "true"
    ready = is_ready(rendered)
    if ready and not polling:
        content_type, extension = DOWNLOADS[file_format]
        with rendered.file.open("rb") as handle:
            download = HttpResponse(handle.read(), content_type=content_type)
        disposition = content_disposition_header(
            as_attachment=True, filename=f"{value.title}（{suffix}）.{extension}"
        )
        if disposition:
            download["Content-Disposition"] = disposition
        return download
    failure = failure_message(rendered)
    response = render(
        request,
        "workbench/reports/_file_status.html" if polling else "workbench/reports/file_status.html",
        {
            "agency": record.agency,
            "record": record,
            "report": value,
            "suffix": suffix,
            "format_name": FORMAT_NAMES[file_format],
            "ready": ready,
            "failure": failure,
            "url": request.get_full_path(),
        },
        status=200 if ready or failure else 202,
    )
    add_never_cache_headers(response)
    return response


def download_response(value: AnnualReport, file_format: str, suffix: str) -> HttpResponse:
    renderers: dict[str, Callable[[AnnualReport], str | bytes]] = {
        "html": render_document,
        "docx": render_docx,
        "pdf": render_pdf,
        "xlsx": render_xlsx,
        "json": render_json,
    }
    content_type, extension = DOWNLOADS[file_format]
    content = renderers[file_format](value)
    response = HttpResponse(content, content_type=content_type)
    disposition = content_disposition_header(
        as_attachment=file_format != "html", filename=f"{value.title}（{suffix}）.{extension}"
    )
    if disposition:
        response["Content-Disposition"] = disposition
    return response


# -------------------------------------------------------------------------------------------------
# The supervising office


@staff_required
@require_GET
def reports_supervision(request: HttpRequest) -> HttpResponse:
    if not supervised_agencies(request.user).exists():
        return forbidden(request)
    today = clock.today()
    try:
        year = int(request.GET.get("year", today.year - 1))
    except ValueError:
        year = today.year - 1
    year = min(max(year, FIRST_YEAR), today.year)
    awaiting = []
    for record in reports_awaiting_review(request.user):
        findings = report_findings(record)
        awaiting.append(
            {
                "record": record,
                "findings": _shown(findings),
                "errors": sum(1 for f in findings if f.severity is Severity.ERROR),
                "warnings": sum(1 for f in findings if f.severity is Severity.WARNING),
            }
        )
    progress = report_progress(request.user, year)
    rows = [{"progress": row, "late": row.is_late(today)} for row in progress]
    return render(
        request,
        "workbench/reports/supervision.html",
        {
            "awaiting": awaiting,
            "rows": rows,
            "year": year,
            "years": list(range(today.year, FIRST_YEAR - 1, -1)),
            "late_count": sum(1 for row in rows if row["late"]),
            "today": today,
        },
    )
