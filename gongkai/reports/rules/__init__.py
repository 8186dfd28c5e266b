"""The checks of spec §6, written once for the generator and the checker.

Every check is a pure function over an `AnnualReport` (plus, where the rule needs it, last year's
report, a deadline or the agency's power to make 规章) and returns `Finding`s with the rule ids,
severities and cell addresses of the spec. The generator refuses to publish a report with an error
finding; the checker runs the same functions on the value it parsed from a published document.

Two rules depend on the raw input rather than the value: OLD-FORMAT also has a text form
(`old_format_findings`) because a 2019-format document loses its tell-tale rows when parsed into
the 2021 value, and SIMILAR-TEXT compares a whole batch (see `gongkai.reports.similarity`).

Cell addresses: `table3.<row>.<column>`, `table4.<group>.<column>`, `table2.<item>[.<column>]`,
`section.<n>`, or a bare `table2`/`table3`/`table4`.
"""

from __future__ import annotations

import datetime as dt

from gongkai.reports.rules.context import (
    check_carryover,
    check_fees_stated,
    check_format,
    check_publication_date,
    check_regulation_scope,
    old_format_findings,
    old_format_signs,
    statutory_deadline,
)
from gongkai.reports.rules.findings import (
    RULE_SEVERITY,
    Finding,
    Rule,
    Severity,
    describe_cell,
    errors,
    finding,
    merge_findings,
)
from gongkai.reports.rules.prose import check_channel_sums, check_text_against_tables, parse_number
from gongkai.reports.rules.tables import (
    check_cells,
    check_sections,
    check_structure,
    check_table3,
    check_table4,
    check_tables_present,
    parse_cell,
)
from gongkai.reports.value import AnnualReport

__all__ = [
    "RULE_SEVERITY",
    "Finding",
    "Rule",
    "Severity",
    "check_carryover",
    "check_cells",
    "check_channel_sums",
    "check_fees_stated",
    "check_format",
    "check_publication_date",
    "check_regulation_scope",
    "check_report",
    "check_sections",
    "check_structure",
    "check_table3",
    "check_table4",
    "check_tables_present",
    "check_text_against_tables",
    "describe_cell",
    "errors",
    "finding",
    "merge_findings",
    "old_format_findings",
    "old_format_signs",
    "parse_cell",
    "parse_number",
    "statutory_deadline",
]


def check_report(
    report: AnnualReport,
    *,
    previous: AnnualReport | None = None,
    deadline: dt.date | None = None,
    can_make_regulations: bool | None = None,
) -> list[Finding]:
    """Every rule of spec §6 that the value decides, in the order a reader meets the problems.

    `previous` is the same agency's report for the year before (CARRYOVER-MISMATCH), `deadline` the
    jurisdiction's publication deadline (default 31 January of the next year),
    `can_make_regulations` overrides the agency level for T2-SCOPE.
    """
    return [
        *check_format(report),
        *check_sections(report),
        *check_tables_present(report),
        *check_structure(report),
        *check_cells(report),
        *check_table3(report),
        *check_table4(report),
        *check_carryover(report, previous),
        *check_publication_date(report, deadline),
        *check_regulation_scope(report, can_make_regulations),
        *check_fees_stated(report),
        *check_text_against_tables(report),
        *check_channel_sums(report),
    ]
