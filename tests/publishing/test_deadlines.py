"""The 20-working-day publication deadline (条例第二十六条), as properties over any start date."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from gongkai.core.workdays import WorkdayCalendar, count_workdays
from gongkai.publishing.deadlines import PUBLISH_WITHIN_WORKDAYS, publish_due

CALENDAR = WorkdayCalendar()


@given(st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2030, 12, 31)))
def test_due_date_is_the_twentieth_working_day_after_formation(formed_on):
    due = publish_due(CALENDAR, formed_on)
    assert due > formed_on
    assert CALENDAR.is_workday(due)
    assert count_workdays(CALENDAR, formed_on + dt.timedelta(days=1), due) == 20
    assert PUBLISH_WITHIN_WORKDAYS == 20


def test_national_day_holiday_is_skipped():
    # Formed Thursday 2023-09-28: 9-29..10-6 are the 中秋/国庆 holidays; 10-7 and 10-8 are 调休
    # working days (1, 2); then five-day weeks from 10-9 (3-7), 10-16 (8-12), 10-23 (13-17), and
    # 10-30, 10-31, 11-1 (18-20).
    due = publish_due(CALENDAR, dt.date(2023, 9, 28))
    assert due == dt.date(2023, 11, 1)
