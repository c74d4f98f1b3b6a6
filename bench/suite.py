"""``make bench``: every web benchmark against gunicorn on PostgreSQL and Redis, each beside the
bare Django view measured in the same run, first with the demo data and then with a campaign-size
dataset. Prints one table for docs/PERFORMANCE.md (``make bench`` then draws certificates per
core with ``bench/certificate_render.py``).

    DJANGO_SETTINGS_MODULE=config.settings.integration .venv/bin/python bench/suite.py \\
        --workers-seeded 1000000 --concurrency 32 --seconds 10 --workers 4

A scratch database (``anxun_bench_suite``, dropped at the end) gets the demo and its aggregates;
the endpoints are measured; ``seed_scale`` adds ``--workers-seeded`` workers and the aggregates are
rebuilt; the endpoints are measured again with fresh takers, bookers and sessions. Booking under
contention: every client books a seat in the same session for its own worker; once the seats are
gone the answers are 409 (full, or booked already), which count as answers, not errors.
"""

import argparse
import json
import random
import time
from datetime import timedelta

from harness import PORT, bare, gunicorn, load, scratch_database, session_cookie

DB = "anxun_bench_suite"
SUBJECT = "low-voltage-electrician"


def _workers(count: int, run: str, *, theory_passed: bool):
    """``count`` logged-in workers who completed the training (and passed the theory exam)."""
    from django.utils import timezone
    from stdnum.cn import ric

    from accounts import services as account_services
    from accounts.models import District, User
    from exams.models import Subject, TheoryAttempt
    from training.models import TrainingRecord

    subject = Subject.objects.get(code=SUBJECT)
    district = District.objects.get(code="330106")
    made = []
    for n in range(count):
        user = User.objects.create_user(
            username=f"bench-{run}-{n}", phone=f"+86135{run}{n:07d}", password=None
        )
        first17 = f"33010619910{int(run) + 1}01{n:03d}"
        worker = account_services.worker_profile_create(
            user=user,
            real_name="压测学员",
            id_number=first17 + ric.calc_check_digit(first17 + "0"),
            district=district,
        )
        for course in subject.required_courses.all():
            TrainingRecord.objects.create(
                worker=worker, course=course, hours=course.credit_hours, completed_at=timezone.now()
            )
        yesterday = timezone.now() - timedelta(days=1)
        if theory_passed:
            TheoryAttempt.objects.create(
                worker=worker, subject=subject, number=1, status=TheoryAttempt.Status.SUBMITTED,
                started_at=yesterday - timedelta(hours=1), deadline=yesterday + timedelta(hours=1),
                submitted_at=yesterday, pass_mark=subject.pass_mark, score=92, passed=True,
            )  # fmt: skip
        cookie, csrf = session_cookie(user)
        made.append({"worker": worker, "cookie": cookie, "csrf": csrf})
    return subject, made


def endpoints(*, clients: int, run: str) -> list[tuple[str, object]]:
    """(name, path_for) for each endpoint, prepared on the data as it is now."""
    from django.utils import timezone

    from accounts.models import User
    from certificates.links import verification_path
    from certificates.models import Certificate
    from exams import services as exam_services
    from exams.models import ExamCenter, PracticalSession

    page = verification_path(Certificate.objects.earliest("pk"))
    api = page.replace("/v/", "/api/v1/certificates/verify/", 1)
    bureau_cookie, _csrf = session_cookie(User.objects.get(phone="+8613800000008"))

    subject, takers = _workers(clients, run, theory_passed=False)
    attempts = []
    for taker in takers:
        # The exam being sat, its answers autosaved.
        attempt = exam_services.attempt_start(worker=taker["worker"], subject=subject)
        attempts.append({**taker, "attempt": attempt.pk, "size": len(attempt.paper), "seq": 0})
    _subject, bookers = _workers(clients, str(int(run) + 1), theory_passed=True)
    now = timezone.now()
    center = ExamCenter.objects.filter(subjects=subject).first()
    assert center is not None  # the demo gives every subject a centre
    session = PracticalSession.objects.create(
        subject=subject, center=center,
        starts_at=now + timedelta(days=10), ends_at=now + timedelta(days=10, hours=3),
        capacity=20, booking_opens_at=now - timedelta(days=1),
        booking_closes_at=now + timedelta(days=9),
    )  # fmt: skip

    def get(path, cookie=""):
        return lambda i, n: ("GET", path, None, {"Cookie": cookie} if cookie else {})

    def autosave(i, n):
        taker = attempts[i % len(attempts)]
        taker["seq"] += 1
        body = json.dumps(
            {
                "position": n % taker["size"],
                "selected": [random.randrange(2)],  # noqa: S311  (which answer, not a secret)
                "seq": taker["seq"],
            }
        )
        return "POST", f"/exams/attempts/{taker['attempt']}/answers/", body, _post_headers(taker)

    def book(i, n):
        booker = bookers[i % len(bookers)]
        path = f"/exams/practical/sessions/{session.pk}/book.json"
        return "POST", path, json.dumps({"waitlist": False}), _post_headers(booker)

    return [
        ("bare view (same middleware)", bare),
        ("home page, anonymous", get("/")),
        ("certificate verification page", get(page)),
        ("certificate verification API", get(api)),
        ("exam answer autosave", autosave),
        ("booking under contention (20 seats)", book),
        ("campaign dashboard (bureau)", get("/dashboards/", bureau_cookie)),
    ]


def _post_headers(client: dict) -> dict:
    return {
        "Content-Type": "application/json",
        "Cookie": client["cookie"],
        "X-CSRFToken": client["csrf"],
        "Referer": f"http://127.0.0.1:{PORT}/",
    }


def measure(args, named) -> dict[str, tuple]:
    measured = {}
    with gunicorn(args.workers):
        load(path_for=bare, seconds=2, concurrency=args.concurrency)  # warm up
        for name, path_for in named:
            load(path_for=path_for, seconds=1, concurrency=2, accept=(409,))  # warm caches
            measured[name] = load(
                path_for=path_for,
                seconds=args.seconds,
                concurrency=args.concurrency,
                accept=(409,),
            )
    return measured


def _cells(result, bare_rate) -> str:
    import statistics

    rate, latencies, errors = result
    cuts = statistics.quantiles(latencies, n=100)
    return (
        f"{rate:,.0f} | {cuts[49] * 1000:.1f} | {cuts[98] * 1000:.1f} | "
        f"{rate / bare_rate:.2f} | {errors}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers-seeded", type=int, default=1_000_000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()

    with scratch_database(DB):
        import django

        django.setup()
        from django.core.management import call_command

        from dashboards.aggregates import aggregates_refresh

        call_command("migrate", verbosity=0)
        call_command("seed_demo", verbosity=0)
        aggregates_refresh(full=True)
        small = measure(args, endpoints(clients=args.concurrency, run="1"))

        started = time.perf_counter()
        call_command("seed_scale", workers=args.workers_seeded, verbosity=0)
        seeded = time.perf_counter() - started
        large = measure(args, endpoints(clients=args.concurrency, run="3"))

    print(
        f"\ngunicorn {args.workers} sync workers, {args.concurrency} concurrent clients, "
        f"{args.seconds:.0f} s an endpoint; seed_scale --workers {args.workers_seeded:,}: "
        f"{seeded:.0f} s (with its aggregates)\n"
    )
    print(
        "| endpoint | demo req/s | p50 ms | p99 ms | / bare | errors "
        f"| {args.workers_seeded:,} workers req/s | p50 ms | p99 ms | / bare | errors |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for name in small:
        print(
            f"| {name} | {_cells(small[name], small[next(iter(small))][0])} "
            f"| {_cells(large[name], large[next(iter(large))][0])} |"
        )


if __name__ == "__main__":
    main()
