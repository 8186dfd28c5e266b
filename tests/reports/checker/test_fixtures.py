"""Every rule id on a defective fixture and on clean ones; the clean fixtures read back to the
value they were written from, whatever their shape."""

from __future__ import annotations

import pytest

from gongkai.reports import format as fmt
from gongkai.reports.rules import Rule
from tests.reports.checker.builders import clean_report
from tests.reports.checker.helpers import cells, check_files, check_one, rules

CLEAN = [
    "clean.html",
    "clean_cells.txt",
    "clean_cells_single.txt",
    "clean_rows.txt",
    "clean_gbk.html",
    "clean_gbk_meta.html",
    "clean_fullwidth.txt",
    "clean_units.html",
]


@pytest.mark.parametrize("name", CLEAN)
def test_clean_fixture_has_no_finding_and_reads_back_exactly(name: str) -> None:
    result = check_one(name)
    assert result.findings == ()
    assert result.parsed is not None
    expected = clean_report().to_json_dict()
    got = result.parsed.report.to_json_dict()
    for key in ("format", "agency", "year", "published_on", "table2", "table3", "table4"):
        assert got[key] == expected[key], key
    assert sorted(got["sections"]) == sorted(expected["sections"])
    assert got["sections"]["1"] == expected["sections"]["1"]


def test_raw_cell_text_is_kept() -> None:
    result = check_one("clean_fullwidth.txt")
    assert result.parsed is not None
    assert result.parsed.cells["table3.new_received.natural_person"] == "５"
    units = check_one("clean_units.html")
    assert units.parsed is not None
    assert units.parsed.cells["table3.new_received.total"] == "7件"


# (fixture, rule ids it must raise, cells one of them must name)
DEFECTS = [
    ("section_missing.html", {"SECTION-MISSING"}, {"section.5"}),
    ("table_missing.html", {"TABLE-MISSING"}, {"table4"}),
    ("row_missing.txt", {"ROW-MISSING"}, {"table3.other_other"}),
    (
        "cell_blank.txt",
        {"CELL-BLANK"},
        {"table3.granted.research", "table4.review.other", "table2.coercion"},
    ),
    (
        "cell_invalid.html",
        {"CELL-INVALID"},
        {"table2.punishment", "table3.unable_not_held.research"},
    ),
    (
        "sums_off.html",
        {"T3-TOTAL-COLUMN", "T3-RESULT-SUM", "T4-TOTAL"},
        {"table3.new_received.total"},
    ),
    ("balance_off.txt", {"T3-BALANCE"}, {"table3.carried_over.natural_person"}),
    ("old_2019.txt", {"OLD-FORMAT"}, {"table2"}),
    ("late.html", {"LATE-PUBLICATION"}, set()),
    ("text_mismatch.html", {"TEXT-TABLE-MISMATCH"}, {"table3.new_received.total"}),
    ("t2_scope.html", {"T2-SCOPE"}, {"table2.regulations.issued"}),
    ("fees_not_stated.html", {"FEES-NOT-STATED"}, {"section.6"}),
    ("channel_sum.txt", {"CHANNEL-SUM"}, {"section.1"}),
    ("not_a_report.txt", {"UNREADABLE"}, set()),
    ("random.bin", {"UNREADABLE"}, set()),
]


@pytest.mark.parametrize(("name", "expected", "addresses"), DEFECTS)
def test_defective_fixture(name: str, expected: set[str], addresses: set[str]) -> None:
    result = check_one(name)
    found = set(rules(result))
    assert expected <= found, found
    named = {cell for rule in expected for cell in cells(result, rule)}
    assert addresses <= named
    for item in result.findings:
        assert item.message  # plain Chinese, naming the cells and numbers


def test_each_defect_fixture_raises_only_its_own_kind_of_error() -> None:
    assert rules(check_one("section_missing.html")) == ["SECTION-MISSING"]
    assert rules(check_one("table_missing.html")) == ["TABLE-MISSING"]
    assert rules(check_one("late.html")) == ["LATE-PUBLICATION"]
    assert rules(check_one("t2_scope.html")) == ["T2-SCOPE"]
    assert rules(check_one("fees_not_stated.html")) == ["FEES-NOT-STATED"]
    assert rules(check_one("channel_sum.txt")) == ["CHANNEL-SUM"]


def test_blank_cell_messages_quote_the_printed_text() -> None:
    result = check_one("cell_blank.txt")
    messages = [item.message for item in result.findings]
    assert any("“/”" in message for message in messages)
    assert any("“无”" in message for message in messages)
    assert any("空白" in message for message in messages)
    assert len(messages) == 3  # one finding per cell: the reader's, not the rule's as well


def test_old_template_is_reported_once_with_its_labels() -> None:
    result = check_one("old_2019.txt")
    old = [item for item in result.findings if item.rule is Rule.OLD_FORMAT]
    assert len(old) == 1
    assert "本年新制作数量" in old[0].message
    assert result.parsed is not None
    assert result.parsed.report.format is fmt.ReportFormat.F2019


def test_cut_short_document_is_read_as_far_as_it_goes() -> None:
    result = check_one("cut_short.txt")
    found = set(rules(result))
    assert {"TABLE-MISSING", "ROW-MISSING", "SECTION-MISSING"} <= found
    assert "CELL-BLANK" not in found  # cells after the cut are absent, not blank
    assert "table4" in cells(result, "TABLE-MISSING")
    assert "table3.carried_forward" in cells(result, "ROW-MISSING")
    assert result.parsed is not None
    table3 = result.parsed.report.table3
    assert table3 is not None and table3.cell("new_received", "total") == 7


def test_carryover_mismatch_with_last_year_in_the_batch() -> None:
    last, this = check_files("carryover_2022.html", "carryover_2023.html")
    assert "CARRYOVER-MISMATCH" not in rules(last)
    assert "CARRYOVER-MISMATCH" in rules(this)
    assert cells(this, "CARRYOVER-MISMATCH") == {
        "table3.carried_over.natural_person",
        "table3.carried_over.total",
    }


def test_carryover_clean_when_the_figures_agree() -> None:
    (result,) = check_files("clean.html")
    assert "CARRYOVER-MISMATCH" not in rules(result)


def test_similar_text_across_the_batch() -> None:
    first, second, third = check_files("copied_a.html", "copied_b.txt", "original_b.txt")
    assert "SIMILAR-TEXT" in rules(first)
    assert "SIMILAR-TEXT" in rules(second)
    assert "SIMILAR-TEXT" not in rules(third)
    assert all(item.severity.value == "warning" for item in second.findings)


def test_similar_text_not_raised_for_different_prose() -> None:
    results = check_files("copied_a.html", "original_b.txt")
    assert all("SIMILAR-TEXT" not in rules(result) for result in results)


def test_unreadable_input_does_not_stop_the_batch() -> None:
    results = check_files("random.bin", "clean.html")
    assert rules(results[0]) == ["UNREADABLE"]
    assert results[0].parsed is None
    assert results[1].findings == ()


@pytest.mark.parametrize("kind", ["docx", "pdf", "xlsx"])
def test_clean_report_as_docx_pdf_and_xlsx_from_the_renderers(kind: str) -> None:
    from gongkai.reports.checker.check import Input, check_batch
    from gongkai.reports.renderers.docx import render_docx
    from gongkai.reports.renderers.pdf import render_pdf
    from gongkai.reports.renderers.xlsx import render_xlsx

    render = {"docx": render_docx, "pdf": render_pdf, "xlsx": render_xlsx}[kind]
    report = clean_report()
    (result,) = check_batch([Input(f"clean.{kind}", render(report))])
    assert result.parsed is not None
    assert result.parsed.kind == kind
    got = result.parsed.report.to_json_dict()
    expected = report.to_json_dict()
    for key in ("agency", "year", "published_on", "table2", "table3", "table4"):
        assert got[key] == expected[key], key
    assert result.findings == ()


def test_each_input_of_a_batch_can_have_its_own_deadline() -> None:
    """The supervising office's batch gives each report its agency's deadline (a jurisdiction's
    own, or the statutory one for its level): late.html is published on 2024-03-15."""
    import datetime as dt

    from gongkai.reports.checker.check import Input, check_batch
    from tests.reports.checker.helpers import fixture

    inputs = [Input("a.html", fixture("late.html")), Input("b.html", fixture("late.html"))]
    early, lenient = check_batch(inputs, deadlines=[dt.date(2024, 1, 31), dt.date(2024, 3, 31)])
    assert rules(early) == ["LATE-PUBLICATION"]
    assert rules(lenient) == []
