"""Mail to authors about moderation decisions.

The mail is queued in the outbox inside the decision's transaction, keyed by the moderation log
entry, so it is sent exactly once after the decision commits, and a broker or mail-server outage
only delays it (outbox.services)."""

from outbox.services import mail_enqueue
from questions.models import ModerationLog


def moderation_decision_enqueue(*, log: ModerationLog) -> bool:
    """Queue the decision's mail for the item's author, in their language. Returns whether a
    mail was queued (not for seed questions, nor when moderators act on their own content)."""
    item = log.answer or log.question
    author = getattr(item, "author", None) if item else None
    if author is None or not author.email or author == log.actor:
        return False
    mail = mail_enqueue(
        key=f"moderation-log:{log.pk}",
        template="moderation_decision",
        to=author.email,
        language=author.language,
        context={
            "log": log,
            "author": author,
            "question": log.question or log.answer.question,
            "answer": log.answer,
        },
    )
    return mail is not None
