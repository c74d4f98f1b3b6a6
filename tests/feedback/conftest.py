import pytest

from tests.exams import practical_builders as pb


@pytest.fixture(autouse=True)
def _midday(settings):
    """The certificate builder books a session within the hour and checks in "today"."""
    settings.TIME_ZONE = pb.midday_time_zone()
