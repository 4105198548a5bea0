import re

import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_the_schema_validates_without_warnings(tmp_path):
    out = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))

    schema = yaml.safe_load(out.read_text())
    paths = set(schema["paths"])
    assert {
        "/api/v1/categories/",
        "/api/v1/questions/",
        "/api/v1/questions/{id}/",
        "/api/v1/questions/{id}/answers/",
        "/api/v1/answers/{id}/",
        "/api/v1/answers/{id}/vote/",
        "/api/v1/me/",
        "/api/v1/jobs/",
        "/api/v1/jobs/{id}/",
        "/api/v1/jobs/{id}/submit/",
        "/api/v1/jobs/{id}/archive/",
        "/api/v1/jobs/mine/",
    } <= paths


def test_the_schema_is_served_and_declares_errors_and_auth(api):
    response = api.get("/api/schema/?format=json")

    schema = response.json()
    assert response.status_code == 200
    assert schema["components"]["securitySchemes"]["tokenAuth"]["scheme"] == "bearer"
    vote = schema["paths"]["/api/v1/answers/{id}/vote/"]["post"]
    assert {"200", "400", "401", "403", "404", "429"} <= set(vote["responses"])
    assert vote["responses"]["429"]["headers"]["Retry-After"]
    assert schema["components"]["schemas"]["VoteRequest"]["additionalProperties"] is False
    assert "PaginatedQuestionList" in schema["components"]["schemas"]


def test_docs_render_from_local_assets_only(client):
    response = client.get("/api/docs/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "swagger-ui" in html
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls
    assert all(url.startswith("/") for url in urls), urls
    assert "<style" not in html
    assert "<script>" not in html  # no inline script: the CSP forbids it
    assert "cdn" not in html.lower()
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_docs_init_script_is_a_separate_file(client):
    response = client.get("/api/docs/?script=")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in response.content.decode()


def test_docs_static_assets_exist(client):
    html = client.get("/api/docs/").content.decode()
    from django.contrib.staticfiles import finders

    for url in re.findall(r'(?:src|href)="/static/([^"?]+)', html):
        assert finders.find(url), url
