"""What the tests of the practical services share: the certificate issuer doubles (named by
their dotted path in ``ANXUN_CERTIFICATE_ISSUER``), snapshots, and shortcuts through the
services. Time is driven by ``now=``."""

from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from core.errors import DomainError
from core.models import AuditEvent, OutboundMessage
from exams.models import (
    Booking,
    ExamResult,
    PracticalScore,
    PracticalSession,
    RubricItem,
)
from exams.practical import services
from tests.exams import practical_builders as pb

HERE = "tests.exams.practical_services.support"

# --- Certificate issuer doubles (named by dotted path in ANXUN_CERTIFICATE_ISSUER) -------------

issued: list[dict] = []


def record_issue(*, result):
    """Records each call with what the database says at that moment (same transaction)."""
    booking = Booking.objects.get(pk=result.booking_id)
    issued.append(
        {
            "result": result.pk,
            "passed": result.passed,
            "stored": ExamResult.objects.filter(pk=result.pk, passed=True).exists(),
            "booking_status": booking.status,
            "in_atomic_block": connection.in_atomic_block,
        }
    )


def failing_issue(*, result):
    raise RuntimeError("certificate service down")


# --- Helpers ---------------------------------------------------------------------------------


def day(days: int, hour: int = 9):
    """``hour`` o'clock local time, ``days`` days from today."""
    start = timezone.localtime().replace(hour=hour, minute=0, second=0, microsecond=0)
    return start + timedelta(days=days)


def snapshot() -> dict:
    """Everything a refused action must leave as it was."""
    return {
        "bookings": sorted(
            Booking.objects.values_list(
                "pk",
                "session_id",
                "status",
                "offer_expires_at",
                "checked_in_at",
                "ended_at",
                "reminded_at",
                "theory_attempt_id",
            )
        ),
        "sessions": sorted(PracticalSession.objects.values_list("pk", "seats_taken", "closed_at")),
        "scores": PracticalScore.objects.count(),
        "results": sorted(
            ExamResult.objects.values_list("pk", "practical_score", "passed", "corrected")
        ),
        "audit": AuditEvent.objects.count(),
        "messages": OutboundMessage.objects.count(),
    }


@contextmanager
def refused(code: str, error=DomainError):
    """The block raises ``error`` with ``code`` and changes nothing."""
    before = snapshot()
    with pytest.raises(error) as caught:
        yield caught
    assert caught.value.code == code, caught.value.message
    assert snapshot() == before


def assert_seats(*sessions) -> None:
    """The invariant: a session's seats_taken is the number of its bookings holding a seat."""
    for session in sessions or PracticalSession.objects.all():
        session.refresh_from_db()
        holding = Booking.objects.filter(session=session, status__in=Booking.SEAT_HOLDING).count()
        assert session.seats_taken == holding, session
        assert session.seats_taken <= session.capacity


def audit_mark() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def verbs_since(mark: int) -> list[str]:
    return list(
        AuditEvent.objects.filter(pk__gt=mark).order_by("pk").values_list("verb", flat=True)
    )


def scored(subject, total: int) -> dict[int, int]:
    """Points for every rubric item adding up to ``total`` (taken off the later items first)."""
    points = pb.full_marks(subject)
    missing = 100 - total
    for item in RubricItem.objects.filter(subject=subject).order_by("-position"):
        off = min(missing, points[item.pk])
        points[item.pk] -= off
        missing -= off
    return points


def critical_item(subject) -> RubricItem:
    return RubricItem.objects.filter(subject=subject, critical=True).order_by("position").first()


def book(worker, session, now, **options) -> Booking:
    return services.booking_create(worker=worker, session_id=session.pk, now=now, **options)


def check_in(booking, *, desk, centre) -> Booking:
    return services.checkin_confirm(
        user=desk,
        booking_id=booking.pk,
        center=centre,
        now=booking.session.starts_at + timedelta(minutes=10),
    )


def score(booking, examiner, points, critical_failed=()):
    return services.score_submit(
        examiner=examiner,
        booking_id=booking.pk,
        points=points,
        critical_failed=critical_failed,
        now=booking.session.starts_at + timedelta(hours=1),
    )


def sit(worker, session, *, now, desk, centre, examiner, total, critical_failed=()) -> Booking:
    """Book, check in and be scored by one examiner."""
    booking = book(worker, session, now)
    check_in(booking, desk=desk, centre=centre)
    score(booking, examiner, scored(session.subject, total), critical_failed)
    booking.refresh_from_db()
    return booking
