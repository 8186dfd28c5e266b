"""Every /api/v1/ operation × the eight roles of issue #8, as a table of expected status codes.

Public operations (agencies, working days, submitting and tracking an application) answer everyone
alike; tracking needs the 查询码 and the phone together. Staff operations use the workbench session:
anonymous callers and applicants get 401, staff of another agency and supervisors of another
district get 404 (never a hint the application exists), A's district supervisor reads but may not
reply (403). The URLs come from the URL resolver: a new API URL without a row here fails. Writes
with a session need the CSRF token.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, NamedTuple

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.test_access_matrix_world import ROLES, STAFF, World, routes, world_for_module

pytestmark = pytest.mark.django_db


def outcome(status: int) -> str:
    return {2: "allow", 3: "redirect", 4: "deny"}.get(status // 100, "error")


def every(status: int, **exceptions: int) -> dict[str, int]:
    return {role: exceptions.get(role, status) for role in ROLES}


# Staff of A read A's applications; the district supervisor too (read-only).
READERS_OF_A = {"clerk_a": 200, "reviewer": 200, "leader": 200, "supervisor_a": 200}
NO_SESSION = {"anonymous": 401, "applicant": 401}


class Case(NamedTuple):
    label: str
    method: str
    kwargs: Callable[[World, str], dict[str, Any]]
    data: Callable[[World, str], dict[str, Any]]
    expected: dict[str, int]


NONE: Callable[[World, str], dict[str, Any]] = lambda w, role: {}  # noqa: E731


def _submission(w: World, role: str) -> dict[str, Any]:
    return {
        "agency": "gaocun",
        "applicant_type": "natural_person",
        "applicant_name": "张三",
        "id_type": "resident_id",
        "id_number": "11010519491231002X",
        "phone": "13812345678",
        "description": "2023年高村镇农村道路维修工程的招标文件",
        "form_wanted": "electronic",
        "delivery": "email",
        "email": "zhangsan@example.com",
    }


REPLY = {"reply_type": "provide", "text": "经审查，现将所需信息以电子邮件方式提供。"}

API: dict[str, list[Case]] = {
    "api-v1:api-root": [Case("root", "get", NONE, NONE, every(404))],
    "api-v1:openapi-json": [Case("OpenAPI", "get", NONE, NONE, every(200))],
    "api-v1:openapi-view": [Case("docs", "get", NONE, NONE, every(200))],
    "api-v1:list_agencies": [Case("list", "get", NONE, NONE, every(200))],
    "api-v1:get_agency": [
        Case("A", "get", lambda w, r: {"slug": "gaocun"}, NONE, every(200)),
        Case("no such agency", "get", lambda w, r: {"slug": "nosuch"}, NONE, every(404)),
    ],
    "api-v1:workdays_add": [
        Case("add", "get", NONE, lambda w, r: {"start": "2024-02-05", "days": "20"}, every(200))
    ],
    "api-v1:submit": [Case("submit", "post", NONE, _submission, every(201))],
    "api-v1:track": [
        Case(
            "own code + phone",
            "get",
            NONE,
            lambda w, r: {
                "code": w.own_application.tracking_code,
                "phone": w.own_application.phone,
            },
            every(200),
        ),
        Case(
            "someone else's code + own phone",
            "get",
            NONE,
            lambda w, r: {
                "code": w.other_application.tracking_code,
                "phone": w.own_application.phone,
            },
            every(404),
        ),
        Case(
            "own code + phone, in the body",
            "post",
            NONE,
            lambda w, r: {
                "code": w.own_application.tracking_code,
                "phone": w.own_application.phone,
            },
            every(200),
        ),
        Case(
            "someone else's code + own phone, in the body",
            "post",
            NONE,
            lambda w, r: {
                "code": w.other_application.tracking_code,
                "phone": w.own_application.phone,
            },
            every(404),
        ),
    ],
    "api-v1:staff_queue": [Case("queue", "get", NONE, NONE, every(200, **NO_SESSION))],
    "api-v1:staff_detail": [
        Case(
            "A's application",
            "get",
            lambda w, r: {"application_id": w.own_application.pk},
            NONE,
            every(404, **NO_SESSION, **READERS_OF_A),
        )
    ],
    "api-v1:staff_reply": [
        Case(
            "reply to an open application of A",
            "post",
            lambda w, r: {"application_id": w.open_applications[r].pk},
            lambda w, r: REPLY,
            every(404, **NO_SESSION, clerk_a=200, reviewer=200, leader=200, supervisor_a=403),
        )
    ],
}


@pytest.fixture(scope="module")
def world(module_transaction: None, django_db_blocker: Any, tmp_path_factory: Any) -> World:
    # Built once for the module (one demo load instead of one per test); see world_for_module.
    return world_for_module(django_db_blocker, tmp_path_factory.mktemp("media"))


@pytest.fixture(autouse=True)
def _isolated_media(world: World, settings: Any) -> None:
    settings.MEDIA_ROOT = world.media_root


@pytest.fixture(autouse=True)
def _generous_submission_limit(settings: Any) -> None:
    settings.GONGKAI_APPLY_PER_HOUR = 1000


@pytest.fixture
def district(world: World, db: None) -> dict[str, Any]:
    return world.district


def _call(client: Client, method: str, url: str, data: dict[str, Any]) -> Any:
    if method == "get":
        return client.get(url, data)
    return client.post(url, json.dumps(data), content_type="application/json")


def test_every_api_url_has_a_row():
    names = {name for name, _ in routes("api-v1")}
    assert names - set(API) == set(), "API URLs without an expectation in the table"
    assert set(API) - names == set(), "rows for URLs that no longer exist"


def test_api_matrix(world: World) -> None:
    unexpected = []
    for name, cases in API.items():
        for case in cases:
            for role in ROLES:
                cache.clear()  # the per-address submission limit is not what is tested here
                url = reverse(name, kwargs=case.kwargs(world, role))
                status = _call(world.clients[role], case.method, url, case.data(world, role))
                status = status.status_code
                if status >= 500 or outcome(status) != outcome(case.expected[role]):
                    unexpected.append((name, case.label, role, case.expected[role], status))
    assert unexpected == [], "\n".join(
        f"{name} ({label}) as {role}: expected {want}, got {got}"
        for name, label, role, want, got in unexpected
    )


def test_staff_queue_lists_only_what_the_caller_may_see(world: World) -> None:
    """A list that answers 200 must not leak either: B's clerk and the other district's supervisor
    see none of A's applications."""
    codes_of_a = {world.own_application.tracking_code, world.other_application.tracking_code}
    for role in STAFF:
        rows = world.clients[role].get("/api/v1/staff/applications").json()
        seen = {row["tracking_code"] for row in rows}
        if role in READERS_OF_A:
            assert codes_of_a <= seen, role
        else:
            assert not (codes_of_a & seen), role
        # Lists mask the phone number.
        assert all("****" in row["phone_masked"] for row in rows), role


def test_staff_writes_need_the_csrf_token(world: World, user_named: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user_named(STAFF["clerk_a"]))
    application = world.open_applications["clerk_a"]
    response = client.post(
        f"/api/v1/staff/applications/{application.pk}/reply",
        json.dumps(REPLY),
        content_type="application/json",
    )
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status != "replied"


def test_tracking_through_the_api_is_limited_like_the_portal(client: Client, settings: Any) -> None:
    """Guessing 查询码 + phone pairs is no cheaper through the API than through the portal."""
    settings.GONGKAI_TRACK_PER_HOUR = 3
    cache.clear()
    query = {"code": "ABCDEFGHJK", "phone": "13800000000"}
    statuses = [client.get("/api/v1/applications/track", query).status_code for _ in range(4)]
    assert statuses == [404, 404, 404, 429]
    assert "查询过于频繁" in client.get("/api/v1/applications/track", query).json()["detail"]
