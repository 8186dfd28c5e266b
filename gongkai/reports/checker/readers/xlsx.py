"""Excel workbooks: every sheet's rows as grid rows, merged ranges repeated in each slot.

A sheet whose first row is a section heading (the renderer's 表二/表三/表四 sheets) is placed
after that heading in the text sheet, so the table lands in its section as in the printed report.
A text sheet (heading in column A, section text in column B) becomes lines.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from gongkai.reports.checker.document import (
    Line,
    SourceDocument,
    UnreadableError,
    grid_line,
    text_line,
)
from gongkai.reports.checker.sections import heading_number

MAX_ROWS = 5_000
MAX_COLUMNS = 60


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)).normalize(), "f")
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    lines = (" ".join(part.split()) for part in str(value).splitlines())
    return "\n".join(line for line in lines if line)


def _grid(sheet: Worksheet) -> list[list[str]]:
    rows = [
        [_text(value) for value in row]
        for row in sheet.iter_rows(
            max_row=min(sheet.max_row, MAX_ROWS),
            max_col=min(sheet.max_column, MAX_COLUMNS),
            values_only=True,
        )
    ]
    for merged in sheet.merged_cells.ranges:
        top, left = merged.min_row - 1, merged.min_col - 1
        if top >= len(rows) or left >= MAX_COLUMNS:
            continue
        value = rows[top][left] if left < len(rows[top]) else ""
        for r in range(top, min(merged.max_row, len(rows))):
            for c in range(left, min(merged.max_col, len(rows[r]))):
                rows[r][c] = value
    return rows


def read_xlsx(data: bytes) -> SourceDocument:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=False, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise UnreadableError(f"Excel 文件无法打开：{error}") from error
    except Exception as error:  # openpyxl raises many kinds for a damaged package
        raise UnreadableError(f"Excel 文件已损坏，无法打开（{type(error).__name__}）") from error
    tables: dict[str, list[Line]] = {}
    others: list[list[Line]] = []
    for sheet in workbook.worksheets:
        rows = [row for row in _grid(sheet) if any(row)]
        if not rows:
            continue
        first = [cell for cell in rows[0] if cell]
        number = heading_number(first[0]) if first and len(set(first)) == 1 else None
        if number is not None and number not in tables:
            tables[number] = [text_line(first[0]), *(_row(row) for row in rows[1:])]
        else:
            others.append([line for row in rows for line in _sheet_row(row)])
    lines: list[Line] = []
    placed: set[str] = set()
    for sheet_lines in others:
        for line in sheet_lines:
            number = heading_number(line.text) if not line.grid else None
            if number is not None and number in tables and number not in placed:
                # The section's own text follows its heading; put the table after the heading
                # line here (the prose order within a section does not matter to the checks).
                lines.extend(tables[number])
                placed.add(number)
                continue
            lines.append(line)
    for number, table_lines in tables.items():
        if number not in placed:
            lines.extend(table_lines)
    return SourceDocument("xlsx", tuple(lines))


def _row(row: list[str]) -> Line:
    return grid_line(row)


def _sheet_row(row: list[str]) -> list[Line]:
    """A text sheet row (heading | text) as lines; a wider row as a grid row."""
    filled = [cell for cell in row if cell]
    if len(filled) == 1 or (len(row) <= 2 and filled):
        return [text_line(part.strip()) for cell in filled for part in cell.split("\n") if part]
    return [grid_line(row)]
