import pytest

pytestmark = pytest.mark.django_db


def test_openapi_document_is_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/agencies" in response.json()["paths"]


def test_agencies_list_and_detail(client, district):
    slugs = [a["slug"] for a in client.get("/api/v1/agencies").json()]
    assert slugs[0] == "wendeng" and "songcun" in slugs
    detail = client.get("/api/v1/agencies/songcun").json()
    assert detail == {
        "slug": "songcun",
        "name": "威海市文登区宋村镇人民政府",
        "short_name": "宋村镇",
        "level": "township",
        "parent": "wendeng",
    }
    assert client.get("/api/v1/agencies/nowhere").status_code == 404


def test_workdays_endpoint_explains_itself(client):
    body = client.get("/api/v1/workdays/add?start=2024-02-05&days=20").json()
    assert body["due_date"] == "2024-03-08" and body["provisional"] is False
    assert body["explanation"][-1].startswith("届满日")
    assert client.get("/api/v1/workdays/add?start=2024-02-05&days=-1").status_code == 422
    # The last days of the calendar: a clear 422, not a 500.
    end = client.get("/api/v1/workdays/add?start=9999-12-25&days=10")
    assert end.status_code == 422 and "超出" in end.json()["detail"]


def test_database_errors_become_a_chinese_503(client, monkeypatch):
    from django.db import OperationalError

    from gongkai.api import v1

    def broken():
        raise OperationalError("connection refused")

    monkeypatch.setattr(v1, "agencies_public", broken)
    response = client.get("/api/v1/agencies")
    assert response.status_code == 503 and "未被保存" in response.json()["detail"]


def test_interactive_documentation_is_served_from_our_own_origin(client):
    page = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn.jsdelivr.net" not in page
