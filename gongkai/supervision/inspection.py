"""What an inspector would flag today (platform.md §5, 国办秘函〔2019〕19号): pure rules.

Input is the plain values of `sources` (columns, public items) plus today's date and, optionally,
the results of a link check; output is a list of `Flag`s, each naming the rule it breaks and how to
fix it. No database, no network: `linkcheck.py` does the fetching, `selectors.inspection_for`
assembles the inputs.
"""

from __future__ import annotations

import calendar as cal
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from html.parser import HTMLParser

from gongkai.supervision.sources import NEWS, ChannelFact, ColumnFact, ItemFact

# 19号: news-type (动态类) columns are stale after 2 weeks, notice/policy-type after 6 months.
NEWS_STALE_DAYS = 14
OTHER_STALE_MONTHS = 6
HOME_STALE_DAYS = 14
# 19号 single-veto thresholds.
EMPTY_COLUMNS_VETO = 5
STALE_COLUMNS_VETO = 10
STALE_NEWS_COLUMNS_VETO = 5


class Severity(StrEnum):
    VETO = "veto"  # 单项否决
    DEDUCT = "deduct"  # 扣分
    WARN = "warn"  # 提醒


SEVERITY_LABELS = {Severity.VETO: "单项否决", Severity.DEDUCT: "扣分项", Severity.WARN: "提醒"}


class RuleKey(StrEnum):
    HOME_STALE = "home_stale"
    STALE_COLUMN = "stale_column"
    STALE_COLUMNS_MANY = "stale_columns_many"
    STALE_NEWS_MANY = "stale_news_many"
    EMPTY_COLUMN = "empty_column"
    EMPTY_COLUMNS_MANY = "empty_columns_many"
    UNDATED_ITEM = "undated_item"
    BROKEN_LINK = "broken_link"
    SITE_UNREACHABLE = "site_unreachable"
    HIDDEN_LINK = "hidden_link"
    CHANNEL_STALE = "channel_stale"
    CHANNEL_NO_STATS = "channel_no_stats"
    ENQUIRY_UNANSWERED = "enquiry_unanswered"


@dataclass(frozen=True)
class Rule:
    key: RuleKey
    name: str
    basis: str  # the rule as the inspectors state it
    fix: str  # how to fix it


RULES: dict[RuleKey, Rule] = {
    rule.key: rule
    for rule in (
        Rule(
            RuleKey.HOME_STALE,
            "首页长期未更新",
            "国办秘函〔2019〕19号：首页栏目信息超过2周未更新的，单项否决。",
            "及时发布本机关工作动态等信息，保持每两周至少更新一次。",
        ),
        Rule(
            RuleKey.STALE_COLUMN,
            "栏目长期未更新",
            "国办秘函〔2019〕19号：动态类栏目超过2周未更新，通知公告、政策文件类栏目超过6个月未更新的，计为不更新栏目。",
            "在该栏目发布最新信息；确无内容的栏目应合并或撤销，不要保留空转栏目。",
        ),
        Rule(
            RuleKey.STALE_COLUMNS_MANY,
            "不更新栏目过多",
            "国办秘函〔2019〕19号：应更新但长期未更新的栏目数量超过10个（含）的，单项否决。",
            "逐一更新下列长期未更新的栏目，或对确无内容的栏目进行整合。",
        ),
        Rule(
            RuleKey.STALE_NEWS_MANY,
            "动态类栏目普遍未更新",
            "国办秘函〔2019〕19号：5个（含）以上动态类栏目超过2周未更新的，单项否决。",
            "安排专人每周更新工作动态类栏目。",
        ),
        Rule(
            RuleKey.EMPTY_COLUMN,
            "空白栏目",
            "国办公开办函〔2019〕61号：不得出现空白栏目；国办秘函〔2019〕19号：空白栏目数量超过5个（含）的，单项否决。",
            "在该栏目发布应公开的信息，或将栏目与相近栏目合并。",
        ),
        Rule(
            RuleKey.EMPTY_COLUMNS_MANY,
            "空白栏目过多",
            "国办秘函〔2019〕19号：空白栏目数量超过5个（含）的，单项否决。",
            "立即补充各空白栏目的内容或撤并空白栏目。",
        ),
        Rule(
            RuleKey.UNDATED_ITEM,
            "信息缺少日期",
            "平台规范：列表中的每条信息都应显示发布日期，规章和规范性文件应注明成文日期；无日期的信息按未更新计。",
            "在信息的元数据中补充发布日期或成文日期后重新发布。",
        ),
        Rule(
            RuleKey.BROKEN_LINK,
            "链接不可用",
            "国办秘函〔2019〕19号：网站存在错链、断链的，每发现一处扣分。",
            "修改该信息正文中的链接地址，或删除已失效的链接。",
        ),
        Rule(
            RuleKey.SITE_UNREACHABLE,
            "网站无法访问",
            "国办秘函〔2019〕19号：一周内累计抽查20次以上、5%（含）以上无法在15秒内打开的，单项否决。",
            "检查服务器、网络和域名解析，恢复访问后立即再次检查；必要时启用备用服务器。",
        ),
        Rule(
            RuleKey.HIDDEN_LINK,
            "链接指向未公开信息",
            "国办秘函〔2019〕19号：网站存在错链、断链、隐链的，每发现一处扣分；链接到已撤回、未发布或已删除的信息，公众打开时无法查看。",
            "删除该链接或改为指向已公开的信息；如目标信息应当公开，先将其重新发布。",
        ),
        Rule(
            RuleKey.CHANNEL_STALE,
            "政务新媒体长期未更新",
            "国办秘函〔2019〕19号：政务新媒体（微信公众号等）超过2周未更新，或互动功能不可用的，单项否决。",
            "通过该渠道及时转发本机关的政策文件和工作动态，每两周至少更新一次，并按月填报渠道统计。",
        ),
        Rule(
            RuleKey.CHANNEL_NO_STATS,
            "政务新媒体未填报统计",
            "平台规范：微信公众号等发布渠道应按月填报发布条数和阅读量，用于年度报告和更新情况检查。",
            "在“发布渠道”中填报该渠道每月的发布条数和阅读量。",
        ),
        Rule(
            RuleKey.ENQUIRY_UNANSWERED,
            "在线咨询超期未答复",
            "国办秘函〔2019〕19号：互动交流栏目对网民留言超过3个月未回复的，单项否决。",
            "按期答复网民咨询留言，答复内容应公开。",
        ),
    )
}

# Checks this platform has no records for: (rule, why it does not apply here).
NOT_APPLICABLE: tuple[tuple[RuleKey, str], ...] = (
    (
        RuleKey.ENQUIRY_UNANSWERED,
        "本平台不受理在线咨询留言（依申请公开的答复期限另有检查），没有可供检查的咨询记录；"
        "网站另设互动交流栏目的，请在该系统中自查。",
    ),
)


@dataclass(frozen=True)
class Flag:
    rule: Rule
    severity: Severity
    subject: str  # the column, item or link concerned
    detail: str
    item_pk: int | None = None
    column_pk: int | None = None

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS[self.severity]


@dataclass(frozen=True)
class LinkResult:
    item_pk: int
    url: str
    ok: bool
    status: int | None  # HTTP status, None when the server could not be reached
    error: str = ""


@dataclass(frozen=True)
class PageCheck:
    """Whether one page of the site answered when the link check ran."""

    label: str  # 网站首页 / 本机关信息公开页面
    url: str
    status: int | None
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status is not None and self.status < 400


@dataclass(frozen=True)
class HiddenLink:
    """A link in a public item's body to a platform item that is not public (or no longer exists)."""

    item_pk: int
    url: str
    reason: str  # 已撤回或未发布 / 不存在


def months_before(day: dt.date, months: int) -> dt.date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    return dt.date(year, month, min(day.day, cal.monthrange(year, month)[1]))


def stale_since(column: ColumnFact, today: dt.date) -> dt.date:
    """The date before which the column's last item makes it stale."""
    if column.column_type == NEWS:
        return today - dt.timedelta(days=NEWS_STALE_DAYS)
    return months_before(today, OTHER_STALE_MONTHS)


@dataclass(frozen=True)
class ColumnState:
    column: ColumnFact
    items: int
    last_published: dt.date | None
    stale: bool

    @property
    def empty(self) -> bool:
        return self.items == 0


def column_states(
    columns: Iterable[ColumnFact], items: Iterable[ItemFact], today: dt.date
) -> list[ColumnState]:
    """Each fileable column with its public item count, last publication date and staleness."""
    counts: dict[int, int] = {}
    last: dict[int, dt.date] = {}
    for item in items:
        counts[item.column_id] = counts.get(item.column_id, 0) + 1
        if item.published_on is not None and (
            item.column_id not in last or item.published_on > last[item.column_id]
        ):
            last[item.column_id] = item.published_on
    states = []
    for column in columns:
        if not column.fileable:
            continue
        n = counts.get(column.pk, 0)
        latest = last.get(column.pk)
        stale = n > 0 and (latest is None or latest < stale_since(column, today))
        states.append(ColumnState(column, n, latest, stale))
    return states


def _date(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else "无"


def inspect(
    columns: Sequence[ColumnFact],
    items: Sequence[ItemFact],
    today: dt.date,
    links: Sequence[LinkResult] = (),
    *,
    pages: Sequence[PageCheck] = (),
    hidden: Sequence[HiddenLink] = (),
    channels: Sequence[ChannelFact] = (),
) -> list[Flag]:
    """Every flag for one agency today, the single-veto ones first."""
    flags: list[Flag] = []
    for page in pages:
        if not page.ok:
            reason = f"返回状态码{page.status}" if page.status else f"无法访问（{page.error}）"
            flags.append(
                Flag(
                    RULES[RuleKey.SITE_UNREACHABLE],
                    Severity.VETO,
                    page.label,
                    f"{page.url}{reason}。本次检查未能打开，连续出现将导致单项否决。",
                )
            )
    flags.extend(channel_flags(channels, today))
    states = column_states(columns, items, today)
    stale = [s for s in states if s.stale]
    empty = [s for s in states if s.empty]
    stale_news = [s for s in stale if s.column.column_type == NEWS]
    titles = {item.pk: item.title for item in items}

    dates = [i.published_on for i in items if i.published_on is not None]
    latest = max(dates) if dates else None
    if latest is None or latest < today - dt.timedelta(days=HOME_STALE_DAYS):
        flags.append(
            Flag(
                RULES[RuleKey.HOME_STALE],
                Severity.VETO,
                "本机关信息公开页面",
                f"最近一次发布信息是{_date(latest)}，已超过{HOME_STALE_DAYS}天。",
            )
        )
    if len(stale) >= STALE_COLUMNS_VETO:
        flags.append(
            Flag(
                RULES[RuleKey.STALE_COLUMNS_MANY],
                Severity.VETO,
                f"{len(stale)}个栏目",
                f"共有{len(stale)}个栏目长期未更新（达到{STALE_COLUMNS_VETO}个即单项否决）。",
            )
        )
    if len(stale_news) >= STALE_NEWS_COLUMNS_VETO:
        flags.append(
            Flag(
                RULES[RuleKey.STALE_NEWS_MANY],
                Severity.VETO,
                f"{len(stale_news)}个动态类栏目",
                f"共有{len(stale_news)}个动态类栏目超过2周未更新。",
            )
        )
    if len(empty) >= EMPTY_COLUMNS_VETO:
        flags.append(
            Flag(
                RULES[RuleKey.EMPTY_COLUMNS_MANY],
                Severity.VETO,
                f"{len(empty)}个栏目",
                f"共有{len(empty)}个空白栏目（达到{EMPTY_COLUMNS_VETO}个即单项否决）。",
            )
        )
    for state in stale:
        limit = "2周" if state.column.column_type == NEWS else "6个月"
        flags.append(
            Flag(
                RULES[RuleKey.STALE_COLUMN],
                Severity.DEDUCT,
                state.column.name,
                f"最近更新于{_date(state.last_published)}，超过{limit}未更新。",
                column_pk=state.column.pk,
            )
        )
    for state in empty:
        flags.append(
            Flag(
                RULES[RuleKey.EMPTY_COLUMN],
                Severity.DEDUCT,
                state.column.name,
                "该栏目没有任何已发布的信息。",
                column_pk=state.column.pk,
            )
        )
    for item in items:
        missing = []
        if item.published_on is None:
            missing.append("发布日期")
        if item.is_policy_document and item.written_on is None:
            missing.append("成文日期")
        if missing:
            flags.append(
                Flag(
                    RULES[RuleKey.UNDATED_ITEM],
                    Severity.DEDUCT,
                    item.title,
                    f"缺少{'、'.join(missing)}。",
                    item_pk=item.pk,
                )
            )
    for link in links:
        if link.ok:
            continue
        reason = f"返回状态码{link.status}" if link.status else f"无法访问（{link.error}）"
        flags.append(
            Flag(
                RULES[RuleKey.BROKEN_LINK],
                Severity.DEDUCT,
                link.url,
                f"“{titles.get(link.item_pk, '')}”中的链接{reason}。",
                item_pk=link.item_pk,
            )
        )
    for hidden_link in hidden:
        flags.append(
            Flag(
                RULES[RuleKey.HIDDEN_LINK],
                Severity.DEDUCT,
                hidden_link.url,
                f"“{titles.get(hidden_link.item_pk, '')}”中的链接指向{hidden_link.reason}的信息。",
                item_pk=hidden_link.item_pk,
            )
        )
    # Single-veto flags first, then deductions, then reminders; otherwise in the order found.
    order = {Severity.VETO: 0, Severity.DEDUCT: 1, Severity.WARN: 2}
    return sorted(flags, key=lambda flag: order[flag.severity])


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, cal.monthrange(year, month)[1])


def channel_flags(channels: Iterable[ChannelFact], today: dt.date) -> list[Flag]:
    """19号 on 政务新媒体, judged from the monthly statistics: a channel whose last month with
    publications ended more than 2 weeks ago has not been updated for 2 weeks."""
    flags: list[Flag] = []
    for channel in channels:
        if not channel.has_stats:
            flags.append(
                Flag(
                    RULES[RuleKey.CHANNEL_NO_STATS],
                    Severity.WARN,
                    channel.name,
                    f"{channel.kind_label}没有任何月度统计，无法判断是否按时更新。",
                )
            )
            continue
        latest = max(channel.active_months, default=None)
        if latest is not None and _month_end(*latest) >= today - dt.timedelta(days=HOME_STALE_DAYS):
            continue
        when = (
            f"最近一次有发布记录的是{latest[0]}年{latest[1]}月" if latest else "统计中没有发布记录"
        )
        flags.append(
            Flag(
                RULES[RuleKey.CHANNEL_STALE],
                Severity.VETO if channel.kind == "wechat" else Severity.DEDUCT,
                channel.name,
                f"{channel.kind_label}按月度统计{when}，已超过2周未更新。",
            )
        )
    return flags


@dataclass(frozen=True)
class CheckRow:
    """One line of the self-inspection's list of checks: what was checked and with what result."""

    name: str
    state: str  # 通过 / 发现问题 / 未运行 / 不适用 / 暂无数据
    note: str = ""


# The checks in the order of 19号, with the rules each covers.
CHECKS: tuple[tuple[str, tuple[RuleKey, ...]], ...] = (
    ("网站可访问", (RuleKey.SITE_UNREACHABLE,)),
    ("首页更新", (RuleKey.HOME_STALE,)),
    (
        "栏目更新",
        (RuleKey.STALE_COLUMN, RuleKey.STALE_COLUMNS_MANY, RuleKey.STALE_NEWS_MANY),
    ),
    ("空白栏目", (RuleKey.EMPTY_COLUMN, RuleKey.EMPTY_COLUMNS_MANY)),
    ("信息日期", (RuleKey.UNDATED_ITEM,)),
    ("错链断链", (RuleKey.BROKEN_LINK,)),
    ("隐链（指向未公开信息的链接）", (RuleKey.HIDDEN_LINK,)),
    ("政务新媒体更新", (RuleKey.CHANNEL_STALE, RuleKey.CHANNEL_NO_STATS)),
    ("在线咨询答复", (RuleKey.ENQUIRY_UNANSWERED,)),
)
NEEDS_LINK_CHECK = frozenset({RuleKey.SITE_UNREACHABLE, RuleKey.BROKEN_LINK})


def check_rows(
    flags: Sequence[Flag], *, link_check_ran: bool, channels: Sequence[ChannelFact] | None
) -> list[CheckRow]:
    """Each check with its result, so that what was not (or cannot be) checked is said too."""
    found: dict[RuleKey, int] = {}
    for flag in flags:
        found[flag.rule.key] = found.get(flag.rule.key, 0) + 1
    not_applicable = dict(NOT_APPLICABLE)
    rows = []
    for name, keys in CHECKS:
        count = sum(found.get(key, 0) for key in keys)
        reason = next((not_applicable[k] for k in keys if k in not_applicable), None)
        if reason is not None:
            rows.append(CheckRow(name, "不适用", reason))
        elif count:
            rows.append(CheckRow(name, "发现问题", f"{count}项"))
        elif not link_check_ran and NEEDS_LINK_CHECK.intersection(keys):
            rows.append(CheckRow(name, "未运行", "请运行链接检查。"))
        elif RuleKey.CHANNEL_STALE in keys and channels is None:
            rows.append(CheckRow(name, "暂无数据", "未能读取发布渠道的统计。"))
        elif RuleKey.CHANNEL_STALE in keys and not channels:
            rows.append(CheckRow(name, "不适用", "本机关未登记微信公众号等政务新媒体渠道。"))
        else:
            rows.append(CheckRow(name, "通过"))
    return rows


class _LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = {"a": "href", "img": "src"}.get(tag)
        for name, value in attrs:
            if name == wanted and value:
                self.links.append(value.strip())


def links_in(html: str) -> list[str]:
    """The http(s) and site-relative links of an item's body, in order, without repeats."""
    parser = _LinkParser()
    parser.feed(html or "")
    seen: list[str] = []
    for link in parser.links:
        wanted = link.startswith(("http://", "https://", "/")) and not link.startswith("//")
        if wanted and link not in seen:
            seen.append(link)
    return seen
