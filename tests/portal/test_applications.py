import datetime as dt

import pytest
from django.core.cache import cache

from gongkai.applications.models import Application
from gongkai.applications.services import application_reply
from gongkai.core import clock
from tests.applications.factories import RESIDENT_ID, online

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def form_data(**overrides):
    data = {
        "applicant_type": "natural_person",
        "applicant_name": "王五",
        "contact_person": "",
        "id_type": "resident_id",
        "id_number": RESIDENT_ID,
        "phone": "13912345678",
        "email": "wangwu@example.com",
        "address": "",
        "postcode": "",
        "description": "本镇2024年度农村低保资金发放情况",
        "purpose": "",
        "form_wanted": "electronic",
        "delivery": "email",
        "website": "",
    }
    data.update(overrides)
    return data


def test_the_form_is_shown_for_an_agency(client, district):
    response = client.get("/agency/songcun/apply/")
    html = response.content.decode()
    assert response.status_code == 200 and "向威海市文登区宋村镇人民政府申请获取政府信息" in html
    assert 'for="id_id_number"' in html
    assert client.get("/agency/nowhere/apply/").status_code == 404


def test_submitting_online_shows_the_tracking_code(client, district):
    with clock.frozen(dt.date(2024, 2, 5)):
        response = client.post("/agency/songcun/apply/", form_data())
        assert response.status_code == 302
        assert response["Location"] == "/agency/songcun/apply/done/"
        page = client.get(response["Location"]).content.decode()
    application = Application.objects.get()
    assert application.received_on == dt.date(2024, 2, 5) and application.channel == "online"
    assert application.tracking_code in page and "2024年3月8日" in page


def test_errors_are_shown_in_chinese_beside_the_fields(client, district):
    response = client.post(
        "/agency/songcun/apply/",
        form_data(id_number="371081198001010011", phone="123", description=""),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "居民身份证号码不正确" in html and "联系电话不正确" in html
    assert "请填写所需政府信息" in html or "请描述所需政府信息" in html
    assert Application.objects.count() == 0


def test_the_honeypot_refuses_bots(client, district):
    response = client.post("/agency/songcun/apply/", form_data(website="http://spam.example"))
    assert response.status_code == 400 and Application.objects.count() == 0


def test_submissions_are_limited_per_address(client, district, settings):
    settings.GONGKAI_APPLY_PER_HOUR = 1
    assert client.post("/agency/songcun/apply/", form_data()).status_code == 302
    response = client.post("/agency/songcun/apply/", form_data())
    assert response.status_code == 429 and "提交过于频繁" in response.content.decode()
    assert Application.objects.count() == 1


def test_done_page_without_a_submission_goes_to_tracking(client, district):
    assert client.get("/agency/songcun/apply/done/")["Location"] == "/track/"


def test_tracking_needs_the_code_and_the_phone(client, district, user_named):
    application = online(district["songcun"], dt.date(2024, 2, 5))
    wrong = client.post("/track/", {"code": application.tracking_code, "phone": "13900000000"})
    assert "查询码或联系电话不正确" in wrong.content.decode()
    with clock.frozen(dt.date(2024, 2, 6)):
        page = client.post(
            "/track/", {"code": application.tracking_code, "phone": "13812341234"}
        ).content.decode()
    assert "已收到" in page and "2024年3月8日" in page and "起算日" in page
    with clock.frozen(dt.date(2024, 2, 20)):
        application_reply(
            actor=user_named("songcun_clerk"),
            application=application,
            reply_type="provide",
            text="现将所需信息提供给您。",
        )
    page = client.post(
        "/track/", {"code": application.tracking_code, "phone": "13812341234"}
    ).content.decode()
    assert "已答复" in page and "现将所需信息提供给您" in page and "行政复议" in page


def test_tracking_lookups_are_limited(client, district, settings):
    settings.GONGKAI_TRACK_PER_HOUR = 2
    for _ in range(2):
        assert client.post("/track/", {"code": "X", "phone": "1"}).status_code == 200
    assert client.post("/track/", {"code": "X", "phone": "1"}).status_code == 429


def test_the_public_deadline_calculator(client, district):
    page = client.get("/tools/deadline/", {"received": "2024-02-05"}).content.decode()
    assert "2024-03-08" in page and "春节放假" in page
    page = client.get(
        "/tools/deadline/",
        {"received": "2024-02-05", "correction_requested": "2024-02-06"},
    ).content.decode()
    assert "须同时填写" in page
    page = client.get("/tools/deadline/", {"received": "2024-13-01"}).content.decode()
    assert "日期格式不正确" in page


def test_an_attachment_can_come_with_the_online_form(client, district):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = client.post(
        "/agency/songcun/apply/",
        {**form_data(), "attachment": SimpleUploadedFile("a.pdf", b"not a pdf")},
    )
    assert bad.status_code == 200 and "内容与其格式不符" in bad.content.decode()
    good = client.post(
        "/agency/songcun/apply/",
        {**form_data(), "attachment": SimpleUploadedFile("a.pdf", b"%PDF-1.7")},
    )
    assert good.status_code == 302
    assert Application.objects.get().attachments.count() == 1
