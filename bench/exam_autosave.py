"""Benchmark: many exam takers autosaving at once, against gunicorn on PostgreSQL, beside a bare
Django view measured in the same run.

    DJANGO_SETTINGS_MODULE=config.settings.integration .venv/bin/python bench/exam_autosave.py \\
        --takers 64 --concurrency 32 --seconds 15 --workers 4

Creates a scratch database (``anxun_bench_exam``; dropped at the end), migrates it, seeds the demo
(subjects and the question bank), registers N takers who completed the training, starts an
attempt for each and a logged-in session, then runs gunicorn (sync workers) with
``ANXUN_BENCH=1`` so ``/bench/bare`` answers ``ok`` through the same middleware with no database.
The load generator (threads with keep-alive connections, in this process, on the same 2 cores)
first hammers ``/bench/bare`` and then POSTs answers (each taker's next question with a rising
sequence number) for the same time and concurrency, and reports req/s, p50 and p99 for both and
the ratio of the autosave rate to the bare rate.
"""

import argparse
import json
import random

from harness import PORT, bare, gunicorn, load, report, scratch_database, session_cookie

DB = "anxun_bench_exam"


def prepare(takers: int) -> list[dict]:
    """Migrate, seed, and return one {attempt, size, cookie, csrf} per taker."""
    import django

    django.setup()
    from django.core.management import call_command

    from accounts import services as account_services
    from accounts.models import District, User
    from exams import services as exam_services
    from exams.models import Subject
    from training.models import TrainingRecord

    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)
    subject = Subject.objects.get(code="low-voltage-electrician")
    district = District.objects.get(code="330106")
    sessions = []
    from django.utils import timezone
    from stdnum.cn import ric

    for n in range(takers):
        user = User.objects.create_user(username=f"bench{n}", phone=f"+86136{n:08d}", password=None)
        first17 = f"33010619900101{n:03d}"
        worker = account_services.worker_profile_create(
            user=user,
            real_name="压测考生",
            id_number=first17 + ric.calc_check_digit(first17 + "0"),
            district=district,
        )
        for course in subject.required_courses.all():
            TrainingRecord.objects.create(
                worker=worker, course=course, hours=course.credit_hours, completed_at=timezone.now()
            )
        attempt = exam_services.attempt_start(worker=worker, subject=subject)
        cookie, csrf = session_cookie(user)
        sessions.append(
            {
                "attempt": attempt.pk,
                "size": len(attempt.paper),
                "kinds": [entry["kind"] for entry in attempt.paper],
                "cookie": cookie,
                "csrf": csrf,
            }
        )
    return sessions


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--takers", type=int, default=64)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()

    with scratch_database(DB):
        takers = prepare(args.takers)
        seq: dict[int, int] = {}

        def autosave(i, n):
            taker = takers[i % len(takers)]  # one taker per client, as in an exam hall
            position = n % taker["size"]
            seq[taker["attempt"]] = seq.get(taker["attempt"], 0) + 1
            choice = random.randrange(2)  # noqa: S311  (not security: which answer to give)
            body = json.dumps(
                {"position": position, "selected": [choice], "seq": seq[taker["attempt"]]}
            )
            headers = {
                "Content-Type": "application/json",
                "Cookie": taker["cookie"],
                "X-CSRFToken": taker["csrf"],
                "Referer": f"http://127.0.0.1:{PORT}/",
            }
            return "POST", f"/exams/attempts/{taker['attempt']}/answers/", body, headers

        with gunicorn(args.workers):
            load(path_for=bare, seconds=2, concurrency=args.concurrency)  # warm up
            bare_rate, bare_latencies, bare_errors = load(
                path_for=bare, seconds=args.seconds, concurrency=args.concurrency
            )
            save_rate, save_latencies, save_errors = load(
                path_for=autosave, seconds=args.seconds, concurrency=args.concurrency
            )
        print(
            f"gunicorn {args.workers} sync workers, {args.concurrency} concurrent clients, "
            f"{args.seconds:.0f} s each, {args.takers} takers"
        )
        print("| endpoint | req/s | p50 ms | p99 ms | errors |")
        print("|---|---|---|---|---|")
        print(report("bare view (same middleware)", bare_rate, bare_latencies, bare_errors))
        print(report("exam answer autosave", save_rate, save_latencies, save_errors))
        print(f"autosave / bare = {save_rate / bare_rate:.2f}")


if __name__ == "__main__":
    main()
