"""The graded deadline warnings (selectors.deadline_warnings) and the workbench home that shows them."""

import datetime as dt

import pytest

from gongkai.applications.selectors import deadline_warnings
from gongkai.core import clock
from gongkai.core.calendar import load_calendar
from gongkai.core.workdays import workdays_until
from tests.applications.factories import online

pytestmark = pytest.mark.django_db

TODAY = dt.date(2024, 3, 29)  # a Friday


@pytest.fixture
def apps(district):
    # Received on these days, 20 working days to reply: overdue, then due in 0…5, then later.
    days = [dt.date(2024, 2, 20), dt.date(2024, 3, 1), dt.date(2024, 3, 4), dt.date(2024, 3, 6)]
    days += [dt.date(2024, 3, 8), dt.date(2024, 3, 20)]
    made = [online(district["songcun"], day) for day in days]
    made.append(online(district["gaocun"], dt.date(2024, 2, 20)))  # another agency's, overdue
    return made


def test_overdue_and_due_soon_are_graded_from_the_stored_deadlines(apps, user_named):
    clerk = user_named("songcun_clerk")
    with clock.frozen(TODAY):
        warnings = deadline_warnings(clerk)
    calendar = load_calendar()
    left = {a.pk: workdays_until(calendar, TODAY, a.reply_due) for a in apps[:6]}
    expected_overdue = {pk for pk, n in left.items() if n < 0}
    expected_soon = {pk for pk, n in left.items() if 0 <= n <= 5}
    assert expected_overdue and expected_soon and len(expected_overdue | expected_soon) < 6
    assert {r.application.pk for r in warnings.overdue} == expected_overdue
    assert {r.application.pk for r in warnings.due_soon} == expected_soon
    assert all(r.workdays_left == left[r.application.pk] for r in warnings.rows)
    # Most urgent first; each due-soon row carries its step.
    assert [r.workdays_left for r in warnings.rows] == sorted(
        r.workdays_left for r in warnings.rows
    )
    assert all(r.warning in (1, 3, 5) for r in warnings.due_soon)
    assert warnings.within[5] == len(expected_soon)
    assert warnings.within[1] == sum(1 for pk in expected_soon if left[pk] <= 1)


def test_supervisors_and_other_agencies_get_no_warnings(apps, user_named):
    with clock.frozen(TODAY):
        assert deadline_warnings(user_named("wendeng_supervisor")).rows == []
        gaocun = deadline_warnings(user_named("gaocun_clerk"))
    assert [r.application.pk for r in gaocun.rows] == [apps[-1].pk]


def test_paused_applications_are_not_warned_about(apps, user_named):
    from gongkai.applications import services as s

    clerk = user_named("songcun_clerk")
    with clock.frozen(TODAY):
        first = deadline_warnings(clerk).rows[0].application
        s.application_pause(actor=clerk, application=first, kind="third_party", party="某公司")
        assert first.pk not in {r.application.pk for r in deadline_warnings(clerk).rows}


def test_the_home_page_lists_them_with_links_and_colours(apps, login, user_named):
    client = login("songcun_clerk")
    with clock.frozen(TODAY):
        page = client.get("/workbench/").content.decode()
        soonest = deadline_warnings(user_named("songcun_clerk")).due_soon[0]
    assert "依申请公开期限提醒" in page
    assert f'href="/workbench/applications/{apps[0].pk}/"' in page
    assert "list-group-item-danger" in page and "已超期" in page
    colour = {1: "warning", 3: "info", 5: "light"}[soonest.warning]
    assert f"list-group-item-{colour}" in page
    assert f"/workbench/applications/{apps[-1].pk}/" not in page  # gaocun's


def test_the_home_page_says_when_nothing_is_due(district, login):
    page = login("songcun_clerk").get("/workbench/").content.decode()
    assert "没有即将到期（5个工作日内）或已超期的申请" in page
