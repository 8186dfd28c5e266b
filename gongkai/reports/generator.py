"""Build an agency's annual report for a year from the platform's records.

The figures come from the apps that keep the records, through a small interface (`RecordSources`):

- table 2 — `gongkai.publishing.selectors.table2_figures(agency, year)`
- section 一（一）— `gongkai.publishing.selectors.section1_figures(agency, year)`
- table 3 — `gongkai.applications.selectors.table3_counts(agency, year)`
- table 4 — `gongkai.remedies.selectors.table4_counts(agency, year)`
- section 六（一）— `gongkai.applications.selectors.fee_figures(agency, year)` (optional)
- section 六（二）（三）— whatever an app above this one registered as `section6_facts`
  (`register_source`, called from the supervision app's `AppConfig.ready`)

The apps below this one are imported directly; an app above it registers its source, so that the
import layers hold (an app imports only apps below it). A source that gives `None` (in tests, or
an unregistered one) makes the report fall back to a table of zeros that the agency fills in by
hand (`manual`), or to a prompt. The tables are always printed in full (spec §1), and the
arithmetic identities of table 3 and 4 hold by construction: the totals are computed here, never
taken from a source. `tables_for_agencies` computes the tables of every agency of a year at once,
`disclosures_for_agencies` the figures of section 一（一）.

The prose is a draft for the agency to finish: figures the records know are written out; what only
the agency knows is left as a 【待填写：…】 prompt, and `report_submit` refuses a report that still
has one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
from operator import itemgetter
from typing import Any, Protocol

from django.db.models import QuerySet

from gongkai.agencies.models import Agency as AgencyRow
from gongkai.applications import selectors as applications_selectors
from gongkai.applications.states import APPLICANT_COLUMNS
from gongkai.publishing import selectors as publishing_selectors
from gongkai.remedies import selectors as remedies_selectors
from gongkai.reports import format as fmt
from gongkai.reports.exceptions import ReportGenerationFailed
from gongkai.reports.renderers.layout import paragraphs
from gongkai.reports.value import (
    T3_APPLICANT_KEYS,
    Agency,
    AnnualReport,
    ReportValueError,
    Table2,
    Table3,
    Table4,
    table3_from_applicant_counts,
    table4_from_part_counts,
    yuan_from_fen,
    yuan_from_wan_yuan,
    zero_table2,
    zero_table3,
    zero_table4,
)

PROMPT_MARK = "【待填写"


def prompt(what: str) -> str:
    """A place in the draft that only the agency can fill in."""
    return f"{PROMPT_MARK}：{what}】"


def has_prompt(text: str) -> bool:
    return PROMPT_MARK in text


Figures = Mapping[str, Any]


class RecordSources(Protocol):
    """Where the generator gets its figures. Each method returns None when it has no source."""

    def table2_figures(self, agency: AgencyRow, year: int) -> Figures | None: ...

    def section1_figures(self, agency: AgencyRow, year: int) -> Figures | None: ...

    def table3_counts(self, agency: AgencyRow, year: int) -> Figures | None: ...

    def table4_counts(self, agency: AgencyRow, year: int) -> Figures | None: ...

    def fee_figures(self, agency: AgencyRow, year: int) -> Figures | None: ...


Source = Callable[[AgencyRow, int], Figures | None]

# The parts an app above this one may provide. The supervising office's records (建议提案,
# 工作要点) live in `supervision`, which imports this module, never the other way round.
REGISTRABLE_SOURCES = ("section6_facts",)
_registered: dict[str, Source] = {}


def register_source(part: str, source: Source) -> None:
    """Provide `part` of the report from an app above this one; call it from `AppConfig.ready`.
    Registering a part again replaces the earlier source."""
    if part not in REGISTRABLE_SOURCES:
        raise ValueError(f"unknown report source {part!r}; expected one of {REGISTRABLE_SOURCES}")
    _registered[part] = source


def registered_source(part: str) -> Source | None:
    return _registered.get(part)


class InstalledSources:
    """The selectors of the record-keeping apps: imported from the apps below this one, registered
    by the apps above it."""

    def table2_figures(self, agency: AgencyRow, year: int) -> Figures | None:
        return publishing_selectors.table2_figures(agency, year)

    def section1_figures(self, agency: AgencyRow, year: int) -> Figures | None:
        return publishing_selectors.section1_figures(agency, year)

    def table3_counts(self, agency: AgencyRow, year: int) -> Figures | None:
        return applications_selectors.table3_counts(agency, year)

    def table4_counts(self, agency: AgencyRow, year: int) -> Figures | None:
        return remedies_selectors.table4_counts(agency, year)

    def fee_figures(self, agency: AgencyRow, year: int) -> Figures | None:
        return applications_selectors.fee_figures(agency, year)

    def section6_facts(self, agency: AgencyRow, year: int) -> Figures | None:
        source = registered_source("section6_facts")
        return None if source is None else source(agency, year)


class NoSources:
    """No records at all: every table is zeros, to be filled in by hand."""

    def table2_figures(self, agency: AgencyRow, year: int) -> Figures | None:
        return None

    def section1_figures(self, agency: AgencyRow, year: int) -> Figures | None:
        return None

    def table3_counts(self, agency: AgencyRow, year: int) -> Figures | None:
        return None

    def table4_counts(self, agency: AgencyRow, year: int) -> Figures | None:
        return None

    def fee_figures(self, agency: AgencyRow, year: int) -> Figures | None:
        return None

    def section6_facts(self, agency: AgencyRow, year: int) -> Figures | None:
        return None


@dataclass(frozen=True)
class GeneratedReport:
    report: AnnualReport
    # Which parts came from the records: table2, table3, table4, section1, fees.
    from_records: frozenset[str]
    notes: tuple[str, ...] = field(default=())

    @property
    def tables_from_records(self) -> bool:
        return bool({"table2", "table3", "table4"} & self.from_records)


# -------------------------------------------------------------------------------------------------
# Tables


def table2_from_figures(figures: Figures) -> Table2:
    """Table 2 from `publishing.selectors.table2_figures` (fees in fen, counts as ints)."""

    def triple(key: str) -> tuple[int, int, int]:
        part = figures.get(key) or {}
        return (
            int(part.get("issued", 0)),
            int(part.get("repealed", 0)),
            int(part.get("in_force", 0)),
        )

    fen = figures.get("fees_fen")
    if fen is not None:
        fees_yuan = yuan_from_fen(int(fen))
    else:
        fees_yuan = yuan_from_wan_yuan(str(figures.get("fees_wan_yuan", "0")))
    return Table2.build(
        regulations=triple("regulations"),
        normative_documents=triple("normative_documents"),
        licensing=int(figures.get("licensing", 0)),
        punishment=int(figures.get("punishment", 0)),
        coercion=int(figures.get("coercion", 0)),
        fees_yuan=fees_yuan,
    )


# Each row's counts in the order the value builders take them (`T3_APPLICANT_KEYS`, `T4_PARTS`).
_T3_APPLICANT_COUNTS = itemgetter(*T3_APPLICANT_KEYS)
_T4_PART_COUNTS = itemgetter(*fmt.T4_PARTS)
_INT_ONLY = frozenset({int})


def _counts(
    figures: Mapping[str, Figures],
    columns: tuple[str, ...],
    get: itemgetter[Any],
    computed_row: str | None = None,
) -> dict[str, tuple[int, ...]]:
    """A source's counts per row in the order of `columns`, as ints: a column it omits is 0, the
    totals (`computed_row` and the total column) and any other column it gives are ignored. A source
    that gives every column of every row as an int (the selectors) takes C-level passes only."""
    try:
        rows = dict(zip(figures, map(get, figures.values()), strict=True))
    except (KeyError, TypeError):  # a column left out (0), or a computed row that is not counts
        rows = {
            row: tuple(cells.get(column, 0) for column in columns)
            for row, cells in figures.items()
            if row != computed_row
        }
    if computed_row is not None:
        rows.pop(computed_row, None)
    if _INT_ONLY.issuperset(map(type, chain.from_iterable(rows.values()))):
        return rows
    return {row: tuple(int(value) for value in values) for row, values in rows.items()}


def table3_from_figures(figures: Figures) -> Table3:
    """Table 3 from per-row, per-applicant counts; totals given by the source are recomputed.
    Every row but （七）总计 is passed on, so an unknown one is refused."""
    rows = _counts(figures, T3_APPLICANT_KEYS, _T3_APPLICANT_COUNTS, fmt.T3_TOTAL_ROW)
    return table3_from_applicant_counts(rows)


def table4_from_figures(figures: Figures) -> Table4:
    """Table 4 from per-group counts; the totals given by the source are recomputed."""
    return table4_from_part_counts(_counts(figures, fmt.T4_PARTS, _T4_PART_COUNTS))


# -------------------------------------------------------------------------------------------------
# Prose


def preamble(agency: AgencyRow, year: int) -> str:
    """Legal basis, statistical period, where to read the report, and whom to ask (spec §1)."""
    where = (
        f"本机关网站（{agency.website}）政府信息公开栏目"
        if agency.website
        else "本平台“政府信息公开工作年度报告”栏目"
    )
    contact_parts = []
    if agency.address:
        contact_parts.append(f"地址：{agency.address}")
    if agency.postcode:
        contact_parts.append(f"邮编：{agency.postcode}")
    if agency.phone:
        contact_parts.append(f"电话：{agency.phone}")
    office = agency.office_name or agency.name
    contact = f"（{'，'.join(contact_parts)}）" if contact_parts else ""
    return "\n".join(
        [
            f"根据{fmt.REGULATION_TITLE}（以下简称《条例》）和{fmt.FORMAT_TITLE}要求，"
            f"结合本机关{year}年政府信息公开工作实际，编制本报告。",
            f"本报告所列数据统计期限自{year}年1月1日起至{year}年12月31日止。"
            f"本报告电子版可在{where}查阅或下载。"
            f"如对本报告有疑问，请与{office}联系{contact}。",
        ]
    )


def _channel_clause(channel: Figures, columns: Sequence[Figures]) -> str:
    name = str(channel.get("name", ""))
    kind = channel.get("kind")
    items = int(channel.get("items", 0))
    reads = int(channel.get("reads", 0))
    if kind == "wechat":
        clause = f"通过“{name}”微信公众号发布信息{items}条"
    else:
        clause = f"通过{name}发布信息{items}条"
    # Only a complete breakdown is printed: a partial one would not add up (CHANNEL-SUM).
    if kind == "website" and columns and sum(int(c["items"]) for c in columns) == items:
        # The nested 其中 keeps the column figures out of the channel sum (CHANNEL-SUM).
        clause += "（其中" + "、".join(f"{c['column']}{int(c['items'])}条" for c in columns) + "）"
    if reads:
        clause += f"，阅读量合计{reads}次"
    return clause


def section1_disclosure(figures: Figures | None, year: int) -> str:
    """一（一）主动公开情况 from the channel and column figures."""
    heading = "（一）主动公开情况。"
    if figures is None:
        return heading + prompt("本年度主动公开政府信息的总数，以及通过各渠道、各栏目发布的情况")
    total = int(figures.get("total_items", 0))
    if total == 0:
        return heading + f"{year}年，本机关未通过政府网站和政务新媒体发布政府信息。"
    channels = [c for c in figures.get("channels", ()) if int(c.get("items", 0)) > 0]
    columns: Sequence[Figures] = [c for c in figures.get("website_columns", ()) if c.get("items")]
    clauses = [_channel_clause(channel, columns) for channel in channels]
    text = f"{year}年，本机关通过各类渠道主动公开政府信息{total}条"
    if len(clauses) > 1:
        text += "，其中" + "；".join(clauses)
    elif clauses:
        text += "，均为" + clauses[0]
    return heading + text + "。"


def section1_applications(table3: Table3 | None, year: int) -> str:
    """一（二）依申请公开情况 from table 3 (only when it came from the records)."""
    heading = "（二）依申请公开情况。"
    if table3 is None:
        return heading + prompt("本年度收到、办结和结转政府信息公开申请的情况")
    total = fmt.T3_TOTAL_COLUMN
    new = table3.cell("new_received", total) or 0
    over = table3.cell("carried_over", total) or 0
    done = table3.cell(fmt.T3_TOTAL_ROW, total) or 0
    forward = table3.cell("carried_forward", total) or 0
    if new == 0 and over == 0:
        return heading + f"{year}年，本机关未收到政府信息公开申请。"
    parts = [f"{year}年，本机关新收政府信息公开申请{new}件"]
    if over:
        parts.append(f"上年结转{over}件")
    parts.append(f"办结{done}件")
    if forward:
        parts.append(f"结转下年度继续办理{forward}件")
    return heading + "，".join(parts) + "。具体情况见表三。"


def section1(disclosure: Figures | None, table3: Table3 | None, year: int) -> str:
    return "\n".join(
        [
            f"{year}年，本机关认真贯彻落实《条例》，依法做好主动公开、依申请公开、政府信息管理、"
            "平台建设和监督保障等各项工作。",
            section1_disclosure(disclosure, year),
            section1_applications(table3, year),
            "（三）政府信息管理情况。" + prompt("公开前保密审查、信息发布审核和目录管理等情况"),
            "（四）政府信息公开平台建设情况。"
            + prompt("政府网站信息公开专栏和政务新媒体的建设维护情况"),
            "（五）监督保障情况。" + prompt("考核、培训、社会评议和责任追究等情况"),
        ]
    )


def section2(table2: Table2 | None) -> str:
    if table2 is None:
        return ""
    issued = table2.get("normative_documents.issued") or 0
    repealed = table2.get("normative_documents.repealed") or 0
    in_force = table2.get("normative_documents.in_force") or 0
    return (
        f"本年度制发行政规范性文件{issued}件，废止行政规范性文件{repealed}件，"
        f"现行有效行政规范性文件{in_force}件。具体情况见下表。"
    )


def section4(table4: Table4 | None) -> str:
    if table4 is None:
        return ""
    review = table4.cell("review", fmt.T4_TOTAL_COLUMN) or 0
    litigation = (table4.cell("litigation_direct", fmt.T4_TOTAL_COLUMN) or 0) + (
        table4.cell("litigation_after_review", fmt.T4_TOTAL_COLUMN) or 0
    )
    if review == 0 and litigation == 0:
        return "本年度未发生政府信息公开行政复议、行政诉讼案件。"
    return f"本年度发生政府信息公开行政复议{review}件，政府信息公开行政诉讼{litigation}件。"


def section5(previous: AnnualReport | None) -> str:
    """Last year's problems first, so this year's report says what was done about them."""
    lines = []
    last = previous.section("5") if previous is not None else None
    if previous is not None and last:
        lines.append(f"（一）{previous.year}年度报告所列问题的改进情况。上年度报告指出的问题是：")
        lines += [f"“{paragraph}”" for paragraph in paragraphs(last)]
        lines.append(prompt("针对上述问题本年度采取的改进措施及取得的成效"))
        lines.append("（二）本年度存在的主要问题及改进措施。")
    lines.append(prompt("本年度政府信息公开工作存在的主要问题和下一步改进措施"))
    return "\n".join(lines)


def fee_statement(fees: Figures | None, table3: Table3 | None) -> str | None:
    """The 信息处理费 position (条例第四十二条), or None when the records cannot tell."""
    if fees is not None:
        notices = int(fees.get("notices", 0))
        notified = int(fees.get("notified_yuan", 0))
        collected = int(fees.get("collected_yuan", 0))
        if notices == 0 and collected == 0:
            return "本年度未发出信息处理费收费通知，未收取信息处理费。"
        return (
            f"本年度依照《条例》第四十二条发出信息处理费收费通知{notices}件，"
            f"通知收取金额{notified}元，实际收取{collected}元。"
        )
    if table3 is not None:
        total = fmt.T3_TOTAL_COLUMN
        received = (table3.cell("new_received", total) or 0) + (
            table3.cell("carried_over", total) or 0
        )
        if received == 0:
            return "本年度未收到政府信息公开申请，未收取信息处理费。"
    return None


def proposals_statement(facts: Figures | None) -> str | None:
    """（二）from the 建议提案 records: how many were handled, replied and published."""
    if facts is None or "proposals" not in facts:
        return None
    kinds = facts["proposals"]
    total = facts.get("proposals_total", {})
    received = int(total.get("received", 0))
    if received == 0:
        return "本年度未承办人大代表建议和政协委员提案。"
    parts = [
        f"{kind['label']}{int(kind['received'])}件"
        for kind in kinds.values()
        if int(kind.get("received", 0))
    ]
    return (
        f"本年度共承办{'、'.join(parts)}，已办复{int(total.get('replied', 0))}件，"
        f"其中{int(total.get('published', 0))}件答复已公开。"
    )


def plan_statement(facts: Figures | None) -> str | None:
    """（三）from the year's 政务公开工作要点 and its tasks."""
    if facts is None or "plan" not in facts:
        return None
    plan = facts["plan"]
    if not plan:
        return None
    done, total = int(plan.get("tasks_done", 0)), int(plan.get("tasks_total", 0))
    whose = "" if plan.get("own") else f"{plan.get('agency', '上级机关')}印发的"
    return f"对照{whose}《{plan['title']}》，本机关承担的{total}项任务已完成{done}项" + (
        "。" if done == total else f"，其余{total - done}项正在推进。"
    )


def section6(fees: str | None, facts: Figures | None = None) -> str:
    return "\n".join(
        [
            "（一）信息处理费收取情况。"
            + (fees or prompt("发出收费通知的件数、通知收取和实际收取的金额，或未收取信息处理费")),
            "（二）人大代表建议和政协提案办理情况。"
            + (proposals_statement(facts) or prompt("本年度承办建议提案的件数和办理结果")),
            "（三）本年度政务公开工作要点落实情况。"
            + (plan_statement(facts) or prompt("工作要点各项任务的落实情况")),
        ]
    )


# -------------------------------------------------------------------------------------------------
# The report


def _guard(part: str, build: Callable[[], Any]) -> Any:
    try:
        return build()
    except (ReportValueError, KeyError, TypeError, ValueError) as error:
        raise ReportGenerationFailed(f"无法从业务记录生成{part}：{error}") from error


def generate_report(
    agency: AgencyRow,
    year: int,
    *,
    sources: RecordSources | None = None,
    previous: AnnualReport | None = None,
) -> GeneratedReport:
    """The draft report of `agency` for `year`: tables from the records (zeros where a source is
    missing), prose drafted from the figures, the preamble from the agency's profile."""
    sources = sources or InstalledSources()
    from_records: set[str] = set()
    notes: list[str] = []

    figures2 = sources.table2_figures(agency, year)
    table2 = _guard("表二", lambda: table2_from_figures(figures2)) if figures2 is not None else None
    figures3 = sources.table3_counts(agency, year)
    table3 = _guard("表三", lambda: table3_from_figures(figures3)) if figures3 is not None else None
    figures4 = sources.table4_counts(agency, year)
    table4 = _guard("表四", lambda: table4_from_figures(figures4)) if figures4 is not None else None
    disclosure = sources.section1_figures(agency, year)
    fees = sources.fee_figures(agency, year)
    section6_source = getattr(sources, "section6_facts", None)
    facts = section6_source(agency, year) if section6_source is not None else None

    for key, table in (("table2", table2), ("table3", table3), ("table4", table4)):
        if table is not None:
            from_records.add(key)
        else:
            notes.append(
                f"{fmt.TABLE_NAMES[key]}暂无可用的业务记录，已按0预填，请根据台账核对填写。"
            )
    if disclosure is not None:
        from_records.add("section1")
    if fees is not None:
        from_records.add("fees")

    report = AnnualReport(
        format=fmt.ReportFormat.F2021,
        agency=Agency(name=agency.name, level=fmt.AgencyLevel(agency.level)),
        year=year,
        published_on=None,
        sections={
            fmt.PREAMBLE_KEY: preamble(agency, year),
            "1": section1(disclosure, table3, year),
            "2": section2(table2),
            "3": "",
            "4": section4(table4),
            "5": section5(previous),
            "6": section6(fee_statement(fees, table3), facts),
        },
        table2=table2 or zero_table2(),
        table3=table3 or zero_table3(),
        table4=table4 or zero_table4(),
    )
    return GeneratedReport(report, frozenset(from_records), tuple(notes))


def tables_from_records(
    agency: AgencyRow, year: int, *, sources: RecordSources | None = None
) -> GeneratedReport:
    """Only the tables (for refreshing a draft's tables without touching its prose)."""
    return generate_report(agency, year, sources=sources)


# -------------------------------------------------------------------------------------------------
# Every report of a year at once


@dataclass(frozen=True)
class ReportTables:
    table2: Table2
    table3: Table3
    table4: Table4


# The grouped selectors of tables 3 and 4 give each row's counts in the order of the records'
# columns (applicant types, case outcomes); the value builders take them in the format's order. The
# two are one (checked here, once), so the counts go to the builders as they come.
assert APPLICANT_COLUMNS == T3_APPLICANT_KEYS  # noqa: S101
assert remedies_selectors.TABLE4_PARTS == fmt.T4_PARTS  # noqa: S101


def tables_for_agencies(agencies: QuerySet[AgencyRow], year: int) -> dict[int, ReportTables]:
    """Tables 2–4 of `year` for every agency of `agencies` ({agency pk: tables}), from a few
    GROUP BY queries instead of one set of queries per agency. Each agency's tables are exactly what
    `generate_report` with `InstalledSources` gives it: the batch selectors count like the per-agency
    ones, and their counts (without the totals) go to the same builders as `table*_from_figures`
    hands the per-agency figures to."""
    figures2 = publishing_selectors.table2_figures_by_agency(agencies, year)
    counts3 = applications_selectors.table3_applicant_counts_by_agency(agencies, year)
    counts4 = remedies_selectors.table4_part_counts_by_agency(agencies, year)
    return {
        pk: _tables_from_counts(figures, counts3[pk], counts4[pk])
        for pk, figures in figures2.items()
    }


def _tables_from_counts(
    figures2: Figures, counts3: Mapping[str, Sequence[int]], counts4: Mapping[str, Sequence[int]]
) -> ReportTables:
    """One agency's tables from the grouped selectors' figures (table 2) and counts (tables 3, 4)."""
    return ReportTables(
        _guard("表二", lambda: table2_from_figures(figures2)),
        _guard("表三", lambda: table3_from_applicant_counts(counts3)),
        _guard("表四", lambda: table4_from_part_counts(counts4)),
    )


def report_tables(figures2: Figures, figures3: Figures, figures4: Figures) -> ReportTables:
    """The tables from one agency's figures, folded exactly as `generate_report` folds them."""
    return ReportTables(
        _guard("表二", lambda: table2_from_figures(figures2)),
        _guard("表三", lambda: table3_from_figures(figures3)),
        _guard("表四", lambda: table4_from_figures(figures4)),
    )


def disclosures_for_agencies(agencies: QuerySet[AgencyRow], year: int) -> dict[int, dict[str, Any]]:
    """Section 一（一）'s figures of `year` for every agency of `agencies` ({agency pk: figures}),
    from one grouped query per source: each is exactly what `generate_report` with
    `InstalledSources` drafts 一（一） from (`section1_disclosure(figures, year)`)."""
    return publishing_selectors.section1_figures_by_agency(agencies, year)
