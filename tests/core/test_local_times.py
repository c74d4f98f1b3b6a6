"""Times people read are local (TIME_ZONE Asia/Shanghai), never UTC: a moment at 09:30 in
Hangzhou is 01:30 UTC, and every label of it says 09:30."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from core.models import AuditEvent
from tests.exams import builders as exam_builders
from tests.exams import practical_builders as practical

pytestmark = pytest.mark.django_db

HALF_PAST_NINE = dt.datetime(2031, 3, 4, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_a_practical_session_is_labelled_with_its_local_start():
    subject = exam_builders.subject()
    center = practical.center(subjects=[subject])
    session = practical.session(center=center, subject=subject, starts_at=HALF_PAST_NINE)
    session.refresh_from_db()  # read back from the database, in UTC
    assert str(session).endswith("2031-03-04 09:30")


def test_an_audit_row_is_labelled_with_its_local_time():
    event = AuditEvent(occurred_at=HALF_PAST_NINE.astimezone(dt.UTC), verb="x.y")
    assert str(event).startswith("2031-03-04 09:30")


def test_certificate_events_and_verifications_are_labelled_with_their_local_time():
    from certificates.models import CertificateEvent, VerificationLog

    at = HALF_PAST_NINE.astimezone(dt.UTC)
    assert str(CertificateEvent(certificate_id=1, kind="issued", at=at)).endswith("09:30")
    assert str(VerificationLog(at=at, channel="page", outcome="valid")).startswith(
        "2031-03-04 09:30"
    )
