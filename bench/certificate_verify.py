"""Benchmark: the public certificate verification page and JSON API against gunicorn on
PostgreSQL, beside a bare Django view measured in the same run.

    DJANGO_SETTINGS_MODULE=config.settings.integration .venv/bin/python bench/certificate_verify.py \\
        --concurrency 32 --seconds 15 --workers 4

Creates a scratch database (``anxun_bench_verify``; dropped at the end), migrates it and seeds the
demo, whose practical exam pass issues a signed certificate. The load generator then asks for
``/bench/bare``, the verification page ``/v/<token>?c=…&s=…`` (what a phone opens from the QR
code: the signature is checked, the record read, the visit logged) and the JSON API, each for
the same time and concurrency, and reports req/s, p50 and p99 and each ratio to the bare view.
The per-client throttle is lifted for the run (one load generator is one client).
"""

import argparse

from harness import bare, gunicorn, load, report, scratch_database

DB = "anxun_bench_verify"


def prepare() -> str:
    """Migrate, seed, and return the path a certificate's QR code opens."""
    import django

    django.setup()
    from django.core.management import call_command

    from certificates.links import verification_path
    from certificates.models import Certificate

    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)
    return verification_path(Certificate.objects.earliest("pk"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()

    with scratch_database(DB):
        page = prepare()
        api = page.replace("/v/", "/api/v1/certificates/verify/", 1)
        rows = []
        with gunicorn(args.workers):
            load(path_for=bare, seconds=2, concurrency=args.concurrency)  # warm up
            for name, path in (
                ("bare view (same middleware)", None),
                ("verification page /v/<token>", page),
                ("verification API (JSON)", api),
            ):

                def ask(i, n, path=path):
                    return ("GET", path, None, {}) if path else bare(i, n)

                rows.append(
                    (name, *load(path_for=ask, seconds=args.seconds, concurrency=args.concurrency))
                )
        print(
            f"gunicorn {args.workers} sync workers, {args.concurrency} concurrent clients, "
            f"{args.seconds:.0f} s each"
        )
        print("| endpoint | req/s | p50 ms | p99 ms | errors |")
        print("|---|---|---|---|---|")
        for name, rate, latencies, errors in rows:
            print(report(name, rate, latencies, errors))
        bare_rate = rows[0][1]
        for name, rate, _latencies, _errors in rows[1:]:
            print(f"{name} / bare = {rate / bare_rate:.2f}")


if __name__ == "__main__":
    main()
