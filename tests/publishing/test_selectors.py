"""table2_figures and section1_figures on the demo, late items, search."""

import datetime as dt

import pytest

from gongkai.core import clock
from gongkai.demo.publishing import SONGCUN_2023
from gongkai.publishing.models import Column, DocKind, Item
from gongkai.publishing.selectors import (
    fen_to_wan_yuan,
    late_items_by_department,
    search_public,
    section1_figures,
    table2_figures,
)
from gongkai.publishing.services import (
    PublishedRow,
    item_set_validity,
    items_import_published,
    register_set,
)


class TestOnTheDemoCatalogue:
    """Reads of the demo catalogue, loaded once for the class (`demo_catalogue_for_class`) instead of
    once per test; the tests below the class build their own data on a district without it."""

    @pytest.fixture
    def demo_publishing(self, demo_catalogue_for_class, db):
        return demo_catalogue_for_class

    def test_section1_reproduces_the_songcun_2023_report(self, demo_publishing):
        figures = section1_figures(demo_publishing["songcun"], 2023)
        assert figures["total_items"] == 465
        channels = {
            row["name"]: (row["kind"], row["items"], row["reads"]) for row in figures["channels"]
        }
        assert channels == {
            "威海市文登区人民政府网站": ("website", 65, 0),
            "历史风韵 文化宋村": ("wechat", 346, 420_000),
            "宋村镇政务公开栏": ("other", 54, 0),
        }
        columns = {row["column"]: row["items"] for row in figures["website_columns"]}
        assert columns == {
            "公示公告": 6,
            "机构职能": 11,
            "人事信息": 14,
            "工作动态": 30,
            "重点领域信息公开": 1,
            "政务公开组织推进": 1,
            "财政预决算": 2,
        }

    def test_section1_of_a_year_without_anything_is_empty(self, demo_publishing):
        figures = section1_figures(demo_publishing["songcun"], 2021)
        assert figures["total_items"] == 0
        assert figures["website_columns"] == []

    def test_demo_load_is_idempotent(self, demo_publishing):
        from gongkai.demo import publishing

        before = Item.objects.count()
        publishing.load(demo_publishing)
        assert Item.objects.count() == before
        assert section1_figures(demo_publishing["songcun"], 2023)["total_items"] == 465

    def test_table2_for_songcun_2023(self, demo_publishing):
        assert table2_figures(demo_publishing["songcun"], 2023) == {
            "regulations": {"issued": 0, "repealed": 0, "in_force": 0},
            "normative_documents": {"issued": 0, "repealed": 0, "in_force": 0},
            "licensing": 12,
            "punishment": 3,
            "coercion": 0,
            "fees_fen": 0,
            "fees_yuan": "0.00",
            "fees_wan_yuan": "0",
        }

    def test_search_finds_one_and_two_character_queries(self, demo_publishing):
        one = search_public("汛")
        titles = {hit.item.title for hits in one.groups.values() for hit in hits}
        assert "宋村镇关于汛期安全防范的通告" in titles
        assert "宋村镇部署防汛准备工作" in titles
        two = search_public("低保", agency=demo_publishing["songcun"])
        assert [h.item.title for hits in two.groups.values() for h in hits] == [
            SONGCUN_2023["zdly"][0]
        ]

    def test_search_groups_results_by_type_and_hides_drafts(self, demo_publishing):
        groups = search_public("宋村镇", year=2023).groups
        assert set(groups) == {"notice", "statutory", "news"}
        assert sum(len(hits) for hits in groups.values()) == 65
        assert search_public("临时救助对象公示").groups == {}


def test_table2_counts_normative_documents_issued_repealed_and_in_force(district, user_named):
    agency = district["minzheng"]
    from gongkai.demo.publishing import _columns

    column = _columns(agency)["zcwj"]
    at = dt.datetime(2022, 6, 1, 10, tzinfo=clock.SHANGHAI)
    old, kept = items_import_published(
        actor=None,
        agency=agency,
        rows=[
            PublishedRow(
                column=column, title="旧办法", published_at=at, doc_kind=DocKind.NORMATIVE
            ),
            PublishedRow(
                column=column, title="现行办法", published_at=at, doc_kind=DocKind.NORMATIVE
            ),
        ],
    )
    items_import_published(
        actor=None,
        agency=agency,
        rows=[
            PublishedRow(
                column=column,
                title="新办法",
                published_at=dt.datetime(2023, 3, 1, 10, tzinfo=clock.SHANGHAI),
                written_on=dt.date(2023, 2, 20),
                doc_kind=DocKind.NORMATIVE,
            )
        ],
    )
    item_set_validity(
        actor=user_named("minzheng_clerk"),
        item=old,
        validity="repealed",
        changed_on=dt.date(2023, 2, 20),
    )
    figures = table2_figures(agency, 2023)
    assert figures["normative_documents"] == {"issued": 1, "repealed": 1, "in_force": 2}
    assert table2_figures(agency, 2022)["normative_documents"] == {
        "issued": 2,
        "repealed": 0,
        "in_force": 2,
    }
    assert kept.validity == "valid"


def test_table2_fees_in_fen_yuan_and_wan_yuan(district, user_named):
    agency = district["songcun"]
    register_set(
        actor=user_named("songcun_admin"),
        agency=agency,
        year=2022,
        licensing=0,
        punishment=0,
        coercion=0,
        fees_fen=1_234_567,
    )
    figures = table2_figures(agency, 2022)
    assert (figures["fees_fen"], figures["fees_yuan"], figures["fees_wan_yuan"]) == (
        1_234_567,
        "12345.67",
        "1.2346",
    )


@pytest.mark.parametrize(
    ("fen", "expected"),
    [(0, "0"), (1, "0.0001"), (100, "0.0001"), (1_000_000, "1"), (12_340_000, "12.34")],
)
def test_wan_yuan_never_rounds_a_nonzero_amount_to_zero(fen, expected):
    assert fen_to_wan_yuan(fen) == expected


def test_late_items_are_counted_per_department(district):
    agency = district["gaocun"]
    from gongkai.demo.publishing import _columns

    column = _columns(agency)["gzdt"]
    items_import_published(
        actor=None,
        agency=agency,
        rows=[
            PublishedRow(
                column=column,
                title="迟发的信息",
                formed_on=dt.date(2023, 1, 3),
                published_at=dt.datetime(2023, 3, 1, 10, tzinfo=clock.SHANGHAI),
            ),
            PublishedRow(
                column=column,
                title="按时的信息",
                formed_on=dt.date(2023, 2, 20),
                published_at=dt.datetime(2023, 3, 1, 10, tzinfo=clock.SHANGHAI),
            ),
        ],
    )
    rows = late_items_by_department(agency, dt.date(2023, 3, 2))
    assert rows == [{"department": "（未指定科室）", "late": 1, "overdue": 0}]
    assert Column.objects.filter(agency=agency).count() > 0
