"""``seed_scale`` on real PostgreSQL: a small campaign (2,000 workers) written with COPY keeps
every rule the services keep — valid identities, a funnel in order, seats that add up, one
signed certificate per passing result that the public page accepts — and is added once."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.utils import timezone
from stdnum.cn import ric, uscc

from accounts.models import Enterprise, User, WorkerProfile
from certificates import links, services, signing
from certificates.models import Certificate, CertificateEvent
from exams.models import Booking, ExamResult, PracticalSession, TheoryAttempt
from training.models import CampaignTarget, Enrollment, TrainingRecord

# serialized_rollback everywhere in this suite (see test_concurrency.py).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WORKERS = 2000


def test_seed_scale_adds_a_consistent_campaign_once(client):
    output = StringIO()
    call_command("seed_scale", workers=WORKERS, seed=1, stdout=output)
    assert "accounts_workerprofile" in output.getvalue()  # per-table timings
    assert "total" in output.getvalue()

    workers = WorkerProfile.objects.filter(user__username__startswith="scale")
    assert workers.count() == WORKERS
    _identities_are_valid(workers)
    _funnel_has_the_campaign_shape(workers)
    _histories_are_in_order(workers)
    _seats_add_up()
    _certificates_verify(workers, client)

    with pytest.raises(CommandError, match="already"):
        call_command("seed_scale", workers=10, seed=2, stdout=StringIO())
    assert WorkerProfile.objects.filter(user__username__startswith="scale").count() == WORKERS


def _identities_are_valid(workers):
    for number, birth_date, sex in workers.values_list("id_number", "birth_date", "sex"):
        assert ric.is_valid(number), number
        assert ric.get_birth_date(number) == birth_date
        assert (int(number[16]) % 2 == 1) == (sex == WorkerProfile.Sex.MALE)
    users = User.objects.filter(worker_profile__in=workers)
    assert not users.exclude(phone__regex=r"^\+86199[0-9]{8}$").exists()
    assert users.values("phone").distinct().count() == WORKERS
    assert not users.exclude(password__startswith="!").exists()  # no usable password
    assert not users.filter(is_active=False).exists()

    enterprises = Enterprise.objects.filter(workers__in=workers).distinct()
    assert all(uscc.is_valid(code) for code in enterprises.values_list("uscc", flat=True))
    assert enterprises.count() == WORKERS // 40  # 40 workers per enterprise on average
    assert not workers.exclude(industry=F("employer__industry")).exists()
    sizes = sorted(
        enterprises.annotate(size=Count("workers")).values_list("size", flat=True), reverse=True
    )
    assert sizes[0] > 3 * sizes[len(sizes) // 2]  # a long tail: the largest dwarf the median
    district_targets = CampaignTarget.objects.filter(district__isnull=False)
    assert 0.9 * 1.2 * WORKERS <= sum(t.target for t in district_targets) <= 1.1 * 1.2 * WORKERS


def _share(rows, workers) -> float:
    return rows.filter(worker__in=workers).values("worker").distinct().count() / WORKERS


def _funnel_has_the_campaign_shape(workers):
    assert _share(Enrollment.objects, workers) == pytest.approx(0.85, abs=0.04)
    assert _share(TrainingRecord.objects, workers) == pytest.approx(0.65, abs=0.04)
    assert _share(TheoryAttempt.objects, workers) == pytest.approx(0.45, abs=0.04)
    assert _share(Booking.objects, workers) == pytest.approx(0.30, abs=0.04)
    attempts = TheoryAttempt.objects.filter(worker__in=workers)
    assert attempts.filter(passed=False).count() / attempts.count() == pytest.approx(0.2, abs=0.05)
    bookings = Booking.objects.filter(worker__in=workers)
    statuses = dict(bookings.values_list("status").annotate(n=Count("pk")))
    assert statuses[Booking.Status.COMPLETED] > bookings.count() / 2
    assert {Booking.Status.NO_SHOW, Booking.Status.CANCELLED, Booking.Status.CONFIRMED} < set(
        statuses
    )
    results = ExamResult.objects.filter(worker__in=workers)
    assert results.count() == statuses[Booking.Status.COMPLETED]
    assert results.filter(passed=True).count() > 0.8 * results.count()


def _histories_are_in_order(workers):
    """enrolled ≤ trained ≤ theory ≤ booking ≤ result ≤ certificate, and nothing after now."""
    now = timezone.now()
    enrollments = Enrollment.objects.filter(worker__in=workers)
    assert not enrollments.filter(created_at__lt=F("worker__user__date_joined")).exists()
    assert not enrollments.filter(created_at__gt=now).exists()
    same_course = Enrollment.objects.filter(worker=OuterRef("worker"), course=OuterRef("course"))
    records = TrainingRecord.objects.filter(worker__in=workers).annotate(
        enrolled=Subquery(same_course.values("created_at")[:1]),
        enrollment_done=Subquery(same_course.values("completed_at")[:1]),
    )
    assert not records.filter(
        Q(enrolled__isnull=True)
        | Q(enrolled__gt=F("completed_at"))
        | ~Q(enrollment_done=F("completed_at"))
    ).exists()

    last_training = TrainingRecord.objects.filter(
        worker=OuterRef("worker"), course__exam_subjects=OuterRef("subject")
    ).order_by("-completed_at")
    attempts = TheoryAttempt.objects.filter(worker__in=workers).annotate(
        trained=Subquery(last_training.values("completed_at")[:1])
    )
    assert not attempts.exclude(status=TheoryAttempt.Status.SUBMITTED).exists()
    assert not attempts.filter(
        Q(trained__isnull=True)
        | Q(started_at__lt=F("trained"))
        | Q(submitted_at__lte=F("started_at"))
        | Q(submitted_at__gt=F("deadline"))
        | Q(deadline__gt=now)
    ).exists()

    bookings = Booking.objects.filter(worker__in=workers)
    assert not bookings.exclude(theory_attempt__passed=True).exists()
    assert not bookings.filter(
        Q(created_at__lt=F("theory_attempt__submitted_at"))
        | Q(created_at__lt=F("session__booking_opens_at"))
        | Q(created_at__gt=F("session__booking_closes_at"))
        | ~Q(subject=F("session__subject"))
        | ~Q(subject=F("theory_attempt__subject"))
        | Q(created_at__gt=now)
    ).exists()
    # A worker books again only after the day of the booking before (one live at a time).
    previous = {}
    for worker, subject, created, starts in bookings.order_by("pk").values_list(
        "worker", "subject", "created_at", "session__starts_at"
    ):
        key = (worker, subject)
        if key in previous:
            assert created > previous[key]
        previous[key] = starts

    results = ExamResult.objects.filter(worker__in=workers)
    assert not results.exclude(booking__status=Booking.Status.COMPLETED).exists()
    assert not results.filter(
        Q(decided_at__lte=F("booking__checked_in_at"))
        | Q(decided_at__gt=F("booking__session__ends_at"))
        | Q(decided_at__gt=now)
        | ~Q(theory_score=F("booking__theory_attempt__score"))
        | Q(passed=True, critical_failed=True)
        | Q(passed=True, practical_score__lt=F("subject__practical_pass_mark"))
    ).exists()
    for issued_on, decided_at in Certificate.objects.filter(holder__in=workers).values_list(
        "issued_on", "result__decided_at"
    ):
        assert issued_on == timezone.localdate(decided_at)


def _seats_add_up():
    sessions = PracticalSession.objects.annotate(
        holding=Count("bookings", filter=Q(bookings__status__in=Booking.SEAT_HOLDING))
    )
    assert sessions.filter(seats_taken__gt=0).exists()
    assert not sessions.exclude(seats_taken=F("holding")).exists()


def _certificates_verify(workers, client):
    passing = ExamResult.objects.filter(worker__in=workers, passed=True)
    assert passing.exists()
    assert not passing.annotate(n=Count("certificates")).exclude(n=1).exists()
    assert not Certificate.objects.filter(result__passed=False).exists()
    certificates = Certificate.objects.filter(holder__in=workers).select_related("subject")
    assert certificates.count() == passing.count()
    for certificate in certificates:
        compact = links.compact_of(certificate)
        assert signing.verify(certificate.token, compact, certificate.signature)
    assert (
        CertificateEvent.objects.filter(
            certificate__in=certificates, kind=CertificateEvent.Kind.ISSUED
        ).count()
        == certificates.count()
    )

    sample = certificates.order_by("pk")[len(certificates) // 2]
    found, outcome = services.certificate_verify(
        token=sample.token,
        compact=links.compact_of(sample),
        signature=sample.signature,
        channel="api",
    )
    assert (found, outcome) == (sample, "valid")
    response = client.get(links.verification_path(sample))  # what the QR code opens
    assert response.status_code == 200
    assert sample.number in response.content.decode()
    assert not sample.png  # nothing rendered: the page does not need the files
