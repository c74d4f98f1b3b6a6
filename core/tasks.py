from celery import shared_task
from celery.contrib.django.task import DjangoTask

from .figures import campaign_figures_refresh
from .notifications import message_deliver, message_record_failure, messages_resend
from .sms import SmsDeliveryError


# base=DjangoTask: the class Celery's Django fix-up gives every task anyway, named so that the
# type checker knows delay_on_commit.
@shared_task(bind=True, base=DjangoTask, max_retries=5, default_retry_delay=30, acks_late=True)
def deliver_message(self, message_id: int) -> str:
    """Deliver one queued message; safe to run twice (the service locks and checks)."""
    try:
        return message_deliver(message_id=message_id).status
    except (SmsDeliveryError, OSError) as error:
        final = self.request.retries >= self.max_retries
        message_record_failure(message_id=message_id, error=str(error), final=final)
        if final:
            raise
        raise self.retry(exc=error) from error


@shared_task
def resend_messages() -> int:
    """Beat task: hand messages the broker never received to the delivery task again."""
    return messages_resend()


@shared_task
def refresh_campaign_figures() -> dict[str, int]:
    """Beat task: recompute the campaign figures the home page and dashboards read."""
    return campaign_figures_refresh()
