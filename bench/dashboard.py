"""Benchmark: the campaign dashboards against gunicorn on PostgreSQL, with the demo data and then
with a campaign-size dataset, each beside the bare Django view measured in the same run.

    DJANGO_SETTINGS_MODULE=config.settings.integration .venv/bin/python bench/dashboard.py \\
        --workers-seeded 1000000 --concurrency 8 --seconds 10

Creates a scratch database (``anxun_bench_dashboard``; dropped at the end), migrates it, seeds
the demo and computes the aggregates; measures the pages; then adds ``--workers-seeded`` workers
with ``seed_scale``, times a full and an incremental rebuild of the aggregates, and measures the
same pages again. Pages are asked for as a logged-in bureau officer, district officer and
enterprise administrator (the demo's). The dashboards read precomputed rows, so the two runs
should answer alike: the report prints each page's ratio between them.
"""

import argparse
import time

from harness import bare, gunicorn, load, report, scratch_database, session_cookie

DB = "anxun_bench_dashboard"


def _cookie(phone: str) -> str:
    from accounts.models import User

    return session_cookie(User.objects.get(phone=phone))[0]


def pages() -> list[tuple[str, str, str]]:
    """(name, path, cookie) of each page measured."""
    from accounts.models import Enterprise

    bureau = _cookie("+8613800000008")
    district = _cookie("+8613800000007")
    enterprise_admin = _cookie("+8613800000002")
    busiest = Enterprise.objects.order_by("-headcount", "pk").values_list("pk", flat=True).first()
    return [
        ("bare view (same middleware)", "", ""),
        ("city dashboard (bureau)", "/dashboards/", bureau),
        ("district dashboard (officer)", "/dashboards/", district),
        ("enterprise table, page 1", "/dashboards/enterprises/", bureau),
        ("an enterprise's dashboard", f"/dashboards/enterprises/{busiest}/", bureau),
        ("enterprise dashboard (its administrator)", "/dashboards/enterprise/", enterprise_admin),
        ("home page (counters)", "/", ""),
    ]


def measure(args, label: str) -> dict[str, tuple]:
    measured = {}
    with gunicorn(args.workers):
        load(path_for=bare, seconds=2, concurrency=args.concurrency)  # warm up
        for name, path, cookie in pages():

            def ask(i, n, path=path, cookie=cookie):
                if not path:
                    return bare(i, n)
                return ("GET", path, None, {"Cookie": cookie} if cookie else {})

            load(path_for=ask, seconds=1, concurrency=2)  # warm this page's caches
            measured[name] = load(path_for=ask, seconds=args.seconds, concurrency=args.concurrency)
    print(f"\n### {label}")
    print("| page | req/s | p50 ms | p99 ms | errors |")
    print("|---|---|---|---|---|")
    bare_rate = measured["bare view (same middleware)"][0]
    for name, (rate, latencies, errors) in measured.items():
        print(report(name, rate, latencies, errors) + f" {rate / bare_rate:.2f} of bare")
    return measured


def _settle() -> None:
    """Date what seed_scale wrote an hour back, as if it had happened before the last refresh:
    the incremental run below then sees only what _touch changes."""
    from django.db import connection

    from dashboards.aggregates import SOURCES

    with connection.cursor() as cursor:
        for model in SOURCES:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(
                f"UPDATE {table} SET updated_at = now() - interval '1 hour' "  # noqa: S608
                "WHERE updated_at > now() - interval '1 hour'"
            )


def _touch(count: int) -> int:
    """Change ``count`` workers the way a day of use does (a course completed)."""
    from django.utils import timezone

    from accounts.models import WorkerProfile

    ids = list(WorkerProfile.objects.order_by("?").values_list("pk", flat=True)[:count])
    return WorkerProfile.objects.filter(pk__in=ids).update(updated_at=timezone.now())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers-seeded", type=int, default=1_000_000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()

    with scratch_database(DB):
        import django

        django.setup()
        from django.core.management import call_command

        from dashboards.aggregates import aggregates_refresh
        from dashboards.models import ProgressFact, WorkerMilestones

        call_command("migrate", verbosity=0)
        call_command("seed_demo", verbosity=0)
        aggregates_refresh(full=True)
        print(
            f"gunicorn {args.workers} sync workers, {args.concurrency} concurrent clients, "
            f"{args.seconds:.0f} s per page"
        )
        small = measure(args, f"demo data ({WorkerMilestones.objects.count():,} workers)")

        started = time.perf_counter()
        call_command("seed_scale", workers=args.workers_seeded, verbosity=0)
        print(
            f"\nseed_scale --workers {args.workers_seeded:,}: {time.perf_counter() - started:.0f} s"
        )
        _settle()
        started = time.perf_counter()
        aggregates_refresh(full=True)
        print(f"aggregates, full rebuild: {time.perf_counter() - started:.1f} s")
        touched = _touch(1000)
        started = time.perf_counter()
        summary = aggregates_refresh()
        print(
            f"aggregates, incremental run after {touched:,} workers changed "
            f"({summary['workers']:,} followed): {time.perf_counter() - started:.1f} s"
        )
        facts = ProgressFact.objects.count()
        large = measure(
            args,
            f"campaign data ({WorkerMilestones.objects.count():,} workers, {facts:,} summary rows)",
        )

        print("\n| page | large / small req/s |")
        print("|---|---|")
        for name in small:
            print(f"| {name} | {large[name][0] / small[name][0]:.2f} |")


if __name__ == "__main__":
    main()
