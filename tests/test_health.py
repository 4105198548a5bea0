import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_healthz_is_200_with_every_check_ok(client):
    response = client.get("/healthz")

    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
@pytest.mark.redis
def test_healthz_checks_cache_and_broker_when_redis_is_configured(client):
    body = client.get("/healthz").json()

    assert body["checks"] == {"database": "ok", "cache": "ok", "broker": "ok"}


def _healthz_in_a_process_with(env_overrides: dict) -> tuple[int, dict]:
    """Serve one /healthz request in a fresh process whose settings point at a dead service."""
    script = (
        "import django, json, os;"
        "django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz');"
        "print(json.dumps({'status': r.status_code, 'body': r.json()}))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "llmprep.settings", **env_overrides}
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result["status"], result["body"]


def test_healthz_is_503_when_the_database_is_unreachable(tmp_path):
    # A SQLite file inside a directory that does not exist cannot be opened: a real failure.
    status, body = _healthz_in_a_process_with(
        {"DATABASE_URL": f"sqlite:///{tmp_path}/missing-dir/db.sqlite3", "REDIS_URL": ""}
    )

    assert status == 503
    assert body == {"status": "error", "checks": {"database": "error"}}


def test_healthz_is_503_when_postgres_refuses_connections():
    # Port 1 on loopback has no server: the connection is refused.
    status, body = _healthz_in_a_process_with(
        {"DATABASE_URL": "postgres://postgres@127.0.0.1:1/llmprep", "REDIS_URL": ""}
    )

    assert status == 503
    assert body["checks"]["database"] == "error"


def test_healthz_is_503_when_the_broker_is_unreachable(tmp_path):
    status, body = _healthz_in_a_process_with(
        {"DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3", "REDIS_URL": "redis://127.0.0.1:1/0"}
    )

    assert status == 503
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["broker"] == "error"
    assert body["checks"]["cache"] == "error"
