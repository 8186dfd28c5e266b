import datetime as dt

import pytest

from gongkai.agencies.models import Agency
from gongkai.core import clock
from gongkai.remedies.selectors import (
    TABLE4_GROUPS,
    TABLE4_PARTS,
    count_table4,
    table4_counts,
    table4_counts_by_agency,
    table4_part_counts_by_agency,
)
from gongkai.remedies.services import case_create, case_decide
from tests.applications.factories import online


def test_a_case_counts_when_decided_or_still_open_at_year_end():
    cases = [
        ("review", dt.date(2023, 11, 1), dt.date(2024, 2, 1), "upheld"),
        ("review", dt.date(2024, 3, 1), dt.date(2024, 6, 1), "corrected"),
        ("review", dt.date(2024, 10, 1), dt.date(2025, 2, 1), "other"),  # open on 31 Dec
        ("litigation_direct", dt.date(2024, 5, 1), None, "pending"),
        ("litigation_after_review", dt.date(2023, 1, 1), dt.date(2023, 6, 1), "upheld"),
        ("litigation_after_review", dt.date(2025, 1, 5), None, "pending"),
    ]
    table = count_table4(cases, 2024)
    assert table["review"] == {"upheld": 1, "corrected": 1, "other": 0, "pending": 1, "total": 3}
    assert table["litigation_direct"] == {
        "upheld": 0,
        "corrected": 0,
        "other": 0,
        "pending": 1,
        "total": 1,
    }
    assert table["litigation_after_review"]["total"] == 0
    # The case open at the end of 2024 counts again in 2025, by its outcome.
    assert count_table4(cases, 2025)["review"]["other"] == 1


@pytest.mark.django_db
def test_table4_counts_from_the_database(district, user_named):
    clerk = user_named("zeku_clerk")
    application = online(district["zeku"], dt.date(2024, 2, 5))
    with clock.frozen(dt.date(2024, 9, 1)):
        case = case_create(
            actor=clerk,
            application=application,
            kind="review",
            body="区政府",
            filed_on=dt.date(2024, 4, 1),
        )
        case_create(
            actor=clerk,
            application=application,
            kind="litigation_direct",
            body="区法院",
            filed_on=dt.date(2024, 5, 1),
        )
        case_decide(actor=clerk, case=case, outcome="corrected", decided_on=dt.date(2024, 8, 1))
    table = table4_counts(district["zeku"], 2024)
    assert table["review"]["corrected"] == 1 and table["litigation_direct"]["pending"] == 1
    assert table4_counts(district["gaocun"], 2024)["review"]["total"] == 0


@pytest.mark.django_db
def test_every_agencys_table4_counts_at_once_are_its_own_without_the_totals(district, user_named):
    clerk = user_named("zeku_clerk")
    zeku = district["zeku"]
    application = online(zeku, dt.date(2023, 2, 5))
    with clock.frozen(dt.date(2025, 3, 1)):
        decided = case_create(
            actor=clerk,
            application=application,
            kind="review",
            body="区政府",
            filed_on=dt.date(2023, 12, 31),
        )
        case_create(
            actor=clerk,
            application=application,
            kind="litigation_after_review",
            body="区法院",
            filed_on=dt.date(2024, 1, 1),
        )
        case_decide(actor=clerk, case=decided, outcome="upheld", decided_on=dt.date(2024, 12, 31))
    everyone = Agency.objects.all()
    for year in (2023, 2024, 2025):
        counts = table4_part_counts_by_agency(everyone, year)
        tables = table4_counts_by_agency(everyone, year)
        assert set(counts) == set(tables) == {agency.pk for agency in everyone}
        for agency in everyone:
            table = table4_counts(agency, year)
            assert tables[agency.pk] == table
            assert list(counts[agency.pk]) == list(TABLE4_GROUPS)
            assert counts[agency.pk] == {
                group: tuple(table[group][column] for column in TABLE4_PARTS)
                for group in TABLE4_GROUPS
            }
    counts = table4_part_counts_by_agency(everyone, 2024)[zeku.pk]
    assert counts == {
        "review": (1, 0, 0, 0),
        "litigation_direct": (0, 0, 0, 0),
        "litigation_after_review": (0, 0, 0, 1),
    }
    assert table4_part_counts_by_agency(everyone, 2023)[zeku.pk]["review"] == (0, 0, 0, 1)
    assert table4_part_counts_by_agency(Agency.objects.none(), 2024) == {}
