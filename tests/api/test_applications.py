import pytest
from django.core.cache import cache

from gongkai.applications.models import Application
from gongkai.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

PAYLOAD = {
    "agency": "gaocun",
    "applicant_type": "natural_person",
    "applicant_name": "张三",
    "id_type": "resident_id",
    "id_number": "11010519491231002X",
    "phone": "13812345678",
    "description": "2023年高村镇农村道路维修工程的招标文件",
    "form_wanted": "electronic",
    "delivery": "email",
    "email": "zhangsan@example.com",
}


@pytest.fixture(autouse=True)
def _clear_cache(settings):
    settings.GONGKAI_APPLY_PER_HOUR = 100
    cache.clear()


def submit(client, **changes):
    return client.post(
        "/api/v1/applications", {**PAYLOAD, **changes}, content_type="application/json"
    )


def test_public_submission_returns_a_tracking_code_and_tracking_works(client, district):
    response = submit(client)
    assert response.status_code == 201
    body = response.json()
    application = Application.objects.get()
    assert body["tracking_code"] == application.tracking_code
    assert body["reply_due"] == application.reply_due.isoformat()
    assert AuditEvent.objects.filter(target_id=str(application.pk)).exists()
    tracked = client.get(
        "/api/v1/applications/track", {"code": body["tracking_code"], "phone": "13812345678"}
    ).json()
    assert tracked["agency"] == "威海市文登区高村镇人民政府" and tracked["status"] == "received"
    wrong = client.get("/api/v1/applications/track", {"code": body["tracking_code"], "phone": "1"})
    assert wrong.status_code == 404 and wrong.json()["detail"] == "查询码或联系电话不正确。"
    # The same through POST, with the phone number in the body rather than the URL.
    posted = client.post(
        "/api/v1/applications/track",
        {"code": body["tracking_code"], "phone": "13812345678"},
        content_type="application/json",
    )
    assert posted.status_code == 200 and posted.json()["status"] == "received"


def test_invalid_submissions_name_the_fields_in_chinese(client, district):
    response = submit(client, id_number="110105194912310021", phone="12")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "居民身份证号码不正确" in errors["id_number"] and "联系电话" in errors["phone"]
    assert submit(client, agency="nowhere").status_code == 404
    assert not Application.objects.exists()


def test_overlong_and_unencodable_text_is_refused_in_chinese(client, district):
    """The API has no form: the columns' own limits apply (PostgreSQL would raise), and a lone
    surrogate in the JSON is refused before anything is written."""
    response = submit(client, applicant_name="张" * 101, address="路" * 201, delivery="post")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "最多100个字" in errors["applicant_name"] and "最多200个字" in errors["address"]
    raw = (
        '{"agency": "gaocun", "applicant_type": "natural_person", "applicant_name": "\\ud800", '
        '"id_type": "resident_id", "id_number": "11010519491231002X", "phone": "13812345678", '
        '"description": "招标文件五个字", "form_wanted": "electronic", "delivery": "pickup"}'
    )
    response = client.post("/api/v1/applications", raw, content_type="application/json")
    assert response.status_code == 422
    assert not Application.objects.exists()


def test_a_rejected_submission_does_not_use_up_the_allowance(client, district, settings):
    settings.GONGKAI_APPLY_PER_HOUR = 1
    assert submit(client, phone="12").status_code == 400
    assert submit(client).status_code == 201
    assert submit(client).status_code == 429


def test_submissions_are_throttled_per_address(client, district, settings):
    settings.GONGKAI_APPLY_PER_HOUR = 10
    for _ in range(10):
        assert submit(client).status_code == 201
    response = submit(client)
    assert response.status_code == 429 and "过于频繁" in response.json()["detail"]


def test_staff_see_only_their_agencys_applications(client, district, login):
    submit(client)
    application = Application.objects.get()
    assert client.get("/api/v1/staff/applications").status_code == 401
    gaocun = login("gaocun_clerk")
    assert [c["id"] for c in gaocun.get("/api/v1/staff/applications").json()] == [application.pk]
    assert gaocun.get(f"/api/v1/staff/applications/{application.pk}").status_code == 200
    zeku = login("zeku_clerk")
    assert zeku.get("/api/v1/staff/applications").json() == []
    assert zeku.get(f"/api/v1/staff/applications/{application.pk}").status_code == 404


def test_staff_reply_sets_the_outcome_and_a_wrong_state_is_refused(client, district, login):
    submit(client)
    application = Application.objects.get()
    staff = login("gaocun_clerk")
    url = f"/api/v1/staff/applications/{application.pk}/reply"
    body = {"reply_type": "provide", "text": "经审查，现将所需信息以电子邮件方式提供。"}
    response = staff.post(url, body, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "replied" and response.json()["outcome"] == "granted"
    again = staff.post(url, body, content_type="application/json")
    assert again.status_code == 400
    other = login("zeku_clerk").post(url, body, content_type="application/json")
    assert other.status_code == 404
