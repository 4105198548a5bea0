import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-" + "x7Kq9zR2mW4pL8vN" * 3,
    "DJANGO_ALLOWED_HOSTS": "llmprep.example.com",
    "SITE_URL": "https://llmprep.example.com",
}


def _manage(*args, env_overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_under_production_variables():
    done = _manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=PRODUCTION_ENV)

    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}

    done = _manage("check", env_overrides=env)

    assert done.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in done.stderr


def test_debug_is_on_by_default_for_the_embedded_site():
    done = _manage(
        "shell", "-c", "from django.conf import settings; print(settings.DEBUG)", env_overrides={}
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "True"
