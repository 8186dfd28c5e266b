"""Checking read documents: the shared rules of spec §6 on each, plus the document-level
(UNREADABLE) and batch findings (CARRYOVER-MISMATCH against the previous year in the batch or given
separately, SIMILAR-TEXT across the batch by MinHash/LSH)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from gongkai.agencies.selectors import default_report_deadline
from gongkai.reports import format as fmt
from gongkai.reports.checker.document import UnreadableError
from gongkai.reports.checker.labels import norm
from gongkai.reports.checker.parse import UNKNOWN_AGENCY, ParsedReport, parse_document
from gongkai.reports.checker.readers import read_document
from gongkai.reports.rules import (
    Finding,
    Rule,
    Severity,
    check_report,
    finding,
    old_format_findings,
)
from gongkai.reports.similarity import ProseDocument, similar_text_findings
from gongkai.reports.value import AnnualReport, ReportValueError

MAX_BYTES = 20 * 1024 * 1024
_RULE_ORDER = {rule: index for index, rule in enumerate(Rule)}


def default_deadline(level: fmt.AgencyLevel, year: int) -> dt.date:
    """The statutory deadline for a report of `level` (the rule lives with the agencies)."""
    return default_report_deadline(str(level), year)


@dataclass(frozen=True)
class CheckResult:
    """One input's outcome: the parsed report (None if unreadable) and its findings."""

    file: str
    parsed: ParsedReport | None
    findings: tuple[Finding, ...]

    @property
    def unreadable(self) -> bool:
        return self.parsed is None

    @property
    def has_errors(self) -> bool:
        return any(item.severity is Severity.ERROR for item in self.findings)

    def to_json(self) -> dict[str, object]:
        report = None if self.parsed is None else self.parsed.report
        return {
            "file": self.file,
            "agency": None if report is None else report.agency.name,
            "year": None if report is None or not _year_known(self.parsed) else report.year,
            "format": None if report is None else report.format.value,
            "published_on": None
            if report is None or report.published_on is None
            else report.published_on.isoformat(),
            "findings": [item.to_json() for item in self.findings],
            "report": None if report is None else report.to_json_dict(),
        }


def _year_known(parsed: ParsedReport | None) -> bool:
    return parsed is not None and parsed.year_known


def unreadable(file: str, message: str) -> CheckResult:
    return CheckResult(file, None, (finding(Rule.UNREADABLE, [], message),))


def read_report(
    data: bytes, name: str = "", *, published_on: dt.date | None = None
) -> ParsedReport:
    """Bytes → ParsedReport; raises UnreadableError for what is not a report at all."""
    if len(data) > MAX_BYTES:
        raise UnreadableError(_too_large(len(data), MAX_BYTES))
    stripped = data.lstrip()
    if stripped[:1] == b"{":
        parsed = _read_json(data, name)
        if parsed is not None:
            if published_on is not None:
                parsed = replace(parsed, report=replace(parsed.report, published_on=published_on))
            return parsed
    document = read_document(data, name)
    parsed = parse_document(document, published_on=published_on)
    if not parsed.looks_like_report:
        raise UnreadableError(
            "未能识别为政府信息公开工作年度报告：找不到报告标题、六个部分的标题或任何统计表"
        )
    return parsed


def _read_json(data: bytes, name: str) -> ParsedReport | None:
    """The canonical JSON of spec §5 (what `report build --format json` writes)."""
    try:
        report = AnnualReport.from_json(data)
    except ReportValueError:
        return None
    text = json.dumps(report.to_json_dict(), ensure_ascii=False)
    return ParsedReport(report, {}, (), text, "json", True, True, True)


def _too_large(size: int, limit: int) -> str:
    return (
        f"文件过大（{size / 1024 / 1024:.1f} MB），超过 {limit / 1024 / 1024:.0f} MB 的上限，"
        "未予读取；请拆分文件或只提交报告正文"
    )


def check_parsed(
    parsed: ParsedReport,
    *,
    previous: AnnualReport | None = None,
    deadline: dt.date | None = None,
) -> list[Finding]:
    """The shared rules on the parsed value, with the findings made while reading its cells."""
    report = parsed.report
    limit = deadline or default_deadline(report.agency.level, report.year)
    found = check_report(report, previous=previous, deadline=limit)
    text_old = (
        old_format_findings(parsed.text, report.year)
        if parsed.year_known and report.format is not fmt.ReportFormat.F2021
        else []
    )
    if text_old:
        found = [item for item in found if item.rule is not Rule.OLD_FORMAT]
    if not parsed.title_found:
        # Without a title the agency and its level are unknown: whether it may make 规章 too.
        found = [item for item in found if item.rule is not Rule.T2_SCOPE]
    if not parsed.year_known:
        found = [
            item
            for item in found
            if item.rule not in (Rule.LATE_PUBLICATION, Rule.OLD_FORMAT, Rule.CARRYOVER_MISMATCH)
        ]
    read_cells = {
        cell
        for item in parsed.findings
        if item.rule in (Rule.CELL_BLANK, Rule.CELL_INVALID)
        for cell in item.cells
    }
    found = [
        item
        for item in found
        if not (item.rule in (Rule.CELL_BLANK, Rule.CELL_INVALID) and set(item.cells) <= read_cells)
    ]
    combined = [*text_old, *found, *parsed.findings]
    return sorted(combined, key=lambda item: _RULE_ORDER[item.rule])


@dataclass(frozen=True)
class Input:
    """One document to check: its name and bytes, or why it could not be read."""

    name: str
    data: bytes | None
    error: str | None = None


def _same_agency(first: str, second: str) -> bool:
    if UNKNOWN_AGENCY in (first, second):
        return False
    a, b = norm(first), norm(second)
    return bool(a and b) and (a == b or a in b or b in a)


def check_batch(
    inputs: Sequence[Input],
    *,
    previous: Input | None = None,
    published_on: dt.date | None = None,
    deadline: dt.date | None = None,
    deadlines: Sequence[dt.date | None] | None = None,
) -> list[CheckResult]:
    """Check every input, in input order; an unreadable one gets one UNREADABLE finding.
    `deadlines` gives each input its own publication deadline (its agency's), else `deadline`
    (or the statutory one for the level the report states) applies to all."""
    parsed: list[ParsedReport | None] = []
    errors: list[str | None] = []
    for item in inputs:
        result, error = _safe_read(item, published_on)
        parsed.append(result)
        errors.append(error)
    last_year: ParsedReport | None = None
    if previous is not None:
        last_year, error = _safe_read(previous, None)
        if last_year is None:
            raise UnreadableError(f"上一年度报告（{previous.name}）无法读取：{error}")

    # The readable reports of each (known) year, in input order: looking up last year's report
    # among them instead of the whole batch keeps a batch of thousands linear.
    by_year: dict[int, list[ParsedReport]] = {}
    for report in parsed:
        if report is not None and report.year_known:
            by_year.setdefault(report.report.year, []).append(report)
    results: list[CheckResult] = []
    for index, item in enumerate(inputs):
        current = parsed[index]
        if current is None:
            results.append(unreadable(item.name, errors[index] or "无法读取"))
            continue
        before = _previous_for(current, by_year, last_year, single=len(inputs) == 1)
        try:
            own = deadlines[index] if deadlines is not None else None
            found = check_parsed(current, previous=before, deadline=own or deadline)
        except Exception as error:  # a rule must never take the batch down
            found = [finding(Rule.UNREADABLE, [], f"检查时出错，未能完成：{error}")]
        results.append(CheckResult(item.name, current, tuple(found)))
    return _with_similar_text(results, last_year)


def _safe_read(item: Input, published_on: dt.date | None) -> tuple[ParsedReport | None, str | None]:
    if item.data is None:
        return None, item.error or "无法读取文件"
    try:
        return read_report(item.data, item.name, published_on=published_on), None
    except UnreadableError as error:
        return None, error.message
    except RecursionError:
        return None, "文件结构嵌套过深，无法读取"
    except Exception as error:  # never a traceback: any reader failure is UNREADABLE
        return None, f"文件无法读取（{type(error).__name__}）"


def _previous_for(
    current: ParsedReport,
    by_year: Mapping[int, Sequence[ParsedReport]],
    given: ParsedReport | None,
    *,
    single: bool,
) -> AnnualReport | None:
    if not current.year_known:
        return None
    report = current.report
    for other in by_year.get(report.year - 1, ()):
        if other is not current and _same_agency(other.report.agency.name, report.agency.name):
            return other.report
    if (
        given is not None
        and (not given.year_known or given.report.year == report.year - 1)
        and (single or _same_agency(given.report.agency.name, report.agency.name))
    ):
        return given.report
    return None


def _with_similar_text(
    results: list[CheckResult], last_year: ParsedReport | None
) -> list[CheckResult]:
    documents: list[ProseDocument] = []
    for index, result in enumerate(results):
        if result.parsed is not None:
            documents.append(prose_document(str(index), result.parsed.report))
    if last_year is not None:
        documents.append(prose_document("previous", last_year.report))
    if len(documents) < 2:
        return results
    similar = similar_text_findings(documents)
    out = []
    for index, result in enumerate(results):
        extra = similar.get(str(index), [])
        if extra:
            result = replace(result, findings=(*result.findings, *extra))
        out.append(result)
    return out


def prose_document(key: str, report: AnnualReport) -> ProseDocument:
    """A checked report's prose for SIMILAR-TEXT (sections 一 to 六, not the preamble)."""
    numbers = tuple(n for n in fmt.SECTION_NUMBERS if report.section(n))
    text = "\n".join(report.sections[n] for n in numbers)
    # Two documents whose agency could not be read are not taken for the same agency.
    agency = report.agency.name
    if agency == UNKNOWN_AGENCY:
        agency = f"{agency}#{key}"
    return ProseDocument(key, agency, report.year, text, numbers)
