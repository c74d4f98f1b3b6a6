"""A small campaign for dashboard tests: workers in two districts at every step of the funnel."""

from django.utils import timezone

from accounts.models import Role
from tests.certificates.builders import passed
from tests.exams import builders as exam_builders
from tests.exams import practical_builders as pb
from tests.factories import (
    DistrictFactory,
    EnterpriseFactory,
    RoleAssignmentFactory,
    WorkerProfileFactory,
)
from tests.training.builders import course
from training.models import CampaignTarget, Enrollment, TrainingRecord


def enrol(worker, on_course):
    return Enrollment.objects.create(worker=worker, course=on_course)


def train(worker, on_course):
    enrol(worker, on_course)
    return TrainingRecord.objects.create(
        worker=worker, course=on_course, hours=on_course.credit_hours, completed_at=timezone.now()
    )


def campaign():
    """Two districts: 西湖 with 4 workers (one certified), 上城 with 2 (one enrolled)."""
    xihu = DistrictFactory(code="330106", name="西湖区")
    shangcheng = DistrictFactory(code="330102", name="上城区")
    CampaignTarget.objects.create(district=xihu, target=10)
    CampaignTarget.objects.create(district=shangcheng, target=4)
    west = EnterpriseFactory(district=xihu, headcount=120)
    east = EnterpriseFactory(district=shangcheng, headcount=None)
    CampaignTarget.objects.create(enterprise=west, target=8)
    general = course(code="general")
    subject = exam_builders.subject(code="low-voltage")
    pb.rubric(subject)
    pb.center(code="xihu-1", subjects=[subject], district=xihu, name="西湖考点")
    certificate, _result, staff = passed(employer=west)  # trained, examined, certified
    holder = certificate.holder
    xihu_workers = [holder]
    for _n in range(3):
        xihu_workers.append(WorkerProfileFactory(employer=west))
    train(xihu_workers[1], general)
    enrol(xihu_workers[2], general)
    east_workers = [WorkerProfileFactory(employer=east) for _n in range(2)]
    enrol(east_workers[0], general)
    return {
        "xihu": xihu,
        "shangcheng": shangcheng,
        "west": west,
        "east": east,
        "course": general,
        "certificate": certificate,
        "center": staff["center"],
        "xihu_workers": xihu_workers,
        "east_workers": east_workers,
    }


def officer(district):
    return RoleAssignmentFactory(role=Role.DISTRICT_OFFICER, district=district).user


def bureau():
    return RoleAssignmentFactory(role=Role.BUREAU_OFFICER).user


def enterprise_admin(enterprise):
    return RoleAssignmentFactory(role=Role.ENTERPRISE_ADMIN, enterprise=enterprise).user
