"""Issue 16, item 5: no practical exam is booked without a photo on the worker's profile (a
stored photo is one that passed ``accounts.photos`` on upload; there is no other review), and
the waiting list never seats a worker without one."""

from datetime import timedelta

import pytest

from exams.models import Booking
from exams.practical import services
from tests.exams import practical_builders as pb
from tests.exams.practical_services.support import assert_seats, book, refused

pytestmark = pytest.mark.django_db


def test_a_worker_without_a_photo_cannot_book_and_is_told_where_to_upload_it(
    subject, make_session, now
):
    worker = pb.candidate(subject, photo=False)
    session = make_session()
    with refused("photo_required") as caught:
        book(worker, session, now)
    assert "/me/profile/" in str(caught.value.message)
    assert not Booking.objects.exists()
    assert_seats(session)
    pb.with_photo(worker)
    assert book(worker, session, now).status == Booking.Status.CONFIRMED


def test_nor_join_the_waiting_list(subject, make_session, now):
    session = make_session(capacity=1)
    book(pb.candidate(subject), session, now)
    with refused("photo_required"):
        book(pb.candidate(subject, photo=False), session, now, waitlist=True)


def test_the_desk_cannot_seat_an_urgent_case_without_a_photo(subject, make_session, desk, now):
    worker = pb.candidate(subject, photo=False, real_name="李无照")
    session = make_session(held_back=2)
    with refused("photo_required") as caught:
        book(worker, session, now, urgent=True, actor=desk)
    assert "李无照" in str(caught.value.message)


def test_the_eligibility_check_the_booking_page_asks_says_so_too(subject, make_session, now):
    worker, session = pb.candidate(subject, photo=False), make_session()
    with refused("photo_required"):
        services.booking_eligibility_check(worker=worker, session=session, now=now)


def test_the_waiting_list_passes_over_a_worker_without_a_photo(subject, make_session, now):
    session = make_session(capacity=1)
    seated = book(pb.candidate(subject), session, now)
    # Waiting since before photos were required: the photo is gone from the profile.
    first = book(pb.candidate(subject), session, now + timedelta(minutes=1), waitlist=True)
    first.worker.photo.delete(save=True)
    second = book(pb.candidate(subject), session, now + timedelta(minutes=2), waitlist=True)
    services.booking_cancel(
        booking_id=seated.pk, worker=seated.worker, now=now + timedelta(minutes=3)
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Booking.Status.WAITLISTED  # keeps their place, not seated
    assert second.status == Booking.Status.OFFERED
    assert_seats(session)
