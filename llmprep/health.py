"""/healthz: is this instance able to serve? Checks the database, and the cache and broker
where Redis is configured. 200 with {"status": "ok"} or 503 with the failing checks."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def _check_database() -> None:
    for conn in connections.all():
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()


def _check_cache() -> None:
    cache.set("healthz", "ok", timeout=10)
    if cache.get("healthz") != "ok":
        raise RuntimeError("cache did not return the value it was given")


def _check_broker() -> None:
    from llmprep.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


def _checks():
    yield "database", _check_database
    if settings.REDIS_URL:
        yield "cache", _check_cache
        yield "broker", _check_broker


@never_cache
@require_GET
def healthz(request):
    results = {}
    healthy = True
    for name, check in _checks():
        try:
            check()
        except Exception as exc:  # any failure means "not healthy", never a 500
            logger.warning("health check %s failed: %s", name, exc)
            results[name] = "error"
            healthy = False
        else:
            results[name] = "ok"
    body = {"status": "ok" if healthy else "error", "checks": results}
    return JsonResponse(body, status=200 if healthy else 503)
