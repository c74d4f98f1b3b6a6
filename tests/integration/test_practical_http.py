"""Booking over HTTP on PostgreSQL: 200 simultaneous requests to the JSON endpoint of a session
with 20 seats (and with 1) confirm exactly the seats, answer the rest 409 "full", and never 5xx.

The live server handles each request in its own thread with its own database connection, as
gunicorn workers would; the requests start together behind a barrier.
"""

import http.client
import json
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client

from exams.models import Booking
from tests.exams import builders
from tests.exams import practical_builders as pb
from tests.factories import WorkerProfileFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REQUESTS = 200
CSRF_SECRET = "p" * 32
WORKERS = 16  # requests served at once, as by 16 gunicorn workers (each with one connection)


@pytest.fixture
def bounded_live_server(live_server, monkeypatch):
    """The live server starts a thread per request, each with its own database connection;
    200 at once would exceed PostgreSQL's connection limit, which no deployment does (gunicorn
    serves with a fixed number of workers and queues the rest). Serve at most WORKERS at once."""
    from django.core.servers.basehttp import ThreadedWSGIServer

    slots = threading.BoundedSemaphore(WORKERS)
    serve = ThreadedWSGIServer.process_request_thread

    def process_request_thread(self, request, client_address):
        with slots:
            serve(self, request, client_address)

    monkeypatch.setattr(ThreadedWSGIServer, "process_request_thread", process_request_thread)
    return live_server


def _session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _post_all(live_server, path: str, cookies: list[str]) -> list[tuple[int, dict]]:
    host = urlsplit(live_server.url)
    barrier = threading.Barrier(len(cookies), timeout=60)

    def post(cookie: str) -> tuple[int, dict]:
        connection = http.client.HTTPConnection(host.hostname, host.port, timeout=60)
        barrier.wait()
        try:
            connection.request(
                "POST",
                path,
                body=b'{"waitlist": false}',
                headers={
                    "Content-Type": "application/json",
                    # The endpoint checks CSRF as a browser's fetch would pass it.
                    "Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}; "
                    f"{settings.CSRF_COOKIE_NAME}={CSRF_SECRET}",
                    "X-CSRFToken": CSRF_SECRET,
                },
            )
            response = connection.getresponse()
            body = response.read()
            try:
                return response.status, json.loads(body)
            except ValueError:
                return response.status, {"raw": body[:200].decode(errors="replace")}
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(cookies)) as pool:
        return list(pool.map(post, cookies))


@pytest.mark.parametrize("capacity", [20, 1])
def test_200_simultaneous_bookings_confirm_exactly_the_seats(bounded_live_server, capacity):
    subject = builders.subject()
    center = pb.center(subjects=[subject])
    session = pb.session(center=center, subject=subject, capacity=capacity)
    workers = [WorkerProfileFactory() for _ in range(REQUESTS)]
    for worker in workers:
        pb.theory_pass(worker, subject)
        pb.with_photo(worker)
    cookies = [_session_cookie(worker.user) for worker in workers]
    path = f"/exams/practical/sessions/{session.pk}/book.json"

    answers = _post_all(bounded_live_server, path, cookies)

    statuses = Counter(status for status, _body in answers)
    assert statuses == {201: capacity, 409: REQUESTS - capacity}, answers[:5]
    assert all(body["error"] == "full" for status, body in answers if status == 409)
    session.refresh_from_db()
    confirmed = Booking.objects.filter(session=session, status=Booking.Status.CONFIRMED).count()
    assert confirmed == capacity == session.seats_taken
