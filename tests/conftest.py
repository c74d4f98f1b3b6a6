import pytest
from django.core.management import call_command

from core.sms import LocmemSmsSender


def pytest_sessionfinish(session, exitstatus):
    """A skipped test is not a passing test: a run with skips fails."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None and reporter.stats.get("skipped") and exitstatus == 0:
        session.exitstatus = 1


@pytest.fixture(scope="session", autouse=True)
def _remove_test_media():
    """Uploads and generated images of a test run go to scratch directories; remove them after."""
    yield
    import shutil
    import tempfile

    from django.conf import settings

    for directory in (settings.MEDIA_ROOT, getattr(settings, "PRIVATE_MEDIA_ROOT", None)):
        if directory and str(directory).startswith(tempfile.gettempdir() + "/anxun-test-"):
            shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(autouse=True)
def _clean_outboxes(settings):
    LocmemSmsSender.outbox.clear()
    yield
    LocmemSmsSender.outbox.clear()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """allauth keeps rate-limit counters in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def reference_data(db):
    call_command("load_reference_data", verbosity=0)


@pytest.fixture
def sms_outbox():
    return LocmemSmsSender.outbox
