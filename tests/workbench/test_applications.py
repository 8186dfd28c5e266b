import datetime as dt
import io

import pytest
from docx import Document

from gongkai.applications import services as s
from gongkai.applications.models import Application
from gongkai.audit.models import AuditEvent
from gongkai.core import clock
from gongkai.remedies.models import Case
from tests.applications.factories import RESIDENT_ID, online

pytestmark = pytest.mark.django_db

DAY = dt.date(2024, 2, 19)


@pytest.fixture
def app(district):
    return online(district["songcun"], dt.date(2024, 2, 5))


@pytest.fixture
def frozen():
    with clock.frozen(DAY):
        yield


def url(app, action=""):
    base = f"/workbench/applications/{app.pk}/"
    return base + (f"{action}/" if action else "")


def register_data(**overrides):
    data = {
        "agency": "",
        "channel": "in_person",
        "arrived_on": "",
        "received_on": DAY.isoformat(),
        "applicant_type": "natural_person",
        "applicant_name": "赵六",
        "contact_person": "",
        "id_type": "resident_id",
        "id_number": RESIDENT_ID,
        "phone": "13612345678",
        "email": "",
        "address": "威海市文登区宋村镇某村",
        "postcode": "",
        "description": "本村2023年土地征收补偿标准",
        "purpose": "",
        "form_wanted": "paper",
        "delivery": "post",
    }
    data.update(overrides)
    return data


# --- Queue and entry -----------------------------------------------------------------------------


def test_queue_lists_own_applications_with_masked_phone(login, app, frozen):
    html = login("songcun_clerk").get("/workbench/applications/").content.decode()
    assert app.tracking_code in html and "138****1234" in html and "13812341234" not in html
    assert "剩" in html


def test_queue_views_and_other_agencies(login, app):
    client = login("gaocun_clerk")
    assert app.tracking_code not in client.get("/workbench/applications/").content.decode()
    client = login("songcun_clerk")

    def listed(view):
        return (
            app.tracking_code
            in client.get(f"/workbench/applications/?view={view}").content.decode()
        )

    with clock.frozen(DAY):  # 14 working days left
        assert not listed("due_soon") and not listed("overdue")
    with clock.frozen(dt.date(2024, 3, 4)):  # 4 working days left
        assert listed("due_soon") and not listed("overdue")
    with clock.frozen(dt.date(2024, 3, 11)):
        assert listed("overdue") and not listed("due_soon")
        assert "已超期1个工作日" in client.get("/workbench/applications/").content.decode()


def test_queue_requires_login(client, district):
    assert client.get("/workbench/applications/")["Location"].startswith("/workbench/login/")


def test_staff_register_an_application_in_person(login, district, frozen):
    client = login("songcun_clerk")
    response = client.post(
        "/workbench/applications/new/", register_data(agency=district["songcun"].pk)
    )
    application = Application.objects.get()
    assert response["Location"] == url(application)
    assert application.channel == "in_person" and application.received_on == DAY
    assert AuditEvent.objects.filter(verb="application.received").count() == 1


def test_register_shows_the_receipt_date_rule_errors(login, district, frozen):
    client = login("songcun_clerk")
    response = client.post(
        "/workbench/applications/new/",
        register_data(agency=district["songcun"].pk, channel="post_ordinary"),
    )
    assert (
        response.status_code == 200
        and "平信邮寄的申请请填写来信到达日期" in response.content.decode()
    )
    response = client.post(
        "/workbench/applications/new/",
        register_data(agency=district["songcun"].pk, id_number="123", address=""),
    )
    html = response.content.decode()
    assert "居民身份证号码不正确" in html and "选择邮寄的，请填写通信地址" in html
    assert Application.objects.count() == 0


def test_register_for_another_agency_is_refused(login, district, frozen):
    client = login("songcun_clerk")
    response = client.post(
        "/workbench/applications/new/", register_data(agency=district["gaocun"].pk)
    )
    assert response.status_code == 200 and "请从列表中选择" in response.content.decode()
    assert login("wendeng_supervisor").get("/workbench/applications/new/").status_code == 403


# --- The case page -------------------------------------------------------------------------------


def test_case_page_shows_timeline_explanation_and_allowed_actions(login, app, frozen):
    html = login("songcun_clerk").get(url(app)).content.decode()
    assert "2024-03-08" in html and "春节放假" in html and "收到申请" in html
    assert "告知补正" in html and "作出答复" in html
    assert "收到补正" not in html  # not allowed in this state


def test_supervisor_reads_masked_and_cannot_act(login, app, frozen):
    client = login("wendeng_supervisor")
    html = client.get(url(app)).content.decode()
    assert "138****1234" in html and "只读" in html and "确认作出答复" not in html
    response = client.post(url(app, "withdraw"), {})
    assert response.status_code == 403
    app.refresh_from_db()
    assert app.status == "received"


def test_other_agencys_staff_get_404(login, app, frozen):
    assert login("gaocun_clerk").get(url(app)).status_code == 404
    assert login("gaocun_clerk").post(url(app, "withdraw"), {}).status_code == 404


ACTION_DATA = {
    "assign": {"assign-department": "__dept__"},
    "request_correction": {
        "request_correction-items": "请写明具体道路名称",
        "request_correction-correction_due": "2024-03-01",
    },
    "pause": {"pause-kind": "third_party", "pause-party": "某建材公司"},
    "extend": {
        "extend-approved_by": "__admin__",
        "extend-approved_on": DAY.isoformat(),
        "extend-notified_on": DAY.isoformat(),
        "extend-reason": "需调取档案",
    },
    "fee_notice": {"fee_notice-method": "by_pages", "fee_notice-quantity": "150"},
    "reply": {"reply-reply_type": "provide", "reply-text": "现提供如下。"},
    "transfer": {"transfer-to_agency": "__minzheng__"},
    "withdraw": {"withdraw-reason": "申请人撤回"},
}
EXPECTED = {
    "assign": "in_progress",
    "request_correction": "awaiting_correction",
    "pause": "awaiting_opinion",
    "extend": "received",
    "fee_notice": "awaiting_fee",
    "reply": "replied",
    "transfer": "replied",
    "withdraw": "withdrawn",
}


def _fill(data, district, user_named):
    values = {
        "__dept__": str(district["songcun"].departments.first().pk),
        "__admin__": str(user_named("songcun_admin").pk),
        "__minzheng__": str(district["minzheng"].pk),
    }
    return {k: values.get(v, v) for k, v in data.items()}


@pytest.mark.parametrize("action", sorted(ACTION_DATA))
def test_each_action_from_a_new_application(action, login, app, district, user_named, frozen):
    client = login("songcun_clerk")
    response = client.post(url(app, action), _fill(ACTION_DATA[action], district, user_named))
    assert response.status_code == 302, response.content.decode()[:2000]
    app.refresh_from_db()
    assert app.status == EXPECTED[action]
    assert app.events.count() == 2


WRONG_STATE = {
    "receive_correction": {},
    "resume": {},
    "fee_paid": {},
    "lapse": {},
    "close": {},
}


@pytest.mark.parametrize("action", sorted(WRONG_STATE))
def test_actions_in_the_wrong_state_are_refused(action, login, app, frozen):
    response = login("songcun_clerk").post(url(app, action), WRONG_STATE[action])
    assert response.status_code == 409
    assert "不能" in response.content.decode()
    assert app.events.count() == 1


def test_wrong_state_after_reply(login, app, district, user_named, frozen):
    client = login("songcun_clerk")
    client.post(url(app, "reply"), _fill(ACTION_DATA["reply"], district, user_named))
    for action in ("reply", "request_correction", "pause", "extend", "withdraw", "transfer"):
        response = client.post(url(app, action), _fill(ACTION_DATA[action], district, user_named))
        assert response.status_code == 409, action
    assert client.post(url(app, "close"), {}).status_code == 302


def test_follow_up_actions(login, app, frozen):
    client = login("songcun_clerk")
    client.post(url(app, "pause"), {"pause-kind": "other_agency", "pause-party": "区自然资源局"})
    assert client.post(url(app, "resume"), {"resume-note": "已复函"}).status_code == 302
    client.post(
        url(app, "fee_notice"), {"fee_notice-method": "by_pages", "fee_notice-quantity": "40"}
    )
    assert client.post(url(app, "fee_paid"), {}).status_code == 302
    app.refresh_from_db()
    assert app.status == "in_progress" and app.fee_amount == 100


def test_correction_cycle_and_lapse(login, app, district):
    client = login("songcun_clerk")
    with clock.frozen(dt.date(2024, 2, 6)):
        client.post(
            url(app, "request_correction"),
            {
                "request_correction-items": "请写明",
                "request_correction-correction_due": "2024-02-20",
            },
        )
    with clock.frozen(dt.date(2024, 2, 20)):
        response = client.post(url(app, "lapse"), {})
        assert response.status_code == 400 and "尚未届满" in response.content.decode()
    with clock.frozen(dt.date(2024, 2, 21)):
        assert client.post(url(app, "lapse"), {"lapse-reason": "逾期"}).status_code == 302
    app.refresh_from_db()
    assert app.outcome == "other_no_correction"


def test_receive_correction(login, app):
    client = login("songcun_clerk")
    with clock.frozen(dt.date(2024, 2, 6)):
        client.post(
            url(app, "request_correction"),
            {
                "request_correction-items": "请写明",
                "request_correction-correction_due": "2024-02-20",
            },
        )
        response = client.post(url(app, "receive_correction"), {"receive_correction-note": "已补"})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == "in_progress"


def test_invalid_form_input_is_shown_beside_the_field(login, app, frozen):
    response = login("songcun_clerk").post(url(app, "reply"), {"reply-reply_type": "provide"})
    assert response.status_code == 400 and "请填写答复内容" in response.content.decode()


def test_extension_approved_by_a_clerk_is_refused(login, app, user_named, frozen):
    response = login("songcun_clerk").post(
        url(app, "extend"),
        {
            "extend-approved_by": str(user_named("songcun_clerk").pk),
            "extend-approved_on": DAY.isoformat(),
            "extend-notified_on": DAY.isoformat(),
            "extend-reason": "x",
        },
    )
    assert response.status_code == 400 and "请从列表中选择" in response.content.decode()


def test_unknown_action_is_404(login, app, frozen):
    assert login("songcun_clerk").post(url(app, "explode"), {}).status_code == 404


# --- Notice and remedies -------------------------------------------------------------------------


def test_reply_notice_docx_has_the_remedies_wording(login, app, user_named, frozen):
    client = login("songcun_clerk")
    assert client.get(url(app) + "notice.docx").status_code == 302
    s.application_reply(
        actor=user_named("songcun_clerk"), application=app, reply_type="partial", text="部分公开。"
    )
    response = client.get(url(app) + "notice.docx")
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "政府信息公开申请答复告知书" in text and "60日内" in text and "6个月内" in text
    assert "第三十七条" in text and "张三：" in text
    assert login("gaocun_clerk").get(url(app) + "notice.docx").status_code == 404


def test_reply_notice_pdf_download(login, app, user_named, frozen):
    client = login("songcun_clerk")
    assert client.get(url(app) + "notice.pdf").status_code == 302
    s.application_reply(
        actor=user_named("songcun_clerk"), application=app, reply_type="partial", text="部分公开。"
    )
    response = client.get(url(app) + "notice.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"].endswith(f'{app.tracking_code}.pdf"')
    assert "下载告知书（PDF）" in client.get(url(app)).content.decode()
    assert login("gaocun_clerk").get(url(app) + "notice.pdf").status_code == 404


def test_fee_notice_downloads(login, app, user_named, frozen):
    client = login("songcun_clerk")
    assert client.get(url(app) + "fee-notice.pdf").status_code == 302
    s.application_fee_notice(
        actor=user_named("songcun_clerk"), application=app, method="by_pages", quantity=150
    )
    assert "下载缴费通知书（PDF）" in client.get(url(app)).content.decode()
    word = client.get(url(app) + "fee-notice.docx")
    assert word.status_code == 200 and word["Content-Disposition"].endswith('.docx"')
    text = "\n".join(p.text for p in Document(io.BytesIO(word.content)).paragraphs)
    assert "信息处理费缴费通知书" in text and "1700元" in text
    pdf = client.get(url(app) + "fee-notice.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert login("gaocun_clerk").get(url(app) + "fee-notice.pdf").status_code == 404


def test_remedies_case_entry_and_decision(login, app, frozen):
    client = login("songcun_clerk")
    response = client.post(
        url(app, "cases/new"),
        {"case-kind": "review", "case-body": "威海市文登区人民政府", "case-filed_on": "2024-02-19"},
    )
    assert response.status_code == 302
    case = Case.objects.get()
    response = client.post(
        f"/workbench/cases/{case.pk}/decide/",
        {f"case{case.pk}-outcome": "upheld", f"case{case.pk}-decided_on": "2024-02-19"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.outcome == "upheld"
    again = client.post(
        f"/workbench/cases/{case.pk}/decide/",
        {f"case{case.pk}-outcome": "other", f"case{case.pk}-decided_on": "2024-02-19"},
    )
    assert again.status_code == 409


def test_remedies_permissions(login, app, frozen):
    response = login("wendeng_supervisor").post(
        url(app, "cases/new"),
        {"case-kind": "review", "case-body": "区政府", "case-filed_on": "2024-02-19"},
    )
    assert response.status_code == 403 and Case.objects.count() == 0
    response = login("songcun_clerk").post(
        url(app, "cases/new"), {"case-kind": "review", "case-body": "", "case-filed_on": ""}
    )
    assert response.status_code == 400


def test_expired_corrections_are_listed_for_a_decision(login, app, user_named):
    with clock.frozen(dt.date(2024, 2, 6)):
        s.application_request_correction(
            actor=user_named("songcun_clerk"),
            application=app,
            items="请写明",
            correction_due=dt.date(2024, 2, 20),
        )
    client = login("songcun_clerk")
    with clock.frozen(dt.date(2024, 2, 21)):
        html = client.get("/workbench/applications/?view=expired").content.decode()
    assert app.tracking_code in html and "补正期限 2024-02-20" in html


def test_attachments_upload_and_download_for_handlers_only(login, app, frozen):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login("songcun_clerk")
    bad = client.post(url(app, "files"), {"file-file": SimpleUploadedFile("x.exe", b"MZ")})
    assert bad.status_code == 400 and "只接受" in bad.content.decode()
    upload = SimpleUploadedFile("身份证明.png", b"\x89PNG\r\n\x1a\nrest")
    assert client.post(url(app, "files"), {"file-file": upload}).status_code == 302
    attachment = app.attachments.get()
    response = client.get(url(app, f"files/{attachment.pk}"))
    assert response.status_code == 200 and response.content.startswith(b"\x89PNG")
    assert "attachment" in response["Content-Disposition"]
    assert login("wendeng_supervisor").get(url(app, f"files/{attachment.pk}")).status_code == 404
    assert login("gaocun_clerk").get(url(app, f"files/{attachment.pk}")).status_code == 404
