"""A worker who has just taken (and passed) a practical exam, collected the certificate and
completed a course: three services to rate."""

from accounts.models import Role
from tests.certificates.builders import passed
from tests.exams import practical_builders as pb
from tests.factories import RoleAssignmentFactory
from tests.training.builders import course
from training.models import TrainingRecord


def served():
    certificate, result, staff = passed()
    worker = certificate.holder
    lessons = course(code="general-safety", title="企业职工安全生产通用知识")
    record = TrainingRecord.objects.create(
        worker=worker, course=lessons, hours=lessons.credit_hours, completed_at=result.decided_at
    )
    supervisor = pb.staff(staff["center"], supervisor=True)
    officer = RoleAssignmentFactory(
        role=Role.DISTRICT_OFFICER, district=staff["center"].district
    ).user
    return {
        "worker": worker,
        "booking": result.booking,
        "certificate": certificate,
        "record": record,
        "center": staff["center"],
        "desk": staff["desk"],
        "examiner": staff["examiner"],
        "supervisor": supervisor,
        "officer": officer,
    }
