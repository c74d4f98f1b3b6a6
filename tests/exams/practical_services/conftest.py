"""Fixtures of the practical services' tests: a subject with its rubric, a centre and its staff,
a worker who passed the theory exam, sessions made to order."""

import pytest
from django.utils import timezone

from accounts.models import Role
from tests.exams import builders
from tests.exams import practical_builders as pb
from tests.exams.practical_services.support import day, issued


@pytest.fixture(autouse=True)
def _no_issued():
    issued.clear()
    yield
    issued.clear()


# --- Fixtures --------------------------------------------------------------------------------


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def subject():
    item = builders.subject()
    pb.rubric(item)
    return item


@pytest.fixture
def centre(subject):
    return pb.center(subjects=[subject])


@pytest.fixture
def other_centre(subject):
    return pb.center(code="gongshu-1", subjects=[subject])


@pytest.fixture
def desk(centre):
    return pb.staff(centre)


@pytest.fixture
def examiner(centre):
    return pb.staff(centre, role=Role.EXAMINER)


@pytest.fixture
def examiner2(centre):
    return pb.staff(centre, role=Role.EXAMINER)


@pytest.fixture
def supervisor(centre):
    return pb.staff(centre, role=Role.EXAMINER, supervisor=True)


@pytest.fixture
def worker(subject):
    return pb.candidate(subject)


@pytest.fixture
def make_session(centre, subject):
    def make(days=5, *, capacity=20, at=None, **fields):
        return pb.session(
            center=fields.pop("center", centre),
            subject=fields.pop("subject", subject),
            starts_at=at or day(days),
            capacity=capacity,
            **fields,
        )

    return make
