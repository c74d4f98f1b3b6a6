"""Practical-exam fixtures for tests: a centre with staff, a rubric, sessions, theory passes."""

import functools
import io
from datetime import UTC, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from accounts.models import Role
from exams.models import CenterStaff, ExamCenter, PracticalSession, RubricItem, TheoryAttempt
from tests.factories import (
    DistrictFactory,
    RoleAssignmentFactory,
    UserFactory,
    WorkerProfileFactory,
)

from . import builders

# 100 points in the four parts of the special-operations practice; two critical items.
RUBRIC = (
    ("tools", "正确选用并检查绝缘手套、绝缘鞋", 20, True),
    ("operation", "停电、验电、挂接地线操作规范", 40, False),
    ("hazards", "识别作业现场的触电隐患", 20, False),
    ("emergency", "触电事故的现场急救（心肺复苏）", 20, True),
)


def rubric(subject, items=RUBRIC) -> list[RubricItem]:
    return [
        RubricItem.objects.create(
            subject=subject, part=part, position=n, title=title, max_points=points, critical=crit
        )
        for n, (part, title, points, crit) in enumerate(items)
    ]


def center(*, code="xihu-1", subjects=(), district=None, **fields) -> ExamCenter:
    item = ExamCenter.objects.create(
        code=code,
        name=fields.pop("name", f"{code}考点"),
        district=district or DistrictFactory(),
        address=fields.pop("address", "杭州市西湖区文三路1号"),
        phone=fields.pop("phone", "0571-88880000"),
        **fields,
    )
    item.subjects.add(*subjects)
    return item


def staff(center, *, role=Role.CENTER_STAFF, supervisor=False, user=None):
    """A user holding ``role`` who works at ``center``."""
    user = user or UserFactory()
    RoleAssignmentFactory(user=user, role=role)
    CenterStaff.objects.create(center=center, user=user, supervisor=supervisor)
    return user


def session(
    *, center, subject, starts_in=timedelta(days=5), capacity=20, held_back=0, **fields
) -> PracticalSession:
    """A session starting ``starts_in`` from now, lasting 3 hours, booking open now."""
    now = timezone.now()
    starts_at = fields.pop("starts_at", now + starts_in)
    return PracticalSession.objects.create(
        center=center,
        subject=subject,
        starts_at=starts_at,
        ends_at=fields.pop("ends_at", starts_at + timedelta(hours=3)),
        capacity=capacity,
        held_back=held_back,
        booking_opens_at=fields.pop("booking_opens_at", min(now, starts_at) - timedelta(days=7)),
        booking_closes_at=fields.pop("booking_closes_at", starts_at),
        **fields,
    )


def theory_pass(worker, subject, *, at=None, score=90) -> TheoryAttempt:
    """A submitted, passed theory attempt (without going through the paper)."""
    at = at or timezone.now() - timedelta(days=1)
    number = TheoryAttempt.objects.filter(worker=worker, subject=subject).count() + 1
    builders.complete_training(worker, subject)
    return TheoryAttempt.objects.create(
        worker=worker,
        subject=subject,
        number=number,
        status=TheoryAttempt.Status.SUBMITTED,
        started_at=at - timedelta(hours=1),
        deadline=at + timedelta(hours=1),
        submitted_at=at,
        pass_mark=subject.pass_mark,
        score=score,
        passed=score >= subject.pass_mark,
    )


@functools.cache
def portrait() -> bytes:
    """A small 3:4 ID-style photo (a head and shoulders on blue), as a JPEG."""
    image = Image.new("RGB", (150, 200), "#4a7fc1")
    draw = ImageDraw.Draw(image)
    draw.ellipse((48, 35, 102, 100), fill="#f1c9a5")
    draw.rectangle((30, 115, 120, 200), fill="#223049")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def give_photo(worker) -> None:
    """Give ``worker`` an ID photo (a certificate is issued only to a holder with one)."""
    worker.photo.save("portrait.jpg", ContentFile(portrait()), save=True)


def candidate(subject, *, photo: bool = True, **worker_fields):
    """A worker with a valid theory pass in ``subject`` (and an ID photo unless ``photo`` is
    False)."""
    worker = WorkerProfileFactory(**worker_fields)
    if photo:
        give_photo(worker)
    theory_pass(worker, subject)
    return worker


def full_marks(subject) -> dict[int, int]:
    return {item.pk: item.max_points for item in RubricItem.objects.filter(subject=subject)}


def midday_time_zone() -> str:
    """A fixed-offset zone where it is now about midday, so "today" sessions starting in an
    hour (or that started an hour ago) fall on the local day whenever the tests run."""
    offset = 12 - timezone.now().astimezone(UTC).hour  # -11 … +12
    return f"Etc/GMT{-offset:+d}" if offset else "Etc/GMT"
