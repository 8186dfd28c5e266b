"""The annual report through the browser: draft → submit → return → approve → publish → portal."""

from gongkai.reports.models import ReportRecord
from gongkai.reports.states import Status
from tests.conftest import DEMO_PASSWORD
from tests.reports.test_services import FINISHED


def log_in(page, live_server, username):
    page.goto(live_server.url + "/workbench/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(live_server.url + "/workbench/")


def log_out(page):
    page.get_by_role("button", name="退出").click()


def test_report_from_draft_to_the_portal(page, live_server, live_district):
    edit = live_server.url + "/workbench/agency/songcun/reports/2023/"
    log_in(page, live_server, "songcun_admin")
    page.goto(live_server.url + "/workbench/agency/songcun/reports/")
    page.get_by_role("button", name="编制2023年度报告").click()
    page.wait_for_url(edit)

    # Live totals: typing a count updates the row's 总计 and the checks re-run without saving.
    page.locator("#cell-table3-new_received-natural_person").fill("2")
    assert page.locator("#cell-table3-new_received-total").input_value() == "2"
    page.locator("#cell-table3-new_received-natural_person").dispatch_event("change")
    page.locator("#findings").get_by_text("T3-BALANCE").first.wait_for()
    page.locator("#cell-table3-new_received-natural_person").fill("0")

    for number, text in FINISHED.items():
        page.locator(f"#section-input-{number}").fill(text)
    page.get_by_role("button", name="保存并报送审核").click()
    page.get_by_text("年度报告已报送上级审核。").wait_for()
    assert page.locator("#report-status").inner_text() == "已报送"
    log_out(page)

    log_in(page, live_server, "wendeng_supervisor")
    page.goto(live_server.url + "/workbench/reports/supervision/?year=2023")
    page.get_by_label("退回意见（必填）").fill("第五部分请写明上年问题的整改情况")
    page.get_by_role("button", name="退回修改").click()
    page.get_by_text("已退回威海市文登区宋村镇人民政府2023年度报告。").wait_for()
    log_out(page)

    log_in(page, live_server, "songcun_admin")
    page.goto(edit)
    assert page.locator("#report-status").inner_text() == "已退回"
    assert "第五部分请写明上年问题的整改情况" in page.content()
    page.locator("#section-input-5").fill(
        "上年问题已整改：建立了信息报送提醒机制。本年度问题是解读形式单一，将增加图解。"
    )
    page.get_by_role("button", name="保存并报送审核").click()
    page.get_by_text("年度报告已报送上级审核。").wait_for()
    log_out(page)

    log_in(page, live_server, "wendeng_supervisor")
    page.goto(live_server.url + "/workbench/reports/supervision/?year=2023")
    page.get_by_role("button", name="审核通过").click()
    page.get_by_text("威海市文登区宋村镇人民政府2023年度报告已审核通过。").wait_for()
    log_out(page)

    log_in(page, live_server, "songcun_admin")
    page.goto(edit)
    page.get_by_role("button", name="发布年度报告").click()
    page.get_by_text("年度报告已发布（第1版）。").wait_for()
    assert ReportRecord.objects.get(year=2023).status == Status.PUBLISHED

    page.goto(live_server.url + "/agency/songcun/reports/")
    page.get_by_role(
        "link", name="威海市文登区宋村镇人民政府2023年政府信息公开工作年度报告"
    ).click()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "威海市文登区宋村镇人民政府2023年政府信息公开工作年度报告"
    )
    assert "上年问题已整改" in page.content()
    assert page.get_by_role("table").count() == 3
