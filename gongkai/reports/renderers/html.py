"""HTML rendering of an annual report: the three tables, the article, a standalone document.

The tables carry the official merged cells (rowspan/colspan, spec §3) and are accessible: every
header is a `<th>` with a scope and an id, and every data cell lists the headers that describe it
(`headers`, WCAG technique H43), because table 3's three levels of row labels defeat `scope` alone.
"""

from __future__ import annotations

from html import escape

from gongkai.reports import format as fmt
from gongkai.reports.renderers.layout import (
    CellKind,
    GridCell,
    TableGrid,
    chinese_date,
    paragraphs,
    report_grids,
)
from gongkai.reports.value import AnnualReport

SCREEN_STYLESHEET = """
.gk-report { font-family: "仿宋_GB2312", "FangSong", "Noto Serif CJK SC", serif;
  max-width: 52em; margin: 0 auto; line-height: 1.8; }
.gk-report h1 { font-family: "方正小标宋简体", "Noto Serif CJK SC", serif; text-align: center;
  font-size: 1.6em; }
.gk-report h2 { font-family: "黑体", "SimHei", "Noto Sans CJK SC", sans-serif; font-size: 1.1em; }
.gk-report p { text-indent: 2em; margin: 0; }
.gk-table { border-collapse: collapse; width: 100%; margin: .5em 0 1em; font-size: .85em;
  line-height: 1.4; }
.gk-table caption { position: absolute; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; }
.gk-table th, .gk-table td { border: 1px solid #000; padding: .2em .3em; text-align: center;
  vertical-align: middle; font-weight: normal; }
.gk-table th.gk-row { text-align: left; }
.gk-table td.gk-note { font-size: .9em; }
.gk-signature { text-align: right; margin-top: 2em; }
.gk-signature p { text-indent: 0; }
"""


def _attributes(cell: GridCell) -> str:
    parts = []
    if cell.scope:
        parts.append(f'scope="{cell.scope}"')
    if cell.cell_id:
        parts.append(f'id="gk-{cell.cell_id}"')
    if cell.headers:
        parts.append(f'headers="{" ".join(f"gk-{header}" for header in cell.headers)}"')
    if cell.rowspan > 1:
        parts.append(f'rowspan="{cell.rowspan}"')
    if cell.colspan > 1:
        parts.append(f'colspan="{cell.colspan}"')
    if cell.kind is CellKind.ROW_HEADER:
        parts.append('class="gk-row"')
    elif cell.kind is CellKind.NOTE:
        parts.append('class="gk-note"')
    if cell.address:
        parts.append(f'data-cell="{escape(cell.address)}"')
    return (" " + " ".join(parts)) if parts else ""


def _cell(cell: GridCell) -> str:
    tag = "th" if cell.is_header else "td"
    return f"<{tag}{_attributes(cell)}>{escape(cell.text)}</{tag}>"


def render_grid(grid: TableGrid) -> str:
    """One table as `<table>` markup; its column-header rows go in `<thead>`."""
    lines = [f'<table class="gk-table gk-{grid.key}" id="gk-{grid.key}">']
    lines.append(f"<caption>{escape(grid.caption)}</caption>")
    lines.append("<colgroup>")
    lines += [f'<col style="width:{width:.2%}">' for width in grid.widths]
    lines.append("</colgroup>")
    head, body = grid.rows[: grid.header_rows], grid.rows[grid.header_rows :]
    if head:
        lines.append("<thead>")
        lines += ["<tr>" + "".join(_cell(cell) for cell in row) + "</tr>" for row in head]
        lines.append("</thead>")
    lines.append("<tbody>")
    lines += ["<tr>" + "".join(_cell(cell) for cell in row) + "</tr>" for row in body]
    lines.append("</tbody>")
    lines.append("</table>")
    return "\n".join(lines)


def render_tables(report: AnnualReport) -> str:
    """The report's tables (2, 3, 4 — those it has) as an HTML fragment."""
    return "\n".join(render_grid(grid) for grid in report_grids(report).values())


def _paragraphs(text: str) -> list[str]:
    return [f"<p>{escape(paragraph)}</p>" for paragraph in paragraphs(text)]


def render_article(report: AnnualReport) -> str:
    """The whole report as an `<article>`: title, preamble, the six sections with their tables."""
    grids = report_grids(report)
    lines = ['<article class="gk-report" lang="zh-CN">', f"<h1>{escape(report.title)}</h1>"]
    if report.preamble:
        lines += ['<div class="gk-preamble">', *_paragraphs(report.preamble), "</div>"]
    for section in fmt.SECTIONS:
        text = report.section(section.number)
        grid = grids.get(section.table) if section.table else None
        if text is None and grid is None:
            continue
        heading_id = f"gk-section-{section.number}"
        lines.append(f'<section class="gk-section" aria-labelledby="{heading_id}">')
        lines.append(f'<h2 id="{heading_id}">{escape(section.heading)}</h2>')
        lines += _paragraphs(text or "")
        if grid is not None:
            lines.append(render_grid(grid))
        lines.append("</section>")
    lines.append('<footer class="gk-signature">')
    lines.append(f"<p>{escape(report.agency.name)}</p>")
    if report.published_on is not None:
        lines.append(f"<p>{chinese_date(report.published_on)}</p>")
    lines += ["</footer>", "</article>"]
    return "\n".join(lines)


def render_document(report: AnnualReport, *, stylesheet: str = SCREEN_STYLESHEET) -> str:
    """A standalone HTML5 document of the report."""
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="zh-CN">',
            "<head>",
            '<meta charset="utf-8">',
            f"<title>{escape(report.title)}</title>",
            f"<style>{stylesheet}</style>",
            "</head>",
            "<body>",
            render_article(report),
            "</body>",
            "</html>",
            "",
        ]
    )
