"""Mail to authors about moderation decisions, sent at most once per decision."""

from django.db import transaction
from django.utils import timezone

from llmprep.emails import send_email
from questions.models import ModerationLog


def moderation_decision_send(*, log_id: int) -> bool:
    """Claim the log entry, send the mail, and release the claim if sending fails so that a
    retry can send it. Returns whether a mail was sent by this call."""
    log = (
        ModerationLog.objects.select_related(
            "actor", "question", "answer__question", "answer__author", "question__author"
        )
        .filter(pk=log_id)
        .first()
    )
    if log is None:
        return False
    item = log.answer or log.question
    author = getattr(item, "author", None) if item else None
    if author is None or not author.email or author == log.actor:
        return False
    claimed = ModerationLog.objects.filter(pk=log.pk, notified_at__isnull=True).update(
        notified_at=timezone.now()
    )
    if not claimed:
        return False
    try:
        send_email(
            "moderation_decision",
            to=[author.email],
            language=author.language,
            context={
                "log": log,
                "author": author,
                "question": log.question or log.answer.question,
                "answer": log.answer,
            },
        )
    except Exception:
        with transaction.atomic():
            ModerationLog.objects.filter(pk=log.pk).update(notified_at=None)
        raise
    return True
