"""Practical-exam seats on PostgreSQL under concurrency: the session row lock decides who gets
a seat, the partial unique index keeps one live booking per worker and subject, nobody gets a
crash, and ``seats_taken`` always equals the bookings holding a seat."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from core.errors import DomainError
from core.tasks import deliver_message
from exams import locks
from exams.models import Booking, PracticalSession
from exams.practical import services
from tests.exams import builders
from tests.exams import practical_builders as pb

# serialized_rollback everywhere in this suite (see test_concurrency.py).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

THREADS = 16  # a pool, not a thread per call: 2 cores, and PostgreSQL's max_connections


def run_together(calls, *, threads=THREADS) -> list[tuple[str, object]]:
    """Run ``calls`` on a pool of threads released together by a barrier, each thread with its
    own database connection. Returns one outcome per call, in order: ("ok", value), (code, None)
    for a DomainError, or ("crash", repr) for anything else."""
    threads = min(threads, len(calls))
    barrier = threading.Barrier(threads)
    outcomes: list = [None] * len(calls)

    def run(first: int):
        try:
            barrier.wait(timeout=30)
            for index in range(first, len(calls), threads):
                try:
                    outcomes[index] = ("ok", calls[index]())
                except DomainError as error:
                    outcomes[index] = (error.code, None)
                except Exception as error:  # noqa: BLE001  (a crash is what we look for)
                    outcomes[index] = ("crash", repr(error))
        finally:
            connection.close()

    pool = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in pool), "a thread hung (a lock never freed?)"
    assert None not in outcomes
    return outcomes


def codes(outcomes) -> dict[str, int]:
    counted: dict[str, int] = {}
    for code, _value in outcomes:
        counted[code] = counted.get(code, 0) + 1
    return counted


def assert_seats(*sessions) -> None:
    for session in sessions:
        session.refresh_from_db()
        holding = Booking.objects.filter(session=session, status__in=Booking.SEAT_HOLDING).count()
        assert session.seats_taken == holding, session
        assert 0 <= session.seats_taken <= session.capacity


def day(days: int, hour: int = 9):
    start = timezone.localtime().replace(hour=hour, minute=0, second=0, microsecond=0)
    return start + timedelta(days=days)


@pytest.fixture
def subject():
    item = builders.subject()
    pb.rubric(item)
    return item


@pytest.fixture
def centre(subject):
    return pb.center(subjects=[subject])


@pytest.fixture
def quiet_delivery(monkeypatch):
    """Offers queue SMS rows; their delivery task (Celery on Redis) is not under test here."""
    monkeypatch.setattr(deliver_message, "delay", lambda *args, **kwargs: None)


def candidates(subject, n: int) -> list:
    return [pb.candidate(subject) for _ in range(n)]


@pytest.mark.parametrize("capacity", [20, 1])
def test_200_simultaneous_bookings_fill_exactly_the_seats(subject, centre, capacity):
    session = pb.session(center=centre, subject=subject, starts_at=day(5), capacity=capacity)
    workers = candidates(subject, 200)
    now = timezone.now()

    outcomes = run_together(
        [
            (lambda w=w: services.booking_create(worker=w, session_id=session.pk, now=now).pk)
            for w in workers
        ]
    )

    assert codes(outcomes) == {"ok": capacity, "full": 200 - capacity}, [
        o for o in outcomes if o[0] not in ("ok", "full")
    ]
    booked = {value for code, value in outcomes if code == "ok"}
    confirmed = Booking.objects.filter(session=session, status=Booking.Status.CONFIRMED)
    assert set(confirmed.values_list("pk", flat=True)) == booked
    assert Booking.objects.count() == capacity
    assert_seats(session)
    assert session.seats_taken == capacity


def test_cancellations_racing_new_bookings_keep_the_count(subject, centre, quiet_delivery):
    capacity = 20
    session = pb.session(center=centre, subject=subject, starts_at=day(5), capacity=capacity)
    now = timezone.now()
    holders = candidates(subject, capacity)
    held = [services.booking_create(worker=w, session_id=session.pk, now=now).pk for w in holders]
    newcomers = candidates(subject, 40)
    calls = []
    for n in range(40):
        if n < 12:  # twelve holders give their seats up while forty others book
            calls.append(
                lambda n=n: (
                    services.booking_cancel(booking_id=held[n], worker=holders[n], now=now).status
                )
            )
        worker = newcomers[n]
        waitlist = n % 2 == 0  # half of them would rather wait than be refused
        calls.append(
            lambda worker=worker, waitlist=waitlist: (
                services.booking_create(
                    worker=worker, session_id=session.pk, waitlist=waitlist, now=now
                ).status
            )
        )

    outcomes = run_together(calls)

    counted = codes(outcomes)
    assert set(counted) <= {"ok", "full"}, outcomes
    cancelled = Booking.objects.filter(pk__in=held[:12], status=Booking.Status.CANCELLED)
    assert cancelled.count() == 12
    assert_seats(session)
    live = Booking.objects.filter(session=session, status__in=Booking.SEAT_HOLDING)
    assert live.count() == session.seats_taken
    # Every freed seat went to somebody (there were more waiting than freed): no seat is left
    # free, and confirmed newcomers plus offers to the waiting make up the twelve.
    assert session.seats_taken == capacity
    taken_by_newcomers = Booking.objects.filter(
        worker__in=newcomers,
        status__in=[Booking.Status.CONFIRMED, Booking.Status.OFFERED],
    ).count()
    assert taken_by_newcomers == 12


def test_one_worker_booking_two_sessions_at_once_gets_one(subject, centre):
    other = pb.center(code="gongshu-1", subjects=[subject])
    sessions = [
        pb.session(center=centre, subject=subject, starts_at=day(5)),
        pb.session(center=other, subject=subject, starts_at=day(6)),
        pb.session(center=centre, subject=subject, starts_at=day(7)),
        pb.session(center=other, subject=subject, starts_at=day(8)),
    ]
    now = timezone.now()
    for worker in candidates(subject, 5):
        outcomes = run_together(
            [
                (
                    lambda s=s, worker=worker: (
                        services.booking_create(
                            worker=worker, session_id=s.pk, waitlist=True, now=now
                        ).pk
                    )
                )
                for s in sessions * 2
            ],
            threads=8,
        )
        assert codes(outcomes) == {"ok": 1, "already_booked": 7}, outcomes
        live = Booking.objects.filter(worker=worker, status__in=Booking.LIVE)
        assert live.count() == 1
    assert_seats(*sessions)
    assert sum(PracticalSession.objects.values_list("seats_taken", flat=True)) == 5


def test_a_locked_session_does_not_lock_its_subject_or_centre(subject, centre):
    """While one session is locked, a booking of another session of the same subject at the
    same centre goes through: the lock is on the session's row only. (A lock on the shared
    subject row would queue every booking of the subject in the province behind one another,
    and let a reschedule, which locks two sessions, deadlock with a booking.)"""
    held = pb.session(center=centre, subject=subject, starts_at=day(5))
    other = pb.session(center=centre, subject=subject, starts_at=day(6))
    worker = pb.candidate(subject)
    now = timezone.now()
    locked, release = threading.Event(), threading.Event()

    def hold():
        try:
            with transaction.atomic():
                locks.sessions_lock(held.pk)
                locked.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    def book_other():
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '3s'")
        return services.booking_create(worker=worker, session_id=other.pk, now=now).status

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert locked.wait(timeout=10)
        outcome = run_together([book_other], threads=1)
    finally:
        release.set()
        holder.join(timeout=30)
    assert outcome == [("ok", Booking.Status.CONFIRMED)]
    assert_seats(held, other)


def test_reschedules_both_ways_while_others_book_neither_deadlock_nor_leak(
    subject, centre, quiet_delivery
):
    """Sessions of one subject at two centres: each reschedule locks both sessions, bookings
    lock one; locking only the session rows (not the subject or centre joined in) keeps the
    lock order fixed."""
    other = pb.center(code="gongshu-1", subjects=[subject])
    first = pb.session(center=centre, subject=subject, starts_at=day(5), capacity=30)
    second = pb.session(center=other, subject=subject, starts_at=day(6), capacity=30)
    now = timezone.now()
    movers = candidates(subject, 20)
    bookings = [
        services.booking_create(worker=w, session_id=(first if n % 2 else second).pk, now=now)
        for n, w in enumerate(movers)
    ]
    newcomers = candidates(subject, 20)
    calls = []
    for n in range(20):
        booking, worker = bookings[n], movers[n]
        target = second if booking.session_id == first.pk else first
        calls.append(
            lambda b=booking, w=worker, t=target: (
                services.booking_reschedule(
                    booking_id=b.pk, new_session_id=t.pk, worker=w, now=now
                ).session_id
            )
        )
        calls.append(
            lambda w=newcomers[n], s=(first if n % 2 else second): (
                services.booking_create(worker=w, session_id=s.pk, now=now).session_id
            )
        )

    outcomes = run_together(calls)

    assert codes(outcomes) == {"ok": 40}, [o for o in outcomes if o[0] != "ok"]
    assert_seats(first, second)
    assert first.seats_taken + second.seats_taken == 40
    assert Booking.objects.filter(session=first).count() == 20


def test_cancel_racing_a_reschedule_of_the_same_booking_frees_the_right_seat(
    subject, centre, quiet_delivery
):
    first = pb.session(center=centre, subject=subject, starts_at=day(5), capacity=30)
    second = pb.session(center=centre, subject=subject, starts_at=day(8), capacity=30)
    now = timezone.now()
    workers = candidates(subject, 24)
    bookings = [services.booking_create(worker=w, session_id=first.pk, now=now) for w in workers]
    calls = []
    for booking, worker in zip(bookings, workers, strict=True):
        calls.append(
            lambda b=booking, w=worker: (
                services.booking_reschedule(
                    booking_id=b.pk, new_session_id=second.pk, worker=w, now=now
                ).session_id
            )
        )
        calls.append(
            lambda b=booking, w=worker: (
                services.booking_cancel(booking_id=b.pk, worker=w, now=now).session_id
            )
        )

    outcomes = run_together(calls)

    assert set(codes(outcomes)) <= {"ok", "not_confirmed", "conflict"}, outcomes
    assert_seats(first, second)
    for booking, (moved, cancelled) in zip(
        bookings, zip(outcomes[::2], outcomes[1::2], strict=True), strict=True
    ):
        booking.refresh_from_db()
        if cancelled[0] == "ok":
            assert booking.status == Booking.Status.CANCELLED
            assert booking.session_id == cancelled[1]
        else:  # the cancel lost the race to the move and changed nothing
            assert moved[0] == "ok"
            assert (booking.status, booking.session_id) == (Booking.Status.CONFIRMED, second.pk)


def test_the_beat_sweep_run_by_a_real_worker_reminds_once(celery_worker, sms_file):
    """exams.tasks.sweep_bookings through Redis to the worker process: the day-ahead reminder
    is sent by SMS once, however often beat runs the sweep."""
    from exams.tasks import sweep_bookings
    from tests.integration.conftest import wait_for
    from tests.integration.test_celery_roundtrip import sms_lines

    subject = builders.subject()
    centre = pb.center(subjects=[subject])
    session = pb.session(center=centre, subject=subject, starts_in=timedelta(hours=20), capacity=5)
    worker = pb.candidate(subject, user__phone="+8613800005555")
    booking = services.booking_create(worker=worker, session_id=session.pk)
    for _ in range(3):
        sweep_bookings.delay()
    wait_for(lambda: sms_lines(sms_file, "+8613800005555"), message="the reminder SMS")
    wait_for(
        lambda: celery_worker.log_path.read_text().count("exams.tasks.sweep_bookings") >= 6,
        message="all three sweeps received and finished",
    )
    booking.refresh_from_db()
    assert booking.reminded_at is not None
    lines = sms_lines(sms_file, "+8613800005555")
    assert len(lines) == 1 and session.center.name in lines[0]["text"]
