"""The one place where supervision reads the other domain apps (publishing, applications,
remedies, reports). Everything else in this app works on the plain values returned here.

Those apps are still moving: each reader guards against a missing piece (ImportError,
AttributeError) and then returns `None` (or an empty list), which the callers show as
“暂无数据” instead of failing. Nothing here writes.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from gongkai.agencies.models import Agency
from gongkai.core import clock

log = logging.getLogger(__name__)
T = TypeVar("T")

NEWS = "news"


def _guarded(default: T, read: Callable[[], T]) -> T:
    try:
        return read()
    except (ImportError, AttributeError) as error:
        log.warning("supervision source unavailable: %s", error)
        return default


# --- 主动公开 ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ColumnFact:
    pk: int
    name: str
    slug: str
    column_type: str  # news / notice / policy
    kind: str
    # Whether items are filed under it (not the generated 指南/年报 columns, not a parent column).
    fileable: bool


@dataclass(frozen=True)
class ItemFact:
    pk: int
    title: str
    column_id: int
    status: str
    published_on: dt.date | None
    publish_due: dt.date | None
    written_on: dt.date | None
    doc_kind: str
    body: str = ""
    department_id: int | None = None

    @property
    def is_policy_document(self) -> bool:
        return self.doc_kind in ("regulation", "normative_document")


def columns_of(agency: Agency) -> list[ColumnFact]:
    def read() -> list[ColumnFact]:
        from gongkai.publishing.models import ColumnKind
        from gongkai.publishing.selectors import columns_for

        columns = list(columns_for(agency))
        parents = {c.parent_id for c in columns if c.parent_id is not None}
        generated = {ColumnKind.GUIDE, ColumnKind.ANNUAL_REPORT}
        return [
            ColumnFact(
                pk=c.pk,
                name=c.name,
                slug=c.slug,
                column_type=c.column_type,
                kind=c.kind,
                # Hidden and archived columns are off the site's navigation: not checked.
                fileable=c.kind not in generated
                and c.pk not in parents
                and not c.hidden
                and c.archived_at is None,
            )
            for c in columns
        ]

    return _guarded([], read)


def _item_facts(queryset: Any, with_body: bool) -> list[ItemFact]:
    fields = ["id", "title", "column_id", "status", "published_at", "publish_due"]
    fields += ["written_on", "doc_kind", "department_id"] + (["body"] if with_body else [])
    return [
        ItemFact(
            pk=row["id"],
            title=row["title"],
            column_id=row["column_id"],
            status=row["status"],
            published_on=clock.civil_date(row["published_at"]) if row["published_at"] else None,
            publish_due=row["publish_due"],
            written_on=row["written_on"],
            doc_kind=row["doc_kind"],
            body=row.get("body", "") or "",
            department_id=row["department_id"],
        )
        for row in queryset.values(*fields)
    ]


def public_items_of(agency: Agency, *, with_body: bool = False) -> list[ItemFact]:
    """The agency's items on the site now (published, not withdrawn)."""

    def read() -> list[ItemFact]:
        from gongkai.publishing.selectors import items_public

        return _item_facts(items_public().filter(agency=agency).order_by("id"), with_body)

    return _guarded([], read)


def counted_items_of(agency: Agency, year: int) -> list[ItemFact]:
    """Items that went public in `year` (withdrawn later or not), as the annual report counts."""

    def read() -> list[ItemFact]:
        from gongkai.publishing.models import Item
        from gongkai.publishing.selectors import COUNTED_STATUSES, year_bounds

        start, end = year_bounds(year)
        items = Item.objects.filter(
            agency=agency,
            status__in=COUNTED_STATUSES,
            published_at__gte=start,
            published_at__lt=end,
        ).order_by("id")
        return _item_facts(items, False)

    return _guarded([], read)


def unpublished_overdue_of(agency: Agency, today: dt.date) -> list[ItemFact]:
    """Items still not public past their 20-working-day deadline (条例第二十六条)."""

    def read() -> list[ItemFact]:
        from gongkai.publishing.models import Item, ItemStatus

        items = Item.objects.filter(
            agency=agency,
            published_at__isnull=True,
            publish_due__lt=today,
        ).exclude(status=ItemStatus.WITHDRAWN)
        return _item_facts(items.order_by("publish_due", "id"), False)

    return _guarded([], read)


def open_findings_count(agency: Agency) -> int | None:
    def read() -> int | None:
        from gongkai.publishing.models import FindingStatus, ScanFinding

        return ScanFinding.objects.filter(item__agency=agency, status=FindingStatus.OPEN).count()

    return _guarded(None, read)


def item_public_path(agency: Agency, item_pk: int) -> str:
    def read() -> str:
        from django.urls import NoReverseMatch, reverse

        try:
            return reverse("portal:publishing_item", args=[agency.slug, item_pk])
        except NoReverseMatch:
            return ""

    return _guarded("", read)


def items_public_state(pks: list[int]) -> dict[int, bool]:
    """For platform items linked from published bodies: pk → whether the item is public now.
    Items that do not exist are absent from the answer."""

    def read() -> dict[int, bool]:
        from gongkai.publishing.models import Item
        from gongkai.publishing.selectors import PUBLIC_STATUSES

        rows = Item.objects.filter(pk__in=pks).values_list("id", "status")
        return {pk: status in PUBLIC_STATUSES for pk, status in rows}

    return _guarded({}, read) if pks else {}


@dataclass(frozen=True)
class ChannelFact:
    """A publication channel other than the website (微信公众号, other new media) and the months
    in which its monthly statistics record publications."""

    name: str
    kind: str  # wechat / other
    kind_label: str
    active_months: frozenset[tuple[int, int]]  # (year, month) with items > 0
    has_stats: bool


def channels_of(agency: Agency) -> list[ChannelFact] | None:
    """The agency's non-website channels with their activity (None: no channel records)."""

    def read() -> list[ChannelFact]:
        from gongkai.publishing.models import Channel, ChannelKind, ChannelMonthlyStat

        channels = list(
            Channel.objects.filter(agency=agency)
            .exclude(kind=ChannelKind.WEBSITE)
            .order_by("order", "id")
        )
        stats: dict[int, list[tuple[int, int, int]]] = {}
        rows = ChannelMonthlyStat.objects.filter(channel__in=channels).values_list(
            "channel_id", "year", "month", "items"
        )
        for channel_id, year, month, items in rows:
            stats.setdefault(channel_id, []).append((year, month, items))
        return [
            ChannelFact(
                name=c.name,
                kind=c.kind,
                kind_label=str(c.get_kind_display()),
                active_months=frozenset((y, m) for y, m, n in stats.get(c.pk, []) if n > 0),
                has_stats=c.pk in stats,
            )
            for c in channels
        ]

    return _guarded(None, read)


def platform_item_pk(url: str, site_host: str) -> int | None:
    """The pk of the platform item a link points to (a site-relative link, or one to `site_host`),
    else None."""
    from urllib.parse import urlsplit

    from django.urls import Resolver404, resolve

    parts = urlsplit(url)
    if parts.netloc and parts.netloc != site_host:
        return None
    try:
        match = resolve(parts.path or "/")
    except Resolver404:
        return None
    if match.view_name != "portal:publishing_item":
        return None
    return int(match.kwargs["pk"])


def agency_public_path(agency: Agency) -> str:
    """The path of the agency's page on the public site."""
    from django.urls import reverse

    return reverse("portal:agency", args=[agency.slug])


# --- 依申请公开 ----------------------------------------------------------------------------------


@dataclass
class ApplicationFigures:
    received: int = 0  # received in the year
    open: int = 0  # still open today
    due_soon: int = 0  # reply clock running, at most 5 working days left
    overdue: int = 0  # reply clock running, deadline passed
    replied_late: int = 0  # finished in the year after the reply deadline
    finished: int = 0  # finished in the year
    outcomes: dict[str, int] = field(default_factory=dict)  # table-3 group label → count


DUE_SOON_WORKDAYS = 5


def application_figures(
    agency: Agency, year: int, today: dt.date, *, department_id: int | None = None
) -> ApplicationFigures | None:
    """The agency's application figures (only those of one 承办科室 with `department_id`)."""

    def read() -> ApplicationFigures:
        from gongkai.applications.models import Application
        from gongkai.applications.states import WORKING
        from gongkai.core.calendar import load_calendar
        from gongkai.core.workdays import workdays_until
        from gongkai.reports import format as fmt

        figures = ApplicationFigures()
        applications = Application.objects.filter(agency=agency)
        if department_id is not None:
            applications = applications.filter(department_id=department_id)
        rows = applications.values_list(
            "status", "received_on", "reply_due", "outcome", "outcome_on"
        )
        calendar = None
        for status, received_on, reply_due, outcome, outcome_on in rows:
            if received_on.year == year:
                figures.received += 1
            if outcome_on is None:
                figures.open += 1
                if status in WORKING and reply_due is not None:
                    if reply_due < today:
                        figures.overdue += 1
                    else:
                        calendar = calendar or load_calendar()
                        if workdays_until(calendar, today, reply_due) <= DUE_SOON_WORKDAYS:
                            figures.due_soon += 1
            elif outcome_on.year == year:
                figures.finished += 1
                if reply_due is not None and outcome_on > reply_due:
                    figures.replied_late += 1
                row = fmt.T3_ROW_BY_KEY.get(outcome)
                label = (row.level2 or row.label) if row else "其他"
                figures.outcomes[label] = figures.outcomes.get(label, 0) + 1
        return figures

    return _guarded(None, read)


# --- 复议诉讼 ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RemedyFigures:
    # [(group label, {column label: count})] in table 4's order
    groups: list[tuple[str, dict[str, int]]]

    @property
    def total(self) -> int:
        return sum(counts.get("总计", 0) for _, counts in self.groups)

    @property
    def corrected(self) -> int:
        return sum(counts.get("结果纠正", 0) for _, counts in self.groups)


def remedy_figures(agency: Agency, year: int) -> RemedyFigures | None:
    def read() -> RemedyFigures:
        from gongkai.remedies.selectors import table4_counts
        from gongkai.reports import format as fmt

        table = table4_counts(agency, year)
        groups = []
        for group in fmt.T4_GROUPS:
            label = group.label + (f"（{group.sublabel}）" if group.sublabel else "")
            counts = table.get(group.key, {})
            groups.append((label, {c.label: int(counts.get(c.key, 0)) for c in fmt.T4_COLUMNS}))
        return RemedyFigures(groups)

    return _guarded(None, read)


# --- 年度报告 ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportStatus:
    status_label: str
    deadline: dt.date
    published_on: dt.date | None
    errors: int | None  # spec §6 errors in the working draft (None: no record)

    def is_late(self, today: dt.date) -> bool:
        if self.published_on is not None:
            return self.published_on > self.deadline
        return today > self.deadline

    @property
    def on_time(self) -> bool:
        return self.published_on is not None and self.published_on <= self.deadline


def report_status(agency: Agency, year: int) -> ReportStatus | None:
    def read() -> ReportStatus:
        from gongkai.agencies.selectors import report_deadline
        from gongkai.reports.selectors import report_findings, report_record_find

        deadline = report_deadline(agency, year)
        record = report_record_find(agency, year)
        if record is None:
            return ReportStatus("未开始编制", deadline, None, None)
        first = record.versions.order_by("number").first()
        try:
            errors: int | None = sum(
                1 for f in report_findings(record) if str(f.severity) == "error"
            )
        except (ValueError, KeyError, TypeError):
            errors = None
        return ReportStatus(
            str(record.get_status_display()),
            deadline,
            first.published_on if first is not None else None,
            errors,
        )

    return _guarded(None, read)
