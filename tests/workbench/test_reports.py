"""Workbench pages of the annual report: draft, edit, check, import, review, publish, download."""

from __future__ import annotations

import io

import pytest

from gongkai.reports.models import ReportRecord, ReportVersion
from gongkai.reports.renderers.xlsx import render_xlsx
from gongkai.reports.selectors import record_value
from gongkai.reports.states import Status
from gongkai.reports.value import Table3
from tests.reports.test_services import FINISHED, finished, new_draft, published
from tests.reports.test_tasks import immediate  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def edit_url(slug: str = "songcun", year: int = 2023) -> str:
    return f"/workbench/agency/{slug}/reports/{year}/"


def form_data(record: ReportRecord, **cells: str) -> dict[str, str]:
    value = record_value(record)
    data = {f"section-{number}": text for number, text in value.sections.items()}
    for name in ("table2", "table3", "table4"):
        for path, cell in getattr(value, name):
            data[f"{name}.{path}"] = "" if cell is None else str(cell)
    data.update(cells)
    return data


def test_year_list_and_draft_creation(login, district):
    client = login("songcun_clerk")
    page = client.get("/workbench/agency/songcun/reports/")
    assert page.status_code == 200
    assert "编制2023年度报告" in page.content.decode()
    response = client.post("/workbench/agency/songcun/reports/2023/create/")
    assert response.status_code == 302 and response["Location"] == edit_url()
    assert ReportRecord.objects.get(agency=district["songcun"], year=2023).status == Status.DRAFT


def test_another_agencys_staff_cannot_open_or_create(login, district, user_named):
    new_draft(user_named, district)
    client = login("gaocun_clerk")
    assert client.get(edit_url()).status_code == 403
    assert client.post("/workbench/agency/songcun/reports/2022/create/").status_code == 403
    assert not ReportRecord.objects.filter(year=2022).exists()


def test_edit_page_lays_out_the_tables_with_labelled_inputs(login, district, user_named):
    new_draft(user_named, district)
    page = login("songcun_clerk").get(edit_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="table3.granted.natural_person"' in html
    assert (
        '<label class="visually-hidden" for="cell-table3-granted-natural_person">表三“（一）予以公开”行“自然人”列</label>'
        in html
    )
    assert 'rowspan="22"' in html  # 三、本年度办理结果
    assert "report_tables.js" in html and "<script>" not in html
    assert "【待填写" in html  # the prompts are visible, and block submission
    assert "以下部分还有“【待填写】”的内容未完成" in html


def test_saving_recomputes_totals_and_keeps_the_text(login, district, user_named):
    record = new_draft(user_named, district)
    client = login("songcun_clerk")
    data = form_data(
        record,
        **{
            "section-5": "本年度的问题和改进措施。",
            "table3.new_received.business": "2",
            "table3.granted.business": "2",
            "table3.new_received.total": "999",
        },
    )
    response = client.post(edit_url(), {**data, "action": "save"})
    assert response.status_code == 302
    value = record_value(ReportRecord.objects.get(pk=record.pk))
    assert value.sections["5"] == "本年度的问题和改进措施。"
    assert value.table3.cell("new_received", "total") == 2
    assert value.table3.cell("total_processed", "business") == 2


def test_an_invalid_cell_is_shown_beside_the_field_and_nothing_is_saved(
    login, district, user_named
):
    record = new_draft(user_named, district)
    before = ReportRecord.objects.get(pk=record.pk).draft
    response = login("songcun_clerk").post(
        edit_url(), {**form_data(record, **{"table4.review.upheld": "两件"}), "action": "save"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="cell-table4-review-upheld-error"' in html
    assert "表四“行政复议”“结果维持”填写的“两件”不是数字" in html
    assert 'value="两件"' in html
    assert ReportRecord.objects.get(pk=record.pk).draft == before


def test_the_check_endpoint_names_the_cells_without_saving(login, district, user_named):
    record = finished(user_named, district)
    response = login("songcun_clerk").post(
        edit_url() + "check/",
        form_data(record, **{"table3.granted.natural_person": "1"}),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "T3-BALANCE" in html
    assert 'href="#cell-table3-total_processed-natural_person"' in html
    assert (
        record_value(ReportRecord.objects.get(pk=record.pk)).table3.cell(
            "granted", "natural_person"
        )
        == 0
    )


def test_submit_refused_then_accepted(login, district, user_named):
    record = new_draft(user_named, district)
    client = login("songcun_admin")
    response = client.post(edit_url(), {**form_data(record), "action": "submit"}, follow=True)
    assert "已保存，但未能报送" in response.content.decode()
    assert ReportRecord.objects.get(pk=record.pk).status == Status.DRAFT
    data = form_data(record, **{f"section-{n}": t for n, t in FINISHED.items()})
    response = client.post(edit_url(), {**data, "action": "submit"}, follow=True)
    assert "年度报告已报送上级审核" in response.content.decode()
    assert ReportRecord.objects.get(pk=record.pk).status == Status.SUBMITTED


def test_a_clerk_sees_no_submit_button_and_cannot_submit(login, district, user_named):
    record = finished(user_named, district)
    client = login("songcun_clerk")
    assert "保存并报送审核" not in client.get(edit_url()).content.decode()
    client.post(edit_url() + "submit/")
    assert ReportRecord.objects.get(pk=record.pk).status == Status.DRAFT


def test_excel_export_and_import(login, district, user_named):
    record = finished(user_named, district)
    client = login("songcun_clerk")
    exported = client.get(edit_url() + "download/draft/xlsx/")
    assert exported.status_code == 200
    assert exported["Content-Type"].startswith("application/vnd.openxmlformats")
    value = record_value(record)
    cells = dict(value.table3.cells)
    cells.update(
        {
            "new_received.natural_person": 3,
            "new_received.total": 3,
            "granted.natural_person": 3,
            "granted.total": 3,
            "total_processed.natural_person": 3,
            "total_processed.total": 3,
        }
    )
    sheet = render_xlsx(value.__class__(**{**value.__dict__, "table3": Table3(cells)}))
    upload = io.BytesIO(sheet)
    upload.name = "tables.xlsx"
    response = client.post(edit_url() + "import/", {"tables_file": upload}, follow=True)
    assert "已从 Excel 表格导入" in response.content.decode()
    assert (
        record_value(ReportRecord.objects.get(pk=record.pk)).table3.cell(
            "granted", "natural_person"
        )
        == 3
    )
    bad = io.BytesIO(b"not excel")
    bad.name = "x.xlsx"
    response = client.post(edit_url() + "import/", {"tables_file": bad}, follow=True)
    assert "导入失败：表格“x.xlsx”的内容不是可接受的格式" in response.content.decode()


def test_supervision_page_lists_submitted_reports_and_late_agencies(login, district, user_named):
    record = finished(user_named, district)
    login("songcun_admin").post(edit_url() + "submit/")
    client = login("wendeng_supervisor")
    page = client.get("/workbench/reports/supervision/?year=2023")
    html = page.content.decode()
    assert page.status_code == 200
    assert "威海市文登区宋村镇人民政府2023年度报告" in html
    assert "逾期" in html and "未开始编制" in html
    response = client.post(
        edit_url() + "return/",
        {"comment": "", "next": "/workbench/reports/supervision/"},
        follow=True,
    )
    assert "请填写退回意见" in response.content.decode()
    client.post(edit_url() + "return/", {"comment": "请补充第五部分"})
    assert ReportRecord.objects.get(pk=record.pk).status == Status.RETURNED


def test_supervision_page_is_for_supervisors_only(login, district):
    assert login("songcun_admin").get("/workbench/reports/supervision/").status_code == 403


@pytest.mark.usefixtures("immediate")  # huey renders the DOCX and PDF inline
def test_approve_publish_and_download_versions(
    login, district, user_named, django_capture_on_commit_callbacks
):
    record = finished(user_named, district)
    login("songcun_admin").post(edit_url() + "submit/")
    supervisor = login("wendeng_supervisor")
    supervisor.post(edit_url() + "approve/", {"comment": ""})
    assert ReportRecord.objects.get(pk=record.pk).status == Status.APPROVED
    assert supervisor.post(edit_url() + "publish/").status_code == 302
    assert not ReportVersion.objects.exists()  # the supervisor may not publish
    admin = login("songcun_admin")
    response = admin.post(edit_url() + "publish/", follow=True)
    assert "年度报告已发布（第1版）" in response.content.decode()
    for file_format, magic in (("pdf", b"%PDF"), ("docx", b"PK"), ("json", b"{")):
        with django_capture_on_commit_callbacks(execute=True):
            download = admin.get(edit_url() + f"download/1/{file_format}/")
        if download.status_code == 202:  # 正在生成: the job ran when the request committed
            download = admin.get(edit_url() + f"download/1/{file_format}/")
        assert download.status_code == 200 and download.getvalue().startswith(magic)
    assert admin.get(edit_url() + "download/7/pdf/").status_code == 404
    assert admin.get(edit_url() + "download/1/exe/").status_code == 404


def test_correction_from_the_edit_page(login, district, user_named):
    record = published(user_named, district)
    admin = login("songcun_admin")
    response = admin.post(edit_url() + "correct/", {"change_note": ""}, follow=True)
    assert "请填写更正说明" in response.content.decode()
    admin.post(edit_url() + "correct/", {"change_note": "更正表四数据"})
    record.refresh_from_db()
    assert (record.status, record.pending_change_note) == (Status.DRAFT, "更正表四数据")
