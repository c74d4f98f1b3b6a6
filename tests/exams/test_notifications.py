"""A worker is told each exam result once, after it commits, in the site's language: by SMS,
and by e-mail where they gave an address."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from core.models import OutboundMessage
from exams import events, services
from exams.models import ExamResult
from exams.practical import services as practical
from tests.exams import builders
from tests.exams import practical_builders as pb
from tests.exams.practical_services.support import scored
from tests.factories import WorkerProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _midday(settings):
    settings.TIME_ZONE = pb.midday_time_zone()


@pytest.fixture
def subject():
    item = builders.subject()
    pb.rubric(item)
    return item


def sms_to(outbox, worker) -> list[str]:
    return [sms["text"] for sms in outbox if sms["phone"] == worker.user.phone]


def submitted(worker, subject, *, right: int):
    attempt = services.attempt_start(worker=worker, subject=subject)
    builders.answer_all(attempt, worker, right=right)
    return services.attempt_submit(attempt_id=attempt.pk, worker=worker)


# --- Theory ----------------------------------------------------------------------------------


def test_a_theory_pass_is_told_once_after_commit_in_chinese(
    subject, sms_outbox, mailoutbox, django_capture_on_commit_callbacks
):
    worker = WorkerProfileFactory()
    builders.complete_training(worker, subject)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        attempt = submitted(worker, subject, right=15)
    assert sms_outbox == []  # nothing leaves before the transaction commits
    for callback in callbacks:
        callback()
    [text] = sms_to(sms_outbox, worker)
    assert text.startswith("【安训】")
    assert worker.real_name in text and subject.name in text
    assert f"{attempt.score}" in text and "合格" in text
    assert "http://testserver/exams/practical/" in text
    assert mailoutbox == []  # no e-mail address, no e-mail

    # The same submit again (another tab, the sweep) is the same result: nothing more is sent.
    with django_capture_on_commit_callbacks(execute=True):
        services.attempt_submit(attempt_id=attempt.pk, worker=worker)
        services.attempt_submit(attempt_id=attempt.pk, automatic=True)
        events.attempt_submitted(actor=None, attempt=attempt)  # even a replayed event
    assert len(sms_to(sms_outbox, worker)) == 1
    assert OutboundMessage.objects.filter(dedupe_key=f"theory-result:{attempt.pk}").count() == 1


def test_a_theory_fail_names_the_pass_mark_and_links_to_the_answers(
    subject, sms_outbox, mailoutbox, django_capture_on_commit_callbacks
):
    worker = WorkerProfileFactory(user__email="wang@example.cn")
    builders.complete_training(worker, subject)
    with django_capture_on_commit_callbacks(execute=True):
        attempt = submitted(worker, subject, right=0)
    [text] = sms_to(sms_outbox, worker)
    assert "未通过" in text and f"{attempt.pass_mark}" in text
    assert f"http://testserver/exams/attempts/{attempt.pk}/result/" in text
    [mail] = mailoutbox
    assert mail.to == ["wang@example.cn"]
    assert mail.subject == "您的理论考试成绩"
    assert mail.body == text


@override_settings(LANGUAGE_CODE="en")
def test_the_theory_result_is_in_english_on_an_english_site(
    subject, sms_outbox, django_capture_on_commit_callbacks
):
    worker = WorkerProfileFactory()
    builders.complete_training(worker, subject)
    with django_capture_on_commit_callbacks(execute=True):
        submitted(worker, subject, right=15)
    [text] = sms_to(sms_outbox, worker)
    assert "you passed the theory exam" in text and "合格" not in text


# --- Practical -------------------------------------------------------------------------------


@pytest.fixture
def centre(subject):
    return pb.center(subjects=[subject])


@pytest.fixture
def desk(centre):
    return pb.staff(centre)


@pytest.fixture
def examiner(centre):
    from accounts.models import Role

    return pb.staff(centre, role=Role.EXAMINER)


@pytest.fixture
def supervisor(centre):
    from accounts.models import Role

    return pb.staff(centre, role=Role.EXAMINER, supervisor=True)


def checked_in(subject, centre, desk, **worker_fields):
    worker = pb.candidate(subject, **worker_fields)
    session = pb.session(
        center=centre, subject=subject, starts_at=timezone.now() + timedelta(minutes=30)
    )
    booking = practical.booking_create(worker=worker, session_id=session.pk)
    practical.checkin_confirm(user=desk, booking_id=booking.pk, center=centre)
    return worker, booking


def test_a_practical_fail_is_told_once_and_links_to_the_results(
    subject, centre, desk, examiner, sms_outbox, mailoutbox, django_capture_on_commit_callbacks
):
    worker, booking = checked_in(subject, centre, desk, user__email="li@example.cn")
    with django_capture_on_commit_callbacks(execute=True):
        practical.score_submit(examiner=examiner, booking_id=booking.pk, points=scored(subject, 50))
    result = ExamResult.objects.get(booking=booking)
    results = [text for text in sms_to(sms_outbox, worker) if "实操考试" in text]
    assert len(results) == 1
    [text] = results
    assert "未通过" in text and "50" in text
    assert "http://testserver/exams/practical/bookings/" in text
    assert [mail.subject for mail in mailoutbox if "实操" in mail.subject] == ["您的实操考试成绩"]

    with django_capture_on_commit_callbacks(execute=True):
        events.result_decided(actor=examiner, result=result)  # a replay sends nothing more
    assert len([text for text in sms_to(sms_outbox, worker) if "实操考试" in text]) == 1


def test_a_practical_pass_is_told_and_then_the_certificate_with_its_link(
    subject, centre, desk, examiner, sms_outbox, django_capture_on_commit_callbacks
):
    worker, booking = checked_in(subject, centre, desk)
    with django_capture_on_commit_callbacks(execute=True):
        practical.score_submit(
            examiner=examiner, booking_id=booking.pk, points=pb.full_marks(subject)
        )
    result_text, certificate_text = sms_to(sms_outbox, worker)[-2:]
    assert "实操考试" in result_text and "合格" in result_text and "100" in result_text
    certificate = ExamResult.objects.get(booking=booking).certificates.get()
    assert certificate.number in certificate_text
    assert f"http://testserver/v/{certificate.token}?" in certificate_text


def test_a_corrected_fail_is_told_with_the_new_result(
    subject, centre, desk, examiner, supervisor, sms_outbox, django_capture_on_commit_callbacks
):
    worker, booking = checked_in(subject, centre, desk)
    with django_capture_on_commit_callbacks(execute=True):
        practical.score_submit(examiner=examiner, booking_id=booking.pk, points=scored(subject, 70))
        practical.result_correct(
            supervisor=supervisor,
            booking_id=booking.pk,
            points=scored(subject, 82),
            reason="计分错误，重新合计",
        )
    first, corrected = [text for text in sms_to(sms_outbox, worker) if "实操考试" in text]
    assert "未通过" in first and "70" in first
    assert "更正" in corrected and "82" in corrected and "合格" in corrected


@override_settings(LANGUAGE_CODE="en")
def test_the_practical_result_is_in_english_on_an_english_site(
    subject, centre, desk, examiner, sms_outbox, django_capture_on_commit_callbacks
):
    worker, booking = checked_in(subject, centre, desk)
    with django_capture_on_commit_callbacks(execute=True):
        practical.score_submit(examiner=examiner, booking_id=booking.pk, points=scored(subject, 50))
    assert any(
        "practical exam in" in text and "not passed" in text for text in sms_to(sms_outbox, worker)
    )
