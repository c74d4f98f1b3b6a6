"""The fast suite: SQLite, eager Celery, messages kept in memory for assertions."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import STORAGES

# Uploads from tests go to a scratch directory, never into the working tree. The integration
# suite's Celery worker is given the test process's directories, so both see the same files.
MEDIA_ROOT = Path(
    os.environ.get("ANXUN_TEST_MEDIA_ROOT") or tempfile.mkdtemp(prefix="anxun-test-media-")
)
PRIVATE_MEDIA_ROOT = Path(
    os.environ.get("ANXUN_TEST_PRIVATE_MEDIA_ROOT")
    or tempfile.mkdtemp(prefix="anxun-test-private-")
)
STORAGES = {
    **STORAGES,
    "private": {
        **STORAGES["private"],
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
}

DEBUG = False
SECRET_KEY = "test-only-insecure-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "core.sms.LocmemSmsSender"
WAGTAILADMIN_BASE_URL = "http://testserver"
