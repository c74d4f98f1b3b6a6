"""``runserver`` as Django's (static files included) that, in the dev profile, also runs the
periodic work in the serving process (core.beat). ``inner_run`` is what serves: with the
autoreloader it runs only in the child process (RUN_MAIN), once per reload, so the schedule
starts once and never in the watching parent."""

from django.contrib.staticfiles.management.commands.runserver import Command as RunserverCommand

from core.beat import embedded_beat_start


class Command(RunserverCommand):
    def inner_run(self, *args, **options):
        if embedded_beat_start() is not None:
            self.stdout.write("Periodic tasks (CELERY_BEAT_SCHEDULE) run in this process.")
        return super().inner_run(*args, **options)
