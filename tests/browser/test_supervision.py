"""The district's supervising office opens its dashboard (every agency, figures, charts) and 宋村镇's
self-inspection, which flags a stale column and a broken link planted against the live server."""

from __future__ import annotations

import datetime as dt
from typing import Any

from gongkai.core import clock
from tests.conftest import DEMO_PASSWORD
from tests.supervision.factories import publish


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
