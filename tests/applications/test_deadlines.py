"""applications.deadlines: the reply clock of one application.

Expected dates are worked out by hand from the State Council's holiday notices (see each test's
comment), never by the code under test.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.applications.deadlines import (
    ClockFacts,
    Extension,
    Pause,
    compute_deadlines,
    fee_payment_due,
    public_calculator,
)
from gongkai.core.exceptions import ValidationFailed
from gongkai.core.workdays import Override, WorkdayCalendar, add_workdays, count_workdays

D = dt.date
CAL = WorkdayCalendar()


def due(facts: ClockFacts, calendar: WorkdayCalendar = CAL) -> dt.date:
    result = compute_deadlines(facts, calendar)
    assert result.reply_due is not None
    return result.reply_due


# --- Hand-checked dates -------------------------------------------------------------------------


def test_spring_festival_2024_example_from_the_spec() -> None:
    # Feb 6–9 (4), 10–17 off, Sun 18 worked (5), 19–23 (10), 26–Mar 1 (15), Mar 4–8 (20).
    result = compute_deadlines(ClockFacts(received=D(2024, 2, 5)), CAL)
    assert result.reply_due == D(2024, 3, 8)
    assert result.extension_notice_due == D(2024, 3, 8)
    assert not result.provisional
    assert not result.extended


def test_explanation_names_the_holidays_the_worked_sunday_and_the_due_date() -> None:
    lines = compute_deadlines(ClockFacts(received=D(2024, 2, 5)), CAL).explanation
    text = "\n".join(lines)
    assert lines[0] == "收到申请：2024-02-05（星期一）。"
    assert "春节放假（8天）" in text
    assert "计入：2024-02-18（星期日） 调休上班（春节）" in text
    assert "条例第三十三条第一款" in text
    assert lines[-1] == "答复期限届满日：2024-03-08（星期五）。"


def test_national_day_2023_counts_the_worked_weekend() -> None:
    # Received Mon 2023-09-25: 26–28 (3), 09-29…10-06 off, Sat 10-07 and Sun 10-08 worked (5),
    # 10-09…13 (10), 16–20 (15), 23–27 (20).
    result = compute_deadlines(ClockFacts(received=D(2023, 9, 25)), CAL)
    assert result.reply_due == D(2023, 10, 27)
    # 7 working days for the 补正 notice: 26, 27, 28, 10-07, 10-08, 10-09, 10-10.
    assert result.correction_notice_due == D(2023, 10, 10)
    text = "\n".join(result.explanation)
    assert "国庆节放假" in text
    assert "中秋节放假" in text
    assert "计入：2023-10-07（星期六） 调休上班（国庆节）" in text


def test_spring_festival_2025() -> None:
    # Received Fri 2025-01-24: Sun 01-26 worked (1), Mon 01-27 (2), 01-28…02-04 off, 02-05…07 (5),
    # Sat 02-08 worked (6), 02-10…14 (11), 17–21 (16), 24–27 (20).
    assert due(ClockFacts(received=D(2025, 1, 24))) == D(2025, 2, 27)


def test_spring_festival_2026() -> None:
    # 2026 notice: 02-15…02-23 off, Sat 02-14 and Sat 02-28 worked. Received Mon 2026-02-09:
    # 10–13 (4), 02-14 (5), 24–27 (9), 02-28 (10), Mar 2–6 (15), Mar 9–13 (20).
    assert due(ClockFacts(received=D(2026, 2, 9))) == D(2026, 3, 13)


def test_national_day_2024_with_a_consultation_and_an_extension() -> None:
    # Received Fri 2024-09-20: 09-23…27 (5), Sun 09-29 worked (6), 09-30 (7), 10-01…07 off,
    # 10-08…11 (11), Sat 10-12 worked (12), 14–18 (17), 21–23 (20).
    assert due(ClockFacts(received=D(2024, 9, 20))) == D(2024, 10, 23)
    # Consultation 10-08…10-11 (4 working days) not counted: Sat 10-12 (8), 14–18 (13),
    # 21–25 (18), 28–29 (20).
    paused = ClockFacts(
        received=D(2024, 9, 20),
        pauses=(Pause(D(2024, 10, 8), D(2024, 10, 11), "third_party"),),
    )
    result = compute_deadlines(paused, CAL)
    assert result.reply_due == D(2024, 10, 29)
    assert result.paused_workdays == 4
    assert "暂停计时：2024-10-08至2024-10-11 征求第三方意见（条例第三十二条），4个工作日" in (
        "\n".join(result.explanation)
    )
    # Extension, approved 10-25 and notified 10-28 (before 10-29): 20 more working days after
    # 10-29: 30, 31, 11-01 (3), 4–8 (8), 11–15 (13), 18–22 (18), 25–26 (20).
    extended = ClockFacts(
        received=D(2024, 9, 20),
        pauses=paused.pauses,
        extension=Extension(D(2024, 10, 25), D(2024, 10, 28)),
    )
    result = compute_deadlines(extended, CAL)
    assert result.extended
    assert result.extension_notice_due == D(2024, 10, 29)
    assert result.reply_due == D(2024, 11, 26)
    assert any("2024-10-25同意" in line for line in result.explanation)


def test_correction_restarts_the_reply_clock() -> None:
    # 补正 received Mon 2024-02-26: 27–Mar 1 (4), 4–8 (9), 11–15 (14), 18–22 (19), 25 (20).
    facts = ClockFacts(
        received=D(2024, 2, 5),
        correction_requested=D(2024, 2, 7),
        correction_received=D(2024, 2, 26),
        correction_due=D(2024, 3, 1),
    )
    result = compute_deadlines(facts, CAL)
    assert result.clock_start == D(2024, 2, 26)
    assert result.reply_due == D(2024, 3, 25)
    assert not result.correction_notice_late
    assert not result.correction_late
    assert any("答复期限自该日重新起算" in line for line in result.explanation)


def test_no_reply_deadline_while_waiting_for_the_correction() -> None:
    facts = ClockFacts(
        received=D(2024, 2, 5), correction_requested=D(2024, 2, 7), correction_due=D(2024, 2, 29)
    )
    result = compute_deadlines(facts, CAL)
    assert result.awaiting_correction
    assert result.reply_due is None
    assert result.extension_notice_due is None
    assert result.correction_due == D(2024, 2, 29)
    assert result.correction_notice_due == D(2024, 2, 20)


def test_late_correction_notice_and_late_correction_are_flagged() -> None:
    # Notice due 2024-02-20 (7th working day after 02-05); sent 02-21. 补正 due 03-01, came 03-04.
    facts = ClockFacts(
        received=D(2024, 2, 5),
        correction_requested=D(2024, 2, 21),
        correction_due=D(2024, 3, 1),
        correction_received=D(2024, 3, 4),
    )
    result = compute_deadlines(facts, CAL)
    assert result.correction_notice_late
    assert result.correction_late
    text = "\n".join(result.explanation)
    assert "补正通知晚于法定的7个工作日" in text
    assert "视为放弃申请" in text


def test_open_pause_is_measured_to_today() -> None:
    # Pause from Mon 2024-03-04, still open on Wed 03-06: 3 working days more than without it.
    facts = ClockFacts(
        received=D(2024, 2, 5),
        pauses=[(D(2024, 3, 4), None, "other_agency")],  # type: ignore[list-item]
        today=D(2024, 3, 6),
    )
    result = compute_deadlines(facts, CAL)
    assert result.open_pause
    assert result.reply_due == D(2024, 3, 13)
    assert result.pauses[0].last == D(2024, 3, 6)
    assert "尚未结束" in "\n".join(result.explanation)


def test_open_pause_without_today_is_refused() -> None:
    facts = ClockFacts(received=D(2024, 2, 5), pauses=(Pause(D(2024, 3, 4), None, "fee"),))
    with pytest.raises(ValidationFailed, match="须提供当前日期"):
        compute_deadlines(facts, CAL)


def test_fee_wait_is_excluded_like_a_consultation() -> None:
    facts = ClockFacts(received=D(2024, 2, 5), pauses=(Pause(D(2024, 3, 4), D(2024, 3, 5), "fee"),))
    result = compute_deadlines(facts, CAL)
    assert result.reply_due == D(2024, 3, 12)
    assert "信息处理费" in "\n".join(result.explanation)


def test_overlapping_pauses_are_not_counted_twice() -> None:
    facts = ClockFacts(
        received=D(2024, 2, 5),
        pauses=(
            Pause(D(2024, 3, 4), D(2024, 3, 6), "third_party"),
            Pause(D(2024, 3, 5), D(2024, 3, 7), "other_agency"),
        ),
    )
    result = compute_deadlines(facts, CAL)
    # 03-04…07 are 4 working days, not 6.
    assert result.paused_workdays == 4
    assert [effect.workdays_excluded for effect in result.pauses] == [3, 1]
    assert result.reply_due == D(2024, 3, 14)


def test_pause_after_the_due_date_changes_nothing() -> None:
    facts = ClockFacts(
        received=D(2024, 2, 5), pauses=(Pause(D(2024, 3, 11), D(2024, 3, 15), "third_party"),)
    )
    result = compute_deadlines(facts, CAL)
    assert result.reply_due == D(2024, 3, 8)
    assert result.pauses[0].workdays_excluded == 0
    assert "不影响期限" in "\n".join(result.explanation)


@pytest.mark.parametrize(
    ("approved", "notified"),
    [
        (D(2024, 3, 8), D(2024, 3, 11)),  # notified after the original due date
        (D(2024, 3, 11), D(2024, 3, 11)),  # approved after it
        (D(2024, 3, 6), D(2024, 3, 5)),  # notified before approval
    ],
)
def test_extension_must_be_approved_then_notified_before_the_original_due_date(
    approved: dt.date, notified: dt.date
) -> None:
    facts = ClockFacts(received=D(2024, 2, 5), extension=Extension(approved, notified))
    with pytest.raises(ValidationFailed) as excinfo:
        compute_deadlines(facts, CAL)
    assert excinfo.value.code in {"extension_too_late", "extension_notified_before_approval"}


def test_extension_notified_on_the_original_due_date_is_valid() -> None:
    # 03-08 + 20: 11–15 (5), 18–22 (10), 25–29 (15), Apr 1–3 (18), Apr 4–6 清明 off, Sun Apr 7
    # worked (19), Apr 8 (20).
    facts = ClockFacts(received=D(2024, 2, 5), extension=(D(2024, 3, 8), D(2024, 3, 8)))  # type: ignore[arg-type]
    assert due(facts) == D(2024, 4, 8)


@pytest.mark.parametrize(
    ("facts", "code"),
    [
        (
            ClockFacts(received=D(2024, 2, 5), correction_received=D(2024, 2, 9)),
            "correction_incomplete",
        ),
        (
            ClockFacts(received=D(2024, 2, 5), correction_requested=D(2024, 2, 1)),
            "correction_before_receipt",
        ),
        (
            ClockFacts(
                received=D(2024, 2, 5),
                correction_requested=D(2024, 2, 7),
                correction_received=D(2024, 2, 6),
            ),
            "correction_received_before_request",
        ),
        (
            ClockFacts(
                received=D(2024, 2, 5), pauses=(Pause(D(2024, 2, 1), D(2024, 2, 9), "fee"),)
            ),
            "pause_before_receipt",
        ),
        (
            ClockFacts(
                received=D(2024, 2, 5), pauses=(Pause(D(2024, 2, 9), D(2024, 2, 8), "fee"),)
            ),
            "pause_end_before_start",
        ),
        (
            ClockFacts(
                received=D(2024, 2, 5),
                pauses=[(D(2024, 2, 9), D(2024, 2, 9), "holiday")],  # type: ignore[list-item]
            ),
            "pause_kind_unknown",
        ),
    ],
)
def test_inconsistent_facts_are_refused_in_chinese(facts: ClockFacts, code: str) -> None:
    with pytest.raises(ValidationFailed) as excinfo:
        compute_deadlines(facts, CAL)
    assert excinfo.value.code == code
    assert any("\u4e00" <= char <= "\u9fff" for char in excinfo.value.message)


def test_unknown_year_2027_is_provisional_with_the_warning() -> None:
    # 2027 is beyond chinesecalendar 1.11.0: Monday–Friday only. Mon 2027-03-01 + 20 weekdays.
    result = compute_deadlines(ClockFacts(received=D(2027, 3, 1)), CAL)
    assert result.reply_due == D(2027, 3, 29)
    assert result.provisional
    assert result.provisional_years == (2027,)
    assert "2027年节假日安排尚未录入" in result.warning
    assert result.explanation[-1].startswith("注意：2027年节假日安排尚未录入")


def test_entered_2027_calendar_is_not_provisional_and_its_holidays_count() -> None:
    calendar = WorkdayCalendar([Override(D(2027, 3, 8), False, "测试假日")], entered_years=[2027])
    result = compute_deadlines(ClockFacts(received=D(2027, 3, 1)), calendar)
    assert not result.provisional
    assert result.reply_due == D(2027, 3, 30)
    assert "测试假日" in "\n".join(result.explanation)


def test_public_calculator_matches_the_case_computation() -> None:
    result = public_calculator(
        D(2024, 9, 20),
        consultations=[(D(2024, 10, 8), D(2024, 10, 11))],
        extended=True,
        calendar=CAL,
    )
    assert result.extension_notice_due == D(2024, 10, 29)
    assert result.reply_due == D(2024, 11, 26)
    restarted = public_calculator(D(2024, 2, 5), D(2024, 2, 7), D(2024, 2, 26), calendar=CAL)
    assert restarted.reply_due == D(2024, 3, 25)


def test_public_calculator_needs_both_correction_dates() -> None:
    with pytest.raises(ValidationFailed, match="须同时填写"):
        public_calculator(D(2024, 2, 5), correction_requested=D(2024, 2, 7), calendar=CAL)


def test_fee_payment_due_counts_from_the_day_after_the_notice() -> None:
    # Notice received Fri 2024-09-27: Sun 09-29 worked (1), 09-30 (2), 10-01…07 off, 10-08…11 (6),
    # Sat 10-12 worked (7), 14–18 (12), 21–25 (17), 28–30 (20).
    assert fee_payment_due(CAL, D(2024, 9, 27)).due == D(2024, 10, 30)


# --- Properties ----------------------------------------------------------------------------------

known_days = st.dates(min_value=D(2023, 1, 1), max_value=D(2026, 9, 30))


@settings(max_examples=150, deadline=None)
@given(received=known_days)
def test_due_date_is_a_working_day_and_agrees_with_the_core_arithmetic(received: dt.date) -> None:
    result = compute_deadlines(ClockFacts(received=received), CAL)
    assert result.reply_due is not None
    assert CAL.is_workday(result.reply_due)
    assert result.reply_due == add_workdays(CAL, received, 20).due
    assert count_workdays(CAL, received + dt.timedelta(days=1), result.reply_due) == 20


@settings(max_examples=150, deadline=None)
@given(received=known_days, offset=st.integers(0, 60), length=st.integers(0, 40))
def test_a_pause_never_makes_the_due_date_earlier(
    received: dt.date, offset: int, length: int
) -> None:
    start = received + dt.timedelta(days=offset)
    pause = Pause(start, start + dt.timedelta(days=length), "third_party")
    plain = due(ClockFacts(received=received))
    paused = due(ClockFacts(received=received, pauses=(pause,)))
    assert paused >= plain
    assert CAL.is_workday(paused)


@settings(max_examples=150, deadline=None)
@given(received=known_days, offset=st.integers(1, 27), length=st.integers(0, 10))
def test_a_pause_of_k_working_days_moves_the_due_date_by_exactly_k(
    received: dt.date, offset: int, length: int
) -> None:
    plain = due(ClockFacts(received=received))
    start = min(received + dt.timedelta(days=offset), plain)
    end = min(start + dt.timedelta(days=length), plain)
    k = count_workdays(CAL, start, end)
    paused = compute_deadlines(
        ClockFacts(received=received, pauses=(Pause(start, end, "other_agency"),)), CAL
    )
    assert paused.paused_workdays == k
    assert paused.reply_due == add_workdays(CAL, plain, k).due


@settings(max_examples=100, deadline=None)
@given(received=known_days)
def test_extension_adds_twenty_working_days_to_the_original_due_date(received: dt.date) -> None:
    result = public_calculator(received, extended=True, calendar=CAL)
    assert result.extension_notice_due is not None
    assert result.reply_due == add_workdays(CAL, result.extension_notice_due, 20).due
