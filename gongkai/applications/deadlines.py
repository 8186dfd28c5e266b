"""Deadlines of one application for information (procedures.md §3). Pure arithmetic.

The caller passes in a ledger of dated facts (`ClockFacts`) and a `WorkdayCalendar`; nothing here
reads the database or the clock. Whether a day is a working day, and why, is always the core
calendar's answer (`core.workdays`); this module only decides which working days count toward the
reply clock.

Rules (条例 = 《中华人民共和国政府信息公开条例》, 2019):

- 条例第三十条: an unclear request gets one 补正 notice within 7 working days of receipt; the reply
  clock then restarts from the day the completed application is received.
- 条例第三十三条第一款: the reply is due 20 working days after receipt (the receipt day itself is
  not counted); the head of the disclosure office may extend it, once, by up to 20 working days,
  with a written notice to the applicant before the original deadline.
- 条例第三十三条第二款: time spent waiting for third parties (第三十二条) or other agencies
  (第三十四条) does not count. Our reading (procedures.md §3): neither does the wait for a fee
  (国办函〔2020〕109号). A pause runs from its start to its end, both days included: our reading of
  "所需时间" as the usual 自发出征求意见之日起至收到回复之日止 (procedures.md does not fix it); the
  alternative, start day excluded like a period's, would give one working day less per pause.

Exactness: the clock is walked one day at a time; a day counts only if the calendar says it is a
working day and no pause covers it. So adding a pause of k working days inside the period moves the
due date by exactly k working days, and pauses that overlap are never counted twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final, Literal, NamedTuple, get_args

from gongkai.core.exceptions import ValidationFailed
from gongkai.core.workdays import (
    MAX_SPAN_DAYS,
    WEEKDAY_NAMES,
    DayInfo,
    WorkdayCalendar,
    WorkdayPeriod,
    add_workdays,
    describe_run,
    group_runs,
    provisional_warning,
)

# 条例第三十条: the 补正 notice goes out within 7 working days of receipt.
CORRECTION_NOTICE_WORKDAYS: Final = 7
# 条例第三十三条第一款: the reply is due within 20 working days of receipt.
REPLY_WORKDAYS: Final = 20
# 条例第三十三条第一款: an extension adds at most 20 working days, once.
EXTENSION_WORKDAYS: Final = 20
# 国办函〔2020〕109号: the fee is paid within 20 working days from the day after the notice arrives.
FEE_PAYMENT_WORKDAYS: Final = 20

PauseKind = Literal["third_party", "other_agency", "fee", "consultation"]
PAUSE_KINDS: Final[tuple[str, ...]] = get_args(PauseKind)

PAUSE_REASONS: Final[dict[str, str]] = {
    # 条例第三十二条: the third party has 15 working days to give its opinion.
    "third_party": "征求第三方意见（条例第三十二条）",
    # 条例第三十四条: information made jointly with, or sourced from, other agencies.
    "other_agency": "征求其他机关意见（条例第三十四条）",
    # Our reading of 国办函〔2020〕109号 (procedures.md §3): the payment wait does not count.
    "fee": "等待申请人缴纳信息处理费（按本平台对国办函〔2020〕109号的理解，缴费期间不计入）",
    # The public calculator does not ask which of the two kinds of consultation it was.
    "consultation": "征求第三方或其他机关意见（条例第三十二条、第三十四条）",
}


class Pause(NamedTuple):
    """Days during which the reply clock stands still, `start`..`end` inclusive.

    `end` is None while the pause is still open; it is then measured up to `ClockFacts.today`.
    """

    start: dt.date
    end: dt.date | None
    kind: PauseKind


class Extension(NamedTuple):
    """条例第三十三条第一款: approved by the head of the disclosure office, notified in writing."""

    approved_on: dt.date
    notified_on: dt.date


@dataclass(frozen=True)
class ClockFacts:
    """Everything dated that bears on one application's clocks.

    `pauses` may be given as plain `(start, end, kind)` tuples; they are normalised to `Pause`.
    Only one extension can be recorded: 条例第三十三条 allows it once.
    """

    received: dt.date
    correction_requested: dt.date | None = None
    correction_received: dt.date | None = None
    correction_due: dt.date | None = None
    pauses: Sequence[Pause] = ()
    extension: Extension | None = None
    today: dt.date | None = None

    def __post_init__(self) -> None:
        pauses = tuple(Pause(*pause) for pause in self.pauses)
        object.__setattr__(self, "pauses", pauses)
        if self.extension is not None:
            object.__setattr__(self, "extension", Extension(*self.extension))


@dataclass(frozen=True)
class PauseEffect:
    """One pause as applied: its closed range and the working days it took off the clock."""

    pause: Pause
    first: dt.date
    last: dt.date
    open: bool
    workdays_excluded: int


@dataclass(frozen=True)
class Deadlines:
    """The computed deadlines of one application, with their explanation in Chinese.

    `reply_due` and `extension_notice_due` are None while a 补正 has been requested and not yet
    received: 条例第三十条 restarts the clock on receipt of the 补正, so until then there is no
    reply deadline, only the applicant's `correction_due`.
    """

    received: dt.date
    clock_start: dt.date | None
    correction_notice_due: dt.date
    correction_notice_late: bool
    correction_due: dt.date | None
    correction_late: bool
    reply_due: dt.date | None
    extension_notice_due: dt.date | None
    extended: bool
    pauses: tuple[PauseEffect, ...]
    open_pause: bool
    provisional_years: tuple[int, ...]
    explanation: tuple[str, ...] = field(default=())

    @property
    def provisional(self) -> bool:
        return bool(self.provisional_years)

    @property
    def awaiting_correction(self) -> bool:
        return self.clock_start is None

    @property
    def paused_workdays(self) -> int:
        return sum(effect.workdays_excluded for effect in self.pauses)

    @property
    def warning(self) -> str:
        """The provisional warning, or "" when every date is based on a known calendar."""
        return provisional_warning(self.provisional_years) if self.provisional else ""


# --- The walk ------------------------------------------------------------------------------------


@dataclass
class _Walk:
    """A stretch of the reply clock walked day by day after `start`."""

    start: dt.date
    due: dt.date
    skipped: list[DayInfo]
    counted_weekend_workdays: list[DayInfo]
    paused_days: dict[int, int]
    provisional_years: set[int]


def _walk(
    calendar: WorkdayCalendar,
    start: dt.date,
    days: int,
    ranges: Sequence[tuple[dt.date, dt.date]],
) -> _Walk:
    """The `days`-th working day after `start` that no range in `ranges` covers."""
    current = start
    counted = 0
    walk = _Walk(start, start, [], [], {}, set())
    while counted < days:
        current += dt.timedelta(days=1)
        if (current - start).days > MAX_SPAN_DAYS:
            raise ValidationFailed(
                "暂停时间过长（超过十年），请检查输入的日期。", code="span_too_long"
            )
        info = calendar.info(current)
        if info.provisional:
            walk.provisional_years.add(current.year)
        if not info.workday:
            walk.skipped.append(info)
            continue
        covering = next((i for i, (a, b) in enumerate(ranges) if a <= current <= b), None)
        if covering is not None:
            # 条例第三十三条第二款: a working day spent waiting does not count; each day is charged
            # to the first pause that covers it, so overlapping pauses are not counted twice.
            walk.paused_days[covering] = walk.paused_days.get(covering, 0) + 1
            continue
        counted += 1
        if current.weekday() >= 5:
            walk.counted_weekend_workdays.append(info)
    walk.due = current
    return walk


# --- Checking the facts --------------------------------------------------------------------------


def _label(day: dt.date) -> str:
    return f"{day.isoformat()}（{WEEKDAY_NAMES[day.weekday()]}）"


def _fail(message: str, code: str) -> ValidationFailed:
    return ValidationFailed(message, code=code)


def _check_correction(facts: ClockFacts) -> None:
    requested, received_fix, due = (
        facts.correction_requested,
        facts.correction_received,
        facts.correction_due,
    )
    if requested is None:
        if received_fix is not None or due is not None:
            raise _fail(
                "未记录补正通知日期，却填写了补正期限或收到补正的日期。", "correction_incomplete"
            )
        return
    if requested < facts.received:
        raise _fail(
            f"补正通知日期（{requested.isoformat()}）早于收到申请的日期（{facts.received.isoformat()}）。",
            "correction_before_receipt",
        )
    if due is not None and due < requested:
        raise _fail(
            f"补正期限（{due.isoformat()}）早于补正通知日期（{requested.isoformat()}）。",
            "correction_due_before_request",
        )
    if received_fix is not None and received_fix < requested:
        raise _fail(
            f"收到补正的日期（{received_fix.isoformat()}）早于补正通知日期（{requested.isoformat()}）。",
            "correction_received_before_request",
        )


def _closed_ranges(facts: ClockFacts) -> list[tuple[dt.date, dt.date]]:
    ranges: list[tuple[dt.date, dt.date]] = []
    for pause in facts.pauses:
        if pause.kind not in PAUSE_KINDS:
            raise _fail(f"未知的暂停类型：{pause.kind}。", "pause_kind_unknown")
        if pause.start < facts.received:
            raise _fail(
                f"暂停开始日期（{pause.start.isoformat()}）早于收到申请的日期"
                f"（{facts.received.isoformat()}）。",
                "pause_before_receipt",
            )
        end = pause.end
        if end is None:
            # An open pause can only be measured against a given day; this module never reads "now".
            if facts.today is None:
                raise _fail(
                    f"自{pause.start.isoformat()}起的暂停尚未结束，须提供当前日期才能计算期限。",
                    "open_pause_needs_today",
                )
            end = facts.today
        if end < pause.start:
            raise _fail(
                f"暂停结束日期（{end.isoformat()}）早于开始日期（{pause.start.isoformat()}）。",
                "pause_end_before_start",
            )
        ranges.append((pause.start, end))
    return ranges


def _check_extension(extension: Extension, facts: ClockFacts, original_due: dt.date) -> None:
    """条例第三十三条第一款: approved and notified on or before the original due date.

    Our choice: an extension that breaks this rule is refused (ValidationFailed), never silently
    ignored, so that a service cannot record it and a stored record that holds one is noticed.
    """
    approved, notified = extension
    if approved < facts.received:
        raise _fail(
            f"延长答复期限的批准日期（{approved.isoformat()}）早于收到申请的日期。",
            "extension_before_receipt",
        )
    if notified < approved:
        raise _fail(
            f"延长答复期限的告知日期（{notified.isoformat()}）早于批准日期"
            f"（{approved.isoformat()}），应先经负责人同意再告知申请人。",
            "extension_notified_before_approval",
        )
    if approved > original_due or notified > original_due:
        raise _fail(
            f"延长答复期限须在原答复期限（{original_due.isoformat()}）届满前经政府信息公开工作机构"
            f"负责人同意并告知申请人；本申请于{approved.isoformat()}批准、{notified.isoformat()}告知，"
            "已超过原期限，不能延长（条例第三十三条第一款）。",
            "extension_too_late",
        )


# --- The computation -----------------------------------------------------------------------------


def _walk_lines(walk: _Walk) -> list[str]:
    lines = [f"不计：{describe_run(first, last)}" for first, last in group_runs(walk.skipped)]
    lines += [f"计入：{info.label} {info.reason}" for info in walk.counted_weekend_workdays]
    return lines


def _compute(
    facts: ClockFacts,
    calendar: WorkdayCalendar,
    *,
    extension: Extension | None,
    extended: bool,
) -> Deadlines:
    _check_correction(facts)
    ranges = _closed_ranges(facts)
    notice = add_workdays(calendar, facts.received, CORRECTION_NOTICE_WORKDAYS)
    years = set(notice.provisional_years)
    notice_late = facts.correction_requested is not None and facts.correction_requested > notice.due
    correction_late = (
        facts.correction_due is not None
        and facts.correction_received is not None
        and facts.correction_received > facts.correction_due
    )

    lines = [f"收到申请：{_label(facts.received)}。"]
    # 条例第三十条: one 补正 notice, within 7 working days of receipt.
    lines.append(
        f"补正通知期限：{_label(notice.due)}，即收到申请后第{CORRECTION_NOTICE_WORKDAYS}个"
        "工作日（条例第三十条）。"
    )
    if facts.correction_requested is not None:
        line = f"已于{_label(facts.correction_requested)}一次性告知申请人补正"
        if facts.correction_due is not None:
            line += f"，补正期限至{_label(facts.correction_due)}"
        line += "。"
        if notice_late:
            line += "补正通知晚于法定的7个工作日。"
        lines.append(line)

    if facts.correction_requested is not None and facts.correction_received is None:
        lines.append("尚未收到补正：答复期限自收到补正之日起计算（条例第三十条），目前无答复期限。")
        lines += _warning_lines(years)
        return Deadlines(
            received=facts.received,
            clock_start=None,
            correction_notice_due=notice.due,
            correction_notice_late=notice_late,
            correction_due=facts.correction_due,
            correction_late=False,
            reply_due=None,
            extension_notice_due=None,
            extended=False,
            pauses=(),
            open_pause=False,
            provisional_years=tuple(sorted(years)),
            explanation=tuple(lines),
        )

    if facts.correction_received is not None:
        # 条例第三十条: the reply clock restarts on the day the completed application is received.
        start = facts.correction_received
        line = f"收到补正：{_label(start)}，答复期限自该日重新起算，当日不计入（条例第三十条）。"
        if correction_late:
            line += "补正晚于补正期限，无正当理由的视为放弃申请（条例第三十条）。"
        lines.append(line)
    else:
        start = facts.received
        lines.append(f"起算日：{_label(start)}，当日不计入。")
    lines.append(f"答复期限：{REPLY_WORKDAYS}个工作日（条例第三十三条第一款）。")

    first = _walk(calendar, start, REPLY_WORKDAYS, ranges)
    years |= first.provisional_years
    lines += _walk_lines(first)
    original_due = first.due
    walks = [first]

    is_extended = extended or extension is not None
    if extension is not None:
        _check_extension(extension, facts, original_due)
    if is_extended:
        lines.append(f"原答复期限届满日：{_label(original_due)}。")
        if extension is not None:
            lines.append(
                f"延长答复期限：经政府信息公开工作机构负责人于{extension.approved_on.isoformat()}"
                f"同意，于{extension.notified_on.isoformat()}告知申请人，"
                f"延长{EXTENSION_WORKDAYS}个工作日（条例第三十三条第一款，仅可延长一次）。"
            )
        else:
            lines.append(
                f"延长答复期限：延长{EXTENSION_WORKDAYS}个工作日（须经政府信息公开工作机构负责人"
                f"同意，并在{original_due.isoformat()}前告知申请人；条例第三十三条第一款）。"
            )
        # 条例第三十三条第二款: pauses keep excluding days during the extension too.
        second = _walk(calendar, original_due, EXTENSION_WORKDAYS, ranges)
        years |= second.provisional_years
        lines += _walk_lines(second)
        walks.append(second)
    else:
        lines.append(
            f"如需延长答复期限，须经政府信息公开工作机构负责人同意，并于{original_due.isoformat()}"
            "前告知申请人（条例第三十三条第一款）。"
        )
    due = walks[-1].due

    effects: list[PauseEffect] = []
    for index, (pause, (a, b)) in enumerate(zip(facts.pauses, ranges, strict=True)):
        excluded = sum(walk.paused_days.get(index, 0) for walk in walks)
        effects.append(PauseEffect(pause, a, b, pause.end is None, excluded))
        span = f"{a.isoformat()}至{b.isoformat()}" if a != b else a.isoformat()
        if pause.end is None:
            span = f"{a.isoformat()}起（尚未结束，计至{b.isoformat()}）"
        line = f"暂停计时：{span} {PAUSE_REASONS[pause.kind]}，{excluded}个工作日不计入答复期限"
        if a > due:
            line += "（暂停开始时答复期限已届满，不影响期限）"
        lines.append(line + "（条例第三十三条第二款）。")
    open_pause = any(effect.open for effect in effects)
    if open_pause:
        lines.append(
            "暂停尚未结束：期限按截至当前日期计算，暂停每多持续一个工作日，届满日顺延一个工作日。"
        )

    lines.append(f"答复期限届满日：{_label(due)}。")
    lines += _warning_lines(years)
    return Deadlines(
        received=facts.received,
        clock_start=start,
        correction_notice_due=notice.due,
        correction_notice_late=notice_late,
        correction_due=facts.correction_due,
        correction_late=correction_late,
        reply_due=due,
        extension_notice_due=original_due,
        extended=is_extended,
        pauses=tuple(effects),
        open_pause=open_pause,
        provisional_years=tuple(sorted(years)),
        explanation=tuple(lines),
    )


def _warning_lines(years: set[int]) -> list[str]:
    return ["注意：" + provisional_warning(years)] if years else []


def compute_deadlines(facts: ClockFacts, calendar: WorkdayCalendar) -> Deadlines:
    """All deadlines of one application. Raises ValidationFailed (Chinese message) on bad facts."""
    return _compute(facts, calendar, extension=facts.extension, extended=False)


def public_calculator(
    received: dt.date,
    correction_requested: dt.date | None = None,
    correction_received: dt.date | None = None,
    consultations: Sequence[tuple[dt.date, dt.date]] = (),
    extended: bool = False,
    *,
    calendar: WorkdayCalendar,
) -> Deadlines:
    """The same computation as for a case, for anyone, without a record.

    A 补正 needs both dates: without the day the 补正 arrived there is no reply deadline to show.
    `extended` adds the 20-day extension without dates; it is assumed to be lawfully granted.
    """
    if (correction_requested is None) != (correction_received is None):
        raise _fail(
            "补正通知日期和收到补正的日期须同时填写：答复期限自收到补正之日起重新计算（条例第三十条）。",
            "correction_incomplete",
        )
    facts = ClockFacts(
        received=received,
        correction_requested=correction_requested,
        correction_received=correction_received,
        pauses=tuple(Pause(start, end, "consultation") for start, end in consultations),
    )
    return _compute(facts, calendar, extension=None, extended=extended)


def fee_payment_due(calendar: WorkdayCalendar, notice_received: dt.date) -> WorkdayPeriod:
    """The last day to pay the 信息处理费 (国办函〔2020〕109号; procedures.md §3).

    Interpretation: "20 working days from the day after the notice is received" (自收到收费通知的
    次日起) means the day after receipt is the first day that can count, as in 民法典第二百零一条
    (开始的当日不计入，自下一日开始计算). That is exactly the general rule of `add_workdays`: the
    period ends on the 20th working day after the day of receipt. It does not add a further day.
    """
    return add_workdays(calendar, notice_received, FEE_PAYMENT_WORKDAYS)
