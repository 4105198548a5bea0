import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.db import connection

from tests.factories import UserFactory


def pytest_collection_modifyitems(config, items):
    """`postgres` tests need PostgreSQL and `redis` tests a Redis broker; skip them elsewhere,
    saying why, so the SQLite run stays green and the CI's PostgreSQL run exercises them."""
    on_postgres = connection.vendor == "postgresql"
    has_redis = bool(os.environ.get("REDIS_URL"))
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="needs DATABASE_URL=postgres://…"))
        if "redis" in item.keywords and not has_redis:
            item.add_marker(pytest.mark.skip(reason="needs REDIS_URL=redis://…"))


@pytest.fixture(autouse=True)
def _tasks_run_in_process(request):
    """Tasks run eagerly inside each test's transaction, even when REDIS_URL names a broker;
    tests marked `live_worker` send them to a real Celery worker instead."""
    from llmprep.celery import app

    if "live_worker" in request.keywords:
        yield
        return
    saved = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved


def _database_url_for_the_test_database() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def live_celery_worker(transactional_db):
    """A real `celery worker` process on the Redis broker and the PostgreSQL test database.
    Data must be committed for it to see (hence transactional_db). The test process sends its
    tasks to the worker's own queue; `worker.output()` is what the worker logged (console mail
    included)."""
    from llmprep.celery import app

    if connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"):
        pytest.skip("needs PostgreSQL and REDIS_URL")
    queue = f"test-{uuid.uuid4().hex[:10]}"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url_for_the_test_database(),
        "EMAIL_URL": "consolemail://",
        "PYTHONUNBUFFERED": "1",
    }
    log = Path(os.environ.get("TMPDIR", "/tmp")) / f"celery-{queue}.log"
    with log.open("w") as out:
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "llmprep",
                "worker",
                "-P",
                "solo",
                "-Q",
                queue,
                "-n",
                f"{queue}@%h",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=INFO",
            ],
            cwd=Path(__file__).resolve().parent.parent,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    saved_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    app.conf.task_always_eager = False
    try:
        deadline = time.monotonic() + 60
        while "ready." not in log.read_text():
            if worker.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"celery worker did not start:\n{log.read_text()}")
            time.sleep(0.2)
        yield SimpleNamespace(queue=queue, output=log.read_text)
    finally:
        app.conf.task_default_queue = saved_queue
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


@pytest.fixture
def wait_until():
    def wait(condition, timeout=30.0, interval=0.2):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return True
            time.sleep(interval)
        return condition()

    return wait


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2's deliberate slowness would dominate the suite's run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _isolated_cache():
    # allauth's rate limits and other cached state must not leak between tests.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def member(db):
    return UserFactory()


@pytest.fixture
def other_member(db):
    return UserFactory()


@pytest.fixture
def moderator(db):
    from accounts.roles import MODERATORS
    from accounts.services import user_grant_role

    user = UserFactory()
    user_grant_role(user=user, role=MODERATORS)
    return user


@pytest.fixture
def recruiter(db):
    from accounts.roles import RECRUITERS
    from accounts.services import user_grant_role

    user = UserFactory()
    user_grant_role(user=user, role=RECRUITERS)
    return user
