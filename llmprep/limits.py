"""Rate limits on actions, not on transports.

A service calls `limit_action("answer_create", user=author)` before it writes; the web form and
the API call the same service, so they share one limit. The counting is django-ratelimit's
(fixed windows in the cache, with per-key jitter), called with the member as the key instead of
a request. Rates live in settings.ACTION_RATE_LIMITS ("30/h", "10/m" …); an action not listed
there is not limited.

The cache is a helper, not a guard rail we may fall off: when it cannot be reached (Redis down
or hanging past its socket timeout) the action is allowed and a warning is logged, so an outage
of the cache never turns into an outage of posting.

Plain library code: imports no app.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django_ratelimit.core import get_usage

from llmprep.errors import RateLimited

logger = logging.getLogger(__name__)


def action_rate(action: str) -> str | None:
    return getattr(settings, "ACTION_RATE_LIMITS", {}).get(action)


def limit_action(action: str, *, user=None, key: str | None = None) -> None:
    """Count one `action` by `user` (or by an explicit `key`); raise RateLimited past the rate."""
    rate = action_rate(action)
    if not rate:
        return
    if key is None:
        if user is None or not getattr(user, "is_authenticated", False):
            return
        key = f"user:{user.pk}"
    try:
        usage = get_usage(
            None,
            group=f"action:{action}",
            key=lambda _group, _request: key,
            rate=rate,
            increment=True,
        )
    except Exception:  # the cache is unreachable: fail open, loudly.
        logger.warning("rate limit for %s not checked: cache unavailable", action, exc_info=True)
        return
    if usage is None or usage.get("limit", 0) == 0:
        # django-ratelimit reports a failed cache read as limit 0; treat it as open too.
        if usage is not None:
            logger.warning("rate limit for %s not checked: cache returned nothing", action)
        return
    if usage["should_limit"]:
        raise RateLimited(retry_after=max(1, int(usage["time_left"])))
