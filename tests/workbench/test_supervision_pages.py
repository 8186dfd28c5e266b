"""The supervision pages added for the self-inspection's link-check job, the per-department figures
and the department assessment: what they show, who may open them (the supervising office reads its
subtree only, read-only), and their XLSX."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gongkai.core import clock
from gongkai.supervision.models import DepartmentAssessment, LinkCheckRun, LinkCheckStatus
from gongkai.supervision.services import assessment_compute, assessment_sheet_create
from tests.supervision.factories import publish

pytestmark = pytest.mark.django_db

NEW_URLS = (
    ("workbench:supervision_inspection_links", "songcun"),
    ("workbench:supervision_departments", "songcun"),
    ("workbench:supervision_departments_export", "songcun"),
)


@pytest.fixture
def songcun_supervisor(district: dict[str, Any]) -> Any:
    """A supervisor of 宋村镇's subtree only (not the district's)."""
    from gongkai.agencies.models import Role
    from gongkai.agencies.services import membership_grant, user_create

    user = user_create(actor=None, username="songcun_watch", password="x-Passw0rd-x")
    membership_grant(actor=None, user=user, agency=district["songcun"], role=Role.SUPERVISOR)
    return user


def test_new_pages_are_read_only_for_the_supervisor_and_closed_to_others(
    client: Any, login: Any, district: dict[str, Any], songcun_supervisor: Any
) -> None:
    urls = [reverse(name, args=[slug]) for name, slug in NEW_URLS]
    urls.append(reverse("workbench:supervision_inspection", args=["songcun"]))
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/workbench/login/")
    supervisor = login("wendeng_supervisor")
    for url in urls:
        assert supervisor.get(url).status_code == 200, url
    # Read-only: the supervising office cannot start a link check.
    inspection = reverse("workbench:supervision_inspection", args=["songcun"])
    assert supervisor.post(inspection).status_code == 403
    assert not LinkCheckRun.objects.exists()
    for username in ("gaocun_clerk", "minzheng_admin"):
        outsider = login(username)
        for url in urls:
            assert outsider.get(url).status_code in (403, 404), (username, url)
        assert outsider.post(inspection).status_code in (403, 404)
    # A supervisor of 宋村镇 alone sees 宋村镇 and nothing else of the district.
    client.force_login(songcun_supervisor)
    for url in urls:
        assert client.get(url).status_code == 200, url
    for name, _ in NEW_URLS:
        assert client.get(reverse(name, args=["gaocun"])).status_code in (403, 404), name
    dashboard = reverse("workbench:supervision_dashboard", args=["wendeng"])
    assert client.get(dashboard).status_code in (403, 404)


def test_staff_start_a_link_check_and_the_page_polls_until_it_ends(
    login: Any, district: dict[str, Any]
) -> None:
    client = login("songcun_clerk")
    inspection = reverse("workbench:supervision_inspection", args=["songcun"])
    links = reverse("workbench:supervision_inspection_links", args=["songcun"])
    html = client.get(inspection).content.decode()
    assert "尚未检查过链接" in html
    assert "检查已发布信息中的链接" in html

    response = client.post(inspection)
    assert response.status_code == 302
    run = LinkCheckRun.objects.get()
    assert (run.status, run.base_url) == (LinkCheckStatus.QUEUED, "http://testserver/")
    html = client.get(inspection).content.decode()
    assert f'hx-get="{links}"' in html
    assert 'hx-trigger="every 2s"' in html
    assert "检查已发布信息中的链接" not in html  # no second run while one is queued
    # Asking again while it is queued is refused with a message, not a second run.
    response = client.post(inspection, follow=True)
    assert "正在进行" in response.content.decode()
    assert LinkCheckRun.objects.count() == 1

    fragment = client.get(links, HTTP_HX_REQUEST="true")
    assert "HX-Refresh" not in fragment
    assert "排队中" in fragment.content.decode()
    LinkCheckRun.objects.filter(pk=run.pk).update(
        status=LinkCheckStatus.DONE,
        finished_at=clock.now(),
        site_status=200,
        page_status=200,
        links_found=1,
        links_checked=1,
        broken=[{"item": 1, "url": "http://testserver/gone/", "status": 404, "error": ""}],
    )
    fragment = client.get(links, HTTP_HX_REQUEST="true")
    assert fragment["HX-Refresh"] == "true"
    html = client.get(inspection).content.decode()
    assert "已检查链接1个，不可用1个" in html
    assert 'data-rule="broken_link"' in html
    assert "hx-trigger" not in html


def test_links_to_withdrawn_or_missing_items_are_flagged_as_hidden_links(
    login: Any, district: dict[str, Any], user_named: Any
) -> None:
    from gongkai.publishing.services import item_withdraw

    songcun = district["songcun"]
    today = clock.today()
    gone = publish(songcun, "gsgg", "已撤回的公告", today)
    item_withdraw(actor=user_named("songcun_admin"), item=gone, reason="内容有误")
    alive = publish(songcun, "gsgg", "仍然公开的公告", today)
    body = (
        f'<p><a href="/agency/songcun/info/{gone.pk}/">旧公告</a>'
        f'<a href="http://testserver/agency/songcun/info/{alive.pk}/">新公告</a>'
        '<a href="/agency/songcun/info/999999/">不存在</a>'
        f'<a href="http://other.example/agency/songcun/info/{gone.pk}/">外站</a></p>'
    )
    publish(songcun, "gzdt", "引用公告的动态", today, body=body)
    html = (
        login("songcun_clerk")
        .get(reverse("workbench:supervision_inspection", args=["songcun"]))
        .content.decode()
    )
    assert html.count('data-rule="hidden_link"') == 2
    assert "指向已撤回或未发布的信息" in html
    assert "指向已删除或不存在的信息" in html
    assert "在线咨询答复" in html
    assert "不适用" in html
    assert "本平台不受理在线咨询留言" in html


def test_a_wechat_account_without_recent_publications_is_a_veto(
    login: Any, district: dict[str, Any]
) -> None:
    from gongkai.publishing.models import Channel, ChannelKind, ChannelMonthlyStat

    songcun = district["songcun"]
    channel = Channel.objects.create(agency=songcun, kind=ChannelKind.WECHAT, name="文化宋村")
    ChannelMonthlyStat.objects.create(channel=channel, year=2023, month=5, items=12, reads=900)
    Channel.objects.create(agency=songcun, kind=ChannelKind.OTHER, name="宋村镇微博")
    with clock.frozen(dt.date(2023, 7, 20)):
        html = (
            login("songcun_clerk")
            .get(reverse("workbench:supervision_inspection", args=["songcun"]))
            .content.decode()
        )
    assert 'data-rule="channel_stale"' in html
    assert "最近一次有发布记录的是2023年5月" in html
    assert 'data-rule="channel_no_stats"' in html
    # In June (5月 ended less than 2 weeks ago) it is not stale yet.
    with clock.frozen(dt.date(2023, 6, 10)):
        html = (
            login("songcun_clerk")
            .get(reverse("workbench:supervision_inspection", args=["songcun"]))
            .content.decode()
        )
    assert 'data-rule="channel_stale"' not in html


def test_departments_page_and_xlsx_show_each_department(
    login: Any, district: dict[str, Any]
) -> None:
    songcun = district["songcun"]
    office = songcun.departments.get(name="党政办公室")
    publish(songcun, "gzdt", "党政办发布的动态", dt.date(2023, 3, 8), department=office)
    publish(songcun, "gsgg", "未指定科室的公告", dt.date(2023, 4, 8))
    client = login("wendeng_supervisor")
    response = client.get(
        reverse("workbench:supervision_departments", args=["songcun"]), {"year": 2023}
    )
    html = response.content.decode()
    assert "党政办公室" in html
    assert "（未指定科室）" in html
    assert "财政所" in html
    response = client.get(
        reverse("workbench:supervision_departments_export", args=["songcun"]), {"year": 2023}
    )
    book = load_workbook(io.BytesIO(response.content))
    rows = {r[0]: r for r in book["2023年各科室情况"].iter_rows(min_row=2, values_only=True)}
    assert rows["党政办公室"][1] == 1
    assert rows["（未指定科室）"][1] == 1
    assert rows["财政所"][1] == 0


def test_the_sheet_shows_and_exports_department_results(
    login: Any, district: dict[str, Any], user_named: Any
) -> None:
    songcun = district["songcun"]
    office = songcun.departments.get(name="党政办公室")
    publish(songcun, "gzdt", "党政办发布的动态", dt.date(2023, 3, 8), department=office)
    admin = user_named("wendeng_admin")
    sheet = assessment_sheet_create(
        actor=admin,
        agency=district["wendeng"],
        year=2023,
        title="2023年考核",
        criteria=[("信息按时公开", 20, "timely_publication"), ("栏目更新", 10, "stale_columns")],
    )
    with clock.frozen(dt.date(2024, 2, 1)):
        assessment_compute(actor=admin, sheet=sheet)
    result = DepartmentAssessment.objects.get(sheet=sheet, department=office)
    assert (result.total, result.max_total) == (20, 20)
    assert result.scores[0]["figure"] == "按时发布 1/1 条（100.0%）"
    # The district's own departments are not assessed (the district is the assessor).
    assert not DepartmentAssessment.objects.filter(department__agency=district["wendeng"])

    client = login("wendeng_supervisor")
    html = client.get(reverse("workbench:supervision_sheet", args=[sheet.pk])).content.decode()
    assert 'id="department-assessment-table"' in html
    assert "按时发布 1/1 条" in html
    response = client.get(reverse("workbench:supervision_sheet_export", args=[sheet.pk]))
    book = load_workbook(io.BytesIO(response.content))
    table = book["2023年科室考核结果"]
    header = [c.value for c in table[1]]
    assert header == [
        "机关",
        "科室",
        "信息按时公开（20分）",
        "计算依据",
        "得分",
        "适用指标满分",
        "百分制得分",
    ]
    rows = {(r[0], r[1]): r for r in table.iter_rows(min_row=2, values_only=True)}
    assert rows[("威海市文登区宋村镇人民政府", "党政办公室")][2] == 20.0
    assert rows[("威海市文登区宋村镇人民政府", "党政办公室")][6] == 100.0
    # A department with nothing published in the year is not scored on it.
    assert rows[("威海市文登区宋村镇人民政府", "财政所")][2:] == ("不适用", None, 0.0, 0, "—")
