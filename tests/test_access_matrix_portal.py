"""Every portal URL × the eight roles of issue #8, as a table of expected status codes.

The portal is public: what it shows must not depend on who is logged in — a clerk of agency A does
not see A's drafts on the public site either. So most rows are the same for every role; the
exceptions are the applicant's own pages. The URLs come from the URL resolver: a new portal URL
without a row here fails `test_every_portal_url_has_a_row`. A status of another kind than the
table's (in particular an allow where the table says 404 or 302) fails, and so does any 5xx.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import pytest
from django.urls import reverse

from tests.test_access_matrix_world import ROLES, World, routes, world_for_module

pytestmark = pytest.mark.django_db


def outcome(status: int) -> str:
    """Statuses compared by what they mean: 2xx allows (200, or 202 while a file renders in the
    background), 3xx redirects, 4xx denies."""
    return {2: "allow", 3: "redirect", 4: "deny"}.get(status // 100, "error")


def every(status: int, **exceptions: int) -> dict[str, int]:
    return {role: exceptions.get(role, status) for role in ROLES}


class Case(NamedTuple):
    label: str
    kwargs: Callable[[World], dict[str, Any]]
    expected: dict[str, int]
    query: dict[str, str] = {}


def _a(w: World) -> dict[str, Any]:
    return {"slug": "gaocun"}


NONE: Callable[[World], dict[str, Any]] = lambda w: {}  # noqa: E731

# URL name → cases. 200 = shown, 404 = not found (never a hint that it exists), 302 = redirected.
PORTAL: dict[str, list[Case]] = {
    "portal:home": [Case("首页", NONE, every(200))],
    "portal:agency": [
        Case("A's page", _a, every(200)),
        Case("no such agency", lambda w: {"slug": "nosuch"}, every(404)),
    ],
    "portal:elderly": [Case("switch", NONE, every(302), {"on": "1", "next": "/"})],
    "portal:healthz": [Case("health", NONE, every(200))],
    "portal:apply": [
        Case("A's form", _a, every(200)),
        Case("no such agency", lambda w: {"slug": "nosuch"}, every(404)),
    ],
    # Shown once, to the browser that submitted; everyone else is sent to the tracking page.
    "portal:apply_done": [Case("confirmation", _a, every(302, applicant=200))],
    "portal:track": [Case("form", NONE, every(200))],
    "portal:deadline_tool": [Case("calculator", NONE, every(200), {"received": "2024-02-05"})],
    "portal:publishing_section": [Case("A's section", _a, every(200))],
    "portal:publishing_guide": [Case("A's guide", _a, every(200))],
    "portal:publishing_column": [
        Case("A's column", lambda w: {"slug": "gaocun", "column": "gsgg"}, every(200)),
        Case("no such column", lambda w: {"slug": "gaocun", "column": "nosuch"}, every(404)),
    ],
    "portal:publishing_column_rss": [
        Case("A's feed", lambda w: {"slug": "gaocun", "column": "gsgg"}, every(200)),
        Case("no such column", lambda w: {"slug": "gaocun", "column": "nosuch"}, every(404)),
    ],
    "portal:publishing_item": [
        Case("published", lambda w: {"slug": "gaocun", "pk": w.published_item.pk}, every(200)),
        Case("draft", lambda w: {"slug": "gaocun", "pk": w.draft_item.pk}, every(404)),
        # A's item under B's address
        Case("wrong agency", lambda w: {"slug": "zeku", "pk": w.published_item.pk}, every(404)),
    ],
    "portal:publishing_attachment": [
        Case(
            "current version",
            lambda w: {
                "slug": "gaocun",
                "pk": w.published_item.pk,
                "attachment": w.current_attachment.pk,
            },
            every(200),
        ),
        Case(
            "replaced version",
            lambda w: {
                "slug": "gaocun",
                "pk": w.published_item.pk,
                "attachment": w.replaced_attachment.pk,
            },
            every(404),
        ),
        Case(
            "a draft's attachment",
            lambda w: {
                "slug": "gaocun",
                "pk": w.draft_item.pk,
                "attachment": w.draft_attachment.pk,
            },
            every(404),
        ),
        Case(
            "a draft's attachment under a published item",
            lambda w: {
                "slug": "gaocun",
                "pk": w.published_item.pk,
                "attachment": w.draft_attachment.pk,
            },
            every(404),
        ),
    ],
    "portal:search": [Case("search", NONE, every(200), {"q": "高村镇"})],
    "portal:sitemap": [Case("sitemap", NONE, every(200))],
    "portal:reports_index": [Case("all reports", NONE, every(200))],
    "portal:reports_agency": [Case("A's reports", _a, every(200))],
    "portal:report_detail": [
        Case("published (宋村镇 2023)", lambda w: {"slug": "songcun", "year": 2023}, every(200)),
        # 高村镇's 2023 report is submitted, not published
        Case("not published", lambda w: {"slug": "gaocun", "year": 2023}, every(404)),
        Case(
            "no such version",
            lambda w: {"slug": "songcun", "year": 2023},
            every(404),
            {"version": "9"},
        ),
    ],
    "portal:report_file": [
        Case(
            "published, DOCX",
            lambda w: {"slug": "songcun", "year": 2023, "file_format": "docx"},
            every(200),
        ),
        Case(
            "not published",
            lambda w: {"slug": "gaocun", "year": 2023, "file_format": "docx"},
            every(404),
        ),
        Case(
            "unknown format",
            lambda w: {"slug": "songcun", "year": 2023, "file_format": "exe"},
            every(404),
        ),
    ],
}


@pytest.fixture(scope="module")
def world(module_transaction: None, django_db_blocker: Any, tmp_path_factory: Any) -> World:
    # Built once for the module (one demo load instead of one per test); see world_for_module.
    return world_for_module(django_db_blocker, tmp_path_factory.mktemp("media"))


@pytest.fixture(autouse=True)
def _isolated_media(world: World, settings: Any) -> None:
    settings.MEDIA_ROOT = world.media_root


@pytest.fixture
def district(world: World, db: None) -> dict[str, Any]:
    return world.district


def test_every_portal_url_has_a_row():
    names = {name for name, _ in routes("portal")}
    assert names - set(PORTAL) == set(), "portal URLs without an expectation in the table"
    assert set(PORTAL) - names == set(), "rows for URLs that no longer exist"


def test_portal_matrix(world: World) -> None:
    unexpected = []
    for name, cases in PORTAL.items():
        for case in cases:
            url = reverse(name, kwargs=case.kwargs(world))
            for role in ROLES:
                status = world.clients[role].get(url, case.query).status_code
                if status >= 500 or outcome(status) != outcome(case.expected[role]):
                    unexpected.append((name, case.label, role, case.expected[role], status))
    assert unexpected == [], "\n".join(
        f"{name} ({label}) as {role}: expected {want}, got {got}"
        for name, label, role, want, got in unexpected
    )


def test_public_lists_never_show_what_is_not_published(world: World) -> None:
    """Search, sitemap, feeds, column lists and report lists leak no draft, for any role."""
    draft_url = f"/agency/gaocun/info/{world.draft_item.pk}/"
    pages = [
        ("/search/", {"q": "草稿"}),
        ("/search/", {"q": "高村镇"}),
        ("/sitemap.xml", {}),
        ("/agency/gaocun/gk/gsgg/", {}),
        ("/agency/gaocun/gk/gsgg/rss/", {}),
        ("/agency/gaocun/gk/", {}),
        ("/reports/", {}),
        ("/agency/gaocun/reports/", {}),
    ]
    for role in ROLES:
        for path, query in pages:
            response = world.clients[role].get(path, query)
            body = response.content.decode()
            assert response.status_code == 200, (role, path)
            assert "高村镇未发布的草稿" not in body, (role, path)
            assert draft_url not in body, (role, path)
            assert "/agency/gaocun/reports/2023/" not in body, (role, path)


def test_tracking_shows_the_applicants_own_application_only(world: World) -> None:
    own, other = world.own_application, world.other_application
    for role in ROLES:
        client = world.clients[role]
        mine = client.post("/track/", {"code": own.tracking_code, "phone": own.phone})
        assert mine.status_code == 200 and own.tracking_code in mine.content.decode(), role
        # Somebody else's code with the applicant's phone: nothing, and no hint it exists.
        theirs = client.post("/track/", {"code": other.tracking_code, "phone": own.phone})
        body = theirs.content.decode()
        assert theirs.status_code == 200 and "查询码或联系电话不正确" in body, role
        assert other.applicant_name not in body and other.description not in body, role
    # The confirmation page is for the submitting browser only, and names its application only.
    done = world.clients["applicant"].get("/agency/gaocun/apply/done/")
    assert own.tracking_code in done.content.decode()
    assert other.tracking_code not in done.content.decode()
    # The pk in the applicant's session does not open another agency's confirmation.
    assert world.clients["applicant"].get("/agency/zeku/apply/done/").status_code == 302
