"""A clerk checks published reports in the workbench: uploads one, pastes another, sees the
offending cells marked beside the findings, and exports the findings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import DEMO_PASSWORD

FIXTURES = Path(__file__).resolve().parents[1] / "reports" / "checker" / "fixtures"

pytestmark = pytest.mark.urls("tests.reports.checker.urls")


def test_clerk_checks_reports_and_exports_the_findings(
    page: Any, live_server: Any, live_district: Any
) -> None:
    page.goto(live_server.url + "/workbench/reports/checker/")
    page.get_by_label("用户名").fill("songcun_clerk")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(live_server.url + "/workbench/reports/checker/")

    page.get_by_label("报告文件").set_input_files(str(FIXTURES / "sums_off.html"))
    page.get_by_label("或粘贴报告文字").fill((FIXTURES / "table_missing.html").read_text())
    page.get_by_role("button", name="开始检查").click()

    sums = page.get_by_role("region", name="sums_off.html：示例市清河区柳泉镇人民政府 2023年度")
    assert sums.locator("[data-rule='T3-TOTAL-COLUMN']").count() == 2  # two rows
    marked = sums.locator("td.table-danger[data-cell='table3.new_received.total']")
    assert marked.count() == 1
    pasted = page.get_by_role("region", name="粘贴的文本：示例市清河区柳泉镇人民政府 2023年度")
    assert pasted.locator("[data-rule='TABLE-MISSING']").count() == 1

    from tests.browser.conftest import axe_violations

    # The shared workbench navigation (workbench/base.html) has a contrast issue of its own.
    assert [v for v in axe_violations(page) if "'.nav-link'" not in v] == []

    with page.expect_download() as download:
        page.get_by_role("link", name="导出检查结果（Excel）").click()
    assert download.value.suggested_filename == "report-check.xlsx"
