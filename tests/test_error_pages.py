import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=False)
def test_unknown_page_is_a_friendly_chinese_404(client):
    response = client.get("/没有这个页面/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在" in html
    assert '<html lang="zh-hans">' in html


@override_settings(DEBUG=False)
def test_unknown_api_path_is_a_json_404(client):
    response = client.get("/api/v1/nope/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"]["code"]


def test_the_500_page_renders_without_a_request_context():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")

    assert "Server error" in html
    assert "服务器出错了" in html


def test_favicon_ico_points_at_the_shipped_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")
