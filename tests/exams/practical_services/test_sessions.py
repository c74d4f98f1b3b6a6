"""Practical sessions: publishing, changing and cancelling them. Time is driven by ``now=``."""

from datetime import timedelta

import pytest

from core.errors import PermissionDenied
from core.models import OutboundMessage
from exams.models import (
    Booking,
    ExamResult,
    PracticalSession,
    Subject,
)
from exams.practical import selectors, services
from tests.exams import builders
from tests.exams import practical_builders as pb
from tests.exams.practical_services.support import (
    assert_seats,
    audit_mark,
    book,
    critical_item,
    day,
    refused,
    verbs_since,
)

pytestmark = pytest.mark.django_db


# --- Sessions --------------------------------------------------------------------------------


def test_a_session_is_published_with_a_default_window(centre, subject, desk, now):
    mark = audit_mark()
    session = services.session_create(
        actor=desk,
        center=centre,
        subject=subject,
        starts_at=day(10),
        ends_at=day(10, hour=12),
        capacity=12,
        held_back=2,
        now=now,
    )
    assert session.booking_opens_at == now
    assert session.booking_closes_at == day(10) - timedelta(days=1)
    assert (session.capacity, session.held_back, session.seats_taken) == (12, 2, 0)
    assert session.public_seats_left == 10
    assert verbs_since(mark) == ["session.created"]


BAD_SESSIONS = {
    "past": ({"starts_at": -1, "ends_at": 2}, "past"),
    "ends": ({"ends_at": 0}, "ends"),
    "no seats": ({"capacity": 0}, "capacity"),
    "held back": ({"held_back": 13}, "held_back"),
    "closes after start": ({"booking_closes_at": 1}, "window"),
    "closes before opening": ({"booking_opens_at": -48, "booking_closes_at": -72}, "window"),
}


@pytest.mark.parametrize("case", list(BAD_SESSIONS))
def test_bad_sessions_are_refused(centre, subject, desk, now, case):
    changes, code = BAD_SESSIONS[case]
    starts = day(10)
    arguments = {
        "actor": desk,
        "center": centre,
        "subject": subject,
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=3),
        "capacity": 12,
        "now": now,
    }
    for key, value in changes.items():
        if key in ("capacity", "held_back"):
            arguments[key] = value
        elif case == "past":
            arguments[key] = now + timedelta(hours=value)
        else:
            arguments[key] = starts + timedelta(hours=value)
    with refused(code):
        services.session_create(**arguments)
    assert not PracticalSession.objects.exists()


def test_a_centre_publishes_only_subjects_it_offers(centre, desk, now):
    welding = builders.subject(code="welding")
    with refused("subject_not_offered"):
        services.session_create(
            actor=desk,
            center=centre,
            subject=welding,
            starts_at=day(10),
            ends_at=day(10, hour=12),
            capacity=12,
            now=now,
        )


# --- Changing and cancelling sessions ----------------------------------------------------------


def test_more_seats_go_to_the_waiting_list_at_once(subject, make_session, now):
    session = make_session(capacity=1)
    book(pb.candidate(subject), session, now)
    waiting = book(pb.candidate(subject), session, now, waitlist=True)
    services.session_update(actor=None, session_id=session.pk, changes={"capacity": 2}, now=now)
    waiting.refresh_from_db()
    assert waiting.status == Booking.Status.OFFERED
    assert_seats(session)


def test_a_session_cannot_shrink_below_its_bookings_or_move_once_booked(subject, make_session, now):
    session = make_session(capacity=2)
    book(pb.candidate(subject), session, now)
    book(pb.candidate(subject), session, now)
    with refused("capacity"):
        services.session_update(actor=None, session_id=session.pk, changes={"capacity": 1})
    with refused("fixed"):
        services.session_update(
            actor=None,
            session_id=session.pk,
            changes={"starts_at": session.starts_at + timedelta(hours=1)},
        )


def test_cancelling_a_session_frees_every_seat_and_tells_everyone(
    subject, desk, examiner, make_session, now
):
    session = make_session(capacity=1)
    held = book(pb.candidate(subject), session, now)
    waiting = book(pb.candidate(subject), session, now, waitlist=True)
    with refused("reason"):
        services.session_cancel(actor=desk, session_id=session.pk, reason="", now=now)
    with refused("forbidden", PermissionDenied):
        services.session_cancel(actor=examiner, session_id=session.pk, reason="停电检修", now=now)
    mark = audit_mark()
    services.session_cancel(actor=desk, session_id=session.pk, reason="考场停电检修", now=now)
    for booking in (held, waiting):
        booking.refresh_from_db()
        assert booking.status == Booking.Status.CANCELLED
        assert OutboundMessage.objects.filter(
            recipient=booking.worker.user.phone, body__contains="考场停电检修"
        ).exists()
    assert verbs_since(mark) == ["session.cancelled", "booking.cancelled", "booking.cancelled"]
    assert_seats(session)
    # Not an attempt: the worker books again straight away.
    book(held.worker, make_session(days=6), now)


def test_examiners_disagreeing_on_a_critical_item_wait_for_the_supervisor(
    subject, examiner, examiner2, desk, worker, make_session, now
):
    Subject.objects.filter(pk=subject.pk).update(practical_examiners=2)
    session = make_session(at=now + timedelta(minutes=30))
    booking = book(worker, session, now)
    services.checkin_confirm(user=desk, booking_id=booking.pk, center=session.center, now=now)
    marks = pb.full_marks(subject)
    services.score_submit(examiner=examiner, booking_id=booking.pk, points=marks, now=now)
    services.score_submit(
        examiner=examiner2,
        booking_id=booking.pk,
        points=marks,
        critical_failed=[critical_item(subject).pk],
        now=now,
    )
    booking.refresh_from_db()
    assert booking.status == Booking.Status.SCORES_DIFFER
    assert not ExamResult.objects.filter(booking=booking).exists()


def test_a_started_session_cannot_be_cancelled(desk, subject, make_session, now):
    session = make_session(at=now + timedelta(minutes=30))
    book(pb.candidate(subject), session, now)
    with refused("past"):
        services.session_cancel(
            actor=desk, session_id=session.pk, reason="考场停电", now=now + timedelta(hours=1)
        )


@pytest.mark.parametrize("reason", ["", "abc", "x" * 201, "停电\x00检修", "停电\n\n检修"])
def test_staff_reasons_must_be_short_plain_text(desk, subject, make_session, now, reason):
    session = make_session()
    with refused("reason"):
        services.session_cancel(actor=desk, session_id=session.pk, reason=reason, now=now)


def test_messages_to_workers_are_in_the_sites_language(desk, subject, make_session, now):
    from django.utils import translation

    session = make_session(capacity=1)
    worker = pb.candidate(subject)
    book(worker, session, now)
    with translation.override("en"):
        services.session_cancel(actor=desk, session_id=session.pk, reason="考场停电检修", now=now)
    body = OutboundMessage.objects.get(recipient=worker.user.phone).body
    assert "已取消" in body and "cancelled" not in body


def test_a_candidate_who_left_unscored_is_recorded_as_not_attended(
    subject, desk, examiner, supervisor, worker, make_session, now
):
    session = make_session(at=now + timedelta(minutes=30))
    booking = book(worker, session, now)
    services.checkin_confirm(user=desk, booking_id=booking.pk, center=session.center, now=now)
    for actor in (desk, examiner):  # only the supervisor
        with refused("forbidden", PermissionDenied):
            services.booking_abandon(supervisor=actor, booking_id=booking.pk, reason="中途离场")
    with refused("reason"):
        services.booking_abandon(supervisor=supervisor, booking_id=booking.pk, reason="")
    mark = audit_mark()
    services.booking_abandon(
        supervisor=supervisor, booking_id=booking.pk, reason="考生身体不适中途离场", now=now
    )
    booking.refresh_from_db()
    assert booking.status == Booking.Status.NO_SHOW
    assert verbs_since(mark) == ["booking.abandoned"]
    assert len(selectors.practical_fails(worker=worker, subject=subject, since=None)) == 1
    # No longer stuck: the free retake can be booked.
    book(worker, make_session(days=7), now)


def test_a_scored_candidate_cannot_be_recorded_as_not_attended(
    subject, desk, examiner, supervisor, worker, make_session, now
):
    session = make_session(at=now + timedelta(minutes=30))
    booking = book(worker, session, now)
    services.checkin_confirm(user=desk, booking_id=booking.pk, center=session.center, now=now)
    services.score_submit(
        examiner=examiner, booking_id=booking.pk, points=pb.full_marks(subject), now=now
    )
    with refused("not_abandonable"):
        services.booking_abandon(supervisor=supervisor, booking_id=booking.pk, reason="中途离场")
