"""docker-compose.yml cannot run here (no Docker engine), so it is checked by parsing it."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
APP_SERVICES = ("web", "worker", "beat")


def _compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def _variables_the_settings_read() -> set[str]:
    source = (ROOT / "llmprep" / "settings.py").read_text(encoding="utf-8")
    return set(re.findall(r"\benv(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]*)\"", source))


def test_the_settings_reader_finds_the_core_variables():
    # Guards the regex below against silently matching nothing.
    assert {
        "DATABASE_URL",
        "REDIS_URL",
        "EMAIL_URL",
        "DJANGO_SECRET_KEY",
        "DJANGO_DEBUG",
        "DJANGO_ALLOWED_HOSTS",
        "DEFAULT_FROM_EMAIL",
        "SITE_URL",
    } <= _variables_the_settings_read()


def test_compose_has_the_production_services():
    assert set(_compose()["services"]) == {"web", "worker", "beat", "db", "redis", "mail"}


def test_every_variable_the_app_services_pass_is_one_the_settings_read():
    known = _variables_the_settings_read()
    services = _compose()["services"]

    for name in APP_SERVICES:
        passed = set(services[name]["environment"])
        assert passed, name
        assert passed <= known, f"{name} passes variables the settings never read: {passed - known}"


def test_app_services_use_postgres_redis_and_production_mode():
    services = _compose()["services"]

    for name in APP_SERVICES:
        environment = services[name]["environment"]
        assert environment["DJANGO_DEBUG"] == "false"
        assert environment["DATABASE_URL"].startswith("postgres://")
        assert environment["REDIS_URL"].startswith("redis://redis:")
        assert "db" in services[name]["depends_on"]


def test_web_runs_gunicorn_and_the_workers_run_celery():
    services = _compose()["services"]

    assert "gunicorn llmprep.wsgi" in services["web"]["command"]
    assert services["worker"]["command"].startswith("celery -A llmprep worker")
    assert services["beat"]["command"].startswith("celery -A llmprep beat")


def test_no_secret_is_committed_in_the_compose_file():
    secret = _compose()["services"]["web"]["environment"]["DJANGO_SECRET_KEY"]

    assert secret.startswith("${DJANGO_SECRET_KEY:?")


def test_readme_documents_every_variable_the_settings_read():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")

    missing = {name for name in _variables_the_settings_read() if f"`{name}`" not in readme}
    assert not missing, f"README does not document: {sorted(missing)}"
