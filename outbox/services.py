"""The transactional outbox for mail that must not be lost.

`mail_enqueue()` renders the mail (in the recipient's language, with the state of the moment)
and stores it in the caller's transaction, so a decision and its mail commit together or not at
all. After the commit a task is asked to send it; if the broker is down, or the worker dies, the
minutely `mail_flush()` finds it. Sending is claim-then-send (a conditional UPDATE takes the row;
a claim older than OUTBOX_CLAIM_TIMEOUT may be taken over), so two workers never send one mail,
and every mail carries a Message-ID fixed by its row, so that in the one remaining window (a
worker killed between the SMTP server accepting a mail and the UPDATE after it) a resend is
recognisable as the same message.

Depends only on llmprep helpers: any app may queue mail here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from llmprep.emails import build_email
from outbox.models import OutboxMail

logger = logging.getLogger(__name__)

Status = OutboxMail.Status


def _message_id(key: str) -> str:
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"<outbox.{digest}@{domain}>"


def _dispatch(pk: int) -> None:
    from outbox.tasks import send_outbox_mail

    try:
        send_outbox_mail.delay(pk)
    except Exception:
        # Broker down, or (in-process) the mail server refused: the row stays pending and the
        # minutely flush sends it. The decision that queued it has already committed.
        logger.warning("outbox mail %s not sent now; the flush will retry", pk, exc_info=True)


def mail_enqueue(
    *,
    key: str,
    template: str,
    to: str,
    context: dict,
    language: str | None = None,
    headers: dict | None = None,
) -> OutboxMail | None:
    """Queue one templated mail under an idempotency `key` (e.g. "job-event:12:user:7"); a key
    already queued is not queued again. Call it inside the transaction of the decision."""
    if not to:
        return None
    if OutboxMail.objects.filter(key=key).exists():
        return None
    headers = {**(headers or {}), "Message-ID": _message_id(key)}
    message = build_email(template, to=[to], context=context, language=language, headers=headers)
    html = next((content for content, mime in message.alternatives if mime == "text/html"), "")
    with transaction.atomic():
        mail, created = OutboxMail.objects.get_or_create(
            key=key,
            defaults={
                "template": template,
                "to": to,
                "subject": message.subject[:300],
                "body_text": message.body,
                "body_html": html,
                "headers": headers,
            },
        )
    if not created:
        return None
    transaction.on_commit(lambda: _dispatch(mail.pk))
    return mail


def _claimable(now: dt.datetime):
    stale = now - dt.timedelta(seconds=settings.OUTBOX_CLAIM_TIMEOUT)
    return Q(status=Status.PENDING) & (Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale))


def mail_send(*, pk: int, now: dt.datetime | None = None) -> bool:
    """Claim the mail, send it, record it. Returns whether this call sent it. A failure
    releases the claim (so a retry can send it) and is raised to the caller."""
    now = now or timezone.now()
    token = uuid.uuid4().hex
    claimed = OutboxMail.objects.filter(_claimable(now), pk=pk).update(
        claim_token=token, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return False
    mail = OutboxMail.objects.get(pk=pk)
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.to],
        headers=mail.headers,
    )
    if mail.body_html:
        message.attach_alternative(mail.body_html, "text/html")
    try:
        message.send()
    except Exception as error:
        gave_up = mail.attempts >= settings.OUTBOX_MAX_ATTEMPTS
        OutboxMail.objects.filter(pk=pk, claim_token=token).update(
            claim_token="",
            claimed_at=None,
            last_error=repr(error)[:2000],
            status=Status.FAILED if gave_up else Status.PENDING,
        )
        raise
    OutboxMail.objects.filter(pk=pk, claim_token=token).update(
        status=Status.SENT,
        sent_at=timezone.now(),
        message_id=mail.headers.get("Message-ID", ""),
        claim_token="",
    )
    return True


def mail_flush(*, now: dt.datetime | None = None, older_than: int = 30, limit: int = 200) -> int:
    """Send pending mail that no task has sent (broker outage, dead worker). Returns how many
    were sent; a failure of one mail does not stop the others."""
    now = now or timezone.now()
    due = (
        OutboxMail.objects.filter(
            _claimable(now), created_at__lte=now - dt.timedelta(seconds=older_than)
        )
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    sent = 0
    for pk in list(due):
        try:
            sent += mail_send(pk=pk, now=now)
        except Exception:
            logger.warning("outbox mail %s failed; it stays queued", pk, exc_info=True)
    return sent
