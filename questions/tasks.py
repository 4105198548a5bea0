from celery import shared_task

from questions.notifications import moderation_decision_send


@shared_task(
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=8,
)
def notify_moderation_decision(log_id: int) -> bool:
    """Tell the author what a moderator decided. Safe to run twice: sends at most once."""
    return moderation_decision_send(log_id=log_id)
