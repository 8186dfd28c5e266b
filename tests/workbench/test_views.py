import pytest
from django.test import override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.audit.models import AuditEvent
from gongkai.core.models import WorkdayOverride
from tests.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_workbench_requires_login(client, district):
    response = client.get("/workbench/")
    assert response.status_code == 302 and response["Location"].startswith("/workbench/login/")


def test_login_with_a_demo_account_shows_the_users_agencies(client, district):
    response = client.post(
        "/workbench/login/", {"username": "songcun_clerk", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/workbench/"
    html = client.get("/workbench/").content.decode()
    assert "威海市文登区宋村镇人民政府" in html and "信息员" in html
    assert "高村镇" not in html


def test_a_wrong_password_gets_a_chinese_message(client, district):
    response = client.post("/workbench/login/", {"username": "songcun_clerk", "password": "x"})
    assert response.status_code == 200 and "用户名或密码不正确" in response.content.decode()


def test_repeated_failures_lock_the_account(client, district, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/workbench/login/", {"username": "songcun_clerk", "password": "wrong"})
    response = client.post(
        "/workbench/login/", {"username": "songcun_clerk", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 429 and "暂时锁定" in response.content.decode()


@override_settings(GONGKAI_PRODUCTION=True)
def test_production_refuses_the_demo_password(client, district):
    response = client.post(
        "/workbench/login/", {"username": "songcun_clerk", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 200 and "禁止使用演示密码" in response.content.decode()


def test_administrators_enrol_and_use_totp_when_required(client, district, settings):
    settings.GONGKAI_REQUIRE_ADMIN_2FA = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp slows retries after a failure
    response = client.post(
        "/workbench/login/", {"username": "songcun_admin", "password": DEMO_PASSWORD}
    )
    assert response["Location"] == "/workbench/otp/"
    assert client.get("/workbench/")["Location"] == "/workbench/otp/"
    page = client.get("/workbench/otp/").content.decode()
    assert "扫描下方二维码" in page
    device = TOTPDevice.objects.get(user__username="songcun_admin")
    assert client.post("/workbench/otp/", {"token": "000000"}).status_code == 200
    token = f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"
    assert client.post("/workbench/otp/", {"token": token})["Location"] == "/workbench/"
    assert client.get("/workbench/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_clerks_are_not_asked_for_a_second_factor(client, district, settings):
    settings.GONGKAI_REQUIRE_ADMIN_2FA = True
    client.post("/workbench/login/", {"username": "songcun_clerk", "password": DEMO_PASSWORD})
    assert client.get("/workbench/").status_code == 200


def test_calendar_page_is_for_jurisdiction_admins(login):
    assert login("songcun_clerk").get("/workbench/calendar/").status_code == 403


def test_calendar_import_through_the_page(login):
    client = login("wendeng_admin")
    page = client.get("/workbench/calendar/").content.decode()
    assert "节假日安排" in page
    response = client.post(
        "/workbench/calendar/",
        {"text": "2027-02-06 休 春节\n2027-02-14 班", "source": "测试", "mark_years_entered": "on"},
    )
    assert response.status_code == 302
    assert WorkdayOverride.objects.count() == 2
    assert (
        AuditEvent.objects.filter(verb="calendar.imported").get().actor.username == "wendeng_admin"
    )
    bad = client.post("/workbench/calendar/", {"text": "2027-02-06 hello"})
    assert bad.status_code == 200 and "第1行无法识别" in bad.content.decode()
    assert WorkdayOverride.objects.count() == 2


def test_agency_profile_edit_by_its_admin_only(login):
    assert login("songcun_clerk").get("/workbench/agency/songcun/profile/").status_code == 403
    client = login("songcun_admin")
    assert client.get("/workbench/agency/gaocun/profile/").status_code == 403
    form = client.get("/workbench/agency/songcun/profile/").context["form"]
    data = {k: ("" if v is None else v) for k, v in form.initial.items()}
    data["office_hours"] = "工作日 8:30—17:30"
    assert client.post("/workbench/agency/songcun/profile/", data).status_code == 302
    assert AuditEvent.objects.filter(verb="agency.profile_updated").exists()
