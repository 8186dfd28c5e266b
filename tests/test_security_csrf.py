"""CSRF everywhere: a POST without the token is refused on every portal and workbench URL (none is
exempt), and on the API's session-authenticated writes (tests/test_access_matrix_api.py). The URLs
come from the URL resolver, filled in as the workbench access matrix fills them."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.test_access_matrix import demo, sample_kwargs  # noqa: F401 - `demo` is a fixture
from tests.test_access_matrix_world import routes

pytestmark = pytest.mark.django_db

PORTAL_KWARGS: dict[str, dict[str, Any]] = {
    "portal:publishing_column": {"slug": "gaocun", "column": "gsgg"},
    "portal:publishing_column_rss": {"slug": "gaocun", "column": "gsgg"},
    "portal:publishing_item": {"slug": "gaocun", "pk": 1},
    "portal:publishing_attachment": {"slug": "gaocun", "pk": 1, "attachment": 1},
    "portal:report_detail": {"slug": "songcun", "year": 2023},
    "portal:report_file": {"slug": "songcun", "year": 2023, "file_format": "docx"},
}


def _portal_kwargs(name: str, pattern: Any) -> dict[str, Any]:
    if name in PORTAL_KWARGS:
        return PORTAL_KWARGS[name]
    kwargs: dict[str, Any] = {}
    for key in pattern.pattern.converters:
        assert key == "slug", f"the CSRF test does not know how to fill {key} of {name}"
        kwargs[key] = "gaocun"
    return kwargs


def test_every_post_without_the_token_is_refused(demo, user_named):  # noqa: F811
    staff = Client(enforce_csrf_checks=True)
    staff.force_login(user_named("gaocun_admin"))
    anonymous = Client(enforce_csrf_checks=True)
    refused = []
    for name, pattern in routes("workbench"):
        url = reverse(name, kwargs=sample_kwargs(name, pattern, demo))
        for client in (staff, anonymous):
            status = client.post(url, {"x": "1"}).status_code
            if status != 403:
                refused.append((name, url, status))
    for name, pattern in routes("portal"):
        url = reverse(name, kwargs=_portal_kwargs(name, pattern))
        for client in (staff, anonymous):
            status = client.post(url, {"x": "1"}).status_code
            if status != 403:
                refused.append((name, url, status))
    assert refused == [], refused


def test_a_form_with_the_token_still_works(client, district):
    """The check above cannot pass for the wrong reason: with the token, the same POST gets in."""
    browser = Client(enforce_csrf_checks=True)
    page = browser.get("/track/")
    token = page.cookies["csrftoken"].value
    response = browser.post(
        "/track/", {"code": "ABCDEFGHJK", "phone": "13800000000"}, HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 200
    assert "查询码或联系电话不正确" in response.content.decode()
