import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/search/?q=%00",
        "/search/?q=%E5%85%AC%00%E5%BC%80",
        "/agencies/song%00cun/",
        "/applications/track/?code=A%00&phone=1",
    ],
)
def test_a_nul_character_in_a_page_address_is_a_chinese_400(client, district, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "请求中含有无效字符" in response.content.decode()


def test_a_nul_character_in_an_api_query_is_the_api_s_declared_422(client, district):
    response = client.get("/api/v1/applications/track?code=%00&phone=1")
    assert response.status_code == 422
    assert response.json()["detail"] == "请求参数不符合接口说明，请检查后重试。"


def test_ordinary_queries_pass(client, district):
    assert client.get("/search/?q=%E5%85%AC%E5%BC%80").status_code == 200
