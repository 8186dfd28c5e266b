"""Working-day arithmetic (procedures.md §1). Pure: the calendar is passed in, nothing reads the DB.

A working day is a day that is not a weekend and not a 法定节假日, except that the State Council's yearly
notice turns some weekend days into working days (调休上班) and some weekdays into days off. Three sources,
strongest first:

1. our own overrides (administrators edit them; a pasted notice creates them);
2. the `chinesecalendar` package, which knows the notices up to the year of its release;
3. Monday–Friday, for a year neither knows. Such a result is **provisional**, never a silent guess:
   every result that touched such a year says so, and names the years.

A period of N working days that starts on day D ends on the N-th working day *after* D: D itself is not
counted (民法典第二百零一条 by analogy).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

import chinese_calendar

WEEKDAY_NAMES = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")

# chinesecalendar's holiday names, in the State Council notices' Chinese.
HOLIDAY_NAMES_ZH: dict[str, str] = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}

Source = Literal["override", "package", "weekday_rule"]

# A period longer than this many calendar days is refused: nothing in the 条例 comes near it, and it
# bounds the loop for any input.
MAX_SPAN_DAYS = 3660


class CalendarInputError(ValueError):
    """Bad input to the arithmetic (negative period, absurd span). Message in Chinese."""


@dataclass(frozen=True)
class Override:
    day: dt.date
    workday: bool
    note: str = ""


@dataclass(frozen=True)
class DayInfo:
    day: dt.date
    workday: bool
    reason: str
    source: Source
    provisional: bool

    @property
    def label(self) -> str:
        return f"{fmt_date(self.day)}（{WEEKDAY_NAMES[self.day.weekday()]}）"


@dataclass(frozen=True)
class WorkdayPeriod:
    """The result of counting N working days after `start`, with everything needed to explain it."""

    start: dt.date
    days: int
    due: dt.date
    provisional_years: tuple[int, ...]
    skipped: tuple[DayInfo, ...]
    counted_weekend_workdays: tuple[DayInfo, ...]
    explanation: tuple[str, ...] = field(default=())

    @property
    def provisional(self) -> bool:
        return bool(self.provisional_years)


def fmt_date(day: dt.date) -> str:
    return day.isoformat()


def provisional_warning(years: Iterable[int]) -> str:
    names = "、".join(f"{y}年" for y in sorted(set(years)))
    return f"{names}节假日安排尚未录入，期限按周一至周五推算，为暂定日期，录入后将自动重新计算。"


@functools.lru_cache(maxsize=64)
def package_knows_year(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


class WorkdayCalendar:
    """Answers "is this a working day, and why" for any date.

    `overrides` win over the package; `entered_years` are years whose notice an administrator has
    entered in full, so that they count as known even where the package does not know them.
    """

    def __init__(
        self,
        overrides: Mapping[dt.date, Override] | Iterable[Override] = (),
        entered_years: Iterable[int] = (),
    ) -> None:
        if isinstance(overrides, Mapping):
            self._overrides: dict[dt.date, Override] = dict(overrides)
        else:
            self._overrides = {o.day: o for o in overrides}
        self._entered_years = frozenset(entered_years)
        # Answers are memoised per calendar (a calendar never changes once built): the package's
        # own lookup scans its whole table of dates on every call.
        self._answers: dict[dt.date, DayInfo] = {}

    def year_known(self, year: int) -> bool:
        return year in self._entered_years or package_knows_year(year)

    def info(self, day: dt.date) -> DayInfo:
        answer = self._answers.get(day)
        if answer is None:
            answer = self._answers[day] = self._info(day)
        return answer

    def _info(self, day: dt.date) -> DayInfo:
        provisional = not self.year_known(day.year)
        override = self._overrides.get(day)
        if override is not None:
            if override.workday:
                reason = "调休上班" + (f"（{override.note}）" if override.note else "")
            else:
                note = override.note
                reason = note if note.endswith(("放假", "休息")) else f"{note}放假"
            return DayInfo(day, override.workday, reason, "override", provisional)
        if not provisional and package_knows_year(day.year):
            workday = chinese_calendar.is_workday(day)
            _, name = chinese_calendar.get_holiday_detail(day)
            holiday = HOLIDAY_NAMES_ZH.get(name, name) if name else ""
            if workday:
                reason = f"调休上班（{holiday}）" if day.weekday() >= 5 else "工作日"
            elif holiday:
                reason = f"{holiday}放假"
            else:
                reason = "周末"
            return DayInfo(day, workday, reason, "package", False)
        weekend = day.weekday() >= 5
        return DayInfo(
            day, not weekend, "周末" if weekend else "工作日", "weekday_rule", provisional
        )

    def is_workday(self, day: dt.date) -> bool:
        return self.info(day).workday


def _check_span(start: dt.date, end: dt.date) -> None:
    if (end - start).days > MAX_SPAN_DAYS:
        raise CalendarInputError("日期跨度过大（超过十年），请检查输入。")


def add_workdays(calendar: WorkdayCalendar, start: dt.date, days: int) -> WorkdayPeriod:
    """The `days`-th working day after `start` (start itself not counted)."""
    if days < 0:
        raise CalendarInputError("工作日天数不能为负数。")
    if days > 2000:
        raise CalendarInputError("工作日天数过大（超过2000个工作日），请检查输入。")
    current = start
    counted = 0
    skipped: list[DayInfo] = []
    weekend_workdays: list[DayInfo] = []
    provisional_years: set[int] = set()
    while counted < days:
        current += dt.timedelta(days=1)
        _check_span(start, current)
        info = calendar.info(current)
        if info.provisional:
            provisional_years.add(current.year)
        if info.workday:
            counted += 1
            if current.weekday() >= 5:
                weekend_workdays.append(info)
        else:
            skipped.append(info)
    period = WorkdayPeriod(
        start=start,
        days=days,
        due=current,
        provisional_years=tuple(sorted(provisional_years)),
        skipped=tuple(skipped),
        counted_weekend_workdays=tuple(weekend_workdays),
    )
    return WorkdayPeriod(**{**period.__dict__, "explanation": explain(period)})


def count_workdays(calendar: WorkdayCalendar, first: dt.date, last: dt.date) -> int:
    """Working days from `first` to `last`, both included (0 when last < first)."""
    if last < first:
        return 0
    _check_span(first, last)
    total = 0
    day = first
    while day <= last:
        if calendar.is_workday(day):
            total += 1
        day += dt.timedelta(days=1)
    return total


def workdays_until(calendar: WorkdayCalendar, today: dt.date, due: dt.date) -> int:
    """Working days left from today to the due date: 0 on the due date, negative once overdue."""
    if due >= today:
        return count_workdays(calendar, today + dt.timedelta(days=1), due)
    return -count_workdays(calendar, due + dt.timedelta(days=1), today)


def group_runs(days: Iterable[DayInfo]) -> list[tuple[DayInfo, DayInfo]]:
    """Consecutive days with the same reason, as (first, last) pairs."""
    runs: list[tuple[DayInfo, DayInfo]] = []
    for info in days:
        if runs:
            first, last = runs[-1]
            if info.reason == last.reason and info.day - last.day == dt.timedelta(days=1):
                runs[-1] = (first, info)
                continue
        runs.append((info, info))
    return runs


def describe_run(first: DayInfo, last: DayInfo) -> str:
    if first.day == last.day:
        return f"{first.label} {first.reason}"
    count = (last.day - first.day).days + 1
    return f"{first.label}至{last.label} {first.reason}（{count}天）"


def explain(period: WorkdayPeriod) -> tuple[str, ...]:
    """The reasoning, in Chinese, one step a line."""
    lines = [
        f"起算日：{period.start.isoformat()}（{WEEKDAY_NAMES[period.start.weekday()]}），当日不计入。",
        f"期限：{period.days}个工作日。",
    ]
    for first, last in group_runs(period.skipped):
        lines.append(f"不计：{describe_run(first, last)}")
    for info in period.counted_weekend_workdays:
        lines.append(f"计入：{info.label} {info.reason}")
    lines.append(
        f"届满日：{period.due.isoformat()}（{WEEKDAY_NAMES[period.due.weekday()]}），"
        f"即起算日后第{period.days}个工作日。"
    )
    if period.provisional:
        lines.append("注意：" + provisional_warning(period.provisional_years))
    return tuple(lines)


# --- Pasting a State Council notice -------------------------------------------------------------

_DATE = r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
_LINE = re.compile(
    rf"^{_DATE}(?:\s*(?:至|到|~|～|—|-{{1,2}})\s*{_DATE})?\s*[:：,，]?\s*(休|班|放假|上班)\s*(.*)$"
)


@dataclass(frozen=True)
class NoticeParseResult:
    overrides: tuple[Override, ...]
    errors: tuple[str, ...]

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted({o.day.year for o in self.overrides}))


def parse_notice(text: str) -> NoticeParseResult:
    """Parse lines like `2027-02-06 休 春节`, `2027-02-14 班`, `2027-10-01至2027-10-07 休 国庆节`.

    Blank lines and lines starting with `#` are ignored. Any bad line is an error naming the line;
    the caller imports nothing when there are errors.
    """
    overrides: dict[dt.date, Override] = {}
    errors: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip().replace("\u3000", " ")
        if not line or line.startswith("#"):
            continue
        match = _LINE.match(line)
        if not match:
            errors.append(
                f"第{number}行无法识别：“{line[:40]}”。格式应为“2027-02-06 休”或“2027-02-14 班”。"
            )
            continue
        groups = match.groups()
        try:
            first = dt.date(int(groups[0]), int(groups[1]), int(groups[2]))
            last = dt.date(int(groups[3]), int(groups[4]), int(groups[5])) if groups[3] else first
        except ValueError:
            errors.append(f"第{number}行的日期不存在：“{line[:40]}”。")
            continue
        if last < first or (last - first).days > 31:
            errors.append(f"第{number}行的日期范围不正确：“{line[:40]}”。")
            continue
        workday = groups[6] in ("班", "上班")
        note = groups[7].strip()
        day = first
        while day <= last:
            if day in overrides and overrides[day].workday != workday:
                errors.append(f"第{number}行与前文矛盾：{day.isoformat()}既是休息日又是工作日。")
            overrides[day] = Override(day, workday, note)
            day += dt.timedelta(days=1)
    if not overrides and not errors:
        errors.append("没有读到任何日期。")
    return NoticeParseResult(tuple(sorted(overrides.values(), key=lambda o: o.day)), tuple(errors))
