"""A clerk consults a third party, charges a fee (paid, and one that lapses), replies with the
generated notice downloaded as Word and PDF, and records the 行政复议 and 行政诉讼 that follow —
which then show in table 4 of the annual report. The home page warns about due and overdue cases."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from pathlib import Path

from docx import Document

from gongkai.applications.models import Application
from gongkai.core import clock
from gongkai.core.calendar import load_calendar
from gongkai.core.workdays import count_workdays
from tests.applications.factories import online, registered
from tests.browser.conftest import axe_violations
from tests.browser.test_applications import act
from tests.conftest import DEMO_PASSWORD


def login(page, base, username="gaocun_clerk"):
    page.goto(base + "/workbench/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(base + "/workbench/")


def monday_weeks_ago(weeks: int) -> dt.date:
    today = clock.today()
    return today - dt.timedelta(days=today.weekday()) - dt.timedelta(weeks=weeks)


def past_application(live_district, received: dt.date):
    from django.contrib.auth import get_user_model

    clerk = get_user_model().objects.get(username="gaocun_clerk")
    return registered(live_district["gaocun"], clerk, received)


def open_case(page, base, application):
    page.goto(f"{base}/workbench/applications/{application.pk}/")
    return page.locator("#reply-due").inner_text()


def status(page):
    return page.locator("#application-status").inner_text()


def test_consultation_pauses_and_resumes_the_clock(page, live_server, live_district):
    base = live_server.url
    received = monday_weeks_ago(3)
    application = past_application(live_district, received)
    start, end = received + dt.timedelta(days=1), received + dt.timedelta(days=3)
    login(page, base)
    due_before = open_case(page, base, application)

    act(
        page,
        "征求意见（暂停计时）",
        lambda s: (
            s.get_by_label("征求意见的对象").select_option("third_party"),
            s.get_by_label("被征求意见的第三方或机关").fill("威海某建材有限公司"),
            s.get_by_label("办理日期").fill(start.isoformat()),
        ),
    )
    assert status(page) == "征求意见中"
    assert page.locator("#clock-paused").inner_text() == "计时暂停中"
    page.get_by_text("期限计算说明").click()
    assert "暂停尚未结束" in page.locator("#deadline-explanation").inner_text()

    act(
        page,
        "收到意见（恢复计时）",
        lambda s: (
            s.get_by_label("说明").fill("第三方同意公开"),
            s.get_by_label("办理日期").fill(end.isoformat()),
        ),
    )
    assert status(page) == "办理中"
    excluded = count_workdays(load_calendar(), start, end)
    assert page.locator("#clock-paused").count() == 0
    page.get_by_text("期限计算说明").click()
    explanation = page.locator("#deadline-explanation").inner_text()
    assert f"暂停计时：{start.isoformat()}至{end.isoformat()}" in explanation
    assert f"{excluded}个工作日不计入答复期限" in explanation
    due_after = page.locator("#reply-due").inner_text()
    assert due_after > due_before
    stored = Application.objects.get(pk=application.pk)
    assert stored.status == "in_progress" and stored.reply_due.isoformat() == due_after
    timeline = page.locator("#timeline-heading + ol").inner_text()
    assert "威海某建材有限公司" in timeline and "第三方同意公开" in timeline


def test_fee_notice_payment_and_lapse(page, live_server, live_district):
    base = live_server.url
    received = monday_weeks_ago(8)
    paid = past_application(live_district, received)
    unpaid = past_application(live_district, received)
    notified = received + dt.timedelta(days=1)
    login(page, base)

    def fee_notice(section):
        section.get_by_label("计收方式").select_option("by_pages")
        section.get_by_label("数量（页数或件数）").fill("150")
        section.get_by_label("办理日期").fill(notified.isoformat())

    open_case(page, base, paid)
    act(page, "发出收费通知", fee_notice)
    assert status(page) == "待缴费"
    assert "缴费期限" in page.content() and "1700元" in page.content()
    with page.expect_download() as fee_pdf:
        page.get_by_role("link", name="下载缴费通知书（PDF）").click()
    assert fee_pdf.value.suggested_filename == f"jiaofei-{paid.tracking_code}.pdf"
    with page.expect_download() as fee_word:
        page.get_by_role("link", name="下载缴费通知书（Word）").click()
    fee_text = "\n".join(
        p.text for p in Document(io.BytesIO(Path(fee_word.value.path()).read_bytes())).paragraphs
    )
    assert "信息处理费1700元" in fee_text and "视为您放弃" in fee_text
    act(
        page,
        "已缴费",
        lambda s: s.get_by_label("办理日期").fill((received + dt.timedelta(days=8)).isoformat()),
    )
    assert status(page) == "办理中"
    assert Application.objects.get(pk=paid.pk).fee_amount == 1700

    open_case(page, base, unpaid)
    act(page, "发出收费通知", fee_notice)
    act(page, "逾期终止办理", lambda s: s.get_by_label("理由或说明").fill("逾期未缴费"))
    assert status(page) == "已终止"
    assert "申请人逾期未缴纳信息处理费，不再处理" in page.content()
    assert Application.objects.get(pk=unpaid.pk).outcome == "other_no_fee"


def test_reply_with_notice_as_word_and_pdf(page, live_server, live_district, tmp_path):
    base = live_server.url
    application = online(live_district["gaocun"], clock.today())
    login(page, base)
    open_case(page, base, application)
    act(
        page,
        "作出答复",
        lambda s: (
            s.get_by_label("答复类型").select_option("partial"),
            s.get_by_label("答复内容").fill("现提供可以公开的部分，涉及个人信息的内容已删除。"),
        ),
    )
    assert status(page) == "已答复"

    with page.expect_download() as word:
        page.get_by_role("link", name="下载告知书（Word）").click()
    assert word.value.suggested_filename == f"gaozhishu-{application.tracking_code}.docx"
    document = Document(io.BytesIO(Path(word.value.path()).read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "政府信息公开申请答复告知书" in text and "能够作区分处理" in text
    assert "涉及个人信息的内容已删除" in text and "60日内" in text

    with page.expect_download() as pdf:
        page.get_by_role("link", name="下载告知书（PDF）").click()
    assert pdf.value.suggested_filename == f"gaozhishu-{application.tracking_code}.pdf"
    path = tmp_path / "notice.pdf"
    pdf.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
    pdf_text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "能够作区分处理" in pdf_text and "6个月内" in pdf_text


def test_review_and_lawsuit_recorded_and_counted_in_table_4(page, live_server, live_district):
    base = live_server.url
    application = online(live_district["gaocun"], clock.today())
    login(page, base)
    open_case(page, base, application)
    act(
        page,
        "作出答复",
        lambda s: (
            s.get_by_label("答复类型").select_option("process_info"),
            s.get_by_label("答复内容").fill("所申请信息属于过程性信息，不予公开。"),
        ),
    )
    today = clock.today().isoformat()

    def file_case(kind, body, reference):
        cases = page.locator("details", has=page.get_by_text("登记复议或诉讼案件"))
        cases.locator("summary").click()
        cases.get_by_label("类别").select_option(kind)
        cases.get_by_label("复议机关或人民法院").fill(body)
        cases.get_by_label("案号").fill(reference)
        cases.get_by_label("申请或起诉日期").fill(today)
        cases.get_by_role("button", name="登记案件").click()
        page.wait_for_load_state()
        assert "复议、诉讼案件已登记" in page.get_by_role("alert").first.inner_text()

    file_case("review", "威海市文登区人民政府", "文政复〔2026〕1号")
    item = page.locator("#cases-heading + ul li").first
    assert "尚未审结" in item.inner_text()
    item.get_by_label("审结结果").select_option("corrected")
    item.get_by_label("审结日期").fill(today)
    item.get_by_role("button", name="登记审结").click()
    page.wait_for_load_state()
    assert "审结结果已登记" in page.get_by_role("alert").first.inner_text()
    file_case("litigation_after_review", "威海市文登区人民法院", "（2026）鲁1003行初1号")

    cases = page.locator("#cases-heading + ul").inner_text()
    assert "行政复议 · 威海市文登区人民政府 · 文政复〔2026〕1号" in cases
    assert "纠正（撤销、变更、确认违法或责令重作）" in cases
    assert "行政诉讼（复议后起诉） · 威海市文登区人民法院" in cases and "尚未审结" in cases

    # Table 4 of this year's report, computed from these records.
    year = clock.today().year
    page.goto(f"{base}/workbench/agency/gaocun/reports/")
    page.get_by_role("button", name=f"编制{year}年度报告").click()
    page.wait_for_load_state()
    table4 = page.locator("#table-table4")
    assert table4.locator('input[name="table4.review.corrected"]').input_value() == "1"
    assert table4.locator('input[name="table4.review.total"]').input_value() == "1"
    after = 'input[name="table4.litigation_after_review.pending"]'
    assert table4.locator(after).input_value() == "1"


def test_home_warns_about_overdue_applications(page, live_server, live_district):
    base = live_server.url
    overdue = past_application(live_district, monday_weeks_ago(8))
    login(page, base)
    warning = page.locator("#deadline-warnings a", has_text=overdue.tracking_code)
    assert "list-group-item-danger" in (warning.get_attribute("class") or "")
    assert "已超期" in warning.inner_text()
    # The home page body passes axe (the shell's navbar is reported by the foundation's tests).
    violations = [v for v in axe_violations(page) if "nav-link" not in v and "navbar" not in v]
    assert violations == []
    warning.click()
    page.wait_for_url(f"{base}/workbench/applications/{overdue.pk}/")
