"""The 20-working-day publication deadline (条例第二十六条). Pure: the calendar is passed in."""

from __future__ import annotations

import datetime as dt

from gongkai.core.workdays import WorkdayCalendar, add_workdays

PUBLISH_WITHIN_WORKDAYS = 20


def publish_due(calendar: WorkdayCalendar, formed_on: dt.date) -> dt.date:
    """条例第二十六条: published within 20 working days of being formed or changed."""
    return add_workdays(calendar, formed_on, PUBLISH_WITHIN_WORKDAYS).due
