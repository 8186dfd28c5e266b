import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.core.workdays import (
    CalendarInputError,
    Override,
    WorkdayCalendar,
    add_workdays,
    count_workdays,
    parse_notice,
    workdays_until,
)

D = dt.date
CAL = WorkdayCalendar()


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        # procedures.md §1 example: Spring Festival 2024-02-10…17 off, Sunday 2024-02-18 worked.
        (D(2024, 2, 5), 20, D(2024, 3, 8)),
        # 2023 Mid-autumn + National Day: 09-29…10-06 off; Saturday 10-07 and Sunday 10-08 worked.
        (D(2023, 9, 27), 1, D(2023, 9, 28)),
        (D(2023, 9, 28), 1, D(2023, 10, 7)),
        (D(2023, 9, 28), 2, D(2023, 10, 8)),
        (D(2023, 9, 28), 3, D(2023, 10, 9)),
        # 2025 Spring Festival: 01-28…02-04 off; Sunday 01-26 and Saturday 02-08 worked.
        (D(2025, 1, 24), 1, D(2025, 1, 26)),
        (D(2025, 1, 27), 1, D(2025, 2, 5)),
        (D(2025, 2, 7), 1, D(2025, 2, 8)),
        # 2025 National Day + Mid-autumn: 10-01…10-08 off; Sunday 09-28 and Saturday 10-11 worked.
        (D(2025, 9, 26), 1, D(2025, 9, 28)),
        (D(2025, 9, 30), 1, D(2025, 10, 9)),
        # 2024 Labour Day: 05-01…05-05 off; Sunday 04-28 and Saturday 05-11 worked.
        (D(2024, 4, 26), 1, D(2024, 4, 28)),
        (D(2024, 4, 30), 1, D(2024, 5, 6)),
        # 2026 Spring Festival: 02-15…02-23 off; Saturday 02-14 and Saturday 02-28 worked.
        (D(2026, 2, 13), 1, D(2026, 2, 14)),
        (D(2026, 2, 14), 1, D(2026, 2, 24)),
        # New Year 2026: 01-01…01-03 off, Sunday 01-04 worked.
        (D(2025, 12, 31), 1, D(2026, 1, 4)),
        (D(2024, 2, 5), 0, D(2024, 2, 5)),
    ],
)
def test_add_workdays_follows_the_state_council_calendars(start, days, due):
    period = add_workdays(CAL, start, days)
    assert period.due == due
    assert not period.provisional


def test_the_start_day_is_not_counted_even_when_it_is_a_working_day():
    assert add_workdays(CAL, D(2024, 3, 4), 1).due == D(2024, 3, 5)


def test_explanation_names_the_skipped_holiday_and_the_worked_sunday():
    lines = add_workdays(CAL, D(2024, 2, 5), 20).explanation
    text = "\n".join(lines)
    assert "2024-02-10（星期六）至2024-02-17（星期六） 春节放假（8天）" in text
    assert "计入：2024-02-18（星期日） 调休上班（春节）" in text
    assert lines[-1].startswith("届满日：2024-03-08（星期五）")


def test_an_unknown_year_gives_a_provisional_date_with_a_visible_warning():
    period = add_workdays(CAL, D(2026, 12, 25), 10)
    assert period.provisional
    assert period.provisional_years == (2027,)
    # Monday–Friday rule: 2027-01-01 (Friday) counts as a working day until the notice is entered.
    assert period.due == D(2027, 1, 8)
    assert "2027年节假日安排尚未录入" in period.explanation[-1]


def test_overrides_win_and_an_entered_year_is_no_longer_provisional():
    calendar = WorkdayCalendar(
        [Override(D(2027, 1, 1), False, "元旦"), Override(D(2027, 1, 2), True, "元旦")],
        entered_years=[2027],
    )
    period = add_workdays(calendar, D(2026, 12, 31), 1)
    assert period.due == D(2027, 1, 2)
    assert not period.provisional
    assert "不计：2027-01-01（星期五） 元旦放假" in "\n".join(period.explanation)


def test_an_override_can_correct_the_package():
    calendar = WorkdayCalendar([Override(D(2024, 3, 5), False, "临时放假")])
    assert add_workdays(calendar, D(2024, 3, 4), 1).due == D(2024, 3, 6)


def test_negative_and_absurd_periods_are_refused_in_chinese():
    with pytest.raises(CalendarInputError, match="不能为负数"):
        add_workdays(CAL, D(2024, 1, 1), -1)
    with pytest.raises(CalendarInputError, match="过大"):
        add_workdays(CAL, D(2024, 1, 1), 100000)


def test_count_and_until():
    assert count_workdays(CAL, D(2024, 2, 6), D(2024, 3, 8)) == 20
    assert workdays_until(CAL, D(2024, 3, 6), D(2024, 3, 8)) == 2
    assert workdays_until(CAL, D(2024, 3, 8), D(2024, 3, 8)) == 0
    assert workdays_until(CAL, D(2024, 3, 11), D(2024, 3, 8)) == -1


@settings(max_examples=60, deadline=None)
@given(
    start=st.dates(min_value=D(2004, 1, 1), max_value=D(2026, 10, 1)),
    days=st.integers(min_value=1, max_value=40),
)
def test_due_date_is_the_nth_working_day_after_the_start(start, days):
    period = add_workdays(CAL, start, days)
    assert CAL.is_workday(period.due)
    assert count_workdays(CAL, start + dt.timedelta(days=1), period.due) == days


def test_parse_notice_reads_days_ranges_and_notes():
    result = parse_notice(
        "2027-02-06 休 春节\n\n# comment\n2027年2月14日 班\n2027-10-01至2027-10-03 休 国庆节"
    )
    assert result.errors == ()
    assert [(o.day, o.workday, o.note) for o in result.overrides] == [
        (D(2027, 2, 6), False, "春节"),
        (D(2027, 2, 14), True, ""),
        (D(2027, 10, 1), False, "国庆节"),
        (D(2027, 10, 2), False, "国庆节"),
        (D(2027, 10, 3), False, "国庆节"),
    ]
    assert result.years == (2027,)


def test_parse_notice_names_each_bad_line():
    result = parse_notice("2027-02-30 休\nhello\n2027-02-06 休\n2027-02-06 班")
    assert result.errors[0].startswith("第1行的日期不存在")
    assert result.errors[1].startswith("第2行无法识别")
    assert "第4行与前文矛盾" in result.errors[2]
