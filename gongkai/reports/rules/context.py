"""Rules that need context beyond the tables' arithmetic (spec §6).

OLD-FORMAT (on the value and on raw text), CARRYOVER-MISMATCH (last year's report), LATE-PUBLICATION
(a deadline), T2-SCOPE (the agency's power to make 规章) and FEES-NOT-STATED.
"""

from __future__ import annotations

import datetime as dt
import re

from gongkai.reports import format as fmt
from gongkai.reports.rules.findings import (
    Finding,
    Rule,
    finding,
    t3_column_name,
    t3_row_name,
)
from gongkai.reports.rules.folding import nfkc
from gongkai.reports.value import AnnualReport

# -------------------------------------------------------------------------------------------------
# OLD-FORMAT


def check_format(report: AnnualReport) -> list[Finding]:
    """OLD-FORMAT on the value: reports for 2021 and later use the 2021 format.

    国办公开办函〔2021〕30号 replaced the 2019 trial format from the 2021 reports on.
    """
    if report.year < fmt.FORMAT_2021_FIRST_YEAR or report.format is fmt.ReportFormat.F2021:
        return []
    return [
        finding(
            Rule.OLD_FORMAT,
            [],
            f"{report.year}年度报告应使用{fmt.FORMAT_NAMES[fmt.ReportFormat.F2021]}，"
            f"但本报告使用的是{fmt.FORMAT_NAMES[report.format]}",
        )
    ]


def _normalise(text: str) -> str:
    """Fold full-width forms (（一）→(一), ０→0); drop whitespace, which splits PDF labels."""
    return re.sub(r"\s+", "", nfkc(text))


def old_format_signs(text: str) -> tuple[fmt.OldFormatSign, ...]:
    """The 2019-trial-format labels in a document's raw text (spec §6 OLD-FORMAT signs)."""
    flat = _normalise(text)
    signs = [sign for sign in fmt.OLD_FORMAT_SIGNS if _normalise(sign.text) in flat]
    # 规范性文件 as a row label on its own (a table cell), not the 2021 行政规范性文件 nor prose.
    cells = (cell for line in text.splitlines() for cell in re.split(r"[|\t]", line))
    if any(_normalise(cell) == fmt.OLD_FORMAT_BARE_ROW.text for cell in cells):
        signs.append(fmt.OLD_FORMAT_BARE_ROW)
    # （六）其他处理 without its three 2021 sub-rows.
    if _normalise(fmt.OLD_FORMAT_UNSPLIT_ROW.text) in flat and (
        _normalise(fmt.OLD_FORMAT_SPLIT_ROW_2021) not in flat
    ):
        signs.append(fmt.OLD_FORMAT_UNSPLIT_ROW)
    return tuple(signs)


def old_format_findings(text: str, year: int) -> list[Finding]:
    """OLD-FORMAT on a raw document: a report for 2021 or later that shows 2019-format labels."""
    if year < fmt.FORMAT_2021_FIRST_YEAR:
        return []
    signs = old_format_signs(text)
    if not signs:
        return []
    tables = sorted({sign.table for sign in signs})
    quoted = "、".join(
        f"“{sign.text}”" + ("（未分列三个子项）" if sign is fmt.OLD_FORMAT_UNSPLIT_ROW else "")
        for sign in signs
    )
    return [
        finding(
            Rule.OLD_FORMAT,
            tables,
            f"{year}年度报告应使用{fmt.FORMAT_NAMES[fmt.ReportFormat.F2021]}，"
            f"但文中出现了旧格式的栏目：{quoted}",
        )
    ]


# -------------------------------------------------------------------------------------------------
# CARRYOVER-MISMATCH, LATE-PUBLICATION, T2-SCOPE, FEES-NOT-STATED


def check_carryover(report: AnnualReport, previous: AnnualReport | None) -> list[Finding]:
    """CARRYOVER-MISMATCH: an application open on 31 December is 四 now and 二 next year."""
    if previous is None or report.table3 is None or previous.table3 is None:
        return []
    found = []
    for column in fmt.T3_COLUMN_KEYS:
        now = report.table3.cell("carried_over", column)
        before = previous.table3.cell("carried_forward", column)
        if now is None or before is None or now == before:
            continue
        found.append(
            finding(
                Rule.CARRYOVER_MISMATCH,
                [f"table3.carried_over.{column}"],
                f"表三{t3_column_name(column)}：{t3_row_name('carried_over')}为{now}，"
                f"但{previous.year}年度报告{t3_row_name('carried_forward')}为{before}",
            )
        )
    return found


def statutory_deadline(year: int) -> dt.date:
    """条例第四十九条: the report for `year` is published by 31 January of the next year."""
    return dt.date(year + 1, 1, 31)


def check_publication_date(report: AnnualReport, deadline: dt.date | None = None) -> list[Finding]:
    """LATE-PUBLICATION. Pass a jurisdiction's earlier deadline; None means 条例第四十九条."""
    if report.published_on is None:
        return []
    limit = deadline or statutory_deadline(report.year)
    if report.published_on <= limit:
        return []
    return [
        finding(
            Rule.LATE_PUBLICATION,
            [],
            f"报告发布日期为{_date(report.published_on)}，晚于{_date(limit)}的发布期限",
        )
    ]


def _date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def check_regulation_scope(
    report: AnnualReport, can_make_regulations: bool | None = None
) -> list[Finding]:
    """T2-SCOPE: only 国务院部门 and provincial and 设区的市 governments make 规章 (立法法).

    `can_make_regulations` overrides the default read from the agency level (a 国务院部门 is a
    `department` that can).
    """
    able = (
        report.agency.level in fmt.LEVELS_THAT_MAKE_REGULATIONS
        if can_make_regulations is None
        else can_make_regulations
    )
    if able or report.table2 is None:
        return []
    item = fmt.T2_ITEM_BY_KEY["regulations"]
    nonzero = [
        (column.label, value, f"table2.regulations.{column.key}")
        for column in item.columns
        if (value := report.table2.get(f"regulations.{column.key}")) is not None and value > 0
    ]
    if not nonzero:
        return []
    figures = "、".join(f"{label}{value}" for label, value, _ in nonzero)
    level = fmt.AGENCY_LEVEL_NAMES[report.agency.level]
    return [
        finding(
            Rule.T2_SCOPE,
            [address for _, _, address in nonzero],
            f"本机关（{level}）无权制定规章，但表二“{item.label}”行填报了非零数字：{figures}",
        )
    ]


_FEE_WORDS = ("信息处理费", "收费", "费用", "收取")


def check_fees_stated(report: AnnualReport) -> list[Finding]:
    """FEES-NOT-STATED: section 六 reports the 信息处理费 charged, or that none was."""
    text = report.section("6")
    if text is None or any(word in text for word in _FEE_WORDS):
        return []
    heading = fmt.SECTION_BY_NUMBER["6"].heading
    return [
        finding(
            Rule.FEES_NOT_STATED,
            ["section.6"],
            f"“{heading}”部分没有说明信息处理费的收取情况（发出收费通知的件数和金额、实际收取的金额，"
            "或未收取任何费用）",
        )
    ]
