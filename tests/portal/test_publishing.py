"""The public 政府信息公开 section: columns, item pages with meta tags, search, RSS, sitemap."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from django.test import override_settings

from gongkai.publishing.models import Item, ItemStatus
from gongkai.publishing.services import attachment_add


@pytest.fixture(scope="module")
def _published_once(module_transaction, django_db_blocker, tmp_path_factory):
    """The demo district with its catalogue, loaded once for the module (the search index makes
    the load cost seconds); each test runs in a savepoint inside the module's transaction."""
    from gongkai.demo import publishing
    from gongkai.demo.district import ensure_district

    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        district = ensure_district()
        publishing.load(district)
    return district, media


@pytest.fixture(autouse=True)
def _module_media(_published_once, settings):
    settings.MEDIA_ROOT = _published_once[1]


@pytest.fixture
def district(_published_once, db):
    return _published_once[0]


@pytest.fixture
def published(district):
    return district


def meta(html: str, name: str) -> str | None:
    match = re.search(rf'<meta name="{name}" content="([^"]*)">', html)
    return match.group(1) if match else None


def test_section_has_the_four_columns_in_order(client, published):
    html = client.get("/agency/songcun/gk/").content.decode()
    positions = [
        html.index(label)
        for label in (
            "政府信息公开指南",
            "政府信息公开制度",
            "法定主动公开内容",
            "政府信息公开年报",
        )
    ]
    assert positions == sorted(positions)
    assert 'href="/agency/songcun/reports/"' in html
    assert 'href="/agency/songcun/apply/"' in html


def test_guide_is_generated_from_the_agency_profile(client, published):
    html = client.get("/agency/songcun/gk/guide/").content.decode()
    assert "威海市文登区宋村镇人民政府办公室" in html
    assert "昌阳路10号" in html
    assert "0631—8898088" in html
    assert "历史风韵 文化宋村" in html
    assert 'href="/agency/songcun/apply/"' in html


def test_statutory_column_lists_subcolumns_with_items_only(client, published):
    html = client.get("/agency/songcun/gk/fdzdgknr/").content.decode()
    assert "机构职能（11）" in html
    assert "政策文件" not in html  # empty: not shown


def test_column_filters_by_year_and_every_row_has_a_date(client, published):
    response = client.get("/agency/songcun/gk/gzdt/?year=2023")
    html = response.content.decode()
    rows = re.findall(r'<li class="list-group-item[^"]*">(.*?)</li>', html, re.S)
    assert len(rows) == 20  # first page
    assert all(re.search(r"<time[^>]*>2023-\d\d-\d\d</time>", row) for row in rows)
    assert response.context["page"].paginator.count == 30
    assert client.get("/agency/songcun/gk/gzdt/?year=2022").context["page"].paginator.count == 0


def test_statutory_column_filters_by_article20_item(client, published):
    response = client.get("/agency/songcun/gk/fdzdgknr/?item=14")
    assert response.context["page"].paginator.count == 14


def test_item_page_has_metadata_table_and_meta_tags(client, published):
    item = Item.objects.get(agency__slug="songcun", title="宋村镇2023年部门预算公开")
    html = client.get(f"/agency/songcun/info/{item.pk}/").content.decode()
    assert meta(html, "ColumnName") == "财政预决算"
    assert meta(html, "ColumnType") == "政府信息公开"
    assert meta(html, "ArticleTitle") == "宋村镇2023年部门预算公开"
    assert meta(html, "ContentSource") == "威海市文登区宋村镇人民政府"
    local = item.published_at.astimezone().strftime("%Y-%m-%d %H:%M")
    assert meta(html, "PubDate") == local
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", meta(html, "PubDate"))
    assert item.index_no in html
    assert "发布机构" in html and "成文日期" in html and "文号" in html


def test_normative_document_shows_its_validity(client, published):
    item = Item.objects.get(title="文登区最低生活保障审核确认实施细则")
    html = client.get(f"/agency/minzheng/info/{item.pk}/").content.decode()
    assert "有效性" in html and "有效" in html
    assert "文民发〔2023〕5号" in html


def test_drafts_and_withdrawn_items_are_not_public(client, published):
    draft = Item.objects.get(status=ItemStatus.DRAFT)
    assert client.get(f"/agency/songcun/info/{draft.pk}/").status_code == 404
    other = Item.objects.filter(agency__slug="gaocun").first()
    assert client.get(f"/agency/songcun/info/{other.pk}/").status_code == 404


def test_attachments_of_published_items_download(client, published, user_named):
    import datetime as dt

    from gongkai.publishing.models import Column
    from gongkai.publishing.services import item_create, item_submit_for_review, review_decide

    clerk = user_named("songcun_clerk")
    item = item_create(
        actor=clerk,
        agency=published["songcun"],
        column=Column.objects.get(agency__slug="songcun", slug="gsgg"),
        title="宋村镇道路维修通告",
        formed_on=dt.date(2026, 11, 20),
    )
    attachment = attachment_add(actor=clerk, item=item, name="线路图.txt", data="绕行线路".encode())
    url = f"/agency/songcun/info/{item.pk}/files/{attachment.pk}/"
    assert client.get(url).status_code == 404  # not yet published
    review = item_submit_for_review(actor=clerk, item=item)
    for username in ("songcun_head", "songcun_secrecy", "songcun_leader"):
        review_decide(actor=user_named(username), review=review, decision="approve")
    html = client.get(f"/agency/songcun/info/{item.pk}/").content.decode()
    assert url in html
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).decode() == "绕行线路"


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("汛", "宋村镇关于汛期安全防范的通告"),
        ("低保", "宋村镇2023年农村低保、特困供养政策及办理流程"),
    ],
)
def test_search_one_and_two_character_queries(client, published, query, title):
    response = client.get("/search/", {"q": query})
    html = response.content.decode()
    assert title in re.sub(r"</?mark>", "", html)
    assert f"<mark>{query}</mark>" in html
    assert response.context["total"] >= 1


def test_search_results_are_grouped_by_type_with_dates(client, published):
    response = client.get("/search/", {"q": "宋村镇", "agency": "songcun", "year": "2023"})
    html = response.content.decode()
    assert response.context["total"] == 65
    for heading in ("法定主动公开内容（", "公示公告（", "工作动态（"):
        assert heading in html
    assert "临时救助对象公示" not in html
    only_news = client.get("/search/", {"q": "宋村镇", "type": "news"})
    assert [key for key, _, _ in only_news.context["groups"]] == ["news"]


def test_rss_of_a_column(client, published):
    response = client.get("/agency/songcun/gk/czyjs/rss/")
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)  # noqa: S314 (our own response)
    channel = root.find("channel")
    titles = [item.findtext("title") for item in channel.findall("item")]
    assert sorted(titles) == ["宋村镇2022年部门决算公开", "宋村镇2023年部门预算公开"]
    assert client.get("/agency/songcun/gk/nosuch/rss/").status_code == 404


def test_sitemap_lists_published_items(client, published):
    response = client.get("/sitemap.xml")
    root = ET.fromstring(response.content)  # noqa: S314 (our own response)
    locations = [loc.text for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    published_count = Item.objects.filter(status=ItemStatus.PUBLISHED).count()
    assert sum("/info/" in loc for loc in locations) == published_count
    assert any(loc.endswith("/agency/songcun/gk/") for loc in locations)


def test_search_page_ranks_highlights_and_counts(client, published):
    response = client.get("/search/", {"q": "汛"})
    html = response.content.decode()
    assert "共找到" in html
    titles = re.findall(r'<a href="/agency/[^"]+/info/\d+/">(.*?)</a>', html)
    assert titles and all("<mark>汛</mark>" in t for t in titles[:1])
    assert response.context["result"].approximate is False


def test_search_page_says_about_when_the_total_is_estimated(client, published, monkeypatch):
    from gongkai.publishing import search

    monkeypatch.setattr(search, "MAX_MATCHES", 3)
    monkeypatch.setattr(search, "VERIFY_CHUNK", 3)
    html = client.get("/search/", {"q": "镇"}).content.decode()
    assert "约找到" in html
    assert "显示最相关的" in html


def test_search_escapes_the_query_in_results(client, published):
    html = client.get("/search/", {"q": "<script>"}).content.decode()
    assert "<script>" not in html.split("<main", 1)[1].split("</main>", 1)[0]
