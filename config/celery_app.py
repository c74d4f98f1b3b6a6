"""The Celery application. Tasks are thin: they take ids, re-fetch, call a service."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("anxun")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
