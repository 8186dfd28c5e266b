"""The table builders every report of a province is folded with: the totals they compute, the source
figures they ignore or coerce, and the cells they refuse, on the fast path and off it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.reports import format as fmt
from gongkai.reports.generator import table3_from_figures, table4_from_figures
from gongkai.reports.value import (
    T3_APPLICANT_KEYS,
    ReportValueError,
    Table3,
    Table4,
    table3_from_applicant_counts,
    table3_from_counts,
    table4_from_counts,
    table4_from_part_counts,
)

FILLED_ROWS = [row for row in fmt.T3_ROW_KEYS if row != fmt.T3_TOTAL_ROW]
count = st.integers(min_value=0, max_value=10**6)


def expected_table3(rows: dict[str, dict[str, int]]) -> dict[str, int]:
    """Table 3's cells summed by hand: each row's 总计, then （七）总计 over the result rows."""
    cells: dict[str, int] = {}
    for row in fmt.T3_ROW_KEYS:
        for column in fmt.T3_COLUMN_KEYS:
            if row == fmt.T3_TOTAL_ROW:
                value = 0
                for result in fmt.T3_RESULT_ROWS:
                    given = rows.get(result, {})
                    value += (
                        sum(given.values())
                        if column == fmt.T3_TOTAL_COLUMN
                        else given.get(column, 0)
                    )
            elif column == fmt.T3_TOTAL_COLUMN:
                value = sum(rows.get(row, {}).values())
            else:
                value = rows.get(row, {}).get(column, 0)
            cells[f"{row}.{column}"] = value
    return cells


table3_counts = st.dictionaries(
    st.sampled_from(FILLED_ROWS),
    st.dictionaries(st.sampled_from(T3_APPLICANT_KEYS), count),
)


@settings(max_examples=80, deadline=None)
@given(table3_counts, st.integers(min_value=-5, max_value=5))
def test_table3_totals_are_summed_and_the_sources_totals_ignored(counts, bogus):
    # A source's figures as the selectors give them: every row and column, totals included (here
    # wrong on purpose), and a column the format does not have.
    figures = {
        row: {
            **{column: counts.get(row, {}).get(column, 0) for column in T3_APPLICANT_KEYS},
            fmt.T3_TOTAL_COLUMN: bogus,
            "unknown_column": 7,
        }
        for row in fmt.T3_ROW_KEYS
    }
    expected = expected_table3(counts)
    for table in (table3_from_figures(figures), table3_from_counts(counts)):
        assert dict(table.cells) == expected
        assert list(table.cells) == list(Table3.PATHS)
    rows = {row: tuple(cells.get(c, 0) for c in T3_APPLICANT_KEYS) for row, cells in counts.items()}
    assert table3_from_applicant_counts(rows) == table3_from_counts(counts)


@settings(max_examples=40, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(fmt.T4_GROUP_KEYS), st.dictionaries(st.sampled_from(fmt.T4_PARTS), count)
    )
)
def test_table4_totals_are_summed_and_the_sources_totals_ignored(counts):
    figures = {group: {**cells, fmt.T4_TOTAL_COLUMN: -1} for group, cells in counts.items()}
    expected = {
        f"{group}.{column}": (
            sum(counts.get(group, {}).values())
            if column == fmt.T4_TOTAL_COLUMN
            else counts.get(group, {}).get(column, 0)
        )
        for group in fmt.T4_GROUP_KEYS
        for column in fmt.T4_COLUMN_KEYS
    }
    for table in (table4_from_figures(figures), table4_from_counts(counts)):
        assert dict(table.cells) == expected
        assert list(table.cells) == list(Table4.PATHS)


def test_a_source_may_leave_columns_out_and_give_numbers_as_text():
    table = table3_from_figures(
        {"granted": {"natural_person": "3"}, "new_received": {"business": 2}}
    )
    assert table.row("granted")["natural_person"] == 3
    assert table.cell(fmt.T3_TOTAL_ROW, fmt.T3_TOTAL_COLUMN) == 3
    assert table.cell("new_received", fmt.T3_TOTAL_COLUMN) == 2
    assert table4_from_figures({"review": {"upheld": 2.0}}).cell("review", "total") == 2


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ({"granted": (1, 0, 0, 0, 0, True)}, "不是整数"),
        ({"granted": (1, 0, 0, 0, 0, 1.5)}, "不是整数"),
        ({"granted": (1, 0, 0, 0, 0, None)}, "空白"),
        ({"granted": (1, 0, 0)}, "应有 6 个数"),
        ({fmt.T3_TOTAL_ROW: (1, 0, 0, 0, 0, 0)}, "总计"),
        ({"no_such_row": (1, 0, 0, 0, 0, 0)}, "no_such_row"),
    ],
)
def test_table3_refuses_counts_that_are_not_whole_numbers_of_a_fillable_row(rows, message):
    with pytest.raises(ReportValueError, match=message):
        table3_from_applicant_counts(rows)


@pytest.mark.parametrize(
    ("counts", "message"),
    [
        ({"granted": {"natural_person": True}}, "不是整数"),
        ({"granted": {"natural_person": None}}, "空白"),
        ({"granted": {fmt.T3_TOTAL_COLUMN: 1}}, "总计"),
    ],
)
def test_table3_from_counts_refuses_bad_cells(counts, message):
    with pytest.raises(ReportValueError, match=message):
        table3_from_counts(counts)


@pytest.mark.parametrize(
    ("groups", "message"),
    [
        ({"review": (1, 0, 0, False)}, "不是整数"),
        ({"review": (1, 0, None, 0)}, "空白"),
        ({"review": (1, 0)}, "应有 4 个数"),
        ({"appeal": (1, 0, 0, 0)}, "appeal"),
    ],
)
def test_table4_refuses_counts_that_are_not_whole_numbers_of_a_group(groups, message):
    with pytest.raises(ReportValueError, match=message):
        table4_from_part_counts(groups)


def test_a_complete_table_in_the_formats_order_is_still_checked_cell_by_cell():
    cells: dict[str, object] = dict.fromkeys(Table3.PATHS, 0)
    cells["granted.business"] = True
    with pytest.raises(ReportValueError, match=r"table3\.granted\.business"):
        Table3(cells)  # type: ignore[arg-type]
    cells["granted.business"] = "1"
    with pytest.raises(ReportValueError, match="不是整数"):
        Table3(cells)  # type: ignore[arg-type]


def test_a_complete_table_cannot_be_changed_through_the_callers_dict():
    cells = dict.fromkeys(Table4.PATHS, 0)
    table = Table4(cells)
    cells["review.upheld"] = 9
    assert table.get("review.upheld") == 0
    with pytest.raises(TypeError):
        table.cells["review.upheld"] = 9  # type: ignore[index]
