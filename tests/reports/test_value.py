"""The frozen report value, its money, its table helpers and its canonical JSON (spec §2, §5)."""

import datetime as dt
import json
from dataclasses import FrozenInstanceError, replace

import pytest

from gongkai.reports import format as fmt
from gongkai.reports.value import (
    AnnualReport,
    ReportValueError,
    Table2,
    Table3,
    Table4,
    table3_from_counts,
    table4_from_counts,
    wan_yuan_text,
    yuan_from_fen,
    yuan_from_wan_yuan,
    zero_report,
)
from tests.reports.factories import TOWNSHIP, township_report


@pytest.mark.parametrize(
    ("yuan", "text"),
    [(0, "0"), (12_345, "1.2345"), (120_000, "12"), (5, "0.0005"), (10, "0.001"), (-20, "-0.002")],
)
def test_fees_render_as_wan_yuan_with_up_to_four_decimals(yuan, text):
    assert wan_yuan_text(yuan) == text


@pytest.mark.parametrize(
    ("text", "yuan"),
    [("0", 0), ("1.2345", 12_345), ("12", 120_000), ("1,000", 10_000_000), ("1.23456", 12_346)],
)
def test_wan_yuan_text_parses_to_whole_yuan(text, yuan):
    assert yuan_from_wan_yuan(text) == yuan


def test_a_tiny_fee_never_rounds_to_zero():
    assert yuan_from_wan_yuan("0.00004") == 1
    assert yuan_from_wan_yuan("-0.00001") == -1
    assert yuan_from_fen(1) == 1
    assert yuan_from_fen(49) == 1
    assert yuan_from_fen(150) == 2
    assert yuan_from_fen(0) == 0


def test_a_fee_that_is_not_a_number_is_refused():
    with pytest.raises(ReportValueError, match="不是数字"):
        yuan_from_wan_yuan("约1万")


def test_zero_report_prints_every_table_with_zeros():
    report = zero_report(agency=TOWNSHIP, year=2023)
    assert report.format is fmt.ReportFormat.F2021
    assert set(report.sections) == {"1", "2", "3", "4", "5", "6"}
    assert report.table2 is not None and report.table3 is not None and report.table4 is not None
    assert set(dict(report.table2.cells).values()) == {0}
    assert len(report.table3.cells) == 175
    assert set(dict(report.table3.cells).values()) == {0}
    assert len(report.table4.cells) == 15


def test_table3_from_counts_computes_the_total_column_and_row():
    table = table3_from_counts(
        {
            "new_received": {"natural_person": 3, "business": 2},
            "granted": {"natural_person": 2, "business": 1},
            "unable_not_held": {"natural_person": 1},
            "carried_forward": {"business": 1},
        }
    )
    assert table.cell("new_received", "total") == 5
    assert table.cell("granted", "total") == 3
    assert table.row("total_processed") == {
        "natural_person": 3,
        "business": 1,
        "research": 0,
        "public_interest": 0,
        "legal_services": 0,
        "other_org": 0,
        "total": 4,
    }
    assert table.cell("carried_over", "total") == 0


def test_table3_from_counts_refuses_the_computed_cells():
    with pytest.raises(ReportValueError, match="总计"):
        table3_from_counts({"total_processed": {"natural_person": 1}})
    with pytest.raises(ReportValueError, match="总计"):
        table3_from_counts({"granted": {"total": 1}})


def test_table4_from_counts_computes_each_group_total():
    table = table4_from_counts(
        {"review": {"upheld": 2, "pending": 1}, "litigation_direct": {"corrected": 1}}
    )
    assert table.cell("review", "total") == 3
    assert table.cell("litigation_direct", "total") == 1
    assert table.cell("litigation_after_review", "total") == 0


def test_table2_build_keeps_the_fee_in_yuan():
    table = Table2.build(regulations=(1, 0, 4), fees_yuan=5)
    assert table.get("regulations.in_force") == 4
    assert table.fees_yuan == 5
    assert table.fees_wan_yuan() == "0.0005"


def test_a_table_refuses_cells_outside_the_format():
    with pytest.raises(ReportValueError, match="表四没有这些单元格"):
        Table4({"review.dismissed": 1})
    with pytest.raises(ReportValueError, match="不是整数"):
        Table3({"granted.total": 1.5})
    with pytest.raises(ReportValueError, match="不是整数"):
        Table3({"granted.total": True})


def test_blank_and_absent_cells_are_told_apart():
    table = Table3({"granted.natural_person": None})
    assert table.get("granted.natural_person") is None
    assert table.has("granted.natural_person")
    assert not table.has("granted.total")
    assert table.has_row("granted")
    assert not table.has_row("partial")


def test_the_report_value_is_frozen_and_hashable():
    report = township_report()
    with pytest.raises(FrozenInstanceError):
        report.year = 2024  # type: ignore[misc]
    with pytest.raises(TypeError):
        report.sections["1"] = "改写"  # type: ignore[index]
    assert report.table3 is not None
    with pytest.raises(TypeError):
        report.table3.cells["granted.total"] = 9  # type: ignore[index]
    assert hash(report) == hash(township_report())
    assert report == township_report()
    assert report != replace(report, year=2022)


def test_the_caller_cannot_change_a_table_through_its_own_dict():
    cells = {"review.upheld": 1}
    table = Table4(cells)
    cells["review.upheld"] = 7
    assert table.get("review.upheld") == 1


def test_the_title_names_agency_and_year():
    assert township_report().title == "威海市文登区宋村镇人民政府2023年政府信息公开工作年度报告"


def test_canonical_json_has_the_shape_of_spec_section_5():
    data = json.loads(township_report().to_json())
    assert list(data) == [
        "format",
        "agency",
        "year",
        "published_on",
        "sections",
        "table2",
        "table3",
        "table4",
    ]
    assert data["format"] == "2021"
    assert data["agency"] == {"name": "威海市文登区宋村镇人民政府", "level": "township"}
    assert data["published_on"] == "2024-01-25"
    assert data["table2"] == {
        "regulations": {"issued": 0, "repealed": 0, "in_force": 0},
        "normative_documents": {"issued": 2, "repealed": 1, "in_force": 7},
        "licensing": 35,
        "punishment": 30,
        "coercion": 0,
        "fees_wan_yuan": "1.2345",
    }
    assert list(data["table3"]) == list(fmt.T3_ROW_KEYS)
    assert data["table3"]["new_received"] == {
        "natural_person": 4,
        "business": 1,
        "research": 0,
        "public_interest": 0,
        "legal_services": 0,
        "other_org": 0,
        "total": 5,
    }
    assert data["table4"]["review"] == {
        "upheld": 1,
        "corrected": 0,
        "other": 0,
        "pending": 0,
        "total": 1,
    }


def test_json_round_trips_a_complete_report():
    report = township_report()
    # The canonical JSON (spec §5) carries sections 1–6; the stored form also keeps the preamble.
    assert AnnualReport.from_json(report.to_json()) == replace(
        report, sections={k: v for k, v in report.sections.items() if k != "0"}
    )
    assert AnnualReport.from_json_dict(report.to_storage_dict()) == report


def test_json_round_trips_missing_tables_rows_and_blank_cells():
    report = replace(
        township_report(),
        published_on=None,
        sections={"1": "正文"},
        table2=Table2({"licensing": None, "fees_wan_yuan": None}),
        table3=Table3({"granted.natural_person": None, "granted.total": 2}),
        table4=None,
    )
    text = report.to_json()
    data = json.loads(text)
    assert data["table2"] == {"licensing": None, "fees_wan_yuan": None}
    assert data["table3"] == {"granted": {"natural_person": None, "total": 2}}
    assert data["table4"] is None
    assert data["published_on"] is None
    assert AnnualReport.from_json(text) == report


def test_json_accepts_a_whole_number_of_wan_yuan():
    data = json.loads(township_report().to_json())
    data["table2"]["fees_wan_yuan"] = 3
    report = AnnualReport.from_json_dict(data)
    assert report.table2 is not None
    assert report.table2.fees_yuan == 30_000


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("agency", "level"), "town", "agency.level"),
        (("published_on",), "2024/01/25", "发布日期"),
        (("year",), "2023", "year"),
        (("table3", "granted", "total"), 1.5, "不是整数"),
        (("table3", "granted", "dismissed"), 0, "无法识别"),
        (("table2", "fees_wan_yuan"), 1.5, "收费金额"),
        (("format",), "2020", "format"),
    ],
)
def test_json_that_is_not_a_report_is_refused_with_a_reason(path, value, message):
    data = json.loads(township_report().to_json())
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(ReportValueError, match=message):
        AnnualReport.from_json_dict(data)


def test_invalid_json_text_is_refused():
    with pytest.raises(ReportValueError, match="JSON"):
        AnnualReport.from_json("{不是 JSON")
    with pytest.raises(ReportValueError, match="顶层"):
        AnnualReport.from_json("[1, 2]")


def test_sections_accept_only_the_preamble_and_the_six_numbers():
    with pytest.raises(ReportValueError, match="7"):
        replace(township_report(), sections={"7": "多余"})
    assert township_report().preamble.startswith("根据《中华人民共和国政府信息公开条例》")
    assert township_report(published_on=dt.date(2024, 1, 2)).published_on == dt.date(2024, 1, 2)
