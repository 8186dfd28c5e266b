"""Per-agency figures for the supervising office's dashboard and the self-inspection page.

Unscoped: callers (selectors) decide who may see which agency. Reads go through `sources`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from gongkai.agencies.models import Agency
from gongkai.supervision import sources
from gongkai.supervision.inspection import (
    ColumnState,
    Flag,
    LinkResult,
    column_states,
    inspect,
    links_in,
)
from gongkai.supervision.linkcheck import check_links

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
    links_checked: int | None  # None when the link check was not run
    links_found: int = 0

    @property
    def vetoes(self) -> list[Flag]:
        return [f for f in self.flags if f.severity == "veto"]


def agency_inspection(agency: Agency, today: dt.date, *, base_url: str | None = None) -> Inspection:
    """The self-inspection of one agency; with `base_url` the links of its published items are
    fetched too (site-relative ones resolved against `base_url`)."""
    columns = sources.columns_of(agency)
    public = sources.public_items_of(agency, with_body=base_url is not None)
    links: list[LinkResult] = []
    checked = None
    targets: list[tuple[int, str]] = []
    if base_url is not None:
        targets = [(item.pk, url) for item in public for url in links_in(item.body)]
        links = check_links(targets, base_url=base_url)
        checked = len(links)
    return Inspection(
        agency,
        today,
        column_states(columns, public, today),
        inspect(columns, public, today, links),
        checked,
        len(targets),
    )
