"""Writing reports in the shapes published reports reach the checker in (for the fixtures).

Everything is laid out from the renderers' grids (`renderers.layout`), so no official label is
typed here. `site_html` imitates a government website's article page (layout table, title block,
发布时间 line, cells wrapping their text in nested `<p>`/`<span>` with `&nbsp;`); `cell_lines` the
text a scraper gets from such a page, one cell per line; `pipe_rows` the `|`-separated rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from html import escape

from gongkai.reports import format as fmt
from gongkai.reports.renderers.layout import chinese_date, paragraphs, report_grids
from gongkai.reports.value import (
    Agency,
    AnnualReport,
    Table2,
    table3_from_counts,
    table4_from_counts,
)

AGENCY = Agency("示例市清河区柳泉镇人民政府", fmt.AgencyLevel.TOWNSHIP)
OTHER_AGENCY = Agency("示例市清河区桃源街道办事处", fmt.AgencyLevel.TOWNSHIP)

SECTIONS = {
    "0": (
        "本报告依据《中华人民共和国政府信息公开条例》编制，所列数据统计期限自2023年1月1日起至"
        "2023年12月31日止。报告电子版可在清河区人民政府门户网站查阅。如有疑问，请与柳泉镇党政办公室"
        "联系（电话：0000-1234567）。"
    ),
    "1": (
        "2023年，柳泉镇围绕群众关切推进政务公开，公开目录和指南按季度更新。\n"
        "（一）主动公开。全年主动公开政府信息86条，其中门户网站发布50条，政务微信发布36条。\n"
        "（二）依申请公开。全年共收到政府信息公开申请7件，上年结转2件，办结8件，结转下年度继续办理1件。\n"
        "（三）政府信息管理。落实发布前审核和保密审查，定期清理过时信息。\n"
        "（四）平台建设。维护镇政务公开专栏，栏目设置与区平台保持一致。\n"
        "（五）监督保障。政务公开纳入镇年度考核，由党政办公室督办。"
    ),
    "2": "",
    "3": "",
    "4": "全年发生政府信息公开行政复议2件，行政诉讼1件。",
    "5": (
        "存在的问题：部分办公室提供信息不够及时，政策解读形式较少。"
        "改进情况：针对上年度指出的栏目更新慢问题，已建立每周更新提醒。"
    ),
    "6": (
        "（一）信息处理费：本年度未发出收费通知，未收取信息处理费。\n"
        "（二）人大代表建议和政协提案：本年度承办人大代表建议3件、政协提案2件，均已办结。\n"
        "（三）年度政务公开工作要点落实情况：已逐项落实。"
    ),
}


def table3_counts() -> dict[str, dict[str, int]]:
    """7 new + 2 carried over = 8 processed + 1 carried forward."""
    return {
        "new_received": {"natural_person": 5, "business": 1, "legal_services": 1},
        "carried_over": {"natural_person": 2},
        "granted": {"natural_person": 3, "business": 1},
        "partial": {"natural_person": 1},
        "denied_third_party": {"legal_services": 1},
        "unable_not_held": {"natural_person": 1},
        "rejected_duplicate": {"natural_person": 1},
        "carried_forward": {"natural_person": 1},
    }


def clean_report(**changes: object) -> AnnualReport:
    """A complete, consistent 2021-format township report for 2023 that passes every rule."""
    report = AnnualReport(
        format=fmt.ReportFormat.F2021,
        agency=AGENCY,
        year=2023,
        published_on=dt.date(2024, 1, 22),
        sections=SECTIONS,
        table2=Table2.build(
            normative_documents=(1, 0, 4), licensing=12, punishment=3, coercion=0, fees_yuan=0
        ),
        table3=table3_from_counts(table3_counts()),
        table4=table4_from_counts(
            {"review": {"upheld": 1, "pending": 1}, "litigation_direct": {"upheld": 1}}
        ),
    )
    return replace(report, **changes)  # type: ignore[arg-type]


def with_section(report: AnnualReport, number: str, text: str | None) -> AnnualReport:
    sections = dict(report.sections)
    if text is None:
        sections.pop(number, None)
    else:
        sections[number] = text
    return replace(report, sections=sections)


CellText = Callable[[str, str], str]


def _same(address: str, text: str) -> str:
    return text


def _html_table(report: AnnualReport, key: str, cell_text: CellText) -> str:
    grid = report_grids(report)[key]
    rows = []
    for row in grid.rows:
        cells = []
        for cell in row:
            text = cell_text(cell.address, cell.text) if cell.address else cell.text
            spans = ""
            if cell.rowspan > 1:
                spans += f' rowspan="{cell.rowspan}"'
            if cell.colspan > 1:
                spans += f' colspan="{cell.colspan}"'
            inner = escape(text).replace(" ", "&nbsp;")
            cells.append(
                f'<td{spans} valign="center"><p style="text-align:center">'
                f'<span style="font-size:12px">{inner}</span>&nbsp;</p></td>'
            )
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (
        '<table border="1" cellspacing="0" cellpadding="0" width="100%"><tbody>'
        + "\n".join(rows)
        + "</tbody></table>"
    )


def site_html(
    report: AnnualReport,
    *,
    cell_text: CellText = _same,
    charset: str | None = "utf-8",
    encoding: str = "utf-8",
) -> bytes:
    """The report as a government website's article page."""
    published = report.published_on.isoformat() if report.published_on else ""
    body = [f'<div class="xl-title">{escape(report.title)}</div>']
    body.append(
        f'<div class="xl-info">来源：{escape(report.agency.name)}　发布时间：{published}</div>'
    )
    body.append('<div class="xl-content" id="zoom">')
    body += [f"<p>&nbsp;&nbsp;{escape(p)}</p>" for p in paragraphs(report.preamble)]
    grids = report_grids(report)
    for section in fmt.SECTIONS:
        text = report.section(section.number)
        if text is None and section.table not in grids:
            continue
        body.append(f"<p><strong>{escape(section.heading)}</strong></p>")
        body += [f"<p>&nbsp;&nbsp;{escape(p)}</p>" for p in paragraphs(text or "")]
        if section.table in grids:
            body.append(_html_table(report, section.table, cell_text))
    body.append(f'<p style="text-align:right">{escape(report.agency.name)}</p>')
    if report.published_on:
        body.append(f'<p style="text-align:right">{chinese_date(report.published_on)}</p>')
    body.append("</div>")
    meta = (
        f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">'
        if charset
        else ""
    )
    page = (
        f"<html><head>{meta}<title>{escape(report.title)}_政务公开</title>"
        "<script>var a = '<p>不是正文</p>';</script><style>p{margin:0}</style></head>"
        '<body><div class="top">首页 | 政务公开 | 政府信息公开年报</div>'
        '<table width="1000" align="center"><tr><td>'
        + "\n".join(body)
        + '</td></tr></table><div class="footer">主办单位：示例市清河区人民政府</div>'
        "</body></html>"
    )
    return page.encode(encoding)


def _origin_rows(report: AnnualReport, key: str, cell_text: CellText) -> list[list[str]]:
    return [
        [cell_text(cell.address, cell.text) if cell.address else cell.text for cell in row]
        for row in report_grids(report)[key].rows
    ]


def _text_lines(
    report: AnnualReport, table_lines: Callable[[str], list[str]], with_header: bool = True
) -> list[str]:
    lines = [report.title]
    if with_header and report.published_on:
        lines.append(f"发布日期：{report.published_on.isoformat()} 09:30")
    lines += paragraphs(report.preamble)
    grids = report_grids(report)
    for section in fmt.SECTIONS:
        text = report.section(section.number)
        if text is None and section.table not in grids:
            continue
        lines.append(section.heading)
        lines += paragraphs(text or "")
        if section.table in grids:
            lines += table_lines(section.table)
    lines.append(report.agency.name)
    if report.published_on:
        lines.append(chinese_date(report.published_on))
    return lines


def _split_label(text: str) -> list[str]:
    """Scraped header cells keep the page's line breaks: 商业企业 → 商业 / 企业."""
    if len(text) == 4 and text in {column.label for column in fmt.T3_COLUMNS}:
        return [text[:2], text[2:]]
    return [text]


def cell_lines(
    report: AnnualReport, *, cell_text: CellText = _same, double_spaced: bool = True
) -> str:
    """One cell per line, as scraped; cells separated by blank lines when `double_spaced`
    (then an empty cell is an extra blank line), else an empty cell is an empty line."""

    def table(key: str) -> list[str]:
        out: list[str] = []
        for row in _origin_rows(report, key, cell_text):
            for text in row:
                out += _split_label(text) if key == "table3" else [text]
        return out

    lines = _text_lines(report, table)
    if double_spaced:
        return "\n\n".join(lines) + "\n"
    return "\n".join(lines) + "\n"


def pipe_rows(report: AnnualReport, *, cell_text: CellText = _same) -> str:
    """Each table row as `cell | cell |`, spanned rows padded with empty cells."""

    def table(key: str) -> list[str]:
        width = report_grids(report)[key].columns
        out = []
        for row in _origin_rows(report, key, cell_text):
            padding = "|" * max(0, width - len(row))
            out.append(" | ".join(row) + " |" + padding)
        return out

    return "\n".join(_text_lines(report, table)) + "\n"
