"""Celery tasks of the certificates app: thin, they take ids and call a service."""

from celery import shared_task
from celery.contrib.django.task import DjangoTask


# base=DjangoTask: the class every task gets anyway, named for the type checker (issuing
# queues this task with delay_on_commit).
@shared_task(
    base=DjangoTask, acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5
)
def render_certificate(certificate_id: int) -> str:
    """Draw the certificate's PNG and PDF unless the current template version is drawn already
    (safe to run twice: the second run finds the files and does nothing)."""
    from .storage import certificate_render

    return certificate_render(certificate_id=certificate_id)


@shared_task
def send_review_reminders() -> int:
    """Beat task: review (复审) reminders 90/60/30/7 days ahead, one per threshold."""
    from .services import review_reminders_send

    return review_reminders_send()
