"""Campaign-scale data for benchmarks and dashboards (``manage.py seed_scale``).

Adds, on top of the demo's reference data, enterprises and real-name workers at campaign size
(a million by default) and their histories over the last weeks: enrolments, training records,
theory attempts, practical sessions and bookings, results, and signed certificates with their
"issued" event. Rows are planned in memory as tuples and written with PostgreSQL's COPY, in one
transaction: either all of it is added or none of it.

Scale rows are told apart by their users: ``scale00000001`` onwards (mobile +86 199…). The data
is added once; a second run is refused (recreate the database to seed again).

``created_at`` and the other dates carry the history; ``updated_at`` is when the row was written
(now), as ``auto_now`` would have it, so whatever refreshes incrementally by ``updated_at`` (the
dashboards' aggregates) sees every scale row.

Not generated (documented in the command's help): lesson progress, answers of attempts (their
paper snapshot is empty; score and per-category breakdown are set), practice answers,
per-examiner practical scores, audit events, rendered certificate files (PNG/PDF),
verification logs, messages.
"""

import random
import secrets
from datetime import datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.utils import timezone

from . import activity as activity_module
from . import people
from .bulk import BulkTable, Timings, raw_connection
from .clock import Clock
from .reference import Reference, reference_ensure, reference_load

# Only one seed_scale at a time: the second waits, then sees the first one's rows and stops.
ADVISORY_LOCK = "anxun.seed_scale"


class ScaleSeedError(Exception):
    """Why the scale data cannot be added; the command shows the message."""


def scale_data_present() -> bool:
    User = apps.get_model("accounts", "User")
    return User.objects.filter(username=people.scale_username(1)).exists()


def signs_with_development_key() -> bool:
    """Whether certificates are signed with the public development key (so scale certificates
    cannot pass for a real site's)."""
    from certificates import signing

    try:
        signing.signing_keys_check(
            settings.ANXUN_SIGNING_KEYS, development_keys=[settings.DEVELOPMENT_SIGNING_KEYS]
        )
    except ImproperlyConfigured:
        return True  # the check refuses exactly the development key
    return False


def seed(
    *,
    workers: int,
    seed: int,
    weeks: int,
    stdout,
    allow_real_signing_key: bool = False,
    refresh: bool = True,
    now: datetime | None = None,
) -> dict[str, int]:
    """Add the scale data; returns the rows written per table. Raises ScaleSeedError."""
    if connection.vendor != "postgresql":
        raise ScaleSeedError(
            f"seed_scale writes with PostgreSQL's COPY; this database is {connection.vendor}. "
            "Point DATABASES at PostgreSQL (e.g. --settings=config.settings.integration)."
        )
    if workers < 1 or weeks < 1:
        raise ScaleSeedError("--workers and --weeks must be at least 1.")
    if scale_data_present():
        raise ScaleSeedError(_ALREADY_SEEDED)
    if not allow_real_signing_key and not signs_with_development_key():
        raise ScaleSeedError(
            "The certificates would be signed with this site's own key (ANXUN_SIGNING_KEYS), so "
            "they would verify as genuine. Use the development key, or pass "
            "--allow-real-signing-key on a database that is thrown away afterwards."
        )

    timings = Timings(stdout)
    with timings.step("reference data (seed_demo when missing)"):
        if reference_ensure(stdout=stdout):
            stdout.write("  (the demo was seeded first: the reference data was missing)")
    written: dict[str, int] = {}
    with transaction.atomic():
        with raw_connection().cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [ADVISORY_LOCK])
            # Foreign keys checked per COPY statement, not all at commit: a bounded queue, and
            # a broken reference is reported by the statement that made it.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        if scale_data_present():
            raise ScaleSeedError(_ALREADY_SEEDED)
        rng = random.Random(seed)  # noqa: S311  (made-up people, not secrets)
        clock = Clock(now=now or timezone.now(), weeks=weeks, rng=rng)
        reference = reference_load(seed=seed)
        _write(
            rng, workers=workers, reference=reference, clock=clock, timings=timings, written=written
        )
    if refresh:
        with timings.step("derived figures (dashboards, home page)"):
            derived_data_refresh()
    stdout.write(f"  {'total':<42} {sum(written.values()):>12,} rows {timings.total():8.1f} s")
    return written


def derived_data_refresh() -> None:
    """Recompute what the project derives from the tables just filled: the dashboards'
    aggregates (in full: an incremental pass would find a million changed workers anyway)
    and the home page's campaign figures, which read them."""
    from core.figures import campaign_figures_refresh

    if apps.is_installed("dashboards"):
        from dashboards.aggregates import aggregates_refresh

        aggregates_refresh(full=True)
    campaign_figures_refresh()


_ALREADY_SEEDED = (
    "Scale data is already in this database (user scale00000001 exists); seed_scale adds it "
    "once. Recreate the database (dropdb, createdb, migrate) to seed it again."
)


def _write(rng, *, workers: int, reference: Reference, clock: Clock, timings, written) -> None:
    Enterprise = apps.get_model("accounts", "Enterprise")
    User = apps.get_model("accounts", "User")
    WorkerProfile = apps.get_model("accounts", "WorkerProfile")

    def fill(table: BulkTable, rows, label: str | None = None) -> None:
        with timings.step(label or table.table) as step:
            step.rows = table.copy(rows)
            table.finish()
        written[table.table] = written.get(table.table, 0) + step.rows

    with timings.step("plan enterprises and workers") as step:
        sizes = people.enterprise_sizes(rng, workers=workers)
        enterprises_table = BulkTable(Enterprise, people.ENTERPRISE_FIELDS)
        enterprises, enterprise_rows = people.enterprises_plan(
            rng,
            sizes=sizes,
            reference=reference,
            clock=clock,
            first_id=enterprises_table.reserve_ids(len(sizes)),
            taken_codes=set(Enterprise.objects.values_list("uscc", flat=True)),
        )
        users_table = BulkTable(User, people.USER_FIELDS)
        profiles_table = BulkTable(WorkerProfile, people.PROFILE_FIELDS)
        plans = people.workers_plan(
            rng,
            enterprises=enterprises,
            reference=reference,
            clock=clock,
            first_id=users_table.reserve_ids(workers),
            first_profile_id=profiles_table.reserve_ids(workers),
            taken_id_numbers={
                number[:17] for number in WorkerProfile.objects.values_list("id_number", flat=True)
            },
        )
        step.rows = len(plans)
    with timings.step("plan training, exams and certificates") as step:
        plan = activity_module.activity_plan(rng, workers=plans, reference=reference, clock=clock)
        step.rows = len(plan.enrollments) + len(plan.attempts) + len(plan.bookings)

    fill(enterprises_table, enterprise_rows)
    taken_phones = set(
        User.objects.filter(phone__startswith=people.PHONE_PREFIX).values_list("phone", flat=True)
    )
    fill(users_table, people.user_rows(plans, clock=clock, taken_phones=taken_phones))
    fill(profiles_table, people.profile_rows(plans, clock=clock))
    _targets(rng, plans, enterprises, clock=clock, fill=fill)
    _training(plan, clock=clock, fill=fill)
    decided = _exams(plan, clock=clock, fill=fill)
    _certificates(decided, reference=reference, clock=clock, fill=fill)


def _targets(rng, plans, enterprises, *, clock: Clock, fill) -> None:
    """District targets are set (the demo's are replaced: they were for another size);
    enterprises from ``ENTERPRISE_TARGET_FROM`` workers get one of their own."""
    CampaignTarget = apps.get_model("training", "CampaignTarget")
    for district_id, target in people.district_targets(rng, plans).items():
        CampaignTarget.objects.update_or_create(
            district_id=district_id, defaults={"target": target}
        )
    table = BulkTable(CampaignTarget, people.TARGET_FIELDS)
    large = [plan for plan in enterprises if plan.headcount >= people.ENTERPRISE_TARGET_FROM]
    rows = people.enterprise_target_rows(large, clock=clock, first_id=table.reserve_ids(len(large)))
    fill(table, rows)


def _training(plan, *, clock: Clock, fill) -> None:
    Enrollment = apps.get_model("training", "Enrollment")
    TrainingRecord = apps.get_model("training", "TrainingRecord")
    now, moment = clock.now_datetime, clock.datetime

    enrollments = sorted(plan.enrollments, key=lambda row: row[0])
    table = BulkTable(
        Enrollment,
        ("id", "created_at", "updated_at", "worker", "course", "enrolled_by", "last_lesson",
         "completed_at"),
    )  # fmt: skip
    first = table.reserve_ids(len(enrollments))
    fill(
        table,
        (
            (first + offset, moment(enrolled), now, worker, course, None, None,
             moment(done) if done is not None else None)
            for offset, (enrolled, worker, course, done) in enumerate(enrollments)
        ),
    )  # fmt: skip

    records = sorted(plan.records, key=lambda row: row[0])
    table = BulkTable(
        TrainingRecord,
        ("id", "created_at", "updated_at", "worker", "course", "hours", "seconds", "completed_at"),
    )
    first = table.reserve_ids(len(records))
    fill(
        table,
        (  # the planned study took the course's hours: that is the time measured
            (first + offset, moment(done), now, worker, course, hours, int(hours * 3600),
             moment(done))
            for offset, (done, worker, course, hours) in enumerate(records)
        ),
    )  # fmt: skip


def _exams(plan, *, clock: Clock, fill) -> list:
    """Attempts, sessions, bookings and results; returns the bookings with a result."""
    TheoryAttempt = apps.get_model("exams", "TheoryAttempt")
    PracticalSession = apps.get_model("exams", "PracticalSession")
    Booking = apps.get_model("exams", "Booking")
    ExamResult = apps.get_model("exams", "ExamResult")
    now, moment = clock.now_datetime, clock.datetime

    def maybe(value: float | None):
        return moment(value) if value is not None else None

    attempts = sorted(plan.attempts, key=lambda attempt: attempt.started)
    table = BulkTable(
        TheoryAttempt,
        ("id", "created_at", "updated_at", "worker", "subject", "number", "status",
         "started_at", "deadline", "submitted_at", "auto_submitted", "paper", "pass_mark",
         "score", "passed", "breakdown"),
    )  # fmt: skip
    first = table.reserve_ids(len(attempts))
    for offset, attempt in enumerate(attempts):
        attempt.id = first + offset
    fill(
        table,
        (
            (a.id, moment(a.started), now, a.worker.profile_id, a.subject.id, a.number,
             TheoryAttempt.Status.SUBMITTED.value, moment(a.started),
             moment(a.started + a.subject.duration_minutes * 60), moment(a.submitted),
             a.auto_submitted, "[]", a.subject.pass_mark, a.score, a.passed, a.breakdown)
            for a in attempts
        ),
    )  # fmt: skip

    table = BulkTable(
        PracticalSession,
        ("id", "created_at", "updated_at", "subject", "center", "starts_at", "ends_at",
         "capacity", "held_back", "seats_taken", "booking_opens_at", "booking_closes_at",
         "cancel_cutoff_hours", "cancelled", "reminders_sent_at", "closed_at"),
    )  # fmt: skip
    sessions = plan.sessions
    first = table.reserve_ids(len(sessions))
    for offset, session in enumerate(sessions):
        session.id = first + offset
    reminders_due = clock.now + activity_module.REMINDER_AHEAD
    fill(
        table,
        (
            (s.id, moment(s.opens), now, s.subject.id, s.centre.id, moment(s.starts),
             moment(s.ends), s.capacity, s.held_back, s.seats_taken, moment(s.opens),
             moment(s.closes), activity_module.CANCEL_CUTOFF_HOURS, False,
             moment(s.starts - activity_module.REMINDER_AHEAD) if s.starts <= reminders_due
             else None,
             maybe(s.closed))
            for s in sessions
        ),
    )  # fmt: skip

    bookings = sorted(plan.bookings, key=lambda booking: booking.created)
    table = BulkTable(
        Booking,
        ("id", "created_at", "updated_at", "worker", "session", "subject", "theory_attempt",
         "status", "urgent", "waitlisted_at", "offer_expires_at", "checked_in_at",
         "checked_in_by", "ended_at", "reminded_at"),
    )  # fmt: skip
    first = table.reserve_ids(len(bookings))
    for offset, booking in enumerate(bookings):
        booking.id = first + offset
    fill(
        table,
        (
            (b.id, moment(b.created), now, b.worker.profile_id, b.session.id,
             b.attempt.subject.id, b.attempt.id, b.status, False, None, None,
             maybe(b.checked_in), b.centre.desk_user_id if b.checked_in else None,
             maybe(b.ended), maybe(b.reminded))
            for b in bookings
        ),
    )  # fmt: skip

    decided = sorted(
        (booking for booking in bookings if booking.decided is not None),
        key=lambda booking: booking.decided,
    )
    table = BulkTable(
        ExamResult,
        ("id", "created_at", "updated_at", "booking", "worker", "subject", "theory_score",
         "practical_score", "critical_failed", "passed", "decided_at", "corrected", "items"),
    )  # fmt: skip
    first = table.reserve_ids(len(decided))
    for offset, booking in enumerate(decided):
        booking.result_id = first + offset
    fill(
        table,
        (
            (b.result_id, moment(b.decided), now, b.id, b.worker.profile_id,
             b.attempt.subject.id, b.attempt.score, b.practical, b.critical_failed, b.passed,
             moment(b.decided), False, "[]")
            for b in decided
        ),
    )  # fmt: skip
    return decided


def _certificates(decided, *, reference: Reference, clock: Clock, fill) -> None:
    """One certificate per passing result, numbered, dated and signed as ``certificate_issue``
    does it, so the verification page and API accept them; and its "issued" event."""
    from accounts.validators import mask_name
    from certificates import signing
    from certificates.services import add_years

    Certificate = apps.get_model("certificates", "Certificate")
    CertificateEvent = apps.get_model("certificates", "CertificateEvent")
    now, moment = clock.now_datetime, clock.datetime
    key_id = signing.key_ring().signing_kid

    passing = [booking for booking in decided if booking.passed]
    table = BulkTable(
        Certificate,
        ("id", "created_at", "updated_at", "number", "token", "result", "replaces", "holder",
         "subject", "center", "issuer", "issued_on", "valid_until", "review_due", "state",
         "revoked_reason", "revoked_at", "revoked_by", "review_reminded", "key_id",
         "signature", "png", "pdf", "rendered_version", "rendered_at", "holder_name",
         "holder_id_number", "holder_sex", "holder_photo", "status_index"),
    )  # fmt: skip
    first = table.reserve_ids(len(passing))
    events = []

    def rows():
        for offset, booking in enumerate(passing):
            subject = booking.attempt.subject
            worker = booking.worker
            issued = clock.local_date(booking.decided)
            valid_until = add_years(issued, subject.certificate_valid_years) - timedelta(days=1)
            review_due = min(add_years(issued, subject.review_interval_years), valid_until)
            number = f"AX{issued:%Y}{booking.session.centre.id:03d}{booking.result_id:07d}"
            # Never from the seeded generator: a token must not be guessable, even here.
            token = secrets.token_urlsafe(16)
            compact = signing.compact_fields(
                kid=key_id,
                number=number,
                subject_code=subject.code,
                issued=issued,
                valid_until=valid_until,
                review_due=review_due,
                holder_mask=mask_name(worker.real_name),
                holder_id_hash=signing.id_hash(token, worker.id_number),
            )
            issued_at = moment(booking.decided + 1)
            events.append((first + offset, number, issued_at))
            yield (
                first + offset, issued_at, now, number, token, booking.result_id, None,
                booking.worker.profile_id, subject.id, booking.session.centre.id,
                reference.issuer, issued, valid_until, review_due, Certificate.State.ACTIVE.value,
                "", None, None, None, key_id, signing.sign(token, compact), "", "", 0, None,
                worker.real_name, worker.id_number, worker.sex, "", first + offset,
            )  # fmt: skip

    fill(table, rows(), label=f"{table.table} (signed)")

    table = BulkTable(CertificateEvent, ("id", "certificate", "kind", "at", "actor", "data"))
    first = table.reserve_ids(len(events))
    kind = CertificateEvent.Kind.ISSUED.value
    fill(
        table,
        (
            (first + offset, certificate, kind, at, None, f'{{"number": "{number}"}}')
            for offset, (certificate, number, at) in enumerate(events)
        ),
    )
