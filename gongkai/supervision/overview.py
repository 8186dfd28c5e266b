"""Per-agency figures for the supervising office's dashboard and the self-inspection page.

Unscoped: callers (selectors) decide who may see which agency. Reads go through `sources`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urljoin

from gongkai.agencies.models import Agency
from gongkai.supervision import sources
from gongkai.supervision.inspection import (
    CheckRow,
    ColumnState,
    Flag,
    HiddenLink,
    LinkResult,
    PageCheck,
    check_rows,
    column_states,
    inspect,
    links_in,
)
from gongkai.supervision.models import LinkCheckRun, LinkCheckStatus

MONTHS = tuple(range(1, 13))


@dataclass
class AgencyOverview:
    agency: Agency
    year: int
    published_by_month: list[int]  # 12 counts, January first
    published_by_column: dict[str, list[int]]  # column name → 12 monthly counts
    published_total: int
    published_late: int  # published in the year after the 20-working-day deadline
    unpublished_overdue: int  # still unpublished past the deadline today
    stale_columns: list[ColumnState]
    empty_columns: list[ColumnState]
    open_findings: int | None
    applications: sources.ApplicationFigures | None
    remedies: sources.RemedyFigures | None
    report: sources.ReportStatus | None
    flags: list[Flag] = field(default_factory=list)

    @property
    def timely_rate(self) -> float | None:
        """Share of the year's publications that were on time (None when nothing was published)."""
        if not self.published_total:
            return None
        return (self.published_total - self.published_late) / self.published_total

    @property
    def timely_percent(self) -> str:
        rate = self.timely_rate
        return "—" if rate is None else f"{rate * 100:.1f}%"


def agency_overview(agency: Agency, year: int, today: dt.date) -> AgencyOverview:
    columns = sources.columns_of(agency)
    names = {c.pk: c.name for c in columns}
    counted = sources.counted_items_of(agency, year)
    by_month = [0] * 12
    by_column: dict[str, list[int]] = {}
    late = 0
    for item in counted:
        if item.published_on is None:
            continue
        month = item.published_on.month - 1
        by_month[month] += 1
        by_column.setdefault(names.get(item.column_id, "其他"), [0] * 12)[month] += 1
        if item.publish_due is not None and item.published_on > item.publish_due:
            late += 1
    public = sources.public_items_of(agency)
    states = column_states(columns, public, today)
    return AgencyOverview(
        agency=agency,
        year=year,
        published_by_month=by_month,
        published_by_column=by_column,
        published_total=sum(by_month),
        published_late=late,
        unpublished_overdue=len(sources.unpublished_overdue_of(agency, today)),
        stale_columns=[s for s in states if s.stale],
        empty_columns=[s for s in states if s.empty],
        open_findings=sources.open_findings_count(agency),
        applications=sources.application_figures(agency, year, today),
        remedies=sources.remedy_figures(agency, year),
        report=sources.report_status(agency, year),
        flags=inspect(columns, public, today),
    )


@dataclass(frozen=True)
class Inspection:
    agency: Agency
    today: dt.date
    states: list[ColumnState]
    flags: list[Flag]
    run: LinkCheckRun | None  # the last link check (any state); None before the first one
    checks: list[CheckRow] = field(default_factory=list)

    @property
    def vetoes(self) -> list[Flag]:
        return [f for f in self.flags if f.severity == "veto"]


def _run_results(run: LinkCheckRun | None) -> tuple[list[LinkResult], list[PageCheck]]:
    if run is None or run.status != LinkCheckStatus.DONE:
        return [], []
    links = [
        LinkResult(int(b["item"]), str(b["url"]), False, b.get("status"), str(b.get("error", "")))
        for b in run.broken
    ]
    base = run.base_url
    pages = [
        PageCheck("网站首页", base, run.site_status, "" if run.site_status else "无法连接"),
        PageCheck(
            "本机关信息公开页面",
            urljoin(base, sources.agency_public_path(run.agency)),
            run.page_status,
            "" if run.page_status else "无法连接",
        ),
    ]
    return links, pages


def hidden_links(items: list[sources.ItemFact], site_host: str) -> list[HiddenLink]:
    """Links in public items' bodies to platform items that are not public now."""
    found = [
        (item.pk, url, target)
        for item in items
        for url in links_in(item.body)
        if (target := sources.platform_item_pk(url, site_host)) is not None
    ]
    public = sources.items_public_state(sorted({target for _, _, target in found}))
    return [
        HiddenLink(pk, url, "已撤回或未发布" if target in public else "已删除或不存在")
        for pk, url, target in found
        if not public.get(target, False)
    ]


def agency_inspection(
    agency: Agency, today: dt.date, *, run: LinkCheckRun | None = None, site_host: str = ""
) -> Inspection:
    """The self-inspection of one agency: rules on its columns, items and channels today, the
    hidden links of its published items (links to the site given as `site_host` or site-relative),
    and the results of the last link check `run` when it is done."""
    columns = sources.columns_of(agency)
    public = sources.public_items_of(agency, with_body=True)
    links, pages = _run_results(run)
    channels = sources.channels_of(agency)
    flags = inspect(
        columns,
        public,
        today,
        links,
        pages=pages,
        hidden=hidden_links(public, site_host),
        channels=channels or (),
    )
    done = run is not None and run.status == LinkCheckStatus.DONE
    return Inspection(
        agency,
        today,
        column_states(columns, public, today),
        flags,
        run,
        check_rows(flags, link_check_ran=done, channels=channels),
    )
