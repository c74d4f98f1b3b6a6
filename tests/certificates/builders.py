"""A passed practical exam with its certificate, for tests."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import Role
from certificates.models import Certificate
from exams.practical import services as practical
from tests.exams import builders
from tests.exams import practical_builders as pb


def passed(*, code="low-voltage", worker=None, photo_lost_before_scoring=False, **worker_fields):
    """Book, check in and score a pass: returns (certificate, result, staff) where staff holds
    the centre's desk user, examiner and centre. ``photo_lost_before_scoring`` deletes the
    worker's photo after check-in (a booking needs one, so it can only go missing later)."""
    from exams.models import Subject

    subject = Subject.objects.filter(code=code).first()
    if subject is None:
        subject = builders.subject(code=code)
        pb.rubric(subject)
    center = subject.centers.first() or pb.center(code=f"{code}-centre", subjects=[subject])
    desk = pb.staff(center)
    examiner = pb.staff(center, role=Role.EXAMINER)
    session = pb.session(
        center=center, subject=subject, starts_at=timezone.now() + timedelta(minutes=30)
    )
    if worker is None:
        worker = pb.candidate(subject, **worker_fields)
    else:
        pb.theory_pass(worker, subject)
    booking = practical.booking_create(worker=worker, session_id=session.pk)
    practical.checkin_confirm(user=desk, booking_id=booking.pk, center=center)
    if photo_lost_before_scoring:
        worker.photo.delete(save=True)
    practical.score_submit(examiner=examiner, booking_id=booking.pk, points=pb.full_marks(subject))
    booking.refresh_from_db()
    certificate = Certificate.objects.get(result=booking.result, replaces__isnull=True)
    return certificate, booking.result, {"desk": desk, "examiner": examiner, "center": center}
