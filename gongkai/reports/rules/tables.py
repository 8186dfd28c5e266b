"""Rules on the three tables: presence, structure, cells and arithmetic (spec §6).

SECTION-MISSING, TABLE-MISSING, ROW-MISSING, CELL-BLANK, CELL-INVALID, T3-TOTAL-COLUMN,
T3-RESULT-SUM, T3-BALANCE and T4-TOTAL — all errors: a report failing one is not publishable.
"""

from __future__ import annotations

import re
from decimal import Decimal

from gongkai.reports import format as fmt
from gongkai.reports.rules.findings import (
    SECTION_NUMERALS,
    Finding,
    Rule,
    describe_cell,
    finding,
    money_text,
    t3_column_name,
    t3_row_name,
    t4_group_name,
)
from gongkai.reports.rules.folding import nfkc
from gongkai.reports.value import AnnualReport, Cell, Table2, Table3, Table4

# -------------------------------------------------------------------------------------------------
# Structure: SECTION-MISSING, TABLE-MISSING, ROW-MISSING


def check_sections(report: AnnualReport) -> list[Finding]:
    """SECTION-MISSING: the 2021 format fixes six headed sections (条例第五十条 lists them)."""
    return [
        finding(
            Rule.SECTION_MISSING,
            [f"section.{s.number}"],
            f"报告缺少第{SECTION_NUMERALS[s.number]}部分“{s.heading}”",
        )
        for s in fmt.SECTIONS
        if s.number not in report.sections
    ]


def check_tables_present(report: AnnualReport) -> list[Finding]:
    """TABLE-MISSING: the tables are printed in full, with zeros, even if nothing happened."""
    found = []
    for table, value in (
        ("table2", report.table2),
        ("table3", report.table3),
        ("table4", report.table4),
    ):
        if value is None:
            heading = fmt.SECTION_BY_NUMBER[fmt.TABLE_SECTION[table]].heading
            found.append(
                finding(
                    Rule.TABLE_MISSING,
                    [table],
                    f"“{heading}”部分缺少统计表（{fmt.TABLE_NAMES[table]}）；"
                    "即使本年度没有发生，也应列出全表并逐项填写0",
                )
            )
    return found


def check_structure(report: AnnualReport) -> list[Finding]:
    """ROW-MISSING: every row and column of the official tables must be present."""
    found: list[Finding] = []
    # A table holding every cell of the format (it can hold no other: the value refuses unknown
    # paths) has nothing missing; the common case skips the row-by-row search.
    if report.table2 is not None and len(report.table2.cells) < len(fmt.T2_PATHS):
        found += _table2_structure(report.table2)
    if report.table3 is not None:
        found += _grid_structure(report.table3, "table3", fmt.T3_ROW_KEYS, fmt.T3_COLUMN_KEYS, "")
    if report.table4 is not None:
        found += _grid_structure(
            report.table4, "table4", fmt.T4_GROUP_KEYS, fmt.T4_COLUMN_KEYS, "一栏"
        )
    return found


def _table2_structure(table: Table2) -> list[Finding]:
    found = []
    for item in fmt.T2_ITEMS:
        paths = item.paths()
        missing = [path for path in paths if not table.has(path)]
        if len(missing) == len(paths):
            found.append(
                finding(Rule.ROW_MISSING, [f"table2.{item.key}"], f"表二缺少“{item.label}”行")
            )
        else:
            for path in missing:
                column = next(c for c in item.columns if f"{item.key}.{c.key}" == path)
                found.append(
                    finding(
                        Rule.ROW_MISSING,
                        [f"table2.{path}"],
                        f"表二“{item.label}”行缺少“{column.label}”列",
                    )
                )
    return found


def _grid_structure(
    table: Table3 | Table4,
    name: str,
    rows: tuple[str, ...],
    columns: tuple[str, ...],
    suffix: str,
) -> list[Finding]:
    found: list[Finding] = []
    if len(table.cells) == len(rows) * len(columns):
        return found
    present_rows = [row for row in rows if any(table.has(f"{row}.{c}") for c in columns)]
    for row in rows:
        if row not in present_rows:
            address = f"{name}.{row}"
            found.append(
                finding(Rule.ROW_MISSING, [address], f"{describe_cell(address)}{suffix}缺失")
            )
    whole_columns = [
        column
        for column in columns
        if present_rows and not any(table.has(f"{row}.{column}") for row in present_rows)
    ]
    for column in whole_columns:
        label = (fmt.T3_COLUMN_BY_KEY if name == "table3" else fmt.T4_COLUMN_BY_KEY)[column].label
        found.append(
            finding(
                Rule.ROW_MISSING,
                [f"{name}.{row}.{column}" for row in present_rows],
                f"{fmt.TABLE_NAMES[name]}缺少“{label}”列",
            )
        )
    for row in present_rows:
        for column in columns:
            address = f"{name}.{row}.{column}"
            if column not in whole_columns and not table.has(f"{row}.{column}"):
                found.append(finding(Rule.ROW_MISSING, [address], f"{describe_cell(address)}缺失"))
    return found


# -------------------------------------------------------------------------------------------------
# Cells: CELL-BLANK, CELL-INVALID


def check_cells(report: AnnualReport) -> list[Finding]:
    """CELL-BLANK for blank or non-numeric cells, CELL-INVALID for negative numbers."""
    found = []
    for name, table in (
        ("table2", report.table2),
        ("table3", report.table3),
        ("table4", report.table4),
    ):
        if table is None:
            continue
        for path, value in table:
            if value is not None and value >= 0:
                continue
            address = f"{name}.{path}"
            if value is None:
                found.append(
                    finding(
                        Rule.CELL_BLANK,
                        [address],
                        f"{describe_cell(address)}为空白或不是数字；没有发生的事项应填写0",
                    )
                )
            elif value < 0:
                shown = money_text(value) if path == fmt.T2_FEES_PATH else str(value)
                found.append(
                    finding(
                        Rule.CELL_INVALID, [address], f"{describe_cell(address)}为负数（{shown}）"
                    )
                )
    return found


_BLANK_MARKS = frozenset({"", "/", "-", "--", "—", "——", "无", "空", "×", "x", "X", "_"})
_NUMBER_TEXT = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_COUNT_UNITS = "件个条项起次人篇份"


def parse_cell(address: str, raw: str) -> tuple[Cell, tuple[Finding, ...]]:
    """Read one count cell as printed ("0", "０", "1,234", "1234件", "", "/", "无", "1.5") into the
    value.

    For the checker's readers: a blank or non-number gives `None` and CELL-BLANK, a fraction gives
    `None` and CELL-INVALID (the raw text is quoted in the message), a negative number gives the
    number and CELL-INVALID. Fees are money, not counts: read them with `value.yuan_from_wan_yuan`.
    """
    text = nfkc(raw).replace("\xa0", " ").strip()
    compact = re.sub(r"\s+", "", text).rstrip(_COUNT_UNITS)
    where = describe_cell(address)
    if compact in _BLANK_MARKS or not _NUMBER_TEXT.fullmatch(compact):
        shown = f"“{raw.strip()}”" if raw.strip() else "空白"
        return None, (
            finding(
                Rule.CELL_BLANK, [address], f"{where}为{shown}，不是数字；没有发生的事项应填写0"
            ),
        )
    number = Decimal(compact.replace(",", ""))
    if number != number.to_integral_value():
        return None, (
            finding(Rule.CELL_INVALID, [address], f"{where}为“{raw.strip()}”，件数应为整数"),
        )
    value = int(number)
    if value < 0:
        return value, (finding(Rule.CELL_INVALID, [address], f"{where}为负数（{value}）"),)
    return value, ()


# -------------------------------------------------------------------------------------------------
# Arithmetic: T3-TOTAL-COLUMN, T3-RESULT-SUM, T3-BALANCE, T4-TOTAL


def _known(*values: Cell) -> bool:
    """Arithmetic is checked only where every cell holds a number; blanks have their own finding."""
    return all(value is not None for value in values)


def check_table3(report: AnnualReport) -> list[Finding]:
    table = report.table3
    if table is None:
        return []
    return _t3_total_column(table) + _t3_result_sum(table) + _t3_balance(table)


# The paths of table 3's cells: (row → applicant columns' paths, total's path), column → result
# rows' paths (every report reads them all; spelled out once).
_T3_ROW_PATHS = {
    row: (
        tuple(f"{row}.{column.key}" for column in fmt.T3_APPLICANT_COLUMNS),
        f"{row}.{fmt.T3_TOTAL_COLUMN}",
    )
    for row in fmt.T3_ROW_KEYS
}
_T3_RESULT_PATHS = {
    column: tuple(f"{row}.{column}" for row in fmt.T3_RESULT_ROWS) for column in fmt.T3_COLUMN_KEYS
}


def _t3_total_column(table: Table3) -> list[Finding]:
    """T3-TOTAL-COLUMN: in each row, 总计 = 自然人 + the five 法人或其他组织 columns."""
    found = []
    get = table.cells.get
    for row in fmt.T3_ROW_KEYS:
        part_paths, total_path = _T3_ROW_PATHS[row]
        total = get(total_path)
        parts = [get(path) for path in part_paths]
        if not _known(total, *parts):
            continue
        expected = sum(p for p in parts if p is not None)
        if total != expected:
            cells = [f"table3.{row}.{column}" for column in fmt.T3_COLUMN_KEYS]
            found.append(
                finding(
                    Rule.T3_TOTAL_COLUMN,
                    cells,
                    f"表三{t3_row_name(row)}行：“总计”为{total}，但各类申请人之和为{expected}",
                )
            )
    return found


def _t3_result_sum(table: Table3) -> list[Finding]:
    """T3-RESULT-SUM: in each column, （七）总计 = the sum of the 21 result rows （一）–（六）."""
    found = []
    get = table.cells.get
    for column in fmt.T3_COLUMN_KEYS:
        total = get(f"{fmt.T3_TOTAL_ROW}.{column}")
        parts = [get(path) for path in _T3_RESULT_PATHS[column]]
        if not _known(total, *parts):
            continue
        expected = sum(p for p in parts if p is not None)
        if total != expected:
            cells = [f"table3.{row}.{column}" for row in (*fmt.T3_RESULT_ROWS, fmt.T3_TOTAL_ROW)]
            found.append(
                finding(
                    Rule.T3_RESULT_SUM,
                    cells,
                    f"表三{t3_column_name(column)}：{t3_row_name(fmt.T3_TOTAL_ROW)}为{total}，"
                    f"但（一）至（六）各项办理结果之和为{expected}",
                )
            )
    return found


def _t3_balance(table: Table3) -> list[Finding]:
    """T3-BALANCE: the table's own 勾稽关系 — 一 + 二 = （七）总计 + 四, in each column."""
    found = []
    for column in fmt.T3_COLUMN_KEYS:
        new, carried_over, processed, carried_forward = (
            table.cell(row, column)
            for row in ("new_received", "carried_over", fmt.T3_TOTAL_ROW, "carried_forward")
        )
        if new is None or carried_over is None or processed is None or carried_forward is None:
            continue
        if new + carried_over != processed + carried_forward:
            cells = [
                f"table3.{row}.{column}"
                for row in ("new_received", "carried_over", fmt.T3_TOTAL_ROW, "carried_forward")
            ]
            found.append(
                finding(
                    Rule.T3_BALANCE,
                    cells,
                    f"表三{t3_column_name(column)}：第一项（{new}）加第二项（{carried_over}）之和为"
                    f"{new + carried_over}，但第三项（七）总计（{processed}）"
                    f"加第四项（{carried_forward}）之和为{processed + carried_forward}",
                )
            )
    return found


def check_table4(report: AnnualReport) -> list[Finding]:
    """T4-TOTAL: in each group, 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结."""
    table = report.table4
    if table is None:
        return []
    found = []
    for group in fmt.T4_GROUPS:
        total = table.cell(group.key, fmt.T4_TOTAL_COLUMN)
        parts = [table.cell(group.key, column) for column in fmt.T4_PARTS]
        if not _known(total, *parts):
            continue
        expected = sum(p for p in parts if p is not None)
        if total != expected:
            found.append(
                finding(
                    Rule.T4_TOTAL,
                    [f"table4.{group.key}.{column}" for column in fmt.T4_COLUMN_KEYS],
                    f"表四“{t4_group_name(group)}”：“总计”为{total}，"
                    f"但结果维持、结果纠正、其他结果、尚未审结之和为{expected}",
                )
            )
    return found
