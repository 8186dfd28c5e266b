"""Presenting check results: JSON (spec §6 findings with the canonical report), a plain-text table
for the terminal, and a standalone HTML page with the parsed tables and offending cells marked."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from html import escape

from openpyxl import Workbook

from gongkai.reports import format as fmt
from gongkai.reports.checker.check import CheckResult
from gongkai.reports.renderers.html import SCREEN_STYLESHEET, render_tables
from gongkai.reports.rules import Finding, Severity

SEVERITY_NAMES = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}


def to_json(results: Sequence[CheckResult]) -> str:
    return json.dumps([result.to_json() for result in results], ensure_ascii=False, indent=2) + "\n"


def to_table(results: Sequence[CheckResult]) -> str:
    lines: list[str] = []
    for result in results:
        report = None if result.parsed is None else result.parsed.report
        if report is None:
            lines.append(f"== {result.file}")
        else:
            year = report.year if result.parsed and result.parsed.year_known else "年度不明"
            lines.append(
                f"== {result.file}：{report.agency.name}，{year}，{fmt.FORMAT_NAMES[report.format]}"
            )
        if not result.findings:
            lines.append("   未发现问题")
        for item in result.findings:
            cells = "、".join(item.cells[:4]) + ("…" if len(item.cells) > 4 else "")
            lines.append(
                f"   [{SEVERITY_NAMES[item.severity]}] {item.rule.value}"
                + (f" （{cells}）" if cells else "")
                + f"：{item.message}"
            )
        errors = sum(1 for item in result.findings if item.severity is Severity.ERROR)
        warnings = sum(1 for item in result.findings if item.severity is Severity.WARNING)
        lines.append(f"   共 {errors} 个错误，{warnings} 个警告")
    return "\n".join(lines) + "\n"


FLAG_CLASSES = {
    Severity.ERROR: "gk-flag gk-flag-error",
    Severity.WARNING: "gk-flag gk-flag-warning",
}


def flagged_tables(
    result: CheckResult,
    *,
    flag_classes: dict[Severity, str] | None = None,
    table_class: str = "",
) -> str:
    """The parsed tables as HTML, each cell named in a finding marked with its severity
    (`flag_classes` names the CSS classes; `table_class` is added to each table's)."""
    if result.parsed is None:
        return ""
    classes = FLAG_CLASSES if flag_classes is None else flag_classes
    markup = render_tables(result.parsed.report)
    if table_class:
        markup = markup.replace('class="gk-table ', f'class="{table_class} gk-table ')
    worst: dict[str, Severity] = {}
    for item in result.findings:
        for cell in item.cells:
            if worst.get(cell) is not Severity.ERROR:
                worst[cell] = item.severity
            # A whole row named by ROW-MISSING or a bare table has no data cell to mark.
    for cell, severity in worst.items():
        if severity in classes:
            markup = markup.replace(
                f'data-cell="{escape(cell)}"',
                f'data-cell="{escape(cell)}" class="{classes[severity]}"',
            )
    return markup


def finding_items(findings: Sequence[Finding]) -> str:
    items = []
    for item in findings:
        cells = " ".join(escape(cell) for cell in item.cells)
        items.append(
            f'<li class="gk-finding gk-finding-{item.severity.value}" data-cells="{cells}">'
            f"<strong>{escape(SEVERITY_NAMES[item.severity])} {escape(item.rule.value)}</strong>"
            f"：{escape(item.message)}</li>"
        )
    return "\n".join(items)


FLAG_STYLESHEET = """
.gk-flag-error { background: #f8d7da; outline: 2px solid #dc3545; }
.gk-flag-warning { background: #fff3cd; outline: 2px solid #ffc107; }
.gk-finding-error { color: #842029; }
.gk-finding-warning { color: #664d03; }
.gk-file { margin-bottom: 3em; }
"""


def findings_xlsx(rows: Sequence[tuple[str, Finding]]) -> bytes:
    """(file, finding) rows as an .xlsx workbook: 文件、规则、级别、单元格、说明."""
    workbook = Workbook()
    sheet = workbook.active
    if sheet is None:  # a new workbook always has a sheet
        sheet = workbook.create_sheet()
    sheet.title = "检查结果"
    sheet.append(["文件", "规则", "级别", "单元格", "说明"])
    for file, item in rows:
        sheet.append(
            [
                file,
                item.rule.value,
                SEVERITY_NAMES[item.severity],
                " ".join(item.cells),
                item.message,
            ]
        )
    for column, width in zip("ABCDE", (30, 22, 8, 40, 90), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_html(results: Sequence[CheckResult]) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        "<title>年度报告检查结果</title>",
        f"<style>{SCREEN_STYLESHEET}{FLAG_STYLESHEET}</style>",
        "</head>",
        "<body>",
        "<h1>年度报告检查结果</h1>",
    ]
    for result in results:
        report = None if result.parsed is None else result.parsed.report
        heading = escape(result.file)
        if report is not None:
            heading += f"：{escape(report.agency.name)} {report.year}"
        parts += [
            '<section class="gk-file">',
            f"<h2>{heading}</h2>",
            "<ul>",
            finding_items(result.findings) or "<li>未发现问题</li>",
            "</ul>",
            flagged_tables(result),
            "</section>",
        ]
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)
