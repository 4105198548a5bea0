from celery import shared_task

from outbox.services import mail_flush, mail_send


@shared_task(
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=8,
)
def send_outbox_mail(pk: int) -> bool:
    """Send one queued mail. Safe to run twice: the row is claimed before sending."""
    return mail_send(pk=pk)


@shared_task
def flush_outbox() -> int:
    """Send the queued mail nobody has sent yet (after a broker or mail-server outage)."""
    return mail_flush()
