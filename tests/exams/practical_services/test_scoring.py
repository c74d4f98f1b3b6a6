"""Scoring and results, with the certificate seam. Time is driven by ``now=``."""

import pytest
from django.test import override_settings

from accounts.models import Role
from core.errors import PermissionDenied
from core.models import AuditEvent
from exams import ports
from exams.models import (
    Booking,
    ExamResult,
    PracticalScore,
    RubricItem,
)
from exams.practical import services
from tests.exams import practical_builders as pb
from tests.exams.practical_services.support import (
    HERE,
    assert_seats,
    audit_mark,
    book,
    check_in,
    critical_item,
    issued,
    refused,
    score,
    scored,
    snapshot,
    verbs_since,
)

pytestmark = pytest.mark.django_db


# --- Scoring ---------------------------------------------------------------------------------


def test_scoring_needs_a_checked_in_candidate(make_session, worker, examiner, subject, now):
    session = make_session(5)
    booking = book(worker, session, now)
    with refused("not_checked_in"):
        score(booking, examiner, pb.full_marks(subject))


def test_bad_points_are_refused(make_session, worker, examiner, desk, centre, subject, now):
    session = make_session(5)
    booking = book(worker, session, now)
    check_in(booking, desk=desk, centre=centre)
    items = list(RubricItem.objects.filter(subject=subject).order_by("position"))
    full = pb.full_marks(subject)
    missing = {pk: points for pk, points in full.items() if pk != items[1].pk}
    with refused("incomplete"):
        score(booking, examiner, missing)
    with refused("incomplete"):
        score(booking, examiner, {**full, 999999: 0})
    for bad in (items[0].max_points + 1, -1, "20", 12.5, True, None):
        with refused("out_of_range"):
            score(booking, examiner, {**full, items[0].pk: bad})
    non_critical = next(item for item in items if not item.critical)
    with refused("malformed"):
        score(booking, examiner, full, critical_failed=[non_critical.pk])
    outsider = pb.staff(pb.center(code="other", subjects=[subject]), role=Role.EXAMINER)
    with refused("forbidden", PermissionDenied):
        score(booking, outsider, full)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CHECKED_IN


def test_a_failed_critical_item_fails_whatever_the_total(
    make_session, worker, examiner, desk, centre, subject, now
):
    session = make_session(5)
    booking = book(worker, session, now)
    check_in(booking, desk=desk, centre=centre)
    critical = critical_item(subject)
    with override_settings(ANXUN_CERTIFICATE_ISSUER=f"{HERE}.record_issue"):
        given = score(booking, examiner, pb.full_marks(subject), critical_failed=[critical.pk])
    assert given.total == 100 - critical.max_points >= subject.practical_pass_mark
    assert given.critical_failed == [critical.pk]
    failed_item = next(entry for entry in given.items if entry["item"] == critical.pk)
    assert (failed_item["points"], failed_item["failed"]) == (0, True)
    result = ExamResult.objects.get(booking=booking)
    assert (result.passed, result.critical_failed) == (False, True)
    assert issued == []


def test_one_examiner_decides_and_a_pass_issues_the_certificate_once(
    make_session, worker, examiner, desk, centre, subject, now
):
    session = make_session(5)
    booking = book(worker, session, now)
    check_in(booking, desk=desk, centre=centre)
    second_examiner = pb.staff(centre, role=Role.EXAMINER)
    mark = audit_mark()
    with override_settings(ANXUN_CERTIFICATE_ISSUER=f"{HERE}.record_issue"):
        given = score(booking, examiner, scored(subject, 85))
        result = ExamResult.objects.get(booking=booking)
        assert issued == [
            {
                "result": result.pk,
                "passed": True,
                "stored": True,
                "booking_status": Booking.Status.COMPLETED,
                "in_atomic_block": True,
            }
        ]
        with refused("scored"):
            score(booking, examiner, pb.full_marks(subject))
        with refused("scored"):
            score(booking, second_examiner, pb.full_marks(subject))
    assert given.total == 85
    assert (result.practical_score, result.theory_score, result.passed) == (85, 90, True)
    assert result.worker == worker and not result.corrected
    booking.refresh_from_db()
    assert booking.status == Booking.Status.COMPLETED
    assert verbs_since(mark) == ["score.submitted", "booking.completed", "result.decided"]
    assert len(issued) == 1
    assert_seats(session)


def test_a_fail_issues_nothing(make_session, worker, examiner, desk, centre, subject, now):
    session = make_session(5)
    booking = book(worker, session, now)
    check_in(booking, desk=desk, centre=centre)
    with override_settings(ANXUN_CERTIFICATE_ISSUER=f"{HERE}.record_issue"):
        score(booking, examiner, scored(subject, subject.practical_pass_mark - 1))
    assert ExamResult.objects.get(booking=booking).passed is False
    assert issued == []


def test_without_an_issuer_configured_a_pass_issues_nothing(
    make_session, worker, examiner, desk, centre, subject, now
):
    session = make_session(5)
    booking = book(worker, session, now)
    check_in(booking, desk=desk, centre=centre)
    with override_settings(ANXUN_CERTIFICATE_ISSUER=""):
        assert ports.certificate_issuer() is None
        score(booking, examiner, pb.full_marks(subject))
    assert ExamResult.objects.get(booking=booking).passed


def test_a_failing_issuer_rolls_the_result_back(
    make_session, worker, examiner, desk, centre, subject, now
):
    session = make_session(5)
    booking = book(worker, session, now)
    check_in(booking, desk=desk, centre=centre)
    before = snapshot()
    with (
        override_settings(ANXUN_CERTIFICATE_ISSUER=f"{HERE}.failing_issue"),
        pytest.raises(RuntimeError),
    ):
        score(booking, examiner, pb.full_marks(subject))
    assert snapshot() == before
    assert not ExamResult.objects.exists() and not PracticalScore.objects.exists()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CHECKED_IN
    # Once the certificate service is back, the same scoring goes through.
    with override_settings(ANXUN_CERTIFICATE_ISSUER=f"{HERE}.record_issue"):
        score(booking, examiner, pb.full_marks(subject))
    assert len(issued) == 1 and ExamResult.objects.get().passed


@pytest.fixture
def two_examiners(subject):
    subject.practical_examiners = 2
    subject.examiner_margin = 10
    subject.save()
    return subject


def test_two_examiners_within_the_margin_are_averaged(
    two_examiners, make_session, worker, examiner, examiner2, desk, centre, now
):
    subject = two_examiners
    session = make_session(5)
    booking = book(worker, session, now)
    check_in(booking, desk=desk, centre=centre)
    mark = audit_mark()
    with override_settings(ANXUN_CERTIFICATE_ISSUER=f"{HERE}.record_issue"):
        score(booking, examiner, scored(subject, 90))
        booking.refresh_from_db()
        assert booking.status == Booking.Status.CHECKED_IN
        assert not ExamResult.objects.exists() and issued == []
        with refused("scored"):
            score(booking, examiner, scored(subject, 95))
        score(booking, examiner2, scored(subject, 85))
    result = ExamResult.objects.get(booking=booking)
    assert (result.practical_score, result.passed, result.corrected) == (88, True, False)
    assert len(issued) == 1
    assert verbs_since(mark) == [
        "score.submitted",
        "score.submitted",
        "booking.completed",
        "result.decided",
    ]


def test_two_examiners_beyond_the_margin_wait_for_the_supervisor(
    two_examiners, make_session, worker, examiner, examiner2, supervisor, desk, centre, now
):
    subject = two_examiners
    session = make_session(5)
    booking = book(worker, session, now)
    check_in(booking, desk=desk, centre=centre)
    mark = audit_mark()
    with override_settings(ANXUN_CERTIFICATE_ISSUER=f"{HERE}.record_issue"):
        score(booking, examiner, scored(subject, 92))
        score(booking, examiner2, scored(subject, 75))
        booking.refresh_from_db()
        assert booking.status == Booking.Status.SCORES_DIFFER
        assert not ExamResult.objects.exists()
        assert verbs_since(mark) == ["score.submitted", "score.submitted", "booking.scores_differ"]
        with refused("scored"):
            score(booking, supervisor, scored(subject, 80))
        with refused("reason"):
            services.result_correct(
                supervisor=supervisor, booking_id=booking.pk, points=scored(subject, 84), reason=" "
            )
        with refused("forbidden", PermissionDenied):
            services.result_correct(
                supervisor=examiner,
                booking_id=booking.pk,
                points=scored(subject, 84),
                reason="复核录像，操作规范",
            )
        mark = audit_mark()
        result = services.result_correct(
            supervisor=supervisor,
            booking_id=booking.pk,
            points=scored(subject, 84),
            reason="复核录像，操作规范",
            now=session.ends_at,
        )
    assert (result.practical_score, result.passed, result.corrected) == (84, True, True)
    assert result.decided_at == session.ends_at
    booking.refresh_from_db()
    assert booking.status == Booking.Status.COMPLETED
    assert verbs_since(mark) == ["booking.completed", "result.decided", "result.corrected"]
    corrected = AuditEvent.objects.get(verb="result.corrected")
    assert corrected.actor == supervisor and corrected.after["reason"] == "复核录像，操作规范"
    assert len(issued) == 1 and issued[0]["result"] == result.pk


def test_correcting_needs_a_score_and_never_turns_a_pass_into_a_fail(
    make_session, worker, examiner, supervisor, desk, centre, subject, now
):
    session = make_session(5)
    booking = book(worker, session, now)
    with refused("not_scored"):
        services.result_correct(
            supervisor=supervisor,
            booking_id=booking.pk,
            points=scored(subject, 50),
            reason="复核录像",
        )
    check_in(booking, desk=desk, centre=centre)
    with refused("not_scored"):
        services.result_correct(
            supervisor=supervisor,
            booking_id=booking.pk,
            points=scored(subject, 50),
            reason="复核录像",
        )
    score(booking, examiner, scored(subject, 90))
    with refused("passed"):
        services.result_correct(
            supervisor=supervisor,
            booking_id=booking.pk,
            points=scored(subject, 50),
            reason="复核录像",
        )


def test_a_failed_result_corrected_to_a_pass_issues_the_certificate(
    make_session, worker, examiner, supervisor, desk, centre, subject, now
):
    session = make_session(5)
    booking = book(worker, session, now)
    check_in(booking, desk=desk, centre=centre)
    with override_settings(ANXUN_CERTIFICATE_ISSUER=f"{HERE}.record_issue"):
        score(booking, examiner, scored(subject, 70))
        result = ExamResult.objects.get(booking=booking)
        assert not result.passed and issued == []
        with refused("forbidden", PermissionDenied):
            services.result_correct(
                supervisor=examiner,
                booking_id=booking.pk,
                points=scored(subject, 82),
                reason="计分错误，重新合计",
            )
        with refused("incomplete"):
            services.result_correct(
                supervisor=supervisor, booking_id=booking.pk, points={}, reason="计分错误，重新合计"
            )
        mark = audit_mark()
        corrected = services.result_correct(
            supervisor=supervisor,
            booking_id=booking.pk,
            points=scored(subject, 82),
            reason="计分错误，重新合计",
            now=session.ends_at,
        )
    assert corrected.pk == result.pk
    assert (corrected.practical_score, corrected.passed, corrected.corrected) == (82, True, True)
    assert verbs_since(mark) == ["result.corrected"]
    event = AuditEvent.objects.get(verb="result.corrected")
    assert event.before == {"practical": 70, "passed": False}
    assert event.after["reason"] == "计分错误，重新合计"
    assert [entry["result"] for entry in issued] == [result.pk]
    assert ExamResult.objects.count() == 1


def test_a_correction_that_still_fails_issues_nothing(
    make_session, worker, examiner, supervisor, desk, centre, subject, now
):
    session = make_session(5)
    booking = book(worker, session, now)
    check_in(booking, desk=desk, centre=centre)
    with override_settings(ANXUN_CERTIFICATE_ISSUER=f"{HERE}.record_issue"):
        score(booking, examiner, scored(subject, 60))
        corrected = services.result_correct(
            supervisor=supervisor,
            booking_id=booking.pk,
            points=pb.full_marks(subject),
            critical_failed=[critical_item(subject).pk],
            reason="急救操作未完成",
        )
    assert (corrected.practical_score, corrected.passed, corrected.critical_failed) == (
        80,
        False,
        True,
    )
    assert issued == []
