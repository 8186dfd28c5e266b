"""Public pages of the annual reports: only published versions, corrections visibly dated."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.core import clock
from gongkai.reports.services import (
    report_approve,
    report_publish,
    report_save_draft,
    report_start_correction,
    report_submit,
)
from tests.reports.test_services import finished, published
from tests.reports.test_tasks import immediate  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_an_unpublished_report_is_not_public(client, district, user_named):
    finished(user_named, district)
    assert client.get("/agency/songcun/reports/2023/").status_code == 404
    assert client.get("/agency/songcun/reports/2023/pdf/").status_code == 404
    assert "尚未在本平台发布" in client.get("/agency/songcun/reports/").content.decode()


def test_the_published_report_in_the_portal_layout_with_meta_tags(client, district, user_named):
    published(user_named, district)
    response = client.get("/agency/songcun/reports/2023/")
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        '<meta name="ArticleTitle" content="威海市文登区宋村镇人民政府2023年政府信息公开工作年度报告">'
        in html
    )
    assert '<meta name="ContentSource" content="威海市文登区宋村镇人民政府">' in html
    assert '<meta name="ColumnName" content="政府信息公开年报">' in html
    assert '<meta name="SiteName"' in html  # the platform's own tags from the base layout
    assert '<article class="gk-report"' in html
    assert "三、本年度办理结果" in html
    assert "2024年1月25日" in html


@pytest.mark.usefixtures("immediate")
def test_docx_and_pdf_downloads(client, district, user_named, django_capture_on_commit_callbacks):
    # Publishing queues both files (here huey runs jobs inline); the background rendering and
    # its waiting page are tested in test_reports_files.py.
    with django_capture_on_commit_callbacks(execute=True):
        published(user_named, district)
    pdf = client.get("/agency/songcun/reports/2023/pdf/")
    assert pdf.status_code == 200 and pdf.getvalue().startswith(b"%PDF")
    assert "attachment" in pdf["Content-Disposition"]
    docx = client.get("/agency/songcun/reports/2023/docx/")
    assert docx.status_code == 200 and docx.getvalue()[:2] == b"PK"
    assert client.get("/agency/songcun/reports/2023/exe/").status_code == 404


def test_a_correction_shows_the_latest_version_and_the_dated_note(client, district, user_named):
    record = published(user_named, district)
    report_start_correction(
        actor=user_named("songcun_admin"), record=record, change_note="更正第五部分的错别字"
    )
    report_save_draft(
        actor=user_named("songcun_clerk"), record=record, sections={"5": "更正后的问题和措施。"}
    )
    report_submit(actor=user_named("songcun_admin"), record=record)
    report_approve(actor=user_named("wendeng_supervisor"), record=record)
    with clock.frozen(dt.date(2024, 2, 6)):
        report_publish(actor=user_named("songcun_admin"), record=record)
    html = client.get("/agency/songcun/reports/2023/").content.decode()
    assert "更正后的问题和措施。" in html
    assert "2024年2月6日更正（第2版）：更正第五部分的错别字" in html
    listing = client.get("/agency/songcun/reports/").content.decode()
    assert "2024年2月6日更正（第2版）：更正第五部分的错别字" in listing
    first = client.get("/agency/songcun/reports/2023/?version=1").content.decode()
    assert "您正在查看已被更正的第1版" in first
    assert "更正后的问题和措施。" not in first
    assert client.get("/agency/songcun/reports/2023/?version=9").status_code == 404


def test_the_district_list_groups_reports_by_year(client, district, user_named):
    published(user_named, district, year=2022)
    published(user_named, district, slug="gaocun", year=2023)
    html = client.get("/reports/").content.decode()
    assert html.index("2023年度") < html.index("2022年度")
    assert "威海市文登区高村镇人民政府2023年政府信息公开工作年度报告" in html
    assert "威海市文登区宋村镇人民政府2022年政府信息公开工作年度报告" in html


def test_unknown_agency_is_404(client, district):
    assert client.get("/agency/nowhere/reports/").status_code == 404
