"""The integration suite: real PostgreSQL, real Redis as cache and broker, a real Celery worker.

The worker process is started by the tests with the same settings and the test database's name
(``ANXUN_TEST_DATABASE_NAME``), so what it writes is what the test reads back.
"""

import os

from .test import *  # noqa: F403

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": os.environ.get("PGHOST", "127.0.0.1"),
        "PORT": os.environ.get("PGPORT", "5432"),
        "USER": os.environ.get("PGUSER", "postgres"),
        "PASSWORD": os.environ.get("PGPASSWORD", ""),
        "NAME": os.environ.get("ANXUN_TEST_DATABASE_NAME", "anxun"),
        "TEST": {"NAME": os.environ.get("ANXUN_INTEGRATION_TEST_DB", "test_anxun")},
        # Persistent connections as in production (the benchmarks set it; tests keep 0).
        "CONN_MAX_AGE": int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    }
}
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "anxun-test",
    }
}
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_BROKER_URL = REDIS_URL
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
# The benchmarks (bench/) serve a bare view beside the real ones when this is set.
ANXUN_BENCH = os.environ.get("ANXUN_BENCH") == "1"
if ANXUN_BENCH:  # the load generator is one client: verification throttling would stop it
    ANXUN_VERIFY_LIMIT_ALL = 10**9
# Outbound SMS is written to a file the tests read, since the worker is another process.
SMS_BACKEND = "core.sms.FileSmsSender"
ANXUN_SMS_FILE = os.environ.get("ANXUN_SMS_FILE", "/tmp/anxun-integration-sms.jsonl")  # noqa: S108
