"""The embedded default: no servers to install. SQLite (WAL), eager Celery, console mail and SMS."""

from .base import *  # noqa: F403
from .base import BASE_DIR, CELERY_BEAT_SCHEDULE

DEBUG = True
SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BASE_DIR / "db.sqlite3",
        "OPTIONS": {
            # WAL lets the web server read while a Celery task (eager, same process) writes.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        },
    }
}

CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
SMS_BACKEND = "core.sms.LogSmsSender"

# No `celery beat` here: `runserver` runs the schedule in its own process (core/beat.py), where
# the locmem cache it refreshes is the one the pages read. The demo is small, so the counters
# and dashboards refresh every minute (production: five) and a new sign-up shows within two.
ANXUN_EMBEDDED_BEAT = True
CELERY_BEAT_SCHEDULE = {
    **CELERY_BEAT_SCHEDULE,
    "refresh-aggregates": {**CELERY_BEAT_SCHEDULE["refresh-aggregates"], "schedule": 60.0},
}
