import pytest

pytestmark = pytest.mark.django_db


def test_home_lists_the_district_agencies(client, district):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "威海市文登区宋村镇人民政府" in html
    assert '<meta name="SiteName"' in html
    assert 'href="#main"' in html  # skip link


def test_agency_page_shows_the_profile(client, district):
    html = client.get("/agency/songcun/").content.decode()
    assert "威海市文登区宋村镇昌阳路10号" in html and "历史风韵 文化宋村" in html


def test_unknown_pages_get_a_chinese_404(client, district):
    response = client.get("/agency/nowhere/")
    assert response.status_code == 404 and "页面不存在" in response.content.decode()
    assert client.get("/no/such/page/").status_code == 404


def test_elderly_mode_is_a_cookie_and_enlarges_the_page(client, district):
    response = client.get("/elderly/?on=1&next=/agency/songcun/")
    assert response.status_code == 302 and response["Location"] == "/agency/songcun/"
    assert 'class="elderly-mode' in client.get("/").content.decode()
    client.get("/elderly/?on=0")
    assert 'class="elderly-mode' not in client.get("/").content.decode()


def test_elderly_mode_refuses_open_redirects(client, district):
    assert client.get("/elderly/?on=1&next=https://evil.example/")["Location"] == "/"


def test_security_headers_are_set(client, district):
    response = client.get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_health_endpoint_checks_the_database(client, district):
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}


def test_database_down_gives_a_chinese_503(client, district, monkeypatch):
    from django.db import OperationalError

    from gongkai.portal import views

    def broken(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(views, "agencies_public", broken)
    response = client.get("/")
    assert response.status_code == 503
    assert "系统暂时无法访问" in response.content.decode() and response["Retry-After"] == "30"
    monkeypatch.setattr(views, "database_ok", lambda: False)
    assert client.get("/healthz").status_code == 503
