"""Celery tasks of the training app: thin, they take ids, re-fetch and call a service."""

from celery import shared_task
from celery.contrib.django.task import DjangoTask

from .imports import roster_import_run


# base=DjangoTask: the class every task gets anyway, named for the type checker (the import
# service queues this task with delay_on_commit).
@shared_task(base=DjangoTask, acks_late=True, time_limit=3600, soft_time_limit=3540)
def run_roster_import(import_id: int) -> str:
    """Import a stored roster file; safe to run twice (a finished import is left as it is, an
    interrupted one continues after its last committed batch)."""
    return roster_import_run(import_id=import_id).status


@shared_task
def remind_workers_not_started() -> int:
    """Beat task: a weekly SMS to workers enrolled a week ago who have not started."""
    from .services import reminders_send_not_started

    return reminders_send_not_started()
