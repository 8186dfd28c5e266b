"""Table 3 of the annual report, counted from applications. Pure: rows in, counts out.

Counting rules (annual-report.md §3, 条例第三十一条 for the receipt date):

- received in year Y → `new_received` of Y;
- received before Y and not finished before 1 January of Y → `carried_over` of Y (it was open on
  31 December of Y−1);
- finished (replied, lapsed, withdrawn) in Y → its one result row in Y;
- received by 31 December of Y and not finished by then → `carried_forward` of Y.

So each application counted in Y is counted exactly once on the left (new or carried over) and
exactly once on the right (one result row or carried forward): 一 + 二 = 七 + 四 holds per column by
construction, and `total_processed` is the sum of the result rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import NamedTuple

from gongkai.applications.states import ALL_ROWS, APPLICANT_COLUMNS, RESULT_ROWS

Table3 = dict[str, dict[str, int]]


class CountedApplication(NamedTuple):
    applicant_type: str
    received_on: dt.date
    outcome: str  # a result row key, or "" while open
    outcome_on: dt.date | None


def empty_table3() -> Table3:
    return {row: dict.fromkeys((*APPLICANT_COLUMNS, "total"), 0) for row in ALL_ROWS}


def count_table3(applications: Iterable[CountedApplication], year: int) -> Table3:
    table = empty_table3()
    first = dt.date(year, 1, 1)
    last = dt.date(year, 12, 31)

    def add(row: str, column: str) -> None:
        table[row][column] += 1
        table[row]["total"] += 1

    for item in applications:
        if item.received_on > last:
            continue
        finished_before = item.outcome_on is not None and item.outcome_on < first
        if finished_before:
            continue
        column = item.applicant_type
        if item.received_on >= first:
            add("new_received", column)
        else:
            add("carried_over", column)
        if item.outcome_on is not None and item.outcome_on <= last:
            if item.outcome not in RESULT_ROWS:
                raise ValueError(f"unknown outcome {item.outcome!r}")
            add(item.outcome, column)
            add("total_processed", column)
        else:
            add("carried_forward", column)
    return table


def table3_identity_failures(table: Table3) -> list[str]:
    """Every identity of table 3 that does not hold (empty when the table is consistent)."""
    failures: list[str] = []
    for row in ALL_ROWS:
        if table[row]["total"] != sum(table[row][c] for c in APPLICANT_COLUMNS):
            failures.append(f"{row}: total")
    for column in (*APPLICANT_COLUMNS, "total"):
        processed = sum(table[r][column] for r in RESULT_ROWS)
        if table["total_processed"][column] != processed:
            failures.append(f"total_processed/{column}")
        left = table["new_received"][column] + table["carried_over"][column]
        right = table["total_processed"][column] + table["carried_forward"][column]
        if left != right:
            failures.append(f"balance/{column}")
    return failures
