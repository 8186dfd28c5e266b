"""The whole-site search index (gongkai/publishing/search.py): exactness against substring matching,
filters, ranking, highlighting, bounded cost, and the index kept in step by the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongkai.audit.models import AuditEvent
from gongkai.core import clock
from gongkai.publishing import search
from gongkai.publishing.models import (
    Column,
    ItemStatus,
    SearchDocument,
    SearchIndexState,
    SearchPosting,
)
from gongkai.publishing.services import (
    PublishedRow,
    columns_ensure_default,
    item_submit_for_review,
    item_withdraw,
    items_import_published,
    review_decide,
)

# Titles, summaries and bodies chosen so that single characters and pairs overlap a lot.
TEXTS: list[tuple[str, str, str]] = [
    (
        "宋村镇关于汛期安全防范的通告",
        "汛期来临，请注意防范。",
        "<p>各村要做好<b>防汛</b>准备。</p>",
    ),
    ("宋村镇部署防汛准备工作", "镇政府召开会议。", "<p>会议部署了防汛物资储备。</p>"),
    ("2023年低保对象公示", "低保名单公示期七天。", "<p>如有异议请联系民政办。</p>"),
    ("道路维修通告", "昌阳路维修。", "<p>维修期间&lt;请绕行&gt;，低速通过。</p>"),
    ("关于A&B项目<招标>的公告", "Project ABC 招标。", "<p>投标截止日期为月底。</p>"),
    ("镇村道路安全检查", "检查安全隐患。", "<p>安全生产无小事，汛前检查到位。</p>"),
    ("人事任免通知", "任命张三为办公室主任。", "<p>自即日起施行。</p>"),
]

QUERIES = [
    "汛",
    "防汛",
    "安全",
    "公示",
    "路",
    "通告",
    "低保",
    "a",
    "ab",
    "abc",
    "b项",
    "防汛准备",
    "<",
    "&",
]


def _published(district: dict[str, Any], texts=TEXTS, agency="songcun", slug="gsgg", start=None):
    agency_obj = district[agency]
    columns_ensure_default(actor=None, agency=agency_obj)
    column = Column.objects.get(agency=agency_obj, slug=slug)
    base = start or dt.datetime(2023, 3, 1, 9, 0, tzinfo=clock.SHANGHAI)
    rows = [
        PublishedRow(
            column=column,
            title=title,
            summary=summary,
            body=body,
            published_at=base + dt.timedelta(days=index),
        )
        for index, (title, summary, body) in enumerate(texts)
    ]
    return items_import_published(actor=None, agency=agency_obj, rows=rows)


def _titles(result: search.SearchResult) -> list[str]:
    return [hit.item.title for hits in result.groups.values() for hit in hits]


def _substring_truth(items, query: str) -> set[int]:
    words = query.lower().split()
    found = set()
    for item in items:
        text = search.searched_text(item.title, item.summary, item.body).lower()
        if all(word in text for word in words):
            found.add(item.pk)
    return found


@pytest.mark.parametrize("scan_limit", [0, 10_000])
def test_every_query_matches_exactly_what_substring_matching_finds(
    district, monkeypatch, scan_limit
):
    # scan_limit 0 forces the posting lists even with a filter; 10,000 verifies the filtered set.
    monkeypatch.setattr(search, "SCAN_LIMIT", scan_limit)
    items = _published(district)
    for query in [*QUERIES, "防汛 准备", "安全 汛"]:
        expected = _substring_truth(items, query)
        got = {h.item.pk for hits in search.search(query).groups.values() for h in hits}
        assert got == expected, query
        filtered = search.search(query, agency=district["songcun"])
        assert {h.item.pk for hits in filtered.groups.values() for h in hits} == expected, query
        assert filtered.total == len(expected)
        assert not filtered.approximate


def test_a_longer_word_is_verified_not_just_its_pairs(district):
    # 防汛 and 汛准 and 准备 all occur in the first item, but never "防汛准备" in one place.
    _published(district, [("防汛通知", "汛准确到位", "<p>准备工作</p>"), ("防汛准备", "", "")])
    assert _titles(search.search("防汛准备")) == ["防汛准备"]


def test_body_text_is_searched_without_tags_and_with_entities_decoded(district):
    _published(district)
    assert _titles(search.search("<请绕行>")) == ["道路维修通告"]
    assert search.search("<p>").groups == {}
    assert _titles(search.search("防汛物资")) == ["宋村镇部署防汛准备工作"]


def test_title_hits_rank_above_body_hits_then_newest_first(district):
    _published(
        district,
        [
            ("会议纪要", "讨论了防汛。", ""),  # body/summary hit, oldest
            ("防汛工作部署", "", ""),  # title hit
            ("专题会议", "防汛物资。", ""),  # body/summary hit, newer
            ("防汛检查通报", "", ""),  # title hit, newest
        ],
    )
    assert _titles(search.search("防汛")) == [
        "防汛检查通报",
        "防汛工作部署",
        "专题会议",
        "会议纪要",
    ]


def test_filters_by_district_subtree_column_year_and_type(district):
    _published(district, [("宋村镇防汛通告", "", "")], agency="songcun")
    _published(district, [("高村镇防汛动态", "", "")], agency="gaocun", slug="gzdt")
    _published(
        district,
        [("区政府防汛部署", "", "")],
        agency="wendeng",
        start=dt.datetime(2024, 5, 1, tzinfo=clock.SHANGHAI),
    )
    everything = {"宋村镇防汛通告", "高村镇防汛动态", "区政府防汛部署"}
    assert set(_titles(search.search("防汛", agency=district["wendeng"]))) == everything
    assert _titles(search.search("防汛", agency=district["gaocun"])) == ["高村镇防汛动态"]
    gzdt = Column.objects.get(agency=district["gaocun"], slug="gzdt")
    assert _titles(search.search("防汛", column=gzdt)) == ["高村镇防汛动态"]
    assert _titles(search.search("防汛", year=2024)) == ["区政府防汛部署"]
    news = search.search("防汛", kind="news")
    assert list(news.groups) == ["news"]
    assert _titles(news) == ["高村镇防汛动态"]
    assert set(_titles(search.search("防汛", kind="nonsense"))) == everything


def test_titles_and_snippets_are_escaped_before_marking(district):
    _published(district)
    hit = search.search("招标").groups["notice"][0]
    assert hit.title_html == "关于A&amp;B项目&lt;<mark>招标</mark>&gt;的公告"
    assert "<mark>招标</mark>" in hit.snippet_html
    other = search.search("绕行").groups["notice"][0]
    assert "&lt;请<mark>绕行</mark>&gt;" in other.snippet_html
    assert (
        search.highlight("<b>ab</b>", ["b"])
        == "&lt;<mark>b</mark>&gt;a<mark>b</mark>&lt;/<mark>b</mark>&gt;"
    )


def test_very_common_characters_stop_early_and_estimate_the_total(district, monkeypatch):
    texts = [(f"第{i}号公告", "内容。", "") for i in range(60)]
    items = _published(district, texts)
    monkeypatch.setattr(search, "MAX_MATCHES", 10)
    monkeypatch.setattr(search, "VERIFY_CHUNK", 5)
    result = search.search("公告")
    assert result.approximate
    assert result.total == len(items)  # one block: the share read extrapolates exactly
    assert result.shown == 10
    exact = search.search("公告", limit=5)
    assert exact.shown == 5


def test_candidates_left_over_from_a_block_do_not_push_others_out_of_the_chunk(
    district, monkeypatch
):
    """Blocks of 4 ids, chunks of 3 candidates: a chunk that starts with the last block's leftover
    must still take the next ids in order, so that every matching item is found and counted."""
    monkeypatch.setattr(search, "BLOCK_BITS", 2)
    monkeypatch.setattr(search, "VERIFY_CHUNK", 3)
    monkeypatch.setattr(search, "SCAN_LIMIT", 0)
    items = _published(district, [(f"第{i}号防汛公告", "内容。", "") for i in range(40)])
    result = search.search("防汛公告", limit=50)
    assert not result.approximate
    assert result.total == len(items) == 40
    assert result.shown == 40


def test_publish_and_withdraw_through_the_services_keep_the_index_in_step(
    make_item, user_named, songcun
):
    item = make_item(title="宋村镇关于秸秆禁烧的通告", body="<p>严禁焚烧秸秆。</p>")
    version = search.public_version()
    assert search.search("秸秆").groups == {}
    review = item_submit_for_review(actor=user_named("songcun_clerk"), item=item)
    for username in ("songcun_head", "songcun_secrecy", "songcun_leader"):
        review_decide(actor=user_named(username), review=review, decision="approve", comment="同意")
    item.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED
    assert _titles(search.search("秸")) == ["宋村镇关于秸秆禁烧的通告"]
    assert SearchDocument.objects.filter(item=item).exists()
    assert search.public_version() > version
    item_withdraw(actor=user_named("songcun_leader"), item=item, reason="内容有误")
    assert search.search("秸").groups == {}
    assert not SearchDocument.objects.filter(item=item).exists()
    assert not SearchPosting.objects.filter(gram="秸").exists()
    assert AuditEvent.objects.filter(verb="publishing.item_withdrawn").count() == 1


def test_rebuild_reproduces_the_index_the_services_maintain(district):
    _published(district)
    before = {(p.gram, p.block): sorted(search._decode(p.ids)) for p in SearchPosting.objects.all()}
    version = SearchIndexState.objects.get(pk=1).version
    call_command("search_rebuild", verbosity=0)
    after = {(p.gram, p.block): sorted(search._decode(p.ids)) for p in SearchPosting.objects.all()}
    assert after == before
    assert SearchDocument.objects.count() == len(TEXTS)
    assert SearchIndexState.objects.get(pk=1).version == version + 1


def test_queries_are_split_normalised_and_bounded():
    assert search.query_words("  防汛  ABC 防汛 ") == ["防汛", "abc"]
    assert len(search.query_words("一 二 三 四 五 六 七")) == search.MAX_WORDS
    assert search.query_words("长" * 80) == ["长" * search.MAX_WORD_CHARS]
    assert search.grams_of("防汛 a") == {"防", "汛", "防汛", "a"}


def _filter_reads(query: str, agency: Any) -> tuple[list[str], int]:
    """The titles found and how many queries read the ids the filter leaves."""
    with CaptureQueriesContext(connection) as queries:
        titles = _titles(search.search(query, agency=agency))
    prefix = 'SELECT "publishing_searchdocument"."item_id" AS "item_id" FROM'
    return titles, sum(1 for q in queries.captured_queries if q["sql"].startswith(prefix))


@pytest.mark.django_db(transaction=True)
def test_the_ids_a_filter_leaves_are_cached_per_content_version(district, monkeypatch):
    # Outside a transaction (an app server's request) the filtered ids are read once per
    # version; a publication bumps the version, so the next search sees the new item.
    monkeypatch.setattr(search, "SCAN_LIMIT", 0)  # the posting lists, within the filter
    _published(district, [("宋村镇防汛通告", "", "")])
    wendeng = district["wendeng"]
    assert _filter_reads("防汛", wendeng) == (["宋村镇防汛通告"], 1)
    assert _filter_reads("防汛", wendeng) == (["宋村镇防汛通告"], 0)
    _published(
        district,
        [("高村镇防汛动态", "", "")],
        agency="gaocun",
        slug="gzdt",
        start=dt.datetime(2023, 4, 1, tzinfo=clock.SHANGHAI),
    )
    titles, reads = _filter_reads("防汛", wendeng)
    assert set(titles) == {"宋村镇防汛通告", "高村镇防汛动态"}
    assert reads == 1


def test_a_filtered_search_reads_only_the_blocks_of_the_filtered_documents(district, monkeypatch):
    monkeypatch.setattr(search, "SCAN_LIMIT", 0)
    monkeypatch.setattr(search, "BLOCK_BITS", 0)  # one item id per block
    for year in range(2019, 2024):
        start = dt.datetime(year, 3, 1, tzinfo=clock.SHANGHAI)
        _published(district, [(f"{year}年防汛通告", "", "")], start=start)
    read_blocks: list[int] = []
    original = search._in_block

    def spy(ids: Any, block: int) -> Any:
        found = original(ids, block)
        if found:
            read_blocks.append(block)
        return found

    monkeypatch.setattr(search, "_in_block", spy)
    result = search.search("防汛", year=2023)
    assert _titles(result) == ["2023年防汛通告"]
    assert result.total == 1
    assert len(read_blocks) == 1
