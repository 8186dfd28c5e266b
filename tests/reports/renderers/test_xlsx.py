"""XLSX: one sheet per table with the official merged headers, numbers as numbers, and the text."""

from dataclasses import replace
from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest

from gongkai.reports.renderers.xlsx import render_xlsx
from tests.reports.factories import official_labels, township_report


@pytest.fixture(scope="module")
def workbook():
    return openpyxl.load_workbook(BytesIO(render_xlsx(township_report())))


def merged(sheet) -> set[str]:
    return {str(cell_range) for cell_range in sheet.merged_cells.ranges}


def test_one_sheet_per_table_and_one_for_the_text(workbook):
    assert workbook.sheetnames == ["表二", "表三", "表四", "报告正文"]


def test_every_official_label_appears(workbook):
    values = {
        str(cell.value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    }
    text = "\n".join(values)
    assert [label for label in official_labels() if label not in text] == []


def test_table3_sheet_merges_cells_like_the_official_table(workbook):
    sheet = workbook["表三"]
    assert sheet["A1"].value == "三、收到和处理政府信息公开申请情况"
    assert merged(sheet) == {
        "A1:J1",  # the heading above the grid
        "A2:C4",  # 勾稽关系 note
        "D2:J2",  # 申请人情况
        "D3:D4",  # 自然人
        "E3:I3",  # 法人或其他组织
        "J3:J4",  # 总计
        "A5:C5",  # 一、
        "A6:C6",  # 二、
        "A7:A28",  # 三、本年度办理结果
        "B7:C7",  # （一）
        "B8:C8",  # （二）
        "B9:B16",  # （三）不予公开
        "B17:B19",  # （四）无法提供
        "B20:B24",  # （五）不予处理
        "B25:B27",  # （六）其他处理
        "B28:C28",  # （七）总计
        "A29:C29",  # 四、
    }
    assert sheet["A7"].value == "三、本年度办理结果"
    assert sheet["B9"].value == "（三）不予公开"
    assert [sheet.cell(row=5, column=column).value for column in range(4, 11)] == [
        4,
        1,
        0,
        0,
        0,
        0,
        5,
    ]


def test_table4_sheet_merges_the_groups(workbook):
    sheet = workbook["表四"]
    assert merged(sheet) == {"A1:O1", "A2:E3", "F2:O2", "F3:J3", "K3:O3"}
    assert [sheet.cell(row=2, column=c).value for c in (1, 6)] == ["行政复议", "行政诉讼"]
    assert sheet["A5"].value == 1
    assert sheet["E5"].value == 1


def test_table2_sheet_keeps_counts_and_the_fee_as_numbers(workbook):
    sheet = workbook["表二"]
    assert "A2:D2" in merged(sheet)
    assert sheet["A2"].value == "第二十条第（一）项"
    assert [sheet.cell(row=5, column=c).value for c in range(1, 5)] == ["行政规范性文件", 2, 1, 7]
    assert sheet["A15"].value == "行政事业性收费"
    assert Decimal(str(sheet["B15"].value)) == Decimal("1.2345")
    assert "B15:D15" in merged(sheet)


def test_the_text_sheet_holds_title_sections_and_signature(workbook):
    sheet = workbook["报告正文"]
    assert sheet["A1"].value == "威海市文登区宋村镇人民政府2023年政府信息公开工作年度报告"
    assert sheet["B2"].value.startswith("根据《中华人民共和国政府信息公开条例》")
    assert sheet["A3"].value == "一、总体情况"
    assert sheet["A8"].value == "六、其他需要报告的事项"
    assert sheet["B9"].value == "威海市文登区宋村镇人民政府\n2024年1月25日"


def test_a_report_without_tables_has_only_the_text_sheet():
    report = replace(township_report(), table2=None, table3=None, table4=None)
    workbook = openpyxl.load_workbook(BytesIO(render_xlsx(report)))
    assert workbook.sheetnames == ["报告正文"]
