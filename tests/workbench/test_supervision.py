"""The supervising office's workbench pages: access for every URL, the dashboard with its chart
data and XLSX, the self-inspection, tasks, proposals, notifications and assessments."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from django.urls import URLPattern, reverse
from openpyxl import load_workbook

from gongkai.core import clock
from gongkai.supervision.models import (
    AssessmentScore,
    Notification,
    PlanTask,
    Proposal,
    ProposalKind,
    TaskStatus,
)
from gongkai.supervision.services import (
    assessment_sheet_create,
    plan_task_add,
    proposal_register,
    work_plan_create,
)
from gongkai.workbench import supervision_urls

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(district: dict[str, Any], user_named: Any) -> dict[str, Any]:
    admin = user_named("wendeng_admin")
    plan = work_plan_create(
        actor=admin, agency=district["wendeng"], year=2023, title="2023年工作要点"
    )
    task = plan_task_add(
        actor=admin,
        plan=plan,
        text="规范政府信息公开目录",
        responsible_agency=district["songcun"],
        due_on=dt.date(2023, 6, 30),
    )
    proposal = proposal_register(
        actor=user_named("minzheng_clerk"),
        agency=district["minzheng"],
        kind=ProposalKind.NPC,
        year=2023,
        number="8",
        title="关于提升养老服务水平的建议",
        proposer="孙代表",
        received_on=dt.date(2023, 3, 1),
    )
    sheet = assessment_sheet_create(
        actor=admin,
        agency=district["wendeng"],
        year=2023,
        title="2023年政务公开考核",
        criteria=[("工作要点任务完成", 10, "plan_tasks"), ("培训和宣传", 5, "")],
    )
    return {"plan": plan, "task": task, "proposal": proposal, "sheet": sheet}


def every_url(records: dict[str, Any]) -> list[str]:
    urls = []
    for pattern in supervision_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        name = f"workbench:{pattern.name}"
        converters = pattern.pattern.converters  # type: ignore[attr-defined]
        if "slug" in converters:
            urls.append(reverse(name, args=["songcun"]))
        elif "pk" in converters:
            target = {
                "supervision_task": records["task"],
                "supervision_plan": records["plan"],
                "supervision_proposal": records["proposal"],
                "supervision_sheet": records["sheet"],
                "supervision_sheet_export": records["sheet"],
            }[str(pattern.name)]
            urls.append(reverse(name, args=[target.pk]))
        else:
            urls.append(reverse(name))
    return urls


def test_every_supervision_url_is_guarded(client: Any, login: Any, records: dict[str, Any]) -> None:
    urls = every_url(records)
    assert len(urls) == len(supervision_urls.urlpatterns) == 17
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/workbench/login/"), url
    supervisor = login("wendeng_supervisor")
    for url in urls:
        assert supervisor.get(url).status_code == 200, url
    outsider = login("gaocun_clerk")
    home = reverse("workbench:supervision_home")
    for url in urls:
        response = outsider.get(url)
        if url == home:
            # The home page lists only the user's own agency.
            assert response.status_code == 200
            assert "宋村镇" not in response.content.decode()
        else:
            assert response.status_code in (403, 404), url


def test_supervisor_cannot_write(login: Any, records: dict[str, Any]) -> None:
    client = login("wendeng_supervisor")
    task = records["task"]
    response = client.post(
        reverse("workbench:supervision_task", args=[task.pk]), {"status": "in_progress"}
    )
    assert response.status_code == 403
    assert PlanTask.objects.get(pk=task.pk).status == TaskStatus.NOT_STARTED
    response = client.post(
        reverse("workbench:supervision_sheet", args=[records["sheet"].pk]), {"action": "compute"}
    )
    assert response.status_code == 403


def test_dashboard_shows_every_agency_with_chart_data(
    login: Any, district: dict[str, Any], records: dict[str, Any]
) -> None:
    from tests.supervision.factories import publish

    publish(district["songcun"], "gzdt", "宋村镇召开安全生产会议", dt.date(2023, 3, 8))
    publish(district["songcun"], "gsgg", "宋村镇防汛公告", dt.date(2023, 7, 2))
    client = login("wendeng_supervisor")
    response = client.get(
        reverse("workbench:supervision_dashboard", args=["wendeng"]), {"year": 2023}
    )
    assert response.status_code == 200
    html = response.content.decode()
    for spec in ("文登区政府", "宋村镇", "高村镇", "泽库镇", "区民政局"):
        assert spec in html
    assert 'id="supervision-chart-data"' in html
    assert "gongkai/supervision_charts.js" in html
    assert "<script>" not in html  # no inline script (CSP)
    chart = response.context["chart"]
    songcun = chart["agencies"].index("宋村镇")
    assert chart["trend"][songcun]["data"][2] == 1  # March
    assert chart["trend"][songcun]["data"][6] == 1  # July
    assert chart["published"][songcun] == 2
    json.dumps(chart)


def test_dashboard_of_a_clerk_is_forbidden(login: Any, records: dict[str, Any]) -> None:
    response = login("songcun_clerk").get(
        reverse("workbench:supervision_dashboard", args=["wendeng"])
    )
    assert response.status_code == 403


def test_dashboard_exports_xlsx(
    login: Any, district: dict[str, Any], records: dict[str, Any]
) -> None:
    from tests.supervision.factories import publish

    publish(district["gaocun"], "gzdt", "高村镇工作动态", dt.date(2023, 5, 10))
    response = login("wendeng_supervisor").get(
        reverse("workbench:supervision_dashboard_export", args=["wendeng"]), {"year": 2023}
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    summary = book["2023年概况"]
    rows = {row[0]: row for row in summary.iter_rows(min_row=2, values_only=True)}
    assert rows["威海市文登区高村镇人民政府"][1] == 1
    assert set(book.sheetnames) == {
        "2023年概况",
        "按月发布",
        "栏目问题",
        "申请办理结果",
        "各科室情况",
    }
    by_department = list(book["各科室情况"].iter_rows(min_row=2, values_only=True))
    assert ("威海市文登区宋村镇人民政府", "财政所") in {(r[0], r[1]) for r in by_department}


def test_inspection_page_lists_flags_with_rule_and_fix(
    login: Any, district: dict[str, Any]
) -> None:
    from tests.supervision.factories import publish

    with clock.frozen(dt.date(2023, 9, 1)):
        publish(district["songcun"], "gzdt", "宋村镇工作动态", dt.date(2023, 8, 1))
        response = login("songcun_clerk").get(
            reverse("workbench:supervision_inspection", args=["songcun"])
        )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-rule="stale_column"' in html
    assert "超过2周未更新" in html
    assert "国办秘函〔2019〕19号" in html
    assert 'data-rule="empty_columns_many"' in html


def test_staff_update_their_task(login: Any, records: dict[str, Any]) -> None:
    task = records["task"]
    response = login("songcun_clerk").post(
        reverse("workbench:supervision_task", args=[task.pk]),
        {"status": "done", "evidence": "已完成目录调整。", "completed_on": "2023-06-20"},
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.completed_on) == (TaskStatus.DONE, dt.date(2023, 6, 20))


def test_done_without_evidence_shows_the_error(login: Any, records: dict[str, Any]) -> None:
    task = records["task"]
    response = login("songcun_clerk").post(
        reverse("workbench:supervision_task", args=[task.pk]), {"status": "done"}
    )
    assert response.status_code == 200
    assert "请填写落实情况或上传佐证材料" in response.content.decode()


def test_register_and_reply_a_proposal(login: Any, district: dict[str, Any]) -> None:
    client = login("minzheng_clerk")
    response = client.post(
        reverse("workbench:supervision_proposals", args=["minzheng"]),
        {
            "kind": "cppcc",
            "year": "2023",
            "number": "17",
            "title": "关于规范养老机构收费的提案",
            "proposer": "周委员",
            "received_on": "2023-03-05",
        },
    )
    assert response.status_code == 302
    proposal = Proposal.objects.get(number="17")
    with clock.frozen(dt.date(2023, 7, 1)):
        response = client.post(
            reverse("workbench:supervision_proposal", args=[proposal.pk]),
            {
                "status": "replied",
                "replied_on": "2023-06-10",
                "reply_published": "on",
                "reply_url": "http://www.wendeng.gov.cn/art/2023/6/10/art_9.html",
            },
        )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.reply_published and proposal.replied_on == dt.date(2023, 6, 10)


def test_notifications_generate_and_mark_read(login: Any, records: dict[str, Any]) -> None:
    client = login("songcun_clerk")
    url = reverse("workbench:supervision_notifications", args=["songcun"])
    with clock.frozen(dt.date(2023, 7, 5)):
        assert client.post(url, {"action": "generate"}).status_code == 302
    note = Notification.objects.get(kind="task_overdue")
    page = client.get(url).content.decode()
    assert "规范政府信息公开目录" in page
    client.post(url, {"notification": note.pk})
    note.refresh_from_db()
    assert note.read_at is not None


def test_admin_computes_assessment_scores_manual_and_exports(
    login: Any, records: dict[str, Any]
) -> None:
    client = login("wendeng_admin")
    sheet = records["sheet"]
    url = reverse("workbench:supervision_sheet", args=[sheet.pk])
    assert client.post(url, {"action": "compute"}).status_code == 302
    manual = AssessmentScore.objects.get(
        assessment__agency__slug="songcun", criterion__name="培训和宣传"
    )
    response = client.post(
        url, {"action": "score", "score": manual.pk, "value": "4.5", "evidence": "组织培训3次"}
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "完成 0/1 项（0.0%）" in page
    assert "组织培训3次" in page
    export = client.get(reverse("workbench:supervision_sheet_export", args=[sheet.pk]))
    table = load_workbook(io.BytesIO(export.content)).active
    assert table is not None
    rows = {row[0]: row for row in table.iter_rows(min_row=2, values_only=True)}
    songcun = rows["威海市文登区宋村镇人民政府"]
    assert songcun[-1] == 4.5
    assert songcun[1:5] == (0.0, "完成 0/1 项（0.0%）", 4.5, "人工评分")


def test_admin_creates_plan_and_adds_task(login: Any, district: dict[str, Any]) -> None:
    client = login("wendeng_admin")
    response = client.post(
        reverse("workbench:supervision_plans", args=["wendeng"]),
        {"year": "2024", "title": "2024年政务公开工作要点", "source_document": ""},
    )
    assert response.status_code == 302
    plan_url = response["Location"]
    response = client.post(
        plan_url,
        {
            "text": "做好年度报告编制发布",
            "responsible_agency": district["zeku"].pk,
            "due_on": "2024-01-31",
        },
    )
    assert response.status_code == 302
    assert PlanTask.objects.get(text="做好年度报告编制发布").responsible_agency == district["zeku"]


def test_supervisor_sees_nothing_outside_the_subtree(login: Any, district: dict[str, Any]) -> None:
    from gongkai.agencies.services import agency_create
    from gongkai.demo.district import credit_code

    agency_create(
        actor=None,
        name="威海市环翠区人民政府",
        short_name="环翠区政府",
        slug="huancui",
        level="county",
        credit_code=credit_code("11371002MB7654321"),
    )
    client = login("wendeng_supervisor")
    for name in (
        "supervision_dashboard",
        "supervision_inspection",
        "supervision_tasks",
        "supervision_proposals",
        "supervision_plans",
        "supervision_sheets",
        "supervision_notifications",
    ):
        assert client.get(reverse(f"workbench:{name}", args=["huancui"])).status_code == 403, name
    page = client.get(reverse("workbench:supervision_dashboard", args=["wendeng"])).content.decode()
    assert "环翠区" not in page


def test_manual_score_out_of_range_is_refused_with_a_message(
    login: Any, records: dict[str, Any]
) -> None:
    client = login("wendeng_admin")
    sheet = records["sheet"]
    url = reverse("workbench:supervision_sheet", args=[sheet.pk])
    client.post(url, {"action": "compute"})
    manual = AssessmentScore.objects.get(
        assessment__agency__slug="songcun", criterion__name="培训和宣传"
    )
    response = client.post(
        url, {"action": "score", "score": manual.pk, "value": "9", "evidence": "说明"}, follow=True
    )
    assert "得分应在0到5分之间" in response.content.decode()
    manual.refresh_from_db()
    assert manual.score == 0
