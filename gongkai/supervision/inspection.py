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

from gongkai.supervision.sources import NEWS, ColumnFact, ItemFact

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
    )
}


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
) -> list[Flag]:
    """Every flag for one agency today, the single-veto ones first."""
    flags: list[Flag] = []
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
    return flags


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
