"""The Excel template: what renderers.xlsx exports, xlsx_import reads back to the same tables."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from openpyxl import Workbook, load_workbook

from gongkai.reports.exceptions import ReportImportFailed
from gongkai.reports.renderers.xlsx import render_xlsx
from gongkai.reports.services import tables_from_input
from gongkai.reports.value import Table3, zero_report
from gongkai.reports.xlsx_import import read_tables
from tests.reports.factories import township_report


def test_export_then_import_round_trips_every_cell():
    report = township_report()
    cells = read_tables(render_xlsx(report))
    assert cells["table3.granted.natural_person"] == 2
    assert cells["table2.fees_wan_yuan"] == "1.2345"
    tables = tables_from_input(
        cells, zero_report(agency=report.agency, year=2023), compute_totals=False
    )
    assert tables.table2 == report.table2
    assert tables.table3 == report.table3
    assert tables.table4 == report.table4


def test_blank_cells_come_back_blank_and_wrong_totals_stay_for_the_checks():
    report = township_report()
    cells = dict(report.table3.cells)
    cells["granted.business"] = None
    cells["new_received.total"] = 99
    broken = replace(report, table3=Table3(cells))
    read = read_tables(render_xlsx(broken))
    assert read["table3.granted.business"] == ""
    assert read["table3.new_received.total"] == 99
    tables = tables_from_input(read, broken, compute_totals=False)
    assert tables.table3.cell("granted", "business") is None
    assert tables.table3.cell("new_received", "total") == 99


def _edited(report, sheet: str, coordinate: str, value: object) -> bytes:
    workbook = load_workbook(io.BytesIO(render_xlsx(report)))
    workbook[sheet][coordinate] = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_number_typed_in_excel_is_read():
    content = _edited(township_report(), "表四", "A5", 7)
    assert read_tables(content)["table4.review.upheld"] == 7


def test_a_sheet_with_shifted_rows_is_refused():
    content = _edited(township_report(), "表三", "C9", "1.属于国家机密")
    with pytest.raises(ReportImportFailed, match=r"工作表“表三”的C9单元格应为“1\.属于国家秘密”"):
        read_tables(content)


def test_a_missing_sheet_or_a_non_workbook_is_refused():
    workbook = Workbook()
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(ReportImportFailed, match="缺少工作表“表二”"):
        read_tables(buffer.getvalue())
    with pytest.raises(ReportImportFailed, match="无法打开该文件"):
        read_tables(b"not a spreadsheet")
