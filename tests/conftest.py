import os

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
