"""The generator: tables from the records (zeros when a source is missing), prose from figures."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.reports import format as fmt
from gongkai.reports.exceptions import ReportGenerationFailed
from gongkai.reports.generator import (
    InstalledSources,
    NoSources,
    generate_report,
    has_prompt,
    register_source,
    registered_source,
)
from gongkai.reports.renderers.html import render_tables
from gongkai.reports.rules import Severity, check_report
from gongkai.reports.value import AnnualReport

pytestmark = pytest.mark.django_db

APPLICANTS = [column.key for column in fmt.T3_APPLICANT_COLUMNS]


def table3_rows(new: dict[str, int], results: dict[str, dict[str, int]]) -> dict[str, Any]:
    """Counts shaped like applications.selectors.table3_counts, totals included (and ignored)."""
    rows: dict[str, dict[str, int]] = {
        row: dict.fromkeys((*APPLICANTS, "total"), 0) for row in fmt.T3_ROW_KEYS
    }
    for column, count in new.items():
        rows["new_received"][column] = count
    for row, cells in results.items():
        rows[row].update(cells)
    rows["total_processed"]["total"] = 999  # a wrong total from a source is recomputed
    return rows


class FakeSources:
    """Record sources with fixed figures; None for a source that is 'not installed'."""

    def __init__(self, **figures: Any) -> None:
        self.figures = figures

    def table2_figures(self, agency: Any, year: int) -> Any:
        return self.figures.get("table2")

    def section1_figures(self, agency: Any, year: int) -> Any:
        return self.figures.get("section1")

    def table3_counts(self, agency: Any, year: int) -> Any:
        return self.figures.get("table3")

    def table4_counts(self, agency: Any, year: int) -> Any:
        return self.figures.get("table4")

    def fee_figures(self, agency: Any, year: int) -> Any:
        return self.figures.get("fees")


SECTION1 = {
    "year": 2023,
    "total_items": 401,
    "channels": [
        {"kind": "website", "name": "威海市文登区人民政府网站", "items": 55, "reads": 0},
        {"kind": "wechat", "name": "历史风韵 文化宋村", "items": 346, "reads": 420000},
    ],
    "website_columns": [
        {"column": "公示公告", "slug": "gsgg", "items": 6},
        {"column": "工作动态", "slug": "gzdt", "items": 49},
    ],
}
TABLE2 = {
    "regulations": {"issued": 0, "repealed": 0, "in_force": 0},
    "normative_documents": {"issued": 2, "repealed": 1, "in_force": 7},
    "licensing": 35,
    "punishment": 3,
    "coercion": 0,
    "fees_fen": 1_234_567,
}


def full_sources() -> FakeSources:
    return FakeSources(
        table2=TABLE2,
        section1=SECTION1,
        table3=table3_rows(
            {"natural_person": 4, "business": 1},
            {
                "granted": {"natural_person": 2},
                "partial": {"business": 1},
                "unable_not_held": {"natural_person": 1},
                "carried_forward": {"natural_person": 1},
            },
        ),
        table4={"review": {"upheld": 1, "total": 5}},
        fees={"notices": 0, "notified_yuan": 0, "collected_yuan": 0},
    )


def test_tables_come_from_the_records_and_every_identity_holds(district):
    generated = generate_report(district["songcun"], 2023, sources=full_sources())
    report = generated.report
    assert generated.from_records == {"table2", "table3", "table4", "section1", "fees"}
    assert generated.notes == ()
    assert report.table3.cell("new_received", "total") == 5
    assert report.table3.cell("total_processed", "total") == 4
    assert report.table3.cell("total_processed", "natural_person") == 3
    assert report.table4.cell("review", "total") == 1
    assert report.table2.fees_wan_yuan() == "1.2346"  # 12345.67 yuan, to the yuan
    findings = check_report(report)
    assert [f for f in findings if f.severity is not Severity.INFO] == []


def test_without_sources_the_tables_are_zeros_printed_in_full(district):
    generated = generate_report(district["songcun"], 2023, sources=NoSources())
    report = generated.report
    for table in (report.table2, report.table3, report.table4):
        assert table is not None
        assert set(dict(table.cells)) == set(type(table).PATHS)
        assert set(dict(table.cells).values()) == {0}
    html = render_tables(report)
    assert html.count("<td") == len(fmt.T2_PATHS) + 25 * 7 + 15 + 1  # + table 3's corner note
    assert generated.from_records == frozenset()
    assert [note[:2] for note in generated.notes] == ["表二", "表三", "表四"]
    assert [f.rule for f in check_report(report) if f.severity is Severity.ERROR] == []


def test_the_preamble_comes_from_the_agency_profile(district):
    report = generate_report(district["songcun"], 2023, sources=NoSources()).report
    preamble = report.preamble
    assert "《中华人民共和国政府信息公开条例》" in preamble
    assert "国办公开办函〔2021〕30号" in preamble
    assert "自2023年1月1日起至2023年12月31日止" in preamble
    assert "http://www.wendeng.gov.cn" in preamble
    assert "威海市文登区宋村镇人民政府办公室" in preamble
    assert "昌阳路10号" in preamble and "0631—8898088" in preamble


def test_section_one_states_items_per_channel_and_column_and_they_add_up(district):
    report = generate_report(district["songcun"], 2023, sources=full_sources()).report
    text = report.sections["1"]
    assert "主动公开政府信息401条" in text
    assert "通过威海市文登区人民政府网站发布信息55条（其中公示公告6条、工作动态49条）" in text
    assert "通过“历史风韵 文化宋村”微信公众号发布信息346条，阅读量合计420000次" in text
    assert "新收政府信息公开申请5件" in text and "结转下年度继续办理1件" in text
    assert not [
        f for f in check_report(report) if f.rule.value in ("CHANNEL-SUM", "TEXT-TABLE-MISMATCH")
    ]


def test_a_breakdown_that_does_not_add_up_would_be_caught(district):
    # The generator's total is the sum of the channels; a hand edit that breaks it is flagged.
    report = generate_report(district["songcun"], 2023, sources=full_sources()).report
    edited = replace(
        report, sections={**report.sections, "1": report.sections["1"].replace("401条", "465条")}
    )
    assert [f.rule.value for f in check_report(edited)] == ["CHANNEL-SUM"]


def test_section_five_lists_last_years_problems(district):
    previous = generate_report(district["songcun"], 2022, sources=NoSources()).report
    previous = replace(
        previous,
        sections={**previous.sections, "5": "一是信息更新不够及时。\n二是政策解读形式单一。"},
    )
    text = generate_report(
        district["songcun"], 2023, sources=NoSources(), previous=previous
    ).report.sections["5"]
    assert "2022年度报告所列问题的改进情况" in text
    assert "“一是信息更新不够及时。”" in text and "“二是政策解读形式单一。”" in text
    assert has_prompt(text)


def test_section_six_always_states_the_fee_position(district):
    no_applications = FakeSources(table3=table3_rows({}, {}))
    text = generate_report(district["songcun"], 2023, sources=no_applications).report.sections["6"]
    assert "本年度未收到政府信息公开申请，未收取信息处理费。" in text
    charged = FakeSources(fees={"notices": 2, "notified_yuan": 300, "collected_yuan": 100})
    text = generate_report(district["songcun"], 2023, sources=charged).report.sections["6"]
    assert "发出信息处理费收费通知2件，通知收取金额300元，实际收取100元" in text
    unknown = generate_report(district["songcun"], 2023, sources=NoSources()).report.sections["6"]
    assert "（一）信息处理费收取情况。【待填写" in unknown


def test_the_supervision_app_registers_its_source_when_django_starts():
    from gongkai.supervision.selectors import section6_facts

    assert registered_source("section6_facts") is section6_facts


def test_a_registered_source_feeds_the_report_and_an_unregistered_one_leaves_prompts(
    district, monkeypatch
):
    from gongkai.reports import generator

    monkeypatch.setattr(generator, "_registered", {})
    text = generate_report(district["songcun"], 2023, sources=InstalledSources()).report
    assert "（二）人大代表建议和政协提案办理情况。【待填写" in text.sections["6"]
    facts = {"proposals": {}, "proposals_total": {"received": 0}}
    register_source("section6_facts", lambda agency, year: facts)
    text = generate_report(district["songcun"], 2023, sources=InstalledSources()).report
    assert "本年度未承办人大代表建议和政协委员提案。" in text.sections["6"]


def test_only_known_parts_can_be_registered():
    with pytest.raises(ValueError, match="unknown report source"):
        register_source("table3_counts", lambda agency, year: None)


def test_the_generator_imports_no_app_above_it():
    import ast
    from pathlib import Path

    from gongkai.reports import generator

    tree = ast.parse(Path(generator.__file__).read_text(encoding="utf-8"))
    imported = {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    } | {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    assert not [name for name in imported if name.startswith("gongkai.supervision")]
    assert "importlib" not in imported


def test_installed_sources_give_a_consistent_report(district):
    generated = generate_report(district["gaocun"], 2023, sources=InstalledSources())
    findings = check_report(generated.report)
    assert [f for f in findings if f.severity is Severity.ERROR] == []


def test_a_malformed_source_is_a_chinese_error(district):
    broken = FakeSources(table3={"no_such_row": {"natural_person": 1}})
    with pytest.raises(ReportGenerationFailed, match="无法从业务记录生成表三"):
        generate_report(district["songcun"], 2023, sources=broken)


counts = st.integers(min_value=0, max_value=50)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    results=st.dictionaries(
        st.sampled_from([*fmt.T3_RESULT_ROWS, "carried_forward"]),
        st.dictionaries(st.sampled_from(APPLICANTS), counts, max_size=3),
        max_size=6,
    ),
    carried=st.dictionaries(st.sampled_from(APPLICANTS), counts, max_size=2),
    table4=st.dictionaries(
        st.sampled_from(fmt.T4_GROUP_KEYS),
        st.dictionaries(st.sampled_from(fmt.T4_PARTS), counts),
        max_size=3,
    ),
)
def test_generated_tables_always_pass_the_arithmetic_rules(district, results, carried, table4):
    # The ledger puts every application on both sides: new = results + forward − carried over.
    new = dict.fromkeys(APPLICANTS, 0)
    for cells in results.values():
        for column, count in cells.items():
            new[column] += count
    for column, count in carried.items():
        new[column] -= count
    if any(value < 0 for value in new.values()):
        return
    rows = table3_rows(new, results)
    for column, count in carried.items():
        rows["carried_over"][column] = count
    report: AnnualReport = generate_report(
        district["songcun"], 2023, sources=FakeSources(table3=rows, table4=table4)
    ).report
    assert [f for f in check_report(report) if f.severity is not Severity.INFO] == []


def test_an_incomplete_column_breakdown_is_left_out(district):
    figures = {**SECTION1, "website_columns": [{"column": "公示公告", "slug": "gsgg", "items": 6}]}
    report = generate_report(
        district["songcun"], 2023, sources=FakeSources(section1=figures)
    ).report
    assert "通过威海市文登区人民政府网站发布信息55条；" in report.sections["1"]
    assert "公示公告6条" not in report.sections["1"]
    assert not [f for f in check_report(report) if f.rule.value == "CHANNEL-SUM"]


def test_section_six_states_proposals_and_the_work_plan_from_the_supervision_records(district):
    from gongkai.demo.loaders import LOADERS
    from gongkai.reports.generator import generate_report

    for load in LOADERS:
        load(district)
    text = generate_report(district["minzheng"], 2023).report.sections["6"]
    assert (
        "（二）人大代表建议和政协提案办理情况。本年度共承办人大代表建议2件、政协委员提案1件" in text
    )
    assert "已办复3件，其中3件答复已公开" in text
    assert "《" in text.split("（三）")[1] and "项任务已完成" in text
    songcun = generate_report(district["songcun"], 2023).report.sections["6"]
    assert "本年度未承办人大代表建议和政协委员提案。" in songcun


def test_section_six_prompts_when_there_are_no_supervision_records():
    from gongkai.reports.generator import section6

    text = section6(None, None)
    assert text.count("【待填写：") == 3
