import datetime as dt

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from digests.services import digest_batch_send, digest_plan


class DigestSendFailed(Exception):
    """Some digests of a batch could not be sent; the batch is retried for them."""


@shared_task(acks_late=True)
def plan_digests() -> int:
    """Hourly (CELERY_BEAT_SCHEDULE): enqueue the members whose digest is due."""
    return digest_plan(now=timezone.now())


@shared_task(bind=True, acks_late=True, max_retries=settings.DIGEST_MAX_ATTEMPTS - 1)
def send_digest_batch(self, frequency: str, user_ids: list[int], now: str) -> dict:
    """Send one batch. Idempotent: a duplicated, retried or redelivered run sends nothing twice.
    Failed sends are retried with exponential backoff (1, 2, 4, 8 minutes), their error kept on
    the delivery row."""
    result = digest_batch_send(
        frequency=frequency, user_ids=user_ids, now=dt.datetime.fromisoformat(now)
    )
    if result.failed:
        errors = "; ".join(f"{o.email}: {o.error}" for o in result.failed[:3])
        raise self.retry(
            exc=DigestSendFailed(f"{len(result.failed)} digests failed: {errors}"),
            countdown=60 * 2**self.request.retries,
        )
    return result.as_dict()
