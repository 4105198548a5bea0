"""Send (or preview) the digests due now, by hand.

    python manage.py send_digests --frequency weekly [--dry-run] [--now 2025-06-09T09:00+08:00]

In the embedded default (no REDIS_URL) the batches run in this process and every outcome is
printed; with a broker they are enqueued for the workers. Running it twice sends nothing twice.
"""

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from digests import selectors
from digests.building import digests_preview
from digests.mail import digest_email
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
        in_process = bool(send_digest_batch.app.conf.task_always_eager) or dry_run
        self.stdout.write(
            f"{frequency} digests due by {now.isoformat()}"
            + (" (dry run: nothing is sent or recorded)" if dry_run else "")
        )
        if not dry_run:
            digest_preferences_create_missing(now=now)
        totals = {"sent": 0, "skipped": 0, "failed": 0, "settled before": 0, "busy": 0}
        enqueued = 0
        for user_ids in selectors.digest_due_user_id_batches(
            now=now, frequency=frequency, size=settings.DIGEST_BATCH_SIZE
        ):
            if dry_run:
                self._preview(frequency, user_ids, now, totals)
            elif in_process:
                self._send(frequency, user_ids, now, totals)
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

    def _preview(self, frequency, user_ids, now, totals):
        for preview in digests_preview(frequency=frequency, user_ids=user_ids, now=now):
            plan, digest = preview.plan, preview.digest
            where = f"{plan.period} {plan.user.email}"
            if digest is None:
                state = "busy" if preview.delivery_status == "claimed" else "settled before"
                totals[state] += 1
                self.stdout.write(f"  {state}: {where} ({preview.delivery_status})")
            elif digest.should_send:
                totals["sent"] += 1
                subject = digest_email(digest).subject
                self.stdout.write(f"  would send: {where}: {_counts(digest.counts)} «{subject}»")
            else:
                totals["skipped"] += 1
                self.stdout.write(f"  would skip: {where}: nothing new")

    def _send(self, frequency, user_ids, now, totals):
        result = digest_batch_send(frequency=frequency, user_ids=user_ids, now=now)
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
                self.stdout.write(f"  {label}: {outcome.period} {outcome.email}: {detail}")
