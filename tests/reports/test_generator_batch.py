"""Every report's tables and section 一（一） figures of a year at once: the grouped selectors,
`tables_for_agencies` and `disclosures_for_agencies` give exactly what the per-agency selectors and
`generate_report` give, on random records whose dates crowd around the year boundaries."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest

from gongkai.agencies.models import Agency
from gongkai.applications.models import Application
from gongkai.applications.selectors import table3_counts, table3_counts_by_agency
from gongkai.applications.states import APPLICANT_COLUMNS, RESULT_ROWS, Status
from gongkai.publishing.models import (
    Channel,
    ChannelKind,
    ChannelMonthlyStat,
    Column,
    DocKind,
    Item,
    ItemStatus,
    RegisterYear,
    Validity,
)
from gongkai.publishing.selectors import (
    section1_figures,
    section1_figures_by_agency,
    table2_figures,
    table2_figures_by_agency,
)
from gongkai.remedies.models import Case, CaseKind, CaseOutcome
from gongkai.remedies.selectors import table4_counts, table4_counts_by_agency
from gongkai.reports.generator import (
    InstalledSources,
    disclosures_for_agencies,
    generate_report,
    section1_disclosure,
    tables_for_agencies,
)
from gongkai.reports.selectors import report_tables_supervised

pytestmark = pytest.mark.django_db

YEARS = (2022, 2023, 2024)
# Dates around the boundaries of the years counted, where a counting rule could slip by a day.
DAYS = sorted(
    {
        dt.date(y, m, d)
        for y in range(2020, 2026)
        for m, d in ((1, 1), (1, 2), (6, 15), (12, 30), (12, 31))
    }
)
SHANGHAI_MIDNIGHT_UTC = dt.time(16, 0, tzinfo=dt.UTC)  # 00:00 of the next day in Asia/Shanghai


def _later(rng: random.Random, day: dt.date) -> dt.date:
    return rng.choice([d for d in DAYS if d >= day])


def _published_at(rng: random.Random) -> dt.datetime:
    # Around UTC 16:00 the civil date (Asia/Shanghai) is already the next day.
    day = rng.choice(DAYS)
    minutes = rng.choice([-30, -1, 0, 1, 30, 300])
    return dt.datetime.combine(day, SHANGHAI_MIDNIGHT_UTC) + dt.timedelta(minutes=minutes)


def random_records(seed: int, agencies: list[Agency]) -> None:
    rng = random.Random(seed)
    applications = []
    for index in range(300):
        received = rng.choice(DAYS)
        finished = rng.random() < 0.7
        applications.append(
            Application(
                agency=rng.choice(agencies),
                tracking_code=f"T{seed:03d}{index:08d}",
                applicant_type=rng.choice(APPLICANT_COLUMNS),
                applicant_name="申请人",
                id_type="resident_id",
                id_number="000000000000000000",
                phone="00000000000",
                description="测试申请",
                form_wanted="electronic",
                delivery="email",
                channel="online",
                received_on=received,
                status=Status.REPLIED if finished else Status.IN_PROGRESS,
                outcome=rng.choice(RESULT_ROWS) if finished else "",
                outcome_on=_later(rng, received) if finished else None,
            )
        )
    applications = Application.objects.bulk_create(applications)

    cases = []
    for _ in range(150):
        application = rng.choice(applications)
        filed = rng.choice(DAYS)
        decided = _later(rng, filed) if rng.random() < 0.6 else None
        cases.append(
            Case(
                application=application,
                agency=application.agency,
                kind=rng.choice(CaseKind.values),
                body="复议机关",
                filed_on=filed,
                decided_on=decided,
                outcome=(
                    rng.choice(["upheld", "corrected", "other"]) if decided else CaseOutcome.PENDING
                ),
            )
        )
    Case.objects.bulk_create(cases)

    columns = {
        agency.pk: Column.objects.get_or_create(
            agency=agency, slug="gfxwj", defaults={"name": "规范性文件", "kind": "site"}
        )[0]
        for agency in agencies
    }
    items = []
    for index in range(400):
        agency = rng.choice(agencies)
        status = rng.choice(ItemStatus.values)
        published = status == ItemStatus.PUBLISHED or rng.random() < 0.5
        changed = rng.choice([None, *DAYS])
        items.append(
            Item(
                agency=agency,
                column=columns[agency.pk],
                index_no=f"T-{seed:03d}-{index:06d}",
                title="文件",
                formed_on=dt.date(2023, 1, 1),
                publish_due=dt.date(2023, 1, 1),
                written_on=rng.choice([None, *DAYS]),
                published_at=_published_at(rng) if published else None,
                doc_kind=rng.choice(DocKind.values),
                validity=rng.choice(["", *Validity.values]),
                validity_changed_on=changed,
                status=status,
            )
        )
    Item.objects.bulk_create(items)
    for agency in agencies:
        for year in YEARS:
            if rng.random() < 0.5:
                RegisterYear.objects.create(
                    agency=agency,
                    year=year,
                    licensing=rng.randrange(50),
                    punishment=rng.randrange(50),
                    coercion=rng.randrange(5),
                    fees_fen=rng.choice([0, 1, 99, 12_345, 1_234_567_890]),
                )


def random_channels_and_columns(seed: int, agencies: list[Agency]) -> None:
    """Columns in a random order, channels of random kinds (some agencies without a website channel,
    some without any) with monthly statistics here and there, and items published in every column."""
    rng = random.Random(seed)
    items = []
    for agency in agencies:
        columns = [
            Column.objects.create(
                agency=agency,
                name=f"栏目{index}",
                slug=f"lm{index}",
                kind="site",
                order=rng.randrange(3),
            )
            for index in range(rng.randrange(4))
        ]
        for index in range(rng.randrange(40) if columns else 0):
            status = rng.choice(ItemStatus.values)
            published = status == ItemStatus.PUBLISHED or rng.random() < 0.5
            items.append(
                Item(
                    agency=agency,
                    column=rng.choice(columns),
                    index_no=f"S-{seed:03d}-{agency.pk}-{index:04d}",
                    title="信息",
                    formed_on=dt.date(2023, 1, 1),
                    publish_due=dt.date(2023, 1, 1),
                    published_at=_published_at(rng) if published else None,
                    status=status,
                )
            )
        for kind in rng.sample(ChannelKind.values, rng.randrange(len(ChannelKind.values) + 1)):
            channel = Channel.objects.create(
                agency=agency, kind=kind, name=f"{kind}渠道", order=rng.randrange(3)
            )
            for year in YEARS:
                for month in rng.sample(range(1, 13), rng.randrange(3)):
                    ChannelMonthlyStat.objects.create(
                        channel=channel,
                        year=year,
                        month=month,
                        items=rng.randrange(100),
                        reads=rng.choice([0, rng.randrange(10_000)]),
                    )
    Item.objects.bulk_create(items)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_grouped_selectors_count_like_the_per_agency_ones(district: Any, seed: int) -> None:
    agencies = list(Agency.objects.order_by("pk"))
    random_records(seed, agencies)
    everyone = Agency.objects.all()
    for year in YEARS:
        tables3 = table3_counts_by_agency(everyone, year)
        tables4 = table4_counts_by_agency(everyone, year)
        figures2 = table2_figures_by_agency(everyone, year)
        assert set(tables3) == set(tables4) == set(figures2) == {a.pk for a in agencies}
        for agency in agencies:
            assert tables3[agency.pk] == table3_counts(agency, year)
            assert tables4[agency.pk] == table4_counts(agency, year)
            assert figures2[agency.pk] == table2_figures(agency, year)
    # The data did reach every part of the tables somewhere.
    assert any(t["carried_over"]["total"] for t in table3_counts_by_agency(everyone, 2023).values())
    assert any(t["review"]["pending"] for t in table4_counts_by_agency(everyone, 2023).values())
    assert any(
        f["normative_documents"]["in_force"] and f["regulations"]["repealed"]
        for f in table2_figures_by_agency(everyone, 2023).values()
    )


@pytest.mark.parametrize("seed", [4, 5])
def test_every_reports_tables_at_once_equal_each_generated_report(district: Any, seed: int) -> None:
    agencies = list(Agency.objects.order_by("pk"))
    random_records(seed, agencies)
    tables = tables_for_agencies(Agency.objects.all(), 2023)
    for agency in agencies:
        report = generate_report(agency, 2023, sources=InstalledSources()).report
        assert tables[agency.pk].table2 == report.table2
        assert tables[agency.pk].table3 == report.table3
        assert tables[agency.pk].table4 == report.table4


def test_only_the_agencies_asked_for_are_computed(district: Any) -> None:
    agencies = list(Agency.objects.order_by("pk"))
    random_records(6, agencies)
    some = Agency.objects.filter(pk__in=[agencies[0].pk, agencies[-1].pk])
    assert set(tables_for_agencies(some, 2023)) == {agencies[0].pk, agencies[-1].pk}
    assert set(table3_counts_by_agency(Agency.objects.none(), 2023)) == set()


def test_the_supervising_office_gets_the_tables_of_its_subtree_only(
    district: Any, user_named: Any
) -> None:
    random_records(7, list(Agency.objects.order_by("pk")))
    rows = report_tables_supervised(user_named("wendeng_supervisor"), 2023)
    names = [agency.slug for agency, _ in rows]
    assert "songcun" in names and "gaocun" in names
    songcun = dict(rows)[district["songcun"]]
    assert songcun.table3 == generate_report(district["songcun"], 2023).report.table3
    assert report_tables_supervised(user_named("songcun_clerk"), 2023) == []


@pytest.mark.parametrize("seed", [8, 9])
def test_section1_figures_at_once_equal_each_agencys(district: Any, seed: int) -> None:
    agencies = list(Agency.objects.order_by("pk"))
    random_records(seed, agencies)
    random_channels_and_columns(seed, agencies)
    everyone = Agency.objects.all()
    for year in (2019, *YEARS):  # 2019: before any record
        figures = section1_figures_by_agency(everyone, year)
        assert set(figures) == {a.pk for a in agencies}
        for agency in agencies:
            assert figures[agency.pk] == section1_figures(agency, year)
    figures = disclosures_for_agencies(everyone, 2023)
    for agency in agencies:
        report = generate_report(agency, 2023, sources=InstalledSources()).report
        assert section1_disclosure(figures[agency.pk], 2023) in (report.section("1") or "")
    # The data did reach every part of the figures somewhere.
    channels = [c for f in figures.values() for c in f["channels"]]
    assert any(c["name"] == "政府网站" for c in channels)  # items but no website channel
    assert any(c["kind"] == ChannelKind.WEBSITE and c["name"] != "政府网站" for c in channels)
    assert any(c["kind"] != ChannelKind.WEBSITE and c["items"] and c["reads"] for c in channels)
    assert any(len(f["website_columns"]) > 1 for f in figures.values())
    assert {f["total_items"] for f in section1_figures_by_agency(everyone, 2019).values()} == {0}


def test_section1_figures_only_for_the_agencies_asked_for(district: Any) -> None:
    agencies = list(Agency.objects.order_by("pk"))
    random_channels_and_columns(11, agencies)
    some = Agency.objects.filter(pk__in=[agencies[0].pk, agencies[-1].pk])
    assert set(section1_figures_by_agency(some, 2023)) == {agencies[0].pk, agencies[-1].pk}
    assert section1_figures_by_agency(Agency.objects.none(), 2023) == {}
