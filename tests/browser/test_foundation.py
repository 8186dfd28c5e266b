"""A person opens the portal, finds 宋村镇, logs into the workbench and enters next year's calendar."""

from gongkai.core.models import WorkdayOverride
from tests.conftest import DEMO_PASSWORD


def test_portal_lists_songcun_and_its_profile(page, live_server, live_district):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="威海市文登区宋村镇人民政府").click()
    assert page.get_by_role("heading", level=1).inner_text() == "威海市文登区宋村镇人民政府"
    assert "昌阳路10号" in page.content()
    page.get_by_role("link", name="关怀模式（大字版）").click()
    assert "elderly-mode" in page.locator("body").get_attribute("class")


def test_clerk_logs_into_the_workbench(page, live_server, live_district):
    page.goto(live_server.url + "/workbench/")
    page.get_by_label("用户名").fill("songcun_clerk")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(live_server.url + "/workbench/")
    assert "您好" in page.get_by_role("heading", level=1).inner_text()
    assert page.get_by_role("row", name="威海市文登区宋村镇人民政府").count() == 1
    page.get_by_role("button", name="退出").click()
    page.wait_for_url(live_server.url + "/")


def test_district_admin_enters_next_years_holidays(page, live_server, live_district):
    page.goto(live_server.url + "/workbench/login/")
    page.get_by_label("用户名").fill("wendeng_admin")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("link", name="节假日安排").first.click()
    page.get_by_label("节假日安排（每行一条）").fill(
        "2027-02-06至2027-02-12 休 春节\n2027-02-14 班 春节"
    )
    page.get_by_role("button", name="录入").click()
    assert "已录入2027年节假日安排：新增8条" in page.get_by_role("alert").inner_text()
    assert WorkdayOverride.objects.count() == 8


def test_main_pages_have_no_accessibility_violations(page, live_server, live_district):
    from tests.browser.conftest import axe_violations

    for path in ["/", "/agency/songcun/", "/workbench/login/"]:
        page.goto(live_server.url + path)
        assert axe_violations(page) == [], path
    page.goto(live_server.url + "/elderly/?on=1")
    assert axe_violations(page) == []
