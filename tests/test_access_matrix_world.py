"""The world the access matrices run in (no tests here; imported by tests/test_access_matrix.py,
tests/test_access_matrix_portal.py and tests/test_access_matrix_api.py, each building it once
through `world_for_module`; tests/test_security_csrf.py uses it through test_access_matrix's `demo`).

Agency A is 高村镇 (gaocun), agency B 泽库镇 (zeku), both in 文登区; a second district (某区) has its
own supervisor. The eight roles of issue #8:

| role               | who                                                                   |
|--------------------|-----------------------------------------------------------------------|
| anonymous          | a visitor with no session                                             |
| applicant          | a visitor who applied to A through the portal (holds 查询码 + phone)  |
| clerk_a            | gaocun_clerk (信息员 of A)                                             |
| clerk_b            | zeku_clerk (信息员 of B, same district)                                |
| reviewer           | gaocun_secrecy (保密审查员 of A)                                       |
| leader             | gaocun_leader (分管领导 of A)                                          |
| supervisor_a       | wendeng_supervisor (上级监管 of A's district)                          |
| supervisor_other   | other_supervisor (上级监管 of another district)                       |
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

ROLES = (
    "anonymous",
    "applicant",
    "clerk_a",
    "clerk_b",
    "reviewer",
    "leader",
    "supervisor_a",
    "supervisor_other",
)
STAFF = {
    "clerk_a": "gaocun_clerk",
    "clerk_b": "zeku_clerk",
    "reviewer": "gaocun_secrecy",
    "leader": "gaocun_leader",
    "supervisor_a": "wendeng_supervisor",
    "supervisor_other": "other_supervisor",
}
APPLICANT_PHONE = "13912345678"


@dataclass
class World:
    district: dict[str, Any]
    clients: dict[str, Client]
    own_application: Any  # the applicant's (agency A)
    other_application: Any  # somebody else's (agency A)
    open_applications: dict[str, Any]  # one open application of A per role (for replies)
    published_item: Any  # A's, published, with a current and a replaced attachment
    current_attachment: Any
    replaced_attachment: Any
    draft_item: Any  # A's, never published, with an attachment
    draft_attachment: Any
    extras: dict[str, Any] = field(default_factory=dict)
    media_root: Any = None  # where the world's files were written (set by world_for_module)


def world_for_module(django_db_blocker: Any, media_root: Any) -> World:
    """The world, built once for a test module inside its `module_transaction` (tests/conftest.py).

    The matrices only read, or write what each test's savepoint undoes, so one world serves every
    test of the module. Its files are written under `media_root`, which the module's tests use as
    their MEDIA_ROOT (see `_isolated_media` in the matrix modules).
    """
    from django.contrib.auth import get_user_model
    from django.test import override_settings

    from gongkai.demo.district import ensure_district

    def user_named(username: str) -> Any:
        return get_user_model().objects.get(username=username)

    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media_root, GONGKAI_APPLY_PER_HOUR=1000),
    ):
        world = build_world(ensure_district(), user_named)
    world.media_root = media_root
    return world


def routes(namespace: str) -> list[tuple[str, URLPattern]]:
    """Every named URL of a namespace, from the URL resolver (a new URL is never missed)."""
    found: list[tuple[str, URLPattern]] = []

    def walk(patterns: list[Any], current: str | None) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or current)
            elif current == namespace and pattern.name:
                found.append((f"{namespace}:{pattern.name}", pattern))

    walk(get_resolver().url_patterns, None)
    return found


def _published_item_with_attachments(agency: Any, user_named: Any) -> tuple[Any, Any, Any]:
    from gongkai.publishing.models import Column
    from gongkai.publishing.services import (
        attachment_add,
        item_create,
        item_submit_for_review,
        review_decide,
    )

    clerk = user_named("gaocun_clerk")
    item = item_create(
        actor=clerk,
        agency=agency,
        column=Column.objects.get(agency=agency, slug="gsgg"),
        title="高村镇道路维修通告",
        formed_on=dt.date(2026, 11, 20),
        body="<p>维修期间请绕行。</p>",
    )
    old = attachment_add(actor=clerk, item=item, name="线路图.txt", data="旧线路".encode())
    new = attachment_add(
        actor=clerk, item=item, name="线路图.txt", data="新线路".encode(), replaces=old
    )
    review = item_submit_for_review(actor=clerk, item=item)
    for username in ("gaocun_head", "gaocun_secrecy", "gaocun_leader"):
        review_decide(actor=user_named(username), review=review, decision="approve")
    item.refresh_from_db()
    old.refresh_from_db()
    return item, new, old


def build_world(district: dict[str, Any], user_named: Any) -> World:
    from gongkai.agencies.models import Level, Role
    from gongkai.agencies.services import agency_create, membership_grant, user_create
    from gongkai.applications.models import Application
    from gongkai.applications.services import application_submit_online
    from gongkai.demo.district import credit_code
    from gongkai.demo.loaders import LOADERS
    from gongkai.publishing.models import Column
    from gongkai.publishing.services import attachment_add, item_create
    from tests.applications.factories import intake
    from tests.portal.test_applications import form_data

    for load in LOADERS:
        load(district)
    other = agency_create(
        actor=None,
        name="某市某区人民政府",
        short_name="某区",
        slug="otherdistrict",
        level=Level.COUNTY,
        credit_code=credit_code("11999999MB0000001"),
    )
    supervisor = user_create(actor=None, username="other_supervisor", password="x" * 12)
    membership_grant(actor=None, user=supervisor, agency=other, role=Role.SUPERVISOR)

    agency = district["gaocun"]
    cache.clear()
    clients = {role: Client() for role in ROLES}
    for role, username in STAFF.items():
        clients[role].force_login(user_named(username))
    # The applicant applies through the portal form, like a person would.
    response = clients["applicant"].post(
        f"/agency/{agency.slug}/apply/", form_data(phone=APPLICANT_PHONE)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    own = Application.objects.filter(agency=agency, phone=APPLICANT_PHONE).get()
    other_application = application_submit_online(agency=agency, intake=intake(phone="13700001111"))
    open_applications = {
        role: application_submit_online(agency=agency, intake=intake(phone="13700002222"))
        for role in ROLES
    }
    published, current, replaced = _published_item_with_attachments(agency, user_named)
    draft = item_create(
        actor=user_named("gaocun_clerk"),
        agency=agency,
        column=Column.objects.get(agency=agency, slug="gsgg"),
        title="高村镇未发布的草稿",
        formed_on=dt.date(2026, 11, 20),
    )
    draft_attachment = attachment_add(
        actor=user_named("gaocun_clerk"), item=draft, name="草稿附件.txt", data=b"draft"
    )
    cache.clear()
    return World(
        district=district,
        clients=clients,
        own_application=own,
        other_application=other_application,
        open_applications=open_applications,
        published_item=published,
        current_attachment=current,
        replaced_attachment=replaced,
        draft_item=draft,
        draft_attachment=draft_attachment,
    )
