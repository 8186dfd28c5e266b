"""A report file rendered in the background: the waiting page polls under the site's CSP."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from huey.contrib.djhuey import HUEY

from gongkai.core import clock
from gongkai.reports.models import RenderedFile
from tests.reports.test_services import published
from tests.reports.test_tasks import queue, run_queued  # noqa: F401 (fixture)


@pytest.mark.usefixtures("queue")
def test_the_waiting_page_turns_into_a_download(browser, live_server, live_district):
    users = get_user_model().objects
    published(lambda name: users.get(username=name), live_district)  # queues DOCX and PDF
    assert RenderedFile.objects.count() == 2
    # published() freezes the clock in January 2024; the jobs were queued just now.
    RenderedFile.objects.update(requested_at=clock.now())
    # A context that keeps the CSP: htmx must poll without any inline script.
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(60000)
    try:
        page.goto(live_server.url + "/agency/songcun/reports/2023/", wait_until="domcontentloaded")
        page.get_by_role("link", name="PDF 文件").click()
        page.get_by_text("正在生成PDF 文件，请稍候").wait_for()
        assert run_queued(HUEY) == 2  # the worker catches up
        page.get_by_text("PDF 文件已生成").wait_for()
        with page.expect_download() as download:
            page.get_by_role("link", name="下载PDF 文件").click()
        assert download.value.suggested_filename.endswith(".pdf")
    finally:
        context.close()
