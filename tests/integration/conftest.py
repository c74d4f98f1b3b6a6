"""The integration suite: real PostgreSQL, Redis as cache and broker, a real `celery worker`.

The worker is a separate process started here with the same settings, pointed at the test
database pytest-django created, so what it writes is what the tests read back.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.servers.basehttp import WSGIServer
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

# The live server listens with socketserver's backlog of 5; a burst of simultaneous requests
# (the booking race) would be reset by the kernel before Django saw it. Production's gunicorn
# listens with a backlog of 2048.
WSGIServer.request_queue_size = 512


def pytest_collection_modifyitems(items):
    for item in items:
        item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session", autouse=True)
def _real_services_only():
    assert connection.vendor == "postgresql", "the integration suite must run on PostgreSQL"
    assert not settings.CELERY_TASK_ALWAYS_EAGER
    assert settings.CELERY_BROKER_URL.startswith("redis://")


@pytest.fixture(scope="session")
def sms_file():
    path = Path(settings.ANXUN_SMS_FILE)
    path.write_text("", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker, sms_file, tmp_path_factory):
    from config.celery_app import app

    app.control.purge()
    log = tmp_path_factory.mktemp("celery") / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.integration",
        "ANXUN_TEST_DATABASE_NAME": connection.settings_dict["NAME"],
        "ANXUN_SMS_FILE": str(sms_file),
        "ANXUN_TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "ANXUN_TEST_PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
    }
    with open(log, "w") as log_file:
        process = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "config", "worker",
                "--pool=solo", "--loglevel=INFO", "--without-gossip", "--without-mingle",
                "--hostname", f"integration-{os.getpid()}@%h",
            ],
            cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT,
        )  # fmt: skip
    deadline = time.monotonic() + 60
    while "ready." not in log.read_text():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the Celery worker did not start:\n{log.read_text()}")
        time.sleep(0.2)
    process.log_path = log
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def wait_for(predicate, *, timeout: float = 30, message: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    pytest.fail(f"timed out after {timeout}s waiting for {message}")
