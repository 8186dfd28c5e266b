"""XLSX rendering: one sheet per table laid out like the official table, and one with the text.

Supervising offices collect the tables into spreadsheets; each table sheet starts with its section
heading and then the official grid with the same merged header cells as the printed table. Counts
are numbers and the fee is a decimal number of 万元, so the sheets can be summed as they are.
"""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from gongkai.reports import format as fmt
from gongkai.reports.renderers.layout import CellKind, TableGrid, chinese_date, report_grids
from gongkai.reports.value import AnnualReport

TEXT_SHEET_TITLE = "报告正文"
FONT_NAME = "宋体"
# Sheet width in Excel character units, shared out by the grid's relative column widths.
SHEET_WIDTH = 110

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_BODY_FONT = Font(name=FONT_NAME, size=10)
_HEADING_FONT = Font(name=FONT_NAME, size=12, bold=True)


def _value(text: str, address: str | None) -> int | Decimal | str:
    """Numbers as numbers; a blank cell stays an empty string."""
    if address is None or text == "":
        return text
    if address == f"table2.{fmt.T2_FEES_PATH}":
        return Decimal(text)
    return int(text)


def _write_grid(sheet: Worksheet, grid: TableGrid) -> None:
    sheet.cell(row=1, column=1, value=grid.caption).font = _HEADING_FONT
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=grid.columns)
    top = 2  # the grid starts under the heading
    for index, share in enumerate(grid.widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = round(SHEET_WIDTH * share, 1)
    for cell in grid.cells():
        row, column = top + cell.row, 1 + cell.column
        target = sheet.cell(row=row, column=column, value=_value(cell.text, cell.address))
        horizontal = "left" if cell.kind is CellKind.ROW_HEADER else "center"
        target.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=True)
        target.font = _BODY_FONT
        if cell.address == f"table2.{fmt.T2_FEES_PATH}":
            target.number_format = "0.0###"
        # Borders on every covered cell, or merged ranges lose their outline.
        for r in range(row, row + cell.rowspan):
            for c in range(column, column + cell.colspan):
                sheet.cell(row=r, column=c).border = _BORDER
        if cell.rowspan > 1 or cell.colspan > 1:
            sheet.merge_cells(
                start_row=row,
                start_column=column,
                end_row=row + cell.rowspan - 1,
                end_column=column + cell.colspan - 1,
            )
    if grid.header_rows:
        sheet.freeze_panes = sheet.cell(row=top + grid.header_rows, column=1)


def _write_text(sheet: Worksheet, report: AnnualReport) -> None:
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 100
    rows: list[tuple[str, str]] = [(report.title, "")]
    if report.preamble:
        rows.append(("", report.preamble))
    rows += [
        (section.heading, report.sections[section.number])
        for section in fmt.SECTIONS
        if section.number in report.sections
    ]
    signature = report.agency.name
    if report.published_on is not None:
        signature += "\n" + chinese_date(report.published_on)
    rows.append(("", signature))
    for index, (heading, text) in enumerate(rows, start=1):
        label = sheet.cell(row=index, column=1, value=heading)
        label.font = _HEADING_FONT
        label.alignment = Alignment(vertical="top", wrap_text=True)
        body = sheet.cell(row=index, column=2, value=text)
        body.font = _BODY_FONT
        body.alignment = Alignment(vertical="top", wrap_text=True)


def render_xlsx(report: AnnualReport) -> bytes:
    """The report as an .xlsx workbook: 表二, 表三, 表四 (those it has) and 报告正文."""
    workbook = Workbook()
    first = workbook.active
    if first is not None:
        workbook.remove(first)
    for key, grid in report_grids(report).items():
        _write_grid(workbook.create_sheet(fmt.TABLE_NAMES[key]), grid)
    _write_text(workbook.create_sheet(TEXT_SHEET_TITLE), report)
    workbook.properties.title = report.title
    workbook.properties.creator = report.agency.name
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
