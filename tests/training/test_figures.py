"""The figures of 我的学习 and of the enterprise roster: real lesson counts, hours summed once."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from accounts.models import Role
from tests.factories import EnterpriseFactory, UserFactory, WorkerProfileFactory
from tests.training import builders
from training import services
from training.models import Enrollment, LessonProgress, TrainingRecord
from training.selectors import roster_progress

pytestmark = pytest.mark.django_db


def enrolled_in_three(worker):
    """Three courses of 3, 2 and 4 lessons; 1, 0 and 4 of them done; the last one credited."""
    courses = [
        builders.course(code="general", lessons=3, hours="4.0"),
        builders.course(code="height", title="高处作业", lessons=2, hours="6.0"),
        builders.course(code="welding", title="焊接与热切割作业", lessons=4, hours="8.0"),
    ]
    now = timezone.now()
    for course, done in zip(courses, (1, 0, 4), strict=True):
        enrollment = services.enrollment_create(worker=worker, course=course, actor=None)
        for lesson in list(course.lessons())[:done]:
            LessonProgress.objects.create(
                enrollment=enrollment,
                lesson=lesson,
                seconds_credited=lesson.min_seconds,
                checkpoints_passed=True,
                completed_at=now,
            )
    TrainingRecord.objects.create(
        worker=worker, course=courses[2], hours=Decimal("1.5"), seconds=5400, completed_at=now
    )
    return courses


def test_my_learning_shows_each_course_lesson_count(client):
    worker = WorkerProfileFactory()
    enrolled_in_three(worker)
    client.force_login(worker.user)
    response = client.get(reverse("training:learning"))
    lines = {
        enrollment.course.code: (enrollment.lessons_done, enrollment.lessons_total)
        for enrollment in response.context["enrollments"]
    }
    assert lines == {"general": (1, 3), "height": (0, 2), "welding": (4, 4)}
    html = response.content.decode()
    assert sorted(re.findall(r"已完成 (\d+) / (\d+) 课时", html)) == [
        ("0", "2"),
        ("1", "3"),
        ("4", "4"),
    ]
    # The completed course shows the hours credited; the others the most they can credit.
    assert "1.5 学时" in html and "最多 4.0 学时" in html and "8.0" not in html


def test_the_roster_sums_each_workers_hours_once_whatever_the_enrolments():
    enterprise = EnterpriseFactory()
    worker = WorkerProfileFactory(employer=enterprise)
    courses = enrolled_in_three(worker)
    TrainingRecord.objects.create(
        worker=worker,
        course=courses[0],
        hours=Decimal("0.5"),
        seconds=1800,
        completed_at=timezone.now(),
    )
    idle = WorkerProfileFactory(employer=enterprise)
    admin = UserFactory()
    account_services.role_grant(
        user=admin, role=Role.ENTERPRISE_ADMIN, actor=None, enterprise=enterprise
    )
    rows = {row.pk: row for row in roster_progress(viewer=admin)}
    assert rows[worker.pk].hours == Decimal("2.0")
    assert rows[worker.pk].courses_enrolled == 3
    assert rows[worker.pk].courses_completed == 0  # the records were written, not studied
    assert (rows[idle.pk].hours, rows[idle.pk].courses_enrolled) == (Decimal("0.0"), 0)


def test_the_roster_page_and_its_started_filter_show_the_hours_once(client):
    enterprise = EnterpriseFactory()
    worker = WorkerProfileFactory(employer=enterprise)
    enrolled_in_three(worker)
    admin = UserFactory()
    account_services.role_grant(
        user=admin, role=Role.ENTERPRISE_ADMIN, actor=None, enterprise=enterprise
    )
    client.force_login(admin)
    for query in ({}, {"started": "true"}):
        table = client.get(reverse("training:roster"), query).context["table"]
        [row] = table.page.object_list
        assert (row.record.hours, row.record.courses_enrolled) == (Decimal("1.5"), 3)


def test_a_completed_course_page_says_the_hours_credited_not_the_course_figure(client):
    worker = WorkerProfileFactory()
    courses = enrolled_in_three(worker)
    welding = courses[2]
    Enrollment.objects.filter(worker=worker, course=welding).update(completed_at=timezone.now())
    client.force_login(worker.user)
    html = client.get(welding.url).content.decode()
    assert "已完成：1.5 学时已计入您的培训记录。" in html
