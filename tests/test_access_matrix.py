"""Every workbench URL × every role: no unexpected allow, and no server error for anyone.

The URLs are enumerated from the URL configuration, so a new page is covered the day it is added (and
this test fails until it knows how to fill in the new page's parameters). The objects are 高村镇's
in the world all three matrices share (tests/test_access_matrix_world.py: the demo data and a few
more records): its applications, catalogue items, reports. The eight roles of issue #8 (the portal
and the API have their own tables: tests/test_access_matrix_portal.py, test_access_matrix_api.py):

| role                              | users                                 | expected            |
|-----------------------------------|---------------------------------------|---------------------|
| anonymous                         | no session                            | login page, always  |
| applicant                         | a portal session that applied to 高村镇 | login page, always  |
| clerk of agency B                 | zeku_clerk (and zeku_admin/leader/secrecy) | never a 200     |
| supervisor of another district    | other_supervisor (in the world)       | never a 200         |
| clerk of agency A                 | gaocun_clerk, gaocun_admin            | the page decides, never a 500 |
| reviewer                          | gaocun_secrecy                        | the page decides, never a 500 |
| leader                            | gaocun_leader                         | the page decides, never a 500 |
| supervisor of A's district        | wendeng_supervisor                    | the page decides, never a 500 |

"Never a 200" does not apply to the user's own lists (PERSONAL_PAGES) and to district-level
objects (DISTRICT_OBJECTS) below.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import URLPattern, reverse

from tests.test_access_matrix_world import routes, world_for_module

pytestmark = pytest.mark.django_db

OWNER = "gaocun"
OUTSIDERS = ["zeku_clerk", "zeku_admin", "zeku_leader", "zeku_secrecy", "other_supervisor"]
INSIDERS = ["gaocun_clerk", "gaocun_admin", "gaocun_leader", "gaocun_secrecy", "wendeng_supervisor"]
# Pages that are not about one agency's records: every logged-in user may open them (they show the
# user's own things), so only the anonymous rule and "no 500" apply.
PERSONAL_PAGES = {
    "workbench:home",
    "workbench:applications",
    "workbench:application_new",
    "workbench:publishing_reviews",
    "workbench:reports_home",
    "workbench:reports_supervision",
    "workbench:reports_checker",
    "workbench:reports_checker_export",
    "workbench:supervision_home",
    "workbench:calendar",
    "workbench:otp",
    "workbench:login",
    "workbench:logout",
}
# Objects that belong to the district rather than to 高村镇 (plans, proposals, sheets): district
# staff of other townships may see tasks assigned to them, so the outsider rule does not apply.
DISTRICT_OBJECTS = {
    "workbench:supervision_plan",
    "workbench:supervision_task",
    "workbench:supervision_proposal",
    "workbench:supervision_sheet",
    "workbench:supervision_sheet_export",
}


def demo_media_root(tmp_path_factory: Any) -> Any:
    """Where the demo's files are written (one folder per worker, as `demo` is built per module)."""
    root = tmp_path_factory.getbasetemp() / "access-matrix-media"
    root.mkdir(exist_ok=True)
    return root


@pytest.fixture(scope="module")
def demo(module_transaction: None, django_db_blocker: Any, tmp_path_factory: Any) -> dict[str, Any]:
    """The matrices' world (tests/test_access_matrix_world.py), built once for the module; the
    tests only read it (each test's savepoint undoes what a page writes, such as a session).
    tests/test_security_csrf.py uses it too, which is why it returns the district itself."""
    return world_for_module(django_db_blocker, demo_media_root(tmp_path_factory)).district


@pytest.fixture(autouse=True)
def _isolated_media(tmp_path_factory: Any, settings: Any) -> None:
    settings.MEDIA_ROOT = demo_media_root(tmp_path_factory)


@pytest.fixture
def district(demo: dict[str, Any], db: None) -> dict[str, Any]:
    return demo


def sample_kwargs(name: str, pattern: URLPattern, district: dict[str, Any]) -> dict[str, Any]:
    from gongkai.applications.models import Application, ApplicationAttachment
    from gongkai.publishing.models import Attachment, Column, Item, Review, ScanFinding
    from gongkai.remedies.models import Case
    from gongkai.supervision.models import AssessmentSheet, PlanTask, Proposal, WorkPlan

    agency = district[OWNER]
    application = Application.objects.filter(agency=agency).order_by("id").first()
    item = Item.objects.filter(agency=agency).order_by("id").first()

    def pk_of(model: Any, **filters: Any) -> int:
        row = model.objects.filter(**filters).order_by("id").first()
        return row.pk if row is not None else 999_999

    by_name: dict[str, dict[str, Any]] = {
        "workbench:application_file": {"attachment_pk": pk_of(ApplicationAttachment)},
        "workbench:application_act": {"action": "reply"},
        "workbench:case_decide": {"pk": pk_of(Case, agency=agency)},
        "workbench:publishing_attachment_file": {"pk": pk_of(Attachment, item__agency=agency)},
        "workbench:publishing_attachment_strike": {"pk": pk_of(Attachment, item__agency=agency)},
        "workbench:publishing_finding_mask": {"pk": pk_of(ScanFinding, item__agency=agency)},
        "workbench:publishing_finding_override": {"pk": pk_of(ScanFinding, item__agency=agency)},
        "workbench:publishing_review": {"pk": pk_of(Review, item__agency=agency)},
        "workbench:publishing_column_edit": {"pk": pk_of(Column, agency=agency)},
        "workbench:publishing_column_move": {"pk": pk_of(Column, agency=agency)},
        "workbench:publishing_column_delete": {"pk": pk_of(Column, agency=agency)},
        "workbench:publishing_column_restore": {"pk": pk_of(Column, agency=agency)},
        "workbench:supervision_task": {"pk": pk_of(PlanTask)},
        "workbench:supervision_plan": {"pk": pk_of(WorkPlan)},
        "workbench:supervision_proposal": {"pk": pk_of(Proposal)},
        "workbench:supervision_sheet": {"pk": pk_of(AssessmentSheet)},
        "workbench:supervision_sheet_export": {"pk": pk_of(AssessmentSheet)},
        "workbench:report_download": {"which": "draft", "file_format": "json"},
        "workbench:calendar_delete": {"day": "2027-02-06"},
    }
    kwargs = dict(by_name.get(name, {}))
    for key in pattern.pattern.converters:
        if key in kwargs:
            continue
        if key == "slug":
            kwargs[key] = agency.slug
        elif key == "year":
            kwargs[key] = 2023
        elif key == "pk" and name.startswith("workbench:application"):
            kwargs[key] = application.pk if application else 999_999
        elif key == "pk" and (
            name.startswith("workbench:publishing_item")
            or name
            in {
                "workbench:publishing_attachment",
            }
        ):
            kwargs[key] = item.pk if item else 999_999
        else:
            raise AssertionError(f"the access matrix does not know how to fill {key} of {name}")
    return kwargs


def urls(district: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (name, reverse(name, kwargs=sample_kwargs(name, pattern, district)))
        for name, pattern in routes("workbench")
    ]


def test_anonymous_visitors_and_applicants_are_sent_to_the_login_page(client, demo, settings):
    from django.test import Client

    from tests.portal.test_applications import form_data

    settings.GONGKAI_APPLY_PER_HOUR = 1000
    applicant = Client()
    applied = applicant.post(f"/agency/{OWNER}/apply/", form_data())
    assert applied.status_code == 302  # the session now holds the application
    for visitor in (client, applicant):
        for name, url in urls(demo):
            if name in {"workbench:login", "workbench:logout", "workbench:otp"}:
                continue
            response = visitor.get(url)
            assert response.status_code == 302, (name, url, response.status_code)
            assert response["Location"].startswith("/workbench/login/"), (name, url)


@pytest.mark.parametrize("username", OUTSIDERS)
def test_other_agencies_staff_and_other_supervisors_never_get_gaocuns_pages(
    client, demo, user_named, username
):
    client.force_login(user_named(username))
    for name, url in urls(demo):
        if name in PERSONAL_PAGES:
            continue
        # District objects are shared within 文登区, never with another district's supervisor.
        if name in DISTRICT_OBJECTS and username != "other_supervisor":
            continue
        response = client.get(url)
        assert response.status_code != 200, (username, name, url)
        assert response.status_code < 500, (username, name, url)


@pytest.mark.parametrize("username", INSIDERS)
def test_no_page_fails_for_the_agencys_own_staff_or_its_supervisor(
    client, demo, user_named, username
):
    client.force_login(user_named(username))
    for name, url in urls(demo):
        if name in {"workbench:logout"}:
            continue
        response = client.get(url)
        assert response.status_code < 500, (username, name, url, response.status_code)
