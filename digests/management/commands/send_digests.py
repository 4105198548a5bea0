"""Send (or preview) the digests due now, by hand.

    python manage.py send_digests --frequency weekly [--dry-run] [--now 2025-06-09T09:00+08:00]

In the embedded default (no REDIS_URL) the batches run in this process and every outcome is
printed; with a broker they are enqueued for the workers. Running it twice sends nothing twice.

--dry-run runs exactly what a real run would (default preferences for members who have none,
claiming, building, rendering each mail) inside a transaction that is rolled back, with the mails
collected instead of sent: so it lists exactly the mails the real run would send.
"""

import datetime as dt

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from digests import selectors
from digests.models import Frequency
from digests.services import digest_batch_send, digest_preferences_create_missing
from digests.tasks import send_digest_batch


def _parse_now(value: str | None) -> dt.datetime:
    if not value:
        return timezone.now()
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--now: not an ISO 8601 date-time: {value!r}") from exc
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)  # in TIME_ZONE (Asia/Shanghai)
    return moment


def _counts(counts: dict) -> str:
    return ", ".join(f"{key} {n}" for key, n in counts.items()) or "-"


class CollectingBackend(BaseEmailBackend):
    """A mail connection that keeps what it is given: the dry run's 'sent' mails."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.messages = []

    def send_messages(self, email_messages):
        self.messages.extend(email_messages)
        return len(email_messages)


class Command(BaseCommand):
    help = "Send the daily or weekly digests that are due (or preview them with --dry-run)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--frequency", required=True, choices=[Frequency.DAILY, Frequency.WEEKLY]
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="print what would be sent; send nothing"
        )
        parser.add_argument(
            "--now", help="act as if it were this ISO 8601 time (default: now)", default=None
        )

    def handle(self, *args, frequency, dry_run, now, **options):
        now = _parse_now(now)
        self.stdout.write(
            f"{frequency} digests due by {now.isoformat()}"
            + (" (dry run: nothing is sent or recorded)" if dry_run else "")
        )
        if not dry_run:
            self._run(frequency, now)
            return
        outbox = CollectingBackend()
        with transaction.atomic():
            self._run(frequency, now, outbox=outbox)
            transaction.set_rollback(True)  # record nothing

    def _run(self, frequency, now, *, outbox=None):
        dry_run = outbox is not None
        in_process = dry_run or bool(send_digest_batch.app.conf.task_always_eager)
        digest_preferences_create_missing(now=now)
        totals = {"sent": 0, "skipped": 0, "failed": 0, "settled before": 0, "busy": 0}
        enqueued = 0
        for user_ids in selectors.digest_due_user_id_batches(
            now=now, frequency=frequency, size=settings.DIGEST_BATCH_SIZE
        ):
            if in_process:
                self._send(frequency, user_ids, now, totals, outbox=outbox)
            else:
                send_digest_batch.delay(frequency, user_ids, now.isoformat())
                enqueued += len(user_ids)
        if enqueued:
            self.stdout.write(f"enqueued {enqueued} members for the Celery workers")
            return
        verb = "would send" if dry_run else "sent"
        self.stdout.write(
            f"{verb} {totals['sent']}, skipped {totals['skipped']} (nothing new), "
            f"failed {totals['failed']}, settled before {totals['settled before']}, "
            f"being sent elsewhere {totals['busy']}"
        )

    def _send(self, frequency, user_ids, now, totals, *, outbox=None):
        collected = len(outbox.messages) if outbox is not None else 0
        result = digest_batch_send(
            frequency=frequency, user_ids=user_ids, now=now, connection=outbox
        )
        subjects = {}
        if outbox is not None:
            subjects = {m.to[0]: m.subject for m in outbox.messages[collected:] if m.to}
        labels = {"sent": "sent", "skipped": "skipped"}
        if outbox is not None:
            labels = {"sent": "would send", "skipped": "would skip"}
        for label, outcomes in (
            ("sent", result.sent),
            ("skipped", result.skipped),
            ("failed", result.failed + result.gave_up),
            ("settled before", result.already),
            ("busy", result.busy),
        ):
            for outcome in outcomes:
                totals[label] += 1
                detail = outcome.error or _counts(outcome.counts)
                if outcome.email in subjects:
                    detail += f" «{subjects[outcome.email]}»"
                shown = labels.get(label, label)
                self.stdout.write(f"  {shown}: {outcome.period} {outcome.email}: {detail}")
