"""A worker learns in a real browser: enrols, the lesson page's own heartbeats earn the time,
the checkpoint is answered, and the course's hours appear on 我的学习."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, WorkerProfileFactory
from tests.training import builders
from training.models import TrainingRecord

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_worker_enrols_studies_and_is_credited(page, settings, shot):
    settings.ANXUN_HEARTBEAT_SECONDS = 1  # the real script, on a fast clock
    course = builders.course(code="general", lessons=1, min_seconds=3, hours="4.0")
    worker = WorkerProfileFactory(user__phone="+8613766660001")
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill("13766660001")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.goto(course.url)
    page.get_by_role("button", name="报名参加本课程").click()
    expect(page.locator("h1")).to_have_text("第1课")
    # Only the page's heartbeats, sent while it is visible, earn the three seconds.
    expect(page.get_by_test_id("lesson-seconds")).to_have_text("3", timeout=15_000)
    shot(page, "lesson-time-earned")
    page.get_by_label("不能").check()
    page.get_by_role("button", name="提交答案").click()
    expect(page.locator(".messages")).to_contain_text("全部回答正确")
    page.goto("/training/learning/")
    # A few seconds measured: 0.0 of the course's 4 hours (the record is the time spent).
    expect(page.get_by_test_id("total-hours")).to_have_text("0.0")
    expect(page.locator(".learning-card")).to_contain_text("已完成 1 / 1 课时")
    shot(page, "my-learning")
    record = TrainingRecord.objects.get(worker=worker)
    assert record.hours == 0 and record.seconds >= 3


def test_my_learning_shows_each_courses_lessons_and_hours(page, shot):
    from tests.training.test_figures import enrolled_in_three

    worker = WorkerProfileFactory(user__phone="+8613766660003")
    enrolled_in_three(worker)
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill("13766660003")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.goto("/training/learning/")
    cards = page.locator(".learning-card")
    expect(cards).to_have_count(3)
    expect(page.get_by_test_id("total-hours")).to_have_text("1.5")
    texts = sorted(re.sub(r"\s+", " ", text) for text in cards.all_inner_texts())
    assert any("已完成 1 / 3 课时 · 最多 4.0 学时" in text for text in texts), texts
    assert any("已完成 0 / 2 课时 · 最多 6.0 学时" in text for text in texts), texts
    assert any("已完成 4 / 4 课时 · 已获 1.5 学时" in text for text in texts), texts
    shot(page, "my-learning-three-courses")


def test_a_hidden_page_earns_nothing(page, settings):
    settings.ANXUN_HEARTBEAT_SECONDS = 1
    course = builders.course(code="general", lessons=1, min_seconds=30)
    worker = WorkerProfileFactory(user__phone="+8613766660002")
    from training import services

    services.enrollment_create(worker=worker, course=course, actor=None)
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill("13766660002")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.goto(course.lessons().first().url)
    expect(page.get_by_test_id("lesson-seconds")).not_to_have_text("0", timeout=10_000)
    # Pretend the tab went to the background: the script stops asking.
    page.evaluate(
        "Object.defineProperty(document, 'visibilityState', {value: 'hidden', configurable: true});"
        "document.dispatchEvent(new Event('visibilitychange'));"
    )
    from training.models import LessonProgress

    earned = LessonProgress.objects.get().seconds_credited
    page.wait_for_timeout(3000)
    assert LessonProgress.objects.get().seconds_credited <= earned + 2  # one beat in flight at most
    assert re.fullmatch(r"\d+", page.get_by_test_id("lesson-seconds").inner_text())
