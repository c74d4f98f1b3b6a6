from django.core.management.base import BaseCommand, CommandError

from seeding.scale import ScaleSeedError, seed


class Command(BaseCommand):
    help = (
        "Add campaign-scale data on PostgreSQL (COPY, one transaction) for benchmarks and "
        "dashboards: enterprises (valid credit codes, a long tail of sizes), workers with "
        "users and real-name profiles (valid ID numbers, 199 mobile numbers, no usable "
        "password), district and enterprise targets, and over the last --weeks: enrolments, "
        "training records, submitted theory attempts, practical sessions, bookings (scored, "
        "no-show, cancelled, upcoming), results, and one signed, verifiable certificate per "
        "passing result with its 'issued' event. Runs after seed_demo or on an empty migrated "
        "database (the demo is seeded first when reference data is missing; district targets "
        "are replaced to fit the new size). "
        "Adds the data once: a second run is refused (scale users are scale00000001…); "
        "recreate the database to seed again. "
        "Not generated: lesson progress, attempt answers (papers are empty snapshots; score "
        "and breakdown are set), practice answers, per-examiner practical scores, audit "
        "events, rendered PNG/PDF files, verification logs, messages."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--workers", type=int, default=1_000_000, help="workers to add (default 1,000,000)"
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=2026,
            help="random seed: the same seed gives the same data (relative to today; certificate tokens are always random)",
        )
        parser.add_argument(
            "--weeks", type=int, default=26, help="how far back activity spreads (default 26)"
        )
        parser.add_argument(
            "--no-refresh",
            dest="refresh",
            action="store_false",
            help="leave the dashboards' aggregates and the campaign figures to their beat task",
        )
        parser.add_argument(
            "--allow-real-signing-key",
            action="store_true",
            help="sign with a key other than the development key (the certificates will "
            "verify as genuine on this site: only for a database thrown away afterwards)",
        )

    def handle(self, *args, **options):
        self.stdout.write(
            f"Adding {options['workers']:,} workers over {options['weeks']} weeks "
            f"(seed {options['seed']}):"
        )
        try:
            seed(
                workers=options["workers"],
                seed=options["seed"],
                weeks=options["weeks"],
                allow_real_signing_key=options["allow_real_signing_key"],
                refresh=options["refresh"],
                stdout=self.stdout,
            )
        except ScaleSeedError as error:
            raise CommandError(str(error)) from error
