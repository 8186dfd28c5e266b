"""Round trip: a consistent report rendered by each renderer reads back to the same tables with
no error finding."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.reports import format as fmt
from gongkai.reports.checker.check import check_parsed, read_report
from gongkai.reports.renderers.docx import render_docx
from gongkai.reports.renderers.html import render_document
from gongkai.reports.renderers.pdf import render_pdf
from gongkai.reports.renderers.xlsx import render_xlsx
from gongkai.reports.rules import errors
from gongkai.reports.value import (
    Agency,
    AnnualReport,
    Table2,
    table3_from_counts,
    table4_from_counts,
)
from tests.reports.checker.builders import SECTIONS

AGENCIES = [
    Agency("示例市清河区柳泉镇人民政府", fmt.AgencyLevel.TOWNSHIP),
    Agency("示例市清河区人民政府", fmt.AgencyLevel.COUNTY),
    Agency("示例市人民政府", fmt.AgencyLevel.CITY),
    Agency("示例市清河区市场监督管理局", fmt.AgencyLevel.DEPARTMENT),
]
APPLICANTS = [column.key for column in fmt.T3_APPLICANT_COLUMNS]
small = st.integers(min_value=0, max_value=40)
# Plain prose: the figures in the prose are not what this test is about.
PROSE = {key: text for key, text in SECTIONS.items() if key in ("0", "2", "3", "5", "6")} | {
    "1": "本年度政务公开工作稳步推进，公开目录按季度更新。",
    "4": "本年度的行政复议和行政诉讼情况见下表。",
}


@st.composite
def reports(draw: st.DrawFn) -> AnnualReport:
    counts: dict[str, dict[str, int]] = {}
    for row in draw(st.lists(st.sampled_from(fmt.T3_RESULT_ROWS), max_size=5, unique=True)):
        counts[row] = {draw(st.sampled_from(APPLICANTS)): draw(small)}
    processed = {
        c: sum(counts.get(r, {}).get(c, 0) for r in fmt.T3_RESULT_ROWS) for c in APPLICANTS
    }
    forward = {c: draw(st.integers(0, 3)) for c in APPLICANTS}
    over = {c: min(draw(st.integers(0, 3)), processed[c] + forward[c]) for c in APPLICANTS}
    counts["carried_over"] = over
    counts["carried_forward"] = forward
    counts["new_received"] = {c: processed[c] + forward[c] - over[c] for c in APPLICANTS}
    t4 = {
        group: {column: draw(st.integers(0, 5)) for column in fmt.T4_PARTS}
        for group in fmt.T4_GROUP_KEYS
    }
    agency = draw(st.sampled_from(AGENCIES))
    year = draw(st.integers(2021, 2025))
    regulations = (0, 0, 0) if agency.level is not fmt.AgencyLevel.CITY else (1, 0, 3)
    return AnnualReport(
        format=fmt.ReportFormat.F2021,
        agency=agency,
        year=year,
        published_on=dt.date(year + 1, 1, draw(st.integers(5, 30))),
        sections=PROSE,
        table2=Table2.build(
            regulations=regulations,
            normative_documents=(draw(small), draw(small), draw(small)),
            licensing=draw(st.integers(0, 5000)),
            punishment=draw(st.integers(0, 5000)),
            coercion=draw(small),
            fees_yuan=draw(st.integers(0, 2_000_000)),
        ),
        table3=table3_from_counts(counts),
        table4=table4_from_counts(t4),
    )


def _round_trip(report: AnnualReport, data: bytes, name: str) -> None:
    parsed = read_report(data, name)
    expected = report.to_json_dict()
    got = parsed.report.to_json_dict()
    for key in ("table2", "table3", "table4", "year", "agency", "format", "published_on"):
        assert got[key] == expected[key], key
    assert errors(check_parsed(parsed)) == []


def _check(renderer: Callable[[AnnualReport], bytes], name: str, examples: int) -> None:
    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(reports())
    def run(report: AnnualReport) -> None:
        _round_trip(report, renderer(report), name)

    run()


def test_html_round_trip() -> None:
    _check(lambda report: render_document(report).encode(), "report.html", 10)


def test_docx_round_trip() -> None:
    _check(render_docx, "report.docx", 5)


def test_xlsx_round_trip() -> None:
    _check(render_xlsx, "report.xlsx", 5)


def test_pdf_round_trip() -> None:
    _check(render_pdf, "report.pdf", 2)
