"""A worker sits the timed theory exam in a real browser: answers are saved as given, a reload
finds them and the same clock, answers given offline are sent when back, the result shows."""

import re

import pytest
from playwright.sync_api import expect

from exams.models import AttemptAnswer, TheoryAttempt
from tests.exams import builders
from tests.factories import PASSWORD, WorkerProfileFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def seconds(clock_text: str) -> int:
    parts = [int(p) for p in clock_text.split(":")]
    return sum(p * 60**i for i, p in enumerate(reversed(parts)))


def answer(page, position: int):
    page.locator(f'fieldset[data-position="{position}"] input').first.check()


def test_exam_survives_reload_and_offline_then_shows_the_result(page, shot):
    subject = builders.subject()
    worker = WorkerProfileFactory(user__phone="+8613744440001")
    builders.complete_training(worker, subject)
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill("13744440001")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.goto("/exams/")
    page.get_by_role("button", name="开始考试").click()
    expect(page).to_have_url(re.compile(r"/exams/attempts/\d+/$"))
    attempt = TheoryAttempt.objects.get()
    total = len(attempt.paper)

    half = total // 2
    for position in range(half):
        answer(page, position)
    for position in range(half):
        expect(page.get_by_test_id(f"q-state-{position}")).to_have_text("已保存")
    expect(page.get_by_test_id("save-state")).to_have_text("答案已全部保存")
    before = seconds(page.get_by_test_id("time-left").inner_text())
    shot(page, "exam-half-answered")

    page.reload()
    for position in range(half):
        expect(page.locator(f'fieldset[data-position="{position}"] input').first).to_be_checked()
    after = seconds(page.get_by_test_id("time-left").inner_text())
    assert 0 <= before - after <= 5  # the same clock, not a fresh one

    page.context.set_offline(True)
    for position in range(half, half + 3):
        answer(page, position)
    expect(page.get_by_test_id("save-state")).to_contain_text("网络已断开")
    expect(page.get_by_test_id(f"q-state-{half}")).to_have_text("尚未保存")
    shot(page, "exam-offline")
    assert AttemptAnswer.objects.filter(attempt=attempt).count() == half
    page.context.set_offline(False)
    expect(page.get_by_test_id("save-state")).to_have_text("答案已全部保存", timeout=15_000)
    assert AttemptAnswer.objects.filter(attempt=attempt).count() == half + 3

    source = page.request.get(page.url).text()
    assert '"key"' not in source and "先验电" not in source  # no key, no explanation

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="交卷").click()
    expect(page).to_have_url(re.compile(r"/result/$"))
    attempt.refresh_from_db()
    expect(page.get_by_test_id("score")).to_have_text(str(attempt.score))
    shot(page, "exam-result")
    assert attempt.status == "submitted"


def test_an_answer_refused_by_a_busy_server_is_kept_and_sent_again(page):
    subject = builders.subject()
    worker = WorkerProfileFactory(user__phone="+8613744440002")
    builders.complete_training(worker, subject)
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill("13744440002")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.goto("/exams/")
    page.get_by_role("button", name="开始考试").click()
    expect(page).to_have_url(re.compile(r"/exams/attempts/\d+/$"))
    failures = {"left": 2}

    def busy_then_fine(route):
        if failures["left"]:
            failures["left"] -= 1
            route.fulfill(status=503, body="busy")
        else:
            route.continue_()

    page.route(re.compile(r"/answers/$"), busy_then_fine)
    answer(page, 0)
    expect(page.get_by_test_id("q-state-0")).to_have_text("尚未保存")
    # The page retries on its own (every 5 s) until the server takes it.
    expect(page.get_by_test_id("q-state-0")).to_have_text("已保存", timeout=20_000)
    assert AttemptAnswer.objects.filter(attempt__worker=worker, position=0).exists()
