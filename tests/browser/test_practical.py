"""The practical exam in real browsers: a worker books a seat and opens the admission ticket; at
the centre, the desk scans the ticket with a camera (Chromium's fake camera playing the ticket
image; the QR is decoded for real) and checks the worker in; an examiner scores a pass."""

import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from accounts.models import Role
from exams.models import Booking, ExamResult
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.exams import builders
from tests.exams import practical_builders as pb
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FRAME = (1280, 960)


def log_in(page, phone: str) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(phone)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def camera_file(png: bytes, path) -> None:
    """A Y4M video (what Chromium's fake camera plays) showing the image on a white frame."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    image.thumbnail((FRAME[0] - 40, FRAME[1] - 40))
    frame = Image.new("RGB", FRAME, "white")
    frame.paste(image, ((FRAME[0] - image.width) // 2, (FRAME[1] - image.height) // 2))
    y, cb, cr = frame.convert("YCbCr").split()
    half = (FRAME[0] // 2, FRAME[1] // 2)
    planes = y.tobytes() + cb.resize(half).tobytes() + cr.resize(half).tobytes()
    with open(path, "wb") as video:
        video.write(f"YUV4MPEG2 W{FRAME[0]} H{FRAME[1]} F5:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(5):
            video.write(b"FRAME\n" + planes)


def test_book_open_ticket_scan_check_in_and_score_a_pass(
    chromium, live_server, reference_data, page, shot, tmp_path, settings
):
    settings.TIME_ZONE = pb.midday_time_zone()  # "today" at any hour the suite runs
    subject = builders.subject()
    pb.rubric(subject)
    center = pb.center(code="xihu", subjects=[subject], name="西湖区安全生产考试中心")
    session = pb.session(
        center=center, subject=subject, starts_at=timezone.now() + timedelta(minutes=20)
    )
    worker = pb.candidate(subject, user__phone="+8613744440101", real_name="张明远")
    pb.staff(center, user=UserFactory(phone="+8613744440102"))
    pb.staff(center, role=Role.EXAMINER, user=UserFactory(phone="+8613744440103"))

    # The worker books and opens the ticket.
    log_in(page, "13744440101")
    page.goto(f"/exams/practical/sessions/{session.pk}/")
    shot(page, "practical-session")
    page.get_by_test_id("book").click()
    expect(page).to_have_url(re.compile(r"/exams/practical/bookings/$"))
    expect(page.get_by_test_id("booking-status")).to_have_text("已确认")
    page.get_by_test_id("ticket-link").click()
    ticket = page.get_by_test_id("ticket-image")
    expect(ticket).to_be_visible()
    page.wait_for_function("document.querySelector('[data-testid=ticket-image]').naturalWidth > 0")
    shot(page, "practical-ticket")
    png = page.request.get(ticket.get_attribute("src")).body()
    booking = Booking.objects.get(worker=worker)

    # The desk scans the ticket with a camera that films it.
    video = tmp_path / "ticket.y4m"
    camera_file(png, video)
    camera = chromium.browser_type.launch(
        executable_path=CHROMIUM,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    try:
        context = camera.new_context(
            base_url=live_server.url, viewport={"width": 1280, "height": 900}
        )
        desk = context.new_page()
        desk.set_default_timeout(20_000)
        log_in(desk, "13744440102")
        desk.goto("/centre/xihu/check-in/")
        desk.locator("[data-scanner-start]").click()
        candidate = desk.get_by_test_id("candidate")
        expect(candidate).to_contain_text("张明远")
        expect(candidate).to_contain_text(worker.id_number)
        shot(desk, "practical-check-in")
        desk.get_by_test_id("confirm").click()
        expect(desk.locator(".messages")).to_contain_text("张明远")
        context.close()
    finally:
        camera.close()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CHECKED_IN

    # The examiner scores a pass on the tablet form.
    examiner = chromium.new_context(
        base_url=live_server.url, viewport={"width": 1024, "height": 1366}, has_touch=True
    ).new_page()
    examiner.set_default_timeout(15_000)
    log_in(examiner, "13744440103")
    examiner.goto(f"/centre/xihu/bookings/{booking.pk}/score/")
    for field in examiner.locator(".score-form input[type=number]").all():
        field.fill(field.get_attribute("max"))
    expect(examiner.locator("[data-score-total]")).to_have_text("100")
    shot(examiner, "practical-score")
    examiner.once("dialog", lambda dialog: dialog.accept())
    examiner.get_by_test_id("submit-score").click()
    # 即考即领: the pass opens the certificate desk, where the drawn certificate appears.
    expect(examiner).to_have_url(re.compile(r"/centre/xihu/desk/\d+/$"))
    expect(examiner.get_by_test_id("certificate-image")).to_be_visible()
    shot(examiner, "certificate-desk")
    examiner.goto(f"/centre/xihu/sessions/{session.pk}/")
    shot(examiner, "practical-roster")
    examiner.context.close()
    result = ExamResult.objects.get(booking=booking)
    assert result.passed and result.practical_score == 100
    assert result.certificates.get().png


def test_check_in_holds_a_phone_width_in_large_text(phone_page, shot):
    """Centre staff check candidates in on a phone, often in large text: the scanner panel
    (camera, code field and its button) must not push the page wider than the screen."""
    subject = builders.subject()
    center = pb.center(code="xihu", subjects=[subject], name="西湖区安全生产考试中心")
    pb.staff(center, user=UserFactory(phone="+8613744440104"))
    page = phone_page
    log_in(page, "13744440104")
    page.get_by_role("button", name="菜单").click()
    page.get_by_role("button", name="大字模式").click()
    expect(page.locator("html")).to_have_class(re.compile("text-large"))
    page.goto("/centre/xihu/check-in/")
    expect(page.locator("[data-scanner-input]")).to_be_visible()
    shot(page, "practical-check-in-phone-large-text")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the check-in page scrolls sideways on a phone in large text"
