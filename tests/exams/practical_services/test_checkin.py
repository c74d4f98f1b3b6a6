"""Check-in at the centre. Time is driven by ``now=``."""

from datetime import timedelta

import pytest

from core.errors import PermissionDenied
from exams.models import (
    Booking,
    PracticalSession,
)
from exams.practical import selectors, services
from tests.exams import practical_builders as pb
from tests.exams.practical_services.support import (
    assert_seats,
    audit_mark,
    book,
    refused,
    snapshot,
    verbs_since,
)
from tests.factories import WorkerProfileFactory

pytestmark = pytest.mark.django_db


# --- Check-in --------------------------------------------------------------------------------


def test_a_scanned_ticket_checks_the_candidate_in_once(make_session, worker, desk, centre, now):
    session = make_session(5)
    booking = book(worker, session, now)
    url = selectors.ticket_url(booking)
    assert url.startswith("http://testserver/") and "?t=" in url
    on_the_day = session.starts_at - timedelta(minutes=30)
    found = services.checkin_lookup(user=desk, center=centre, scanned=url, now=on_the_day)
    assert found.pk == booking.pk
    found = services.checkin_lookup(
        user=desk, center=centre, scanned=selectors.ticket_token(booking), now=on_the_day
    )
    assert found.pk == booking.pk
    mark = audit_mark()
    checked = services.checkin_confirm(
        user=desk, booking_id=booking.pk, center=centre, now=on_the_day
    )
    assert (checked.status, checked.checked_in_at, checked.checked_in_by) == (
        Booking.Status.CHECKED_IN,
        on_the_day,
        desk,
    )
    assert verbs_since(mark) == ["booking.checked_in"]
    before = snapshot()
    again = services.checkin_confirm(
        user=desk, booking_id=booking.pk, center=centre, now=on_the_day + timedelta(minutes=3)
    )
    assert again.status == Booking.Status.CHECKED_IN
    assert snapshot() == before
    assert_seats(session)


def test_a_changed_ticket_is_refused(make_session, worker, desk, centre, now):
    session = make_session(5)
    booking = book(worker, session, now)
    token = selectors.ticket_token(booking)
    on_the_day = session.starts_at - timedelta(minutes=30)
    separator = token.index(":")
    for position, char in enumerate(token):
        changed = token[:position] + ("A" if char != "A" else "B") + token[position + 1 :]
        code = "no_booking" if position == separator else "forged"
        with refused(code):
            services.checkin_lookup(user=desk, center=centre, scanned=changed, now=on_the_day)
        with refused(code):
            services.checkin_lookup(
                user=desk, center=centre, scanned=f"http://x/?t={changed}", now=on_the_day
            )
    for changed in (
        token[:-1],
        token + "x",
        token.swapcase(),
        f"{booking.pk + 1}:{token[separator + 1 :]}",
    ):
        with refused("forged"):
            services.checkin_lookup(user=desk, center=centre, scanned=changed, now=on_the_day)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def test_tickets_for_another_centre_day_or_cancelled_booking_are_refused(
    make_session, subject, desk, centre, other_centre, now
):
    elsewhere = make_session(5, center=other_centre)
    here = make_session(5)
    tomorrow = make_session(6)
    on_the_day = here.starts_at - timedelta(minutes=30)
    away = book(pb.candidate(subject), elsewhere, now)
    not_today = book(pb.candidate(subject), tomorrow, now)
    given_up_worker = pb.candidate(subject)
    given_up = book(given_up_worker, here, now)
    services.booking_cancel(booking_id=given_up.pk, worker=given_up_worker, now=now)
    cases = [(away, "other_center"), (not_today, "not_today"), (given_up, "not_confirmed")]
    for booking, code in cases:
        with refused(code):
            services.checkin_lookup(
                user=desk,
                center=centre,
                scanned=selectors.ticket_token(booking),
                now=on_the_day,
            )
        with refused(code):
            services.checkin_confirm(
                user=desk, booking_id=booking.pk, center=centre, now=on_the_day
            )


def test_a_cancelled_session_checks_nobody_in(make_session, worker, desk, centre, now):
    session = make_session(5)
    booking = book(worker, session, now)
    PracticalSession.objects.filter(pk=session.pk).update(cancelled=True)
    with refused("cancelled"):
        services.checkin_confirm(
            user=desk, booking_id=booking.pk, center=centre, now=session.starts_at
        )


def test_a_typed_id_number_finds_todays_booking_here(
    make_session, subject, desk, centre, other_centre, now
):
    worker = pb.candidate(subject)
    here = make_session(5)
    booking = book(worker, here, now)
    on_the_day = here.starts_at - timedelta(minutes=30)
    for typed in (worker.id_number, f"  {worker.id_number.lower()} "):
        found = services.checkin_lookup(user=desk, center=centre, scanned=typed, now=on_the_day)
        assert found.pk == booking.pk
    stranger = WorkerProfileFactory()
    with refused("no_booking") as caught:
        services.checkin_lookup(
            user=desk, center=centre, scanned=stranger.id_number, now=on_the_day
        )
    assert stranger.id_number not in str(caught.value.message)  # masked
    # Typed, an ID number finds only this centre's bookings of the day, and says nothing of
    # other days or centres (a genuine ticket may).
    with refused("no_booking") as caught:
        services.checkin_lookup(
            user=desk, center=centre, scanned=worker.id_number, now=on_the_day - timedelta(days=1)
        )
    outsider = pb.staff(other_centre)
    with refused("no_booking") as caught:
        services.checkin_lookup(
            user=outsider, center=other_centre, scanned=worker.id_number, now=on_the_day
        )
    assert centre.name not in str(caught.value.message)


def test_staff_of_another_centre_are_refused(make_session, worker, centre, other_centre, now):
    session = make_session(5)
    booking = book(worker, session, now)
    outsider = pb.staff(other_centre)
    on_the_day = session.starts_at
    with refused("forbidden", PermissionDenied):
        services.checkin_lookup(
            user=outsider, center=centre, scanned=selectors.ticket_token(booking), now=on_the_day
        )
    with refused("forbidden", PermissionDenied):
        services.checkin_confirm(
            user=outsider, booking_id=booking.pk, center=centre, now=on_the_day
        )
    with refused("forbidden", PermissionDenied):
        services.checkin_confirm(
            user=worker.user, booking_id=booking.pk, center=centre, now=on_the_day
        )
