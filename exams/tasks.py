from celery import shared_task

from .services import attempts_sweep


@shared_task
def submit_expired_attempts() -> int:
    """Beat task: attempts left open past their deadline are submitted (idempotent)."""
    return attempts_sweep()
