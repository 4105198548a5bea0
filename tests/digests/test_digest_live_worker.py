"""A real Celery worker on Redis and PostgreSQL sends a planned batch, and a duplicate of that
batch sends nothing: every digest is recorded, and printed, once."""

import datetime as dt

import pytest

from digests.models import DigestDelivery
from digests.services import digest_plan
from digests.tasks import send_digest_batch
from tests.digests.factories import NOW, DigestPreferenceFactory, NewQuestionFactory


@pytest.mark.live_worker
@pytest.mark.postgres
@pytest.mark.redis
def test_a_real_worker_sends_each_planned_digest_once(live_celery_worker, wait_until, settings):
    settings.DIGEST_BATCH_SIZE = 2
    NewQuestionFactory(title="什么是 MoE？", published_at=NOW - dt.timedelta(days=1))
    members = [DigestPreferenceFactory().user for _ in range(3)]

    enqueued = digest_plan(now=NOW)  # two batches: [a, b] and [c]
    # The same batch delivered a second time (a duplicated or redelivered message).
    send_digest_batch.delay("weekly", [members[0].pk, members[1].pk], NOW.isoformat())
    all_ran = wait_until(lambda: live_celery_worker.output().count("succeeded in") == 3)
    output = live_celery_worker.output()

    assert enqueued == 3
    assert all_ran, output
    deliveries = DigestDelivery.objects.filter(user__in=members)
    assert deliveries.count() == 3
    assert set(deliveries.values_list("status", "attempts")) == {("sent", 1)}
    for member in members:
        assert output.count(f"To: {member.email}") == 1
