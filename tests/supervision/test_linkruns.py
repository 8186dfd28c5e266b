"""The link check as a huey job: requested by the agency's staff, one active run per agency, run in
immediate mode against the pytest live server only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gongkai.core import clock
from gongkai.core.exceptions import PermissionDeniedError
from gongkai.supervision.exceptions import SupervisionError
from gongkai.supervision.linkruns import link_check_execute, link_check_request
from gongkai.supervision.models import LinkCheckRun, LinkCheckStatus
from gongkai.supervision.overview import agency_inspection
from tests.supervision.conftest import audit_verbs, last_audit_id
from tests.supervision.factories import publish


@pytest.mark.django_db(transaction=True)
def test_a_requested_run_checks_the_site_the_agency_page_and_the_links(
    live_server: Any, district: dict[str, Any], user_named: Any, huey_immediate: Any
) -> None:
    songcun = district["songcun"]
    body = (
        f'<p><a href="{live_server.url}/agency/songcun/">主页</a>'
        '<a href="/no-such-page-for-the-job/">附件</a></p>'
    )
    publish(songcun, "gzdt", "带链接的动态", clock.today() - dt.timedelta(days=1), body=body)
    since = last_audit_id()
    run = link_check_request(
        actor=user_named("songcun_clerk"), agency=songcun, base_url=live_server.url + "/"
    )
    run.refresh_from_db()
    assert run.status == LinkCheckStatus.DONE
    assert (run.site_status, run.page_status) == (200, 200)
    assert (run.links_found, run.links_checked) == (2, 2)
    assert [(b["url"], b["status"]) for b in run.broken] == [
        (live_server.url + "/no-such-page-for-the-job/", 404)
    ]
    assert run.finished_at is not None
    assert audit_verbs(since) == [
        "supervision.link_check_requested",
        "supervision.link_check_started",
        "supervision.link_check_finished",
    ]
    result = agency_inspection(songcun, clock.today(), run=run)
    broken = [f for f in result.flags if f.rule.key == "broken_link"]
    assert [f.subject for f in broken] == [live_server.url + "/no-such-page-for-the-job/"]
    assert not [f for f in result.flags if f.rule.key == "site_unreachable"]
    states = {row.name: row.state for row in result.checks}
    assert states["错链断链"] == "发现问题"
    assert states["网站可访问"] == "通过"


def test_an_unreachable_site_is_flagged_as_a_veto(district: dict[str, Any]) -> None:
    # Port 9 (discard) on the site's own host: refused at once, no other address is contacted.
    run = link_check_request(actor=None, agency=district["songcun"], base_url="http://127.0.0.1:9/")
    link_check_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == LinkCheckStatus.DONE
    assert run.site_status is None
    result = agency_inspection(district["songcun"], clock.today(), run=run)
    down = [f for f in result.flags if f.rule.key == "site_unreachable"]
    assert [f.subject for f in down] == ["网站首页", "本机关信息公开页面"]
    assert down[0].severity == "veto"
    assert result.flags[0].rule.key == "site_unreachable"


def test_one_active_run_per_agency(district: dict[str, Any], user_named: Any) -> None:
    clerk = user_named("songcun_clerk")
    link_check_request(actor=clerk, agency=district["songcun"], base_url="http://127.0.0.1:9/")
    with pytest.raises(SupervisionError, match="正在进行"):
        link_check_request(actor=clerk, agency=district["songcun"], base_url="http://127.0.0.1:9/")
    assert LinkCheckRun.objects.filter(agency=district["songcun"]).count() == 1


def test_a_lost_run_is_replaced_after_ten_minutes(
    district: dict[str, Any], user_named: Any
) -> None:
    clerk = user_named("songcun_clerk")
    with clock.frozen(clock.now() - dt.timedelta(minutes=11)):
        old = link_check_request(
            actor=clerk, agency=district["songcun"], base_url="http://127.0.0.1:9/"
        )
    new = link_check_request(
        actor=clerk, agency=district["songcun"], base_url="http://127.0.0.1:9/"
    )
    old.refresh_from_db()
    assert old.status == LinkCheckStatus.FAILED
    assert new.status == LinkCheckStatus.QUEUED


def test_a_claimed_run_is_not_run_twice(district: dict[str, Any]) -> None:
    run = link_check_request(actor=None, agency=district["songcun"], base_url="http://127.0.0.1:9/")
    assert link_check_execute(run_id=run.pk) is not None
    assert link_check_execute(run_id=run.pk) is None


def test_supervisors_and_other_agencies_cannot_start_a_run(
    district: dict[str, Any], user_named: Any
) -> None:
    for username in ("wendeng_supervisor", "gaocun_clerk"):
        with pytest.raises(PermissionDeniedError):
            link_check_request(
                actor=user_named(username),
                agency=district["songcun"],
                base_url="http://127.0.0.1:9/",
            )
    assert not LinkCheckRun.objects.exists()


def test_a_bad_site_address_is_refused(district: dict[str, Any], user_named: Any) -> None:
    with pytest.raises(SupervisionError, match="网站地址不正确"):
        link_check_request(
            actor=user_named("songcun_clerk"), agency=district["songcun"], base_url="ftp:/x"
        )
