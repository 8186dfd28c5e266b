"""Property: a report whose tables come from consistent counts, and whose prose states the tables'
own figures, satisfies every rule, and its canonical JSON round-trips exactly."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.reports import format as fmt
from gongkai.reports.rules import check_report
from gongkai.reports.value import (
    Agency,
    AnnualReport,
    Table2,
    table3_from_counts,
    table4_from_counts,
)

APPLICANTS = [column.key for column in fmt.T3_APPLICANT_COLUMNS]
small = st.integers(min_value=0, max_value=4)
# Most result cells of a real report are 0; a few are not.
result_cell = st.one_of(st.just(0), st.just(0), small)


@st.composite
def table3_counts(draw: st.DrawFn) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {row: {} for row in fmt.T3_ROW_KEYS}
    del counts[fmt.T3_TOTAL_ROW]
    for column in APPLICANTS:
        results = {row: draw(result_cell) for row in fmt.T3_RESULT_ROWS}
        carried_forward = draw(small)
        handled = sum(results.values()) + carried_forward
        # 一 + 二 = （七） + 四: choose last year's carry-over, the new applications make up the rest.
        carried_over = draw(st.integers(min_value=0, max_value=handled))
        for row, value in results.items():
            counts[row][column] = value
        counts["carried_forward"][column] = carried_forward
        counts["carried_over"][column] = carried_over
        counts["new_received"][column] = handled - carried_over
    return counts


@st.composite
def reports(draw: st.DrawFn) -> AnnualReport:
    level = draw(st.sampled_from(list(fmt.AgencyLevel)))
    year = draw(st.integers(min_value=2021, max_value=2030))
    makes_regulations = level in fmt.LEVELS_THAT_MAKE_REGULATIONS
    regulations = (draw(small), draw(small), draw(small)) if makes_regulations else (0, 0, 0)
    table2 = Table2.build(
        regulations=regulations,
        normative_documents=(draw(small), draw(small), draw(small)),
        licensing=draw(st.integers(min_value=0, max_value=5000)),
        punishment=draw(st.integers(min_value=0, max_value=500)),
        coercion=draw(small),
        fees_yuan=draw(st.integers(min_value=0, max_value=10**9)),
    )
    table3 = table3_from_counts(draw(table3_counts()))
    table4 = table4_from_counts(
        {group: {column: draw(small) for column in fmt.T4_PARTS} for group in fmt.T4_GROUP_KEYS}
    )
    new = table3.cell("new_received", "total")
    processed = table3.cell(fmt.T3_TOTAL_ROW, "total")
    carried = table3.cell("carried_forward", "total")
    review = table4.cell("review", "total")
    litigation = sum(
        table4.cell(group, "total") or 0
        for group in ("litigation_direct", "litigation_after_review")
    )
    issued = table2.get("normative_documents.issued")
    # Prose as the generator writes it: the tables' own figures.
    sections = {
        "1": (
            f"{year}年，本机关认真贯彻《条例》。本年度共收到政府信息公开申请{new}件，"
            f"办结{processed}件，结转下年度继续办理{carried}件。"
            f"本年制发行政规范性文件{issued}件。"
        ),
        "2": draw(st.sampled_from(["", "主动公开情况见下表。"])),
        "3": "",
        "4": f"本年度发生政府信息公开行政复议{review}件，行政诉讼{litigation}件。",
        "5": "部分信息更新不够及时，下一步将加强培训。",
        "6": "本年度未收取信息处理费。",
    }
    published_on = draw(
        st.dates(min_value=dt.date(year + 1, 1, 1), max_value=dt.date(year + 1, 1, 31))
    )
    return AnnualReport(
        format=fmt.ReportFormat.F2021,
        agency=Agency(draw(st.sampled_from(["宋村镇人民政府", "区司法局", "某市人民政府"])), level),
        year=year,
        published_on=published_on,
        sections=sections,
        table2=table2,
        table3=table3,
        table4=table4,
    )


@settings(max_examples=60, deadline=None)
@given(reports())
def test_consistent_reports_satisfy_every_rule(report):
    assert check_report(report) == []


@settings(max_examples=60, deadline=None)
@given(reports())
def test_canonical_json_round_trips_exactly(report):
    text = report.to_json()
    again = AnnualReport.from_json(text)
    assert again == report
    assert again.to_json() == text


@settings(max_examples=60, deadline=None)
@given(table3_counts(), st.sampled_from(fmt.T3_RESULT_ROWS), st.sampled_from(APPLICANTS))
def test_one_extra_application_in_a_result_row_is_always_caught(counts, row, column):
    table = table3_from_counts(counts)
    cells = dict(table.cells)
    cells[f"{row}.{column}"] = (cells[f"{row}.{column}"] or 0) + 1
    report = AnnualReport(
        format=fmt.ReportFormat.F2021,
        agency=Agency("区司法局", fmt.AgencyLevel.DEPARTMENT),
        year=2023,
        published_on=dt.date(2024, 1, 20),
        sections=dict.fromkeys(fmt.SECTION_NUMBERS, "本年度未收取信息处理费。"),
        table2=Table2.build(),
        table3=type(table)(cells),
        table4=table4_from_counts({}),
    )
    rules = {finding.rule.value for finding in check_report(report)}
    assert rules == {"T3-TOTAL-COLUMN", "T3-RESULT-SUM"}
