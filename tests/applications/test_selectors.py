import contextlib
import datetime as dt
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.agencies.models import Agency
from gongkai.applications import services as s
from gongkai.applications.models import Application
from gongkai.applications.selectors import (
    COUNTED_ROWS,
    application_get_for_applicant,
    application_get_for_user,
    application_queue,
    applications_for_user,
    applications_similar_earlier,
    table3_applicant_counts_by_agency,
    table3_counts,
    table3_counts_by_agency,
)
from gongkai.applications.states import (
    APPLICANT_COLUMNS,
    LAPSE_NO_CORRECTION,
    LAPSE_NO_FEE,
    REPLY_TYPES,
    RESULT_ROWS,
    TRANSITIONS,
    WITHDRAWN_OUTCOME,
    EventKind,
    Status,
    target_status,
)
from gongkai.applications.table3 import CountedApplication, count_table3, table3_identity_failures
from gongkai.core import clock
from gongkai.core.exceptions import DomainError, NotFoundError
from tests.applications.factories import online, organisation_intake

YEAR = 2024


# --- The pure count, as a property over random ledgers --------------------------------------------

_OUTCOME_OF = {
    EventKind.REPLIED: None,  # the reply type decides
    EventKind.TRANSFERRED: "unable_not_held",
    EventKind.WITHDRAWN: WITHDRAWN_OUTCOME,
}


def simulate(seed: int, received_on: dt.date, steps: int) -> CountedApplication:
    """Walk the TRANSITIONS table at random, one act every few days, from the receipt date."""
    rng = random.Random(seed)
    status, day = Status.RECEIVED, received_on
    column = rng.choice(APPLICANT_COLUMNS)
    for _ in range(steps):
        choices = sorted(k for k, t in TRANSITIONS.items() if status in t.sources)
        if not choices:
            break
        kind = rng.choice(choices)
        day += dt.timedelta(days=rng.randint(0, 40))
        previous = status
        status = target_status(kind, status)
        if kind == EventKind.CLOSED:
            continue
        if kind in _OUTCOME_OF or kind == EventKind.LAPSED:
            if kind == EventKind.REPLIED:
                outcome = rng.choice(REPLY_TYPES).row
            elif kind == EventKind.LAPSED:
                no_fix = previous == Status.AWAITING_CORRECTION
                outcome = LAPSE_NO_CORRECTION if no_fix else LAPSE_NO_FEE
            else:
                outcome = _OUTCOME_OF[kind]
            return CountedApplication(column, received_on, outcome, day)
    return CountedApplication(column, received_on, "", None)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 10**6),
            st.dates(dt.date(YEAR - 2, 1, 1), dt.date(YEAR + 1, 3, 1)),
            st.integers(0, 8),
        ),
        max_size=40,
    ),
    st.sampled_from([YEAR - 1, YEAR, YEAR + 1]),
)
def test_table3_identities_hold_for_any_ledgers(specs, year):
    applications = [simulate(*spec) for spec in specs]
    table = count_table3(applications, year)
    assert table3_identity_failures(table) == []
    # Each application counted in the year is counted once on each side.
    counted = [
        a
        for a in applications
        if a.received_on.year <= year and (a.outcome_on is None or a.outcome_on.year >= year)
    ]
    assert table["new_received"]["total"] + table["carried_over"]["total"] == len(counted)
    # Next year's carried-over equals this year's carried-forward.
    assert count_table3(applications, year + 1)["carried_over"] == table["carried_forward"], (
        "四 of one year is 二 of the next"
    )


def test_count_table3_places_each_application_in_its_row():
    apps = [
        CountedApplication("natural_person", dt.date(2023, 12, 20), "granted", dt.date(2024, 1, 5)),
        CountedApplication("business", dt.date(2024, 3, 1), "partial", dt.date(2024, 3, 20)),
        CountedApplication("research", dt.date(2024, 12, 20), "", None),
        CountedApplication("natural_person", dt.date(2024, 12, 30), "granted", dt.date(2025, 1, 6)),
        CountedApplication("natural_person", dt.date(2023, 5, 1), "granted", dt.date(2023, 6, 1)),
        CountedApplication("natural_person", dt.date(2025, 1, 2), "", None),
    ]
    table = count_table3(apps, 2024)
    assert table["new_received"]["total"] == 3
    assert table["carried_over"] == {
        **dict.fromkeys(table["carried_over"], 0),
        "natural_person": 1,
        "total": 1,
    }
    assert table["granted"]["natural_person"] == 1 and table["partial"]["business"] == 1
    assert table["total_processed"]["total"] == 2
    assert table["carried_forward"]["research"] == 1
    assert table["carried_forward"]["natural_person"] == 1


def test_identity_check_reports_a_broken_table():
    table = count_table3([], 2024)
    table["granted"]["business"] = 1
    assert "granted: total" in table3_identity_failures(table)


# --- The database selectors ------------------------------------------------------------------------


@pytest.mark.django_db
def test_table3_counts_from_the_database(district, user_named):
    clerk = user_named("gaocun_clerk")
    gaocun = district["gaocun"]
    old = online(gaocun, dt.date(2023, 12, 28))
    with clock.frozen(dt.date(2024, 1, 10)):
        s.application_reply(actor=clerk, application=old, reply_type="third_party", text="不予公开")
    new = online(gaocun, dt.date(2024, 6, 3), applicant_type="natural_person")
    with clock.frozen(dt.date(2024, 6, 10)):
        s.application_withdraw(actor=clerk, application=new)
    online(gaocun, dt.date(2024, 12, 30))
    online(district["zeku"], dt.date(2024, 5, 6))
    table = table3_counts(gaocun, 2024)
    assert table["carried_over"]["total"] == 1 and table["new_received"]["total"] == 2
    assert table["denied_third_party"]["natural_person"] == 1
    assert table["other_other"]["total"] == 1
    assert table["total_processed"]["total"] == 2 and table["carried_forward"]["total"] == 1
    assert table3_identity_failures(table) == []
    assert set(table) == {
        "new_received",
        "carried_over",
        *RESULT_ROWS,
        "total_processed",
        "carried_forward",
    }


@pytest.mark.django_db
def test_every_agencys_table3_counts_at_once_are_its_own_without_the_totals(district, user_named):
    clerk = user_named("gaocun_clerk")
    gaocun, zeku = district["gaocun"], district["zeku"]
    old = online(gaocun, dt.date(2023, 12, 31))
    with clock.frozen(dt.date(2024, 1, 1)):
        s.application_reply(actor=clerk, application=old, reply_type="third_party", text="不予公开")
    with clock.frozen(dt.date(2024, 12, 31)):
        s.application_submit_online(agency=gaocun, intake=organisation_intake())
    online(zeku, dt.date(2024, 1, 1))
    everyone = Agency.objects.all()
    for year in (2023, 2024, 2025):
        counts = table3_applicant_counts_by_agency(everyone, year)
        tables = table3_counts_by_agency(everyone, year)
        assert set(counts) == set(tables) == {agency.pk for agency in everyone}
        for agency in everyone:
            table = table3_counts(agency, year)
            assert tables[agency.pk] == table
            assert list(counts[agency.pk]) == list(COUNTED_ROWS)
            assert counts[agency.pk] == {
                row: tuple(table[row][column] for column in APPLICANT_COLUMNS)
                for row in COUNTED_ROWS
            }
    counts = table3_applicant_counts_by_agency(everyone, 2024)[gaocun.pk]
    assert counts["carried_over"] == (1, 0, 0, 0, 0, 0)
    assert counts["denied_third_party"] == (1, 0, 0, 0, 0, 0)
    assert counts["new_received"] == counts["carried_forward"] == (0, 1, 0, 0, 0, 0)
    assert table3_applicant_counts_by_agency(everyone, 2025)[zeku.pk]["carried_over"][0] == 1
    assert table3_applicant_counts_by_agency(Agency.objects.none(), 2024) == {}


@pytest.mark.django_db
def test_staff_see_only_their_agencys_applications(district, user_named):
    songcun = online(district["songcun"], dt.date(2024, 2, 5))
    gaocun = online(district["gaocun"], dt.date(2024, 2, 5))
    assert list(applications_for_user(user_named("songcun_clerk"))) == [songcun]
    with pytest.raises(NotFoundError):
        application_get_for_user(user_named("songcun_clerk"), gaocun.pk)
    supervisor = user_named("wendeng_supervisor")
    assert {a.pk for a in applications_for_user(supervisor)} == {songcun.pk, gaocun.pk}


@pytest.mark.django_db
def test_the_applicant_needs_code_and_phone(district):
    app = online(district["songcun"], dt.date(2024, 2, 5))
    assert application_get_for_applicant(app.tracking_code.lower(), "138 1234 1234") == app
    with pytest.raises(NotFoundError):
        application_get_for_applicant(app.tracking_code, "13900000000")
    with pytest.raises(NotFoundError):
        application_get_for_applicant("", "")


@pytest.mark.django_db
def test_queue_sorts_by_deadline_and_flags_due_soon_and_overdue(district, user_named):
    clerk = user_named("songcun_clerk")
    late = online(district["songcun"], dt.date(2024, 2, 5))  # due 2024-03-08
    soon = online(district["songcun"], dt.date(2024, 2, 26))  # due 2024-03-25
    later = online(district["songcun"], dt.date(2024, 3, 11))  # due 2024-04-09
    waiting = online(district["songcun"], dt.date(2024, 2, 6))
    with clock.frozen(dt.date(2024, 2, 7)):
        s.application_request_correction(
            actor=clerk, application=waiting, items="写清楚", correction_due=dt.date(2024, 2, 28)
        )
    today = dt.date(2024, 3, 18)
    rows = application_queue(clerk, today=today)
    assert [r.application.pk for r in rows] == [late.pk, soon.pk, later.pk, waiting.pk]
    assert rows[0].overdue and rows[0].workdays_left == -6
    assert rows[1].workdays_left == 5 and rows[1].warning == 5
    assert [r.application.pk for r in application_queue(clerk, view="due_soon", today=today)] == [
        soon.pk
    ]
    assert [r.application.pk for r in application_queue(clerk, view="overdue", today=today)] == [
        late.pk
    ]
    assert application_queue(user_named("gaocun_clerk"), today=today) == []
    assert application_queue(clerk, view="expired", today=dt.date(2024, 2, 28)) == []
    expired = application_queue(clerk, view="expired", today=dt.date(2024, 2, 29))
    assert [r.application.pk for r in expired] == [waiting.pk]


@pytest.mark.django_db
def test_a_record_with_an_absurd_deadline_does_not_break_the_queue(district, user_named):
    """A deadline further away than the calendar counts (a mistyped year in old data) shows in
    calendar days instead of failing every list it is on."""
    app = online(district["songcun"], dt.date(2024, 2, 5))
    Application.objects.filter(pk=app.pk).update(reply_due=dt.date(2010, 1, 4))
    rows = application_queue(user_named("songcun_clerk"), today=dt.date(2024, 3, 18))
    assert [r.application.pk for r in rows] == [app.pk]
    assert (
        rows[0].overdue
        and rows[0].workdays_left == -(dt.date(2024, 3, 18) - dt.date(2010, 1, 4)).days
    )


@pytest.mark.django_db
def test_earlier_applications_of_the_same_applicant(district, user_named):
    first = online(district["songcun"], dt.date(2024, 2, 5))
    online(district["songcun"], dt.date(2024, 2, 6), id_type="other", id_number="E12345678")
    second = online(district["songcun"], dt.date(2024, 3, 5))
    similar = applications_similar_earlier(user_named("songcun_clerk"), second)
    assert list(similar) == [first]
    assert list(applications_similar_earlier(user_named("gaocun_clerk"), second)) == []


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2])
def test_table3_balances_for_random_histories_written_through_the_services(
    seed, district, user_named
):
    rng = random.Random(seed)
    clerk = user_named("zeku_clerk")
    agency = district["zeku"]
    department = agency.departments.first()
    acts = {
        EventKind.ASSIGNED: lambda a: s.application_assign(
            actor=clerk, application=a, department=department
        ),
        EventKind.CORRECTION_REQUESTED: lambda a: s.application_request_correction(
            actor=clerk,
            application=a,
            items="请写明",
            correction_due=clock.today() + dt.timedelta(days=10),
        ),
        EventKind.CORRECTION_RECEIVED: lambda a: s.application_receive_correction(
            actor=clerk, application=a
        ),
        EventKind.PAUSED: lambda a: s.application_pause(
            actor=clerk, application=a, kind="other_agency", party="区某局"
        ),
        EventKind.RESUMED: lambda a: s.application_resume(actor=clerk, application=a),
        EventKind.FEE_NOTIFIED: lambda a: s.application_fee_notice(
            actor=clerk, application=a, method="by_pages", quantity=40
        ),
        EventKind.FEE_PAID: lambda a: s.application_fee_paid(actor=clerk, application=a),
        EventKind.REPLIED: lambda a: s.application_reply(
            actor=clerk,
            application=a,
            reply_type=rng.choice([t.key for t in REPLY_TYPES if t.key != "still_unclear"]),
            text="答复",
        ),
        EventKind.LAPSED: lambda a: s.application_lapse(actor=clerk, application=a),
        EventKind.WITHDRAWN: lambda a: s.application_withdraw(actor=clerk, application=a),
        EventKind.CLOSED: lambda a: s.application_close(actor=clerk, application=a),
    }
    for _ in range(8):
        day = dt.date(2023, 10, 1) + dt.timedelta(days=rng.randint(0, 450))
        if rng.random() < 0.5:
            application = online(agency, day, applicant_type="natural_person")
        else:
            with clock.frozen(day):
                application = s.application_submit_online(
                    agency=agency,
                    intake=organisation_intake(applicant_type=rng.choice(APPLICANT_COLUMNS[1:])),
                )
        for _ in range(rng.randint(0, 5)):
            application.refresh_from_db()
            kinds = sorted(
                k for k in acts if k in TRANSITIONS and application.status in TRANSITIONS[k].sources
            )
            if not kinds:
                break
            day += dt.timedelta(days=rng.randint(0, 25))
            # Refusals (a lapse before its deadline, …) are part of the random walk.
            with clock.frozen(day), contextlib.suppress(DomainError):
                acts[rng.choice(kinds)](application)
    for year in (2023, 2024, 2025):
        table = table3_counts(agency, year)
        assert table3_identity_failures(table) == []
        assert table3_counts(agency, year + 1)["carried_over"] == table["carried_forward"]
    total = sum(table3_counts(agency, y)["new_received"]["total"] for y in (2023, 2024, 2025))
    assert total == 8


def test_fee_figures_count_notices_amounts_and_payments(district, user_named):
    import datetime as dt

    from gongkai.applications import services as s
    from gongkai.applications.selectors import fee_figures
    from gongkai.core import clock
    from tests.applications.factories import online

    clerk = user_named("gaocun_clerk")
    paid = online(district["gaocun"], dt.date(2024, 2, 5))
    unpaid = online(district["gaocun"], dt.date(2024, 2, 5))
    with clock.frozen(dt.date(2024, 2, 19)):
        s.application_fee_notice(actor=clerk, application=paid, method="by_pages", quantity=150)
        s.application_fee_notice(actor=clerk, application=unpaid, method="by_count", quantity=11)
    with clock.frozen(dt.date(2024, 2, 20)):
        s.application_fee_paid(actor=clerk, application=paid)
    assert fee_figures(district["gaocun"], 2024) == {
        "notices": 2,
        "notified_yuan": 1700 + 100,
        "collected_yuan": 1700,
    }
    assert fee_figures(district["gaocun"], 2023)["notices"] == 0
