from celery import shared_task

from .services import attempts_sweep


@shared_task
def submit_expired_attempts() -> int:
    """Beat task: attempts left open past their deadline are submitted (idempotent)."""
    return attempts_sweep()


@shared_task
def sweep_bookings() -> dict[str, int]:
    """Beat task: lapse expired waiting-list offers, record no-shows, send day-ahead reminders
    (idempotent: each booking is changed or reminded once)."""
    from .practical.services import bookings_sweep

    return bookings_sweep()
