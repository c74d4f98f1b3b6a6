"""What the web benchmarks share: a scratch PostgreSQL database, gunicorn with the bare view
(``ANXUN_BENCH=1`` serves ``/bench/bare`` through the same middleware, no database), a load
generator (threads with keep-alive connections) and the report line."""

import http.client
import os
import statistics
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PORT = 8765


def recreate_database(name: str, drop_only: bool = False) -> None:
    with psycopg.connect(
        host="127.0.0.1", user="postgres", dbname="postgres", autocommit=True
    ) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        if not drop_only:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


@contextmanager
def scratch_database(name: str):
    """Point the integration settings at a new database ``name``; drop it afterwards."""
    os.environ["ANXUN_TEST_DATABASE_NAME"] = name
    os.environ["ANXUN_BENCH"] = "1"
    os.environ["DB_CONN_MAX_AGE"] = "60"  # persistent connections, as production configures
    recreate_database(name)
    try:
        yield
    finally:
        from django.db import connections

        connections.close_all()
        recreate_database(name, drop_only=True)


@contextmanager
def gunicorn(workers: int):
    server = subprocess.Popen(  # noqa: S603  (our own gunicorn, fixed arguments)
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", PORT, timeout=1).request(
                    "GET", "/bench/bare"
                )
                break
            except OSError:
                time.sleep(0.1)
        time.sleep(1)
        yield server
    finally:
        server.terminate()
        server.wait(timeout=20)


def bare(i, n):
    return "GET", "/bench/bare", None, {}


def load(
    *, path_for, seconds: float, concurrency: int, accept: tuple[int, ...] = ()
) -> tuple[float, list[float], int]:
    """Run `concurrency` threads for `seconds`; path_for(i, n) -> (method, path, body, headers).
    Answers of 400 and up count as errors, except the statuses in ``accept`` (e.g. a 409 "full"
    when the benchmark is a race for seats)."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def run(i: int):
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        n = 0
        mine = []
        bad = 0
        while time.monotonic() < stop:
            method, path, body, headers = path_for(i, n)
            started = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status >= 400 and response.status not in accept:
                    bad += 1
            except (OSError, http.client.HTTPException):
                bad += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
            mine.append(time.perf_counter() - started)
            n += 1
        with lock:
            latencies.extend(mine)
            errors += bad

    threads = [threading.Thread(target=run, args=(i,)) for i in range(concurrency)]
    begun = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies) / (time.monotonic() - begun), latencies, errors


def report(name: str, rate: float, latencies: list[float], errors: int) -> str:
    cuts = statistics.quantiles(latencies, n=100)
    return f"| {name} | {rate:,.0f} | {cuts[49] * 1000:.1f} | {cuts[98] * 1000:.1f} | {errors} |"


def session_cookie(user) -> tuple[str, str]:
    """A logged-in session for ``user`` stored where gunicorn reads it, and a CSRF token:
    (the Cookie header, the token for X-CSRFToken)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils.crypto import get_random_string

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    csrf = get_random_string(32)
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}; csrftoken={csrf}", csrf
