import pytest
from django.core.management import call_command

from core.sms import LocmemSmsSender


def pytest_sessionfinish(session, exitstatus):
    """A skipped test is not a passing test: a run with skips fails."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None and reporter.stats.get("skipped") and exitstatus == 0:
        session.exitstatus = 1


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
