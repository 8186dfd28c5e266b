"""The district's supervising office opens its dashboard (every agency, figures, charts) and 宋村镇's
self-inspection, which flags a stale column and a broken link planted against the live server."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from gongkai.core import clock
from tests.conftest import DEMO_PASSWORD
from tests.supervision.factories import publish


@pytest.fixture(autouse=True)
def huey_immediate() -> Iterator[None]:
    """The link check is a huey job: run it in the request thread, against the live server only."""
    from huey.contrib.djhuey import HUEY

    before = HUEY.immediate
    HUEY.immediate = True
    yield
    HUEY.immediate = before


def main_violations(page: Any) -> list[str]:
    from tests.browser.conftest import AXE

    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => await axe.run(document.querySelector('main'), {runOnly: {type: 'tag', "
        "values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [f"{v['id']}: {node['target']}" for v in result["violations"] for node in v["nodes"]]


def _log_in(page: Any, live_server: Any, username: str) -> None:
    page.goto(live_server.url + "/workbench/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(live_server.url + "/workbench/")


def test_district_office_sees_every_agency_with_figures_and_a_chart(
    page: Any, live_server: Any, live_district: dict[str, Any]
) -> None:
    today = clock.today()
    publish(live_district["songcun"], "gzdt", "宋村镇召开秋季防火工作会议", today)
    publish(live_district["gaocun"], "gsgg", "高村镇农村道路养护公示", today)
    _log_in(page, live_server, "wendeng_supervisor")
    page.goto(live_server.url + "/workbench/supervision/")
    page.get_by_role("link", name="威海市文登区人民政府（含下属机关）监管看板").click()
    assert f"{today.year}年政务公开监管看板" in page.get_by_role("heading", level=1).inner_text()
    table = page.locator("#overview-table")
    for name in ("文登区政府", "宋村镇", "高村镇", "泽库镇", "区民政局"):
        assert table.get_by_role("row", name=name).count() == 1
    assert table.get_by_role("row", name="宋村镇").locator("td").first.inner_text() == "1"
    page.wait_for_selector("#chart-trend[data-chart-ready='1'] svg")
    page.wait_for_selector("#chart-compare[data-chart-ready='1'] svg")
    assert "宋村镇" in page.locator("#chart-compare").inner_text()

    # The page's own content (the shared workbench navbar is checked by the foundation's tests).
    assert main_violations(page) == []


def test_self_inspection_flags_a_stale_column_and_a_broken_link(
    page: Any, live_server: Any, live_district: dict[str, Any]
) -> None:
    songcun = live_district["songcun"]
    today = clock.today()
    body = (
        f'<p>详见<a href="{live_server.url}/agency/songcun/">本镇主页</a>和'
        f'<a href="{live_server.url}/no-such-page-for-inspection/">已删除的附件</a>。</p>'
    )
    publish(songcun, "gzdt", "宋村镇工作动态（一个月前）", today - dt.timedelta(days=30), body=body)
    publish(songcun, "gsgg", "宋村镇近期公告", today)
    _log_in(page, live_server, "songcun_clerk")
    page.goto(live_server.url + "/workbench/supervision/songcun/inspection/")
    stale = page.locator("#inspection-flags tr[data-rule='stale_column']")
    assert stale.count() == 1
    assert "工作动态" in stale.inner_text()
    assert "超过2周未更新" in stale.inner_text()
    assert page.locator("tr[data-rule='broken_link']").count() == 0

    page.get_by_role("button", name="检查已发布信息中的链接").click()
    page.wait_for_selector("text=已检查链接2个")
    broken = page.locator("#inspection-flags tr[data-rule='broken_link']")
    assert broken.count() == 1
    assert "/no-such-page-for-inspection/" in broken.inner_text()
    assert "返回状态码404" in broken.inner_text()
    assert "修改该信息正文中的链接地址" in broken.inner_text()
    # The job also found the site and the agency's page answering; enquiries do not apply here.
    checks = page.locator("#inspection-checks")
    assert checks.get_by_role("row", name="网站可访问").locator("td").first.inner_text() == "通过"
    enquiries = checks.get_by_role("row", name="在线咨询答复")
    assert enquiries.locator("td").first.inner_text() == "不适用"
    assert "不受理在线咨询留言" in enquiries.inner_text()
    assert main_violations(page) == []


def test_tasks_and_proposals_appear_in_section_six_of_a_generated_report(
    page: Any, live_server: Any, live_district: dict[str, Any]
) -> None:
    """区民政局 handled 人大建议 and 政协提案 and owns 工作要点 tasks (demo); its 2023 draft, generated
    in the workbench, states them in section 六."""
    from gongkai.demo.loaders import LOADERS

    for load in LOADERS:
        load(live_district)
    _log_in(page, live_server, "minzheng_admin")
    page.goto(live_server.url + "/workbench/agency/minzheng/reports/")
    page.get_by_role("button", name="编制2023年度报告").click()
    section6 = page.locator("#section-input-6").input_value()
    assert "人大代表建议2件、政协委员提案1件" in section6
    assert "已办复3件" in section6
    assert "项任务已完成" in section6


def test_an_agency_assessment_is_computed_and_exported(
    page: Any, live_server: Any, live_district: dict[str, Any]
) -> None:
    """The district's 公开办管理员 computes the demo's 2023 sheet in the browser and downloads it; the
    workbook carries the same scores as the page (区民政局's row checked cell by cell)."""
    import io
    from pathlib import Path

    from openpyxl import load_workbook

    from gongkai.demo.loaders import LOADERS

    for load in LOADERS:
        load(live_district)
    _log_in(page, live_server, "wendeng_admin")
    page.goto(live_server.url + "/workbench/supervision/wendeng/assessments/")
    page.get_by_role("link", name="2023年：2023年度全区政务公开工作考核评分表").click()
    page.get_by_role("button", name="按业务数据计算得分").click()
    page.wait_for_selector("text=已计算4个机关的考核得分")
    row = page.locator(
        "#assessment-table tbody tr", has=page.get_by_role("rowheader", name="区民政局")
    )
    assert row.count() == 1
    cells = row.locator("td")
    page_scores = [cells.nth(i).locator("strong").inner_text() for i in range(8)]
    page_total = cells.nth(8).inner_text()
    # Computed from 区民政局's records (6 items on time, its 2 plan tasks done) and the hand-scored
    # 培训和宣传 (9 points with its evidence).
    assert page_scores[0] == "15.0"
    assert "按时发布" in cells.nth(0).inner_text()
    assert "完成 2/2 项" in cells.nth(6).inner_text()
    assert page_scores[7] == "9.0"

    with page.expect_download() as download_info:
        page.get_by_role("link", name="导出Excel").click()
    download = download_info.value
    assert download.suggested_filename == "assessment-wendeng-2023.xlsx"
    book = load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    table = book["2023年考核结果"]
    header = [cell.value for cell in table[1]]
    assert header[0] == "机关"
    assert header[1] == "信息按时公开（15分）"
    assert header[-1] == "总分（满分100）"
    rows = {r[0]: r for r in table.iter_rows(min_row=2, values_only=True)}
    # Every agency below the district is assessed (the district office is the assessor).
    assert set(rows) == {
        "威海市文登区宋村镇人民政府",
        "威海市文登区高村镇人民政府",
        "威海市文登区泽库镇人民政府",
        "威海市文登区民政局",
    }
    minzheng = rows["威海市文登区民政局"]
    assert [f"{v:.1f}" for v in minzheng[1:-1:2]] == page_scores
    assert f"{minzheng[-1]:.1f}" == page_total
    # Departments are assessed too, on the criteria that can be measured per department.
    departments = page.locator("#department-assessment-table tbody tr")
    assert departments.count() >= 1
    assert "科室考核结果" in page.get_by_role("heading", level=2, name="科室考核结果").inner_text()
    assert f"{book.sheetnames[1]}" == "2023年科室考核结果"
    department_rows = list(book["2023年科室考核结果"].iter_rows(min_row=2, values_only=True))
    assert len(department_rows) == departments.count()
    assert main_violations(page) == []

    # The supervising office reads the same results but cannot recompute them.
    sheet_url = page.url
    page.get_by_role("button", name="退出").click()
    _log_in(page, live_server, "wendeng_supervisor")
    page.goto(sheet_url)
    assert page.locator("#assessment-table").get_by_role("rowheader", name="区民政局").count() == 1
    assert page.get_by_role("button", name="按业务数据计算得分").count() == 0
