from celery import shared_task

from .services import cases_escalate, rating_invitations_send


@shared_task
def escalate_cases() -> dict[str, int]:
    """Beat task: warn supervisors of nearing deadlines, tell district officers of passed ones
    (each once per case and deadline)."""
    return cases_escalate()


@shared_task
def invite_ratings() -> int:
    """Beat task: invite workers to rate the services they used (once per event)."""
    return rating_invitations_send()
