"""The three tables as printed: a grid of cells with their merges, shared by every renderer.

HTML, DOCX and XLSX all lay the tables out from these grids, so the merged cells of spec §3 (and the
header rows of tables 2 and 4) are decided once. Each cell knows its grid position and spans,
whether it is a header, and — for accessibility in HTML — its id and the ids of the headers that
describe it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from enum import StrEnum

from gongkai.reports import format as fmt
from gongkai.reports.value import AnnualReport, Table2, Table3, Table4, wan_yuan_text


class CellKind(StrEnum):
    NOTE = "note"  # table 3's top-left 勾稽关系 cell
    COLUMN_HEADER = "column_header"
    ROW_HEADER = "row_header"
    DATA = "data"


@dataclass(frozen=True)
class GridCell:
    text: str
    kind: CellKind
    rowspan: int = 1
    colspan: int = 1
    cell_id: str | None = None
    headers: tuple[str, ...] = ()  # ids of the header cells that describe this cell
    address: str | None = None  # data cells: `table3.granted.total`
    row: int = 0  # grid position, filled in by `_place`
    column: int = 0

    @property
    def is_header(self) -> bool:
        return self.kind in (CellKind.COLUMN_HEADER, CellKind.ROW_HEADER)

    @property
    def scope(self) -> str | None:
        """The HTML scope: a header spanning several rows or columns heads a group."""
        if self.kind is CellKind.COLUMN_HEADER:
            return "colgroup" if self.colspan > 1 else "col"
        if self.kind is CellKind.ROW_HEADER:
            return "rowgroup" if self.rowspan > 1 else "row"
        return None


@dataclass(frozen=True)
class TableGrid:
    key: str  # table2 / table3 / table4
    caption: str  # the heading of the section that carries the table
    columns: int
    rows: tuple[tuple[GridCell, ...], ...]  # the cells that start in each grid row
    header_rows: int  # leading rows of column headers (repeated on each printed page)
    widths: tuple[float, ...]  # relative column widths, summing to 1

    def cells(self) -> list[GridCell]:
        return [cell for row in self.rows for cell in row]


def _place(rows: list[list[GridCell]], columns: int) -> tuple[tuple[GridCell, ...], ...]:
    """Give each cell its grid position, skipping slots covered by row spans from above."""
    covered: set[tuple[int, int]] = set()
    placed: list[tuple[GridCell, ...]] = []
    for row_index, row in enumerate(rows):
        column = 0
        out = []
        for cell in row:
            while (row_index, column) in covered:
                column += 1
            for r in range(row_index, row_index + cell.rowspan):
                for c in range(column, column + cell.colspan):
                    covered.add((r, c))
            out.append(replace(cell, row=row_index, column=column))
            column += cell.colspan
        if column > columns:
            raise ValueError(f"row {row_index} is wider than {columns} columns")
        placed.append(tuple(out))
    return tuple(placed)


def count_text(value: int | None) -> str:
    """A count as printed: blank cells stay blank."""
    return "" if value is None else str(value)


def fee_text(yuan: int | None) -> str:
    return "" if yuan is None else wan_yuan_text(yuan)


def chinese_date(day: dt.date) -> str:
    """The date as a 公文 prints it: 2024年1月25日."""
    return f"{day.year}年{day.month}月{day.day}日"


def _caption(key: str) -> str:
    return fmt.SECTION_BY_NUMBER[fmt.TABLE_SECTION[key]].heading


def table2_grid(table: Table2) -> TableGrid:
    """二、主动公开政府信息情况: per 第二十条 group a header row, a 信息内容 row, its items."""
    width = 1 + fmt.T2_VALUE_COLUMNS
    rows: list[list[GridCell]] = []
    for group_index, group in enumerate(fmt.T2_GROUPS):
        group_id = f"t2-g{group_index}"
        rows.append(
            [GridCell(group.header, CellKind.COLUMN_HEADER, colspan=width, cell_id=group_id)]
        )
        value_span = fmt.T2_VALUE_COLUMNS // (len(group.column_labels) - 1)
        label_ids = [f"{group_id}-c{index}" for index in range(len(group.column_labels))]
        rows.append(
            [
                GridCell(
                    label,
                    CellKind.COLUMN_HEADER,
                    colspan=1 if index == 0 else value_span,
                    cell_id=label_ids[index],
                    headers=(group_id,),
                )
                for index, label in enumerate(group.column_labels)
            ]
        )
        for item in group.items:
            item_id = f"t2-{item.key}"
            row = [
                GridCell(item.label, CellKind.ROW_HEADER, cell_id=item_id, headers=(label_ids[0],))
            ]
            for column_index, path in enumerate(item.paths(), start=1):
                value = table.get(path)
                row.append(
                    GridCell(
                        fee_text(value) if item.is_money else count_text(value),
                        CellKind.DATA,
                        colspan=value_span,
                        headers=(group_id, label_ids[column_index], item_id),
                        address=f"table2.{path}",
                    )
                )
            rows.append(row)
    widths = (0.28, *(0.72 / fmt.T2_VALUE_COLUMNS,) * fmt.T2_VALUE_COLUMNS)
    return TableGrid("table2", _caption("table2"), width, _place(rows, width), 0, widths)


def table3_grid(table: Table3) -> TableGrid:
    """三、收到和处理政府信息公开申请情况 with the merged cells of spec §3."""
    width = fmt.T3_LABEL_COLUMNS + len(fmt.T3_COLUMNS)
    applicants_id, organisation_id = "t3-applicants", "t3-organisation"
    column_ids = {column.key: f"t3-c-{column.key}" for column in fmt.T3_COLUMNS}
    column_headers = {
        column.key: (
            (applicants_id, organisation_id, column_ids[column.key])
            if column.is_organisation
            else (applicants_id, column_ids[column.key])
        )
        for column in fmt.T3_COLUMNS
    }
    header_span = 3
    rows: list[list[GridCell]] = [
        [
            GridCell(
                fmt.T3_CORNER_LABEL,
                CellKind.NOTE,
                rowspan=header_span,
                colspan=fmt.T3_LABEL_COLUMNS,
            ),
            GridCell(
                fmt.T3_HEADER_LABEL,
                CellKind.COLUMN_HEADER,
                colspan=len(fmt.T3_COLUMNS),
                cell_id=applicants_id,
            ),
        ],
        [],
        [],
    ]
    organisation_columns = [column for column in fmt.T3_COLUMNS if column.is_organisation]
    for column in fmt.T3_COLUMNS:
        if column.is_organisation:
            if column is organisation_columns[0]:
                rows[1].append(
                    GridCell(
                        fmt.T3_ORGANISATION_GROUP_LABEL,
                        CellKind.COLUMN_HEADER,
                        colspan=len(organisation_columns),
                        cell_id=organisation_id,
                        headers=(applicants_id,),
                    )
                )
            rows[2].append(
                GridCell(
                    column.label,
                    CellKind.COLUMN_HEADER,
                    cell_id=column_ids[column.key],
                    headers=(applicants_id, organisation_id),
                )
            )
        else:
            rows[1].append(
                GridCell(
                    column.label,
                    CellKind.COLUMN_HEADER,
                    rowspan=2,
                    cell_id=column_ids[column.key],
                    headers=(applicants_id,),
                )
            )
    # Each data cell is described by the label of every level its row sits under; a label cell
    # starts the run of rows it spans (see `format.t3_label_layout`).
    current: dict[int, str] = {}
    for row, labels in zip(fmt.T3_ROWS, fmt.t3_label_layout(), strict=True):
        cells: list[GridCell] = []
        for label in labels:
            current[label.level] = f"t3-l{label.level}-{row.key}"
            cells.append(
                GridCell(
                    label.text,
                    CellKind.ROW_HEADER,
                    rowspan=label.rowspan,
                    colspan=label.colspan,
                    cell_id=current[label.level],
                    headers=tuple(current[level] for level in range(1, label.level)),
                )
            )
        depth = len(row.labels)
        row_headers = tuple(current[level] for level in range(1, depth + 1))
        for column in fmt.T3_COLUMNS:
            cells.append(
                GridCell(
                    count_text(table.cell(row.key, column.key)),
                    CellKind.DATA,
                    headers=(*column_headers[column.key], *row_headers),
                    address=f"table3.{row.key}.{column.key}",
                )
            )
        rows.append(cells)
    # The level-3 labels are the longest; the seven count columns share what is left.
    label_widths = (0.08, 0.13, 0.34)
    count_width = (1 - sum(label_widths)) / len(fmt.T3_COLUMNS)
    widths = (*label_widths, *(count_width,) * len(fmt.T3_COLUMNS))
    return TableGrid("table3", _caption("table3"), width, _place(rows, width), header_span, widths)


def table4_grid(table: Table4) -> TableGrid:
    """四、政府信息公开行政复议、行政诉讼情况: three groups of five columns, one data row."""
    parts = len(fmt.T4_COLUMNS)
    width = parts * len(fmt.T4_GROUPS)
    litigation = [group for group in fmt.T4_GROUPS if group.sublabel is not None]
    top: list[GridCell] = []
    middle: list[GridCell] = []
    group_headers: dict[str, tuple[str, ...]] = {}
    litigation_id = "t4-litigation"
    for group in fmt.T4_GROUPS:
        group_id = f"t4-{group.key}"
        if group.sublabel is None:
            top.append(
                GridCell(
                    group.label, CellKind.COLUMN_HEADER, rowspan=2, colspan=parts, cell_id=group_id
                )
            )
            group_headers[group.key] = (group_id,)
            continue
        if group is litigation[0]:
            top.append(
                GridCell(
                    group.label,
                    CellKind.COLUMN_HEADER,
                    colspan=parts * len(litigation),
                    cell_id=litigation_id,
                )
            )
        middle.append(
            GridCell(
                group.sublabel,
                CellKind.COLUMN_HEADER,
                colspan=parts,
                cell_id=group_id,
                headers=(litigation_id,),
            )
        )
        group_headers[group.key] = (litigation_id, group_id)
    labels: list[GridCell] = []
    data: list[GridCell] = []
    for group in fmt.T4_GROUPS:
        for column in fmt.T4_COLUMNS:
            column_id = f"t4-{group.key}-{column.key}"
            labels.append(
                GridCell(
                    column.label,
                    CellKind.COLUMN_HEADER,
                    cell_id=column_id,
                    headers=group_headers[group.key],
                )
            )
            data.append(
                GridCell(
                    count_text(table.cell(group.key, column.key)),
                    CellKind.DATA,
                    headers=(*group_headers[group.key], column_id),
                    address=f"table4.{group.key}.{column.key}",
                )
            )
    rows = [top, middle, labels, data]
    widths = (1 / width,) * width
    return TableGrid("table4", _caption("table4"), width, _place(rows, width), 3, widths)


def report_grids(report: AnnualReport) -> dict[str, TableGrid]:
    """The grids of the tables the report has, keyed table2/table3/table4."""
    grids: dict[str, TableGrid] = {}
    if report.table2 is not None:
        grids["table2"] = table2_grid(report.table2)
    if report.table3 is not None:
        grids["table3"] = table3_grid(report.table3)
    if report.table4 is not None:
        grids["table4"] = table4_grid(report.table4)
    return grids


def paragraphs(text: str) -> list[str]:
    """A section's plain text as paragraphs: one per non-empty line."""
    return [line.strip() for line in text.splitlines() if line.strip()]
