"""Demo training: a course list, the general course, the hazardous-chemicals track and one
course per exam subject, with lessons and checkpoints (``seeding/data/courses.json``, loaded
by ``seeding.loaders.courses_load``); targets; a worker part-way through."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import District, Enterprise, User
from cms.models import HomePage
from seeding.loaders import courses_load, page_publish
from training import services
from training.models import (
    CampaignTarget,
    CourseIndexPage,
    CoursePage,
    LessonPage,
)

TARGETS = {
    "330102": 80000,
    "330105": 90000,
    "330106": 85000,
    "330108": 70000,
    "330109": 120000,
    "330110": 110000,
    "330111": 60000,
    "330112": 45000,
    "330113": 75000,
    "330114": 95000,
    "330122": 30000,
    "330127": 25000,
    "330182": 40000,
}


def _complete(profile, course, user, *, days_ago: int) -> None:
    """Study every lesson honestly (simulated heartbeats in the past) and answer its checkpoints."""
    enrollment = services.enrollment_create(worker=profile, course=course, actor=user)
    if enrollment.completed_at:
        return
    start = timezone.now() - timedelta(days=days_ago)
    for number, lesson in enumerate(course.lessons()):
        begin = start + timedelta(hours=number)
        for step in range(0, lesson.min_seconds + 16, 15):
            services.lesson_heartbeat(
                worker=profile, lesson=lesson, now=begin + timedelta(seconds=step)
            )
        answers = {c.pk: c.correct_choice for c in lesson.checkpoints.all()}
        services.lesson_checkpoints_answer(worker=profile, lesson=lesson, answers=answers)


def seed(*, stdout):
    home = HomePage.objects.get()
    index = CourseIndexPage.objects.first() or page_publish(
        parent=home,
        page=CourseIndexPage(
            title="在线课程",
            slug="courses",
            show_in_menus=True,
            intro="线上学习，学时自动记录。完成课程即可获得相应学时，作为参加理论考试的培训证明。",
        ),
    )
    courses_load(index=index)

    for code, target in TARGETS.items():
        district = District.objects.filter(code=code).first()
        if district:
            CampaignTarget.objects.get_or_create(district=district, defaults={"target": target})
    for enterprise in Enterprise.objects.exclude(headcount=None):
        assert enterprise.headcount is not None  # excluded above
        CampaignTarget.objects.get_or_create(
            enterprise=enterprise, defaults={"target": enterprise.headcount}
        )

    worker = User.objects.filter(phone="+8613800000001").select_related("worker_profile").first()
    if worker is not None:
        profile = worker.worker_profile
        general = CoursePage.objects.get(code="general-safety")
        enrollment = services.enrollment_create(worker=profile, course=general, actor=worker)
        if enrollment.completed_at is None and not enrollment.lesson_progress.exists():
            first = general.lessons().first()
            start = timezone.now() - timedelta(minutes=5)
            for step in range(0, 181, 15):  # three minutes of honest heartbeats
                services.lesson_heartbeat(
                    worker=profile, lesson=first, now=start + timedelta(seconds=step)
                )
        services.enrollment_create(
            worker=profile, course=CoursePage.objects.get(code="hazchem-special"), actor=worker
        )
    # A second demo worker has finished the electrician's training, so the demo can sit the
    # 低压电工作业 theory exam straight away.
    ready = User.objects.filter(phone="+8613900000001").select_related("worker_profile").first()
    if ready is not None:
        for days_ago, code in ((3, "general-safety"), (2, "low-voltage-electrician")):
            _complete(
                ready.worker_profile, CoursePage.objects.get(code=code), ready, days_ago=days_ago
            )
    stdout.write(
        f"Courses ready: {CoursePage.objects.count()} courses, {LessonPage.objects.count()} lessons."
    )
    return []
