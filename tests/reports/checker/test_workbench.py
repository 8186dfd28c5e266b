"""The workbench checker page: staff only, upload or paste, marked tables, XLSX export."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from tests.reports.checker.helpers import fixture

pytestmark = pytest.mark.urls("tests.reports.checker.urls")


def test_anonymous_users_are_sent_to_login(client: Any) -> None:
    response = client.get(reverse("workbench:reports_checker"))
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.django_db
def test_upload_shows_marked_tables_and_findings(login: Any) -> None:
    client = login("songcun_clerk")
    page = client.get(reverse("workbench:reports_checker"))
    assert page.status_code == 200
    assert "报告文件" in page.content.decode()
    upload = SimpleUploadedFile("sums_off.html", fixture("sums_off.html"), "text/html")
    response = client.post(
        reverse("workbench:reports_checker"),
        {"documents": [upload], "text": fixture("channel_sum.txt").decode()},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "T3-TOTAL-COLUMN" in html and "CHANNEL-SUM" in html
    assert 'data-cell="table3.new_received.total" class="table-danger"' in html
    assert "粘贴的文本" in html

    export = client.get(reverse("workbench:reports_checker_export"))
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("文件", "规则", "级别", "单元格", "说明")
    assert {"T3-TOTAL-COLUMN", "CHANNEL-SUM"} <= {row[1] for row in rows[1:]}


@pytest.mark.django_db
def test_empty_form_is_refused_in_chinese(login: Any) -> None:
    client = login("songcun_clerk")
    response = client.post(reverse("workbench:reports_checker"), {})
    assert "请上传报告文件或粘贴报告文字" in response.content.decode()


@pytest.mark.django_db
def test_export_without_results_goes_back_to_the_form(login: Any) -> None:
    client = login("songcun_clerk")
    response = client.get(reverse("workbench:reports_checker_export"))
    assert response.status_code == 302


def test_the_supervising_office_checks_every_report_of_the_year_at_once(district, login):
    from gongkai.demo.loaders import LOADERS

    for load in LOADERS:
        load(district)
    client = login("wendeng_supervisor")
    page = client.get("/workbench/reports/checker/").content.decode()
    assert "检查辖区全部年度报告" in page
    response = client.post("/workbench/reports/checker/subtree/", {"year": "2023"})
    html = response.content.decode()
    assert response.status_code == 200
    # 宋村镇's published 2023 report and 高村镇's submitted draft are both in the batch.
    assert "威海市文登区宋村镇人民政府 2023年 已发布第1版" in html
    assert "威海市文登区高村镇人民政府 2023年 工作稿（已报送）" in html
    export = client.get("/workbench/reports/checker/findings.xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd")
    empty = client.post("/workbench/reports/checker/subtree/", {"year": "2019"})
    assert "辖区内没有2019年度的报告" in empty.content.decode()


def test_staff_without_a_supervised_subtree_check_nothing_of_others(district, login):
    client = login("gaocun_clerk")
    assert "检查辖区全部年度报告" not in client.get("/workbench/reports/checker/").content.decode()
    response = client.post("/workbench/reports/checker/subtree/", {"year": "2023"})
    assert response.status_code == 403
