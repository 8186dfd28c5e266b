"""Findings: the rule ids and severities of spec §6, and how messages name cells.

A cell address is `table3.<row>.<column>`, `table4.<group>.<column>`, `table2.<item>[.<column>]`,
`section.<n>`, or a bare `table2`/`table3`/`table4` (spec §6).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from gongkai.reports import format as fmt
from gongkai.reports.value import wan_yuan_text


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Rule(StrEnum):
    SECTION_MISSING = "SECTION-MISSING"
    TABLE_MISSING = "TABLE-MISSING"
    ROW_MISSING = "ROW-MISSING"
    CELL_BLANK = "CELL-BLANK"
    CELL_INVALID = "CELL-INVALID"
    T3_TOTAL_COLUMN = "T3-TOTAL-COLUMN"
    T3_RESULT_SUM = "T3-RESULT-SUM"
    T3_BALANCE = "T3-BALANCE"
    T4_TOTAL = "T4-TOTAL"
    OLD_FORMAT = "OLD-FORMAT"
    CARRYOVER_MISMATCH = "CARRYOVER-MISMATCH"
    LATE_PUBLICATION = "LATE-PUBLICATION"
    TEXT_TABLE_MISMATCH = "TEXT-TABLE-MISMATCH"
    T2_SCOPE = "T2-SCOPE"
    FEES_NOT_STATED = "FEES-NOT-STATED"
    CHANNEL_SUM = "CHANNEL-SUM"
    SIMILAR_TEXT = "SIMILAR-TEXT"
    UNREADABLE = "UNREADABLE"


RULE_SEVERITY: dict[Rule, Severity] = {
    Rule.SECTION_MISSING: Severity.ERROR,
    Rule.TABLE_MISSING: Severity.ERROR,
    Rule.ROW_MISSING: Severity.ERROR,
    Rule.CELL_BLANK: Severity.ERROR,
    Rule.CELL_INVALID: Severity.ERROR,
    Rule.T3_TOTAL_COLUMN: Severity.ERROR,
    Rule.T3_RESULT_SUM: Severity.ERROR,
    Rule.T3_BALANCE: Severity.ERROR,
    Rule.T4_TOTAL: Severity.ERROR,
    Rule.OLD_FORMAT: Severity.ERROR,
    Rule.CARRYOVER_MISMATCH: Severity.ERROR,
    Rule.LATE_PUBLICATION: Severity.WARNING,
    Rule.TEXT_TABLE_MISMATCH: Severity.WARNING,
    Rule.T2_SCOPE: Severity.WARNING,
    Rule.FEES_NOT_STATED: Severity.WARNING,
    Rule.CHANNEL_SUM: Severity.WARNING,
    Rule.SIMILAR_TEXT: Severity.WARNING,
    Rule.UNREADABLE: Severity.ERROR,
}


@dataclass(frozen=True)
class Finding:
    rule: Rule
    severity: Severity
    cells: tuple[str, ...]
    message: str

    def to_json(self) -> dict[str, object]:
        """The checker's finding object of spec §6."""
        return {
            "rule": self.rule.value,
            "severity": self.severity.value,
            "cells": list(self.cells),
            "message": self.message,
        }


def finding(rule: Rule, cells: Iterable[str], message: str) -> Finding:
    """A finding with the rule's severity from spec §6."""
    return Finding(rule, RULE_SEVERITY[rule], tuple(cells), message)


def errors(findings: Iterable[Finding]) -> list[Finding]:
    return [item for item in findings if item.severity is Severity.ERROR]


def merge_findings(*groups: Iterable[Finding]) -> list[Finding]:
    """Concatenate findings without duplicates.

    A cell the checker flagged as CELL-INVALID while parsing (a fraction becomes a blank cell in the
    value) is not reported a second time as CELL-BLANK.
    """
    merged: list[Finding] = []
    seen: set[Finding] = set()
    for group in groups:
        for item in group:
            if item not in seen:
                seen.add(item)
                merged.append(item)
    invalid = {cell for item in merged if item.rule is Rule.CELL_INVALID for cell in item.cells}
    return [
        item for item in merged if not (item.rule is Rule.CELL_BLANK and set(item.cells) <= invalid)
    ]


# -------------------------------------------------------------------------------------------------
# Naming cells in messages

SECTION_NUMERALS = {"0": "前言", "1": "一", "2": "二", "3": "三", "4": "四", "5": "五", "6": "六"}


def describe_cell(address: str) -> str:
    """A reader's name for a cell address: table3.granted.total → 表三“（一）予以公开”行“总计”列."""
    parts = address.split(".")
    head = parts[0]
    if head == "section":
        number = parts[1]
        section = fmt.SECTION_BY_NUMBER.get(number)
        return f"“{section.heading}”部分" if section else f"第{SECTION_NUMERALS[number]}部分"
    name = fmt.TABLE_NAMES[head]
    if len(parts) == 1:
        return name
    if head == "table2":
        item = fmt.T2_ITEM_BY_KEY[parts[1]]
        column = next((c for c in item.columns if c.key == parts[-1]), item.columns[0])
        return f"{name}“{item.label}”行“{column.label}”"
    if head == "table3":
        row = fmt.T3_ROW_BY_KEY[parts[1]]
        # A numbered sub-row ("3.其他") is named with its group, which makes it unambiguous.
        within = f"“{row.level2}”中" if row.level3 else ""
        text = f"{name}{within}“{row.label}”行"
        if len(parts) > 2:
            text += f"“{fmt.T3_COLUMN_BY_KEY[parts[2]].label}”列"
        return text
    group = fmt.T4_GROUP_BY_KEY[parts[1]]
    text = f"{name}“{t4_group_name(group)}”"
    if len(parts) > 2:
        text += f"“{fmt.T4_COLUMN_BY_KEY[parts[2]].label}”"
    return text


def t4_group_name(group: fmt.T4Group) -> str:
    return group.label if group.sublabel is None else f"{group.label}（{group.sublabel}）"


def t3_column_name(column: str) -> str:
    return f"“{fmt.T3_COLUMN_BY_KEY[column].label}”列"


def t3_row_name(row: str) -> str:
    return f"“{fmt.T3_ROW_BY_KEY[row].label}”"


def money_text(yuan: int) -> str:
    """An amount as a message prints it: 100000 → 10万元."""
    return f"{wan_yuan_text(yuan)}万元"
