"""The due-soon list's window is filtered in SQL: it must list exactly what counting working days would."""

import datetime as dt

import pytest

from gongkai.applications.models import Application
from gongkai.applications.selectors import application_queue
from gongkai.core import clock
from gongkai.core.calendar import load_calendar
from gongkai.core.workdays import workdays_until
from tests.applications.factories import online

pytestmark = pytest.mark.django_db


# Days before the National Day week (2024-10-01…07, with 调休 Sundays 9-29 and Saturday 10-12 worked),
# before the Spring Festival 2025, and an ordinary Friday.
@pytest.mark.parametrize(
    "today",
    [dt.date(2024, 9, 25), dt.date(2024, 9, 30), dt.date(2025, 1, 24), dt.date(2024, 3, 29)],
)
def test_due_soon_lists_exactly_the_deadlines_with_at_most_five_working_days_left(
    district, user_named, today
):
    made = online(district["songcun"], today - dt.timedelta(days=10))
    # One application due on each calendar day from three days ago to three weeks ahead.
    copies = []
    for offset in range(-3, 22):
        copy = Application.objects.get(pk=made.pk)
        copy.pk = None
        copy.tracking_code = f"W{offset + 10:02d}{made.tracking_code[3:]}"
        copy.reply_due = today + dt.timedelta(days=offset)
        copies.append(copy)
    Application.objects.bulk_create(copies)
    calendar = load_calendar()
    expected = {
        a.pk
        for a in Application.objects.all()
        if 0 <= workdays_until(calendar, today, a.reply_due) <= 5
    }
    with clock.frozen(today):
        listed = application_queue(user_named("songcun_clerk"), view="due_soon")
    assert expected and {r.application.pk for r in listed} == expected
