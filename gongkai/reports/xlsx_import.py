"""Read the three tables back from an Excel workbook laid out like the official table.

The layout is the one `renderers.xlsx` writes (the export is the template): a sheet per table named
表二/表三/表四, the section heading in row 1 and the grid from row 2, with the merged header cells
of `renderers.layout`. The reader checks that every header cell still says what the official table
says before it trusts a number, so a sheet with shifted rows is refused rather than misread.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile
from decimal import Decimal

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from gongkai.reports import format as fmt
from gongkai.reports.exceptions import ReportImportFailed
from gongkai.reports.renderers.layout import (
    CellKind,
    TableGrid,
    table2_grid,
    table3_grid,
    table4_grid,
)
from gongkai.reports.value import zero_table2, zero_table3, zero_table4

# renderers.xlsx writes the section heading in row 1 and the grid below it.
GRID_TOP_ROW = 2
MAX_BYTES = 5 * 1024 * 1024

_SPACE = re.compile(r"\s+")


def _grids() -> tuple[TableGrid, ...]:
    return (table2_grid(zero_table2()), table3_grid(zero_table3()), table4_grid(zero_table4()))


def _label(value: object) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", "" if value is None else str(value)))


def _raw(value: object) -> object:
    """A cell's value as the services parse it: ints stay ints, everything else becomes text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else repr(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return str(value)
    return str(value)


def _read_sheet(sheet: Worksheet, grid: TableGrid) -> dict[str, object]:
    name = fmt.TABLE_NAMES[grid.key]
    cells: dict[str, object] = {}
    for cell in grid.cells():
        row, column = GRID_TOP_ROW + cell.row, 1 + cell.column
        value = sheet.cell(row=row, column=column).value
        if cell.kind is CellKind.DATA and cell.address is not None:
            cells[cell.address] = _raw(value)
        elif cell.text and _label(value) != _label(cell.text):
            found = "" if value is None else str(value)
            raise ReportImportFailed(
                f"工作表“{name}”的{get_column_letter(column)}{row}单元格应为“{cell.text}”，"
                f"实际为“{found}”。请使用本平台导出的表格填写，不要增删行列。"
            )
    return cells


def read_tables(content: bytes) -> dict[str, object]:
    """The cells of tables 2–4 (`table3.granted.total` → 3, blank → "") from an .xlsx file.

    Raises ReportImportFailed (a Chinese message) when the file is not a workbook of that layout.
    """
    if len(content) > MAX_BYTES:
        raise ReportImportFailed("文件超过5MB，请上传本平台导出的年度报告表格。")
    try:
        workbook = load_workbook(io.BytesIO(content), data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise ReportImportFailed("无法打开该文件，请上传 .xlsx 格式的 Excel 表格。") from error
    cells: dict[str, object] = {}
    try:
        for grid in _grids():
            name = fmt.TABLE_NAMES[grid.key]
            if name not in workbook.sheetnames:
                raise ReportImportFailed(f"表格中缺少工作表“{name}”。")
            cells.update(_read_sheet(workbook[name], grid))
    finally:
        workbook.close()
    return cells
