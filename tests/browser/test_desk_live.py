"""Issue 16, item 9e: the certificate desk shows a certificate within seconds of it being drawn,
without reloading the page (``static/js/desk.js`` polls a small JSON status); and the pages
issue 16 changed for workers and centre staff, looked at on a phone and a desktop, in Chinese
and English (screenshots under test-results/screenshots/)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from certificates.models import Certificate
from certificates.storage import certificate_render
from exams.models import RubricItem
from exams.practical import services
from tests.exams import builders
from tests.exams import practical_builders as pb
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def log_in(page, phone: str) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(phone)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def passed_but_not_drawn(monkeypatch):
    """A candidate who passed at 西湖 today: the certificate is issued, its drawing held back."""
    import certificates.services

    subject = builders.subject()
    pb.rubric(subject)
    center = pb.center(code="xihu", subjects=[subject], name="西湖区安全生产考试中心")
    desk = pb.staff(center, user=UserFactory(phone="+8613744440201"))
    examiner = pb.staff(center, role=Role.EXAMINER)
    session = pb.session(
        center=center, subject=subject, starts_at=timezone.now() + timedelta(minutes=20)
    )
    worker = pb.candidate(subject, real_name="张明远")
    booking = services.booking_create(worker=worker, session_id=session.pk)
    services.checkin_confirm(user=desk, booking_id=booking.pk, center=center)
    with monkeypatch.context() as patched:
        patched.setattr(certificates.services, "_render_later", lambda certificate: None)
        services.score_submit(
            examiner=examiner, booking_id=booking.pk, points=pb.full_marks(subject)
        )
    return Certificate.objects.get(result__booking=booking)


def test_the_desk_shows_the_certificate_within_seconds_of_it_being_drawn(page, shot, monkeypatch):
    certificate = passed_but_not_drawn(monkeypatch)
    page.set_default_navigation_timeout(60_000)  # a loaded machine's first page may be slow
    log_in(page, "13744440201")
    desk = page.context.new_page()
    desk.set_default_navigation_timeout(60_000)
    desk.goto("/centre/xihu/desk/")
    row = desk.get_by_test_id("desk-row").first
    expect(row).to_contain_text("正在生成")
    page.goto(f"/centre/xihu/desk/{certificate.pk}/")
    expect(page.get_by_test_id("being-drawn")).to_be_visible()
    expect(page.get_by_test_id("print")).to_be_hidden()
    page.evaluate("window.stillTheSamePage = true")
    desk.evaluate("window.stillTheSamePage = true")
    certificate_render(certificate_id=certificate.pk)
    expect(page.get_by_test_id("certificate-image")).to_be_visible(timeout=10_000)
    expect(page.get_by_test_id("print")).to_be_visible()
    expect(page.get_by_test_id("being-drawn")).to_have_count(0)
    assert page.evaluate("window.naturalWidth = document.querySelector('img').naturalWidth") > 0
    assert page.evaluate("window.stillTheSamePage") is True  # shown without reloading
    expect(row).to_contain_text("可打印", timeout=12_000)
    assert desk.evaluate("window.stillTheSamePage") is True
    shot(page, "desk-certificate-drawn")
    shot(desk, "desk-list-drawn")


VIEWS = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 900}},
}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("view", list(VIEWS))
def test_the_pages_issue_16_changed_fit_a_phone_and_a_desktop(
    chromium, live_server, reference_data, shot, view, language
):
    subject = builders.subject()
    pb.rubric(subject)
    center = pb.center(code="xihu", subjects=[subject], name="西湖区安全生产考试中心")
    desk = pb.staff(center, user=UserFactory(phone="+8613744440202"))
    examiner = pb.staff(center, role=Role.EXAMINER, user=UserFactory(phone="+8613744440203"))
    future = pb.session(center=center, subject=subject)
    started = pb.session(
        center=center, subject=subject, starts_at=timezone.now() + timedelta(minutes=30)
    )
    failed = pb.candidate(subject, real_name="李未过", user=UserFactory(phone="+8613744440204"))
    late = pb.candidate(subject, real_name="王已开", user=UserFactory(phone="+8613744440205"))
    checked = pb.candidate(subject, real_name="赵待评")
    no_photo = pb.candidate(subject, photo=False, user=UserFactory(phone="+8613744440206"))
    booking, late_booking, waiting = (
        services.booking_create(worker=worker, session_id=started.pk)
        for worker in (failed, late, checked)
    )
    marks = pb.full_marks(subject)
    gloves = RubricItem.objects.get(subject=subject, title__startswith="正确选用")
    hazards = RubricItem.objects.get(subject=subject, title__startswith="识别")
    marks[hazards.pk] = 8
    for candidate in (booking, waiting):
        services.checkin_confirm(user=desk, booking_id=candidate.pk, center=center)
    services.score_submit(
        examiner=examiner,
        booking_id=booking.pk,
        points=marks,
        critical_failed=[gloves.pk],
        notes={gloves.pk: "未检查手套是否漏气", hazards.pk: "漏报了配电箱门未关"},
    )
    # 王已开's session has started: no reschedule, no cancel.
    type(started).objects.filter(pk=started.pk).update(
        booking_opens_at=timezone.now() - timedelta(days=2),
        booking_closes_at=timezone.now() - timedelta(minutes=10),
        starts_at=timezone.now() - timedelta(minutes=5),
    )

    context = chromium.new_context(base_url=live_server.url, **VIEWS[view])
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    tag = f"{view}-{language}"

    def look(url: str, name: str) -> None:
        page.goto(url)
        shot(page, f"issue16-{name}-{tag}")
        if view == "phone":
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"{name} scrolls sideways on a phone"

    log_in(page, str(no_photo.user.phone).replace("+86", ""))
    look(f"/exams/practical/sessions/{future.pk}/", "booking-needs-photo")
    expect(page.get_by_test_id("upload-photo")).to_be_visible()
    look("/admin/", "admin-no-access")
    expect(page.get_by_test_id("admin-no-access")).to_be_visible()
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    log_in(page, "13744440204")
    look("/exams/practical/bookings/", "failed-items")
    expect(page.get_by_test_id("shortfall")).to_have_count(2)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    log_in(page, "13744440205")
    look("/exams/practical/bookings/", "started-booking")
    expect(page.get_by_test_id("session-started")).to_be_visible()
    assert late_booking.session_id == started.pk
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    log_in(page, "13744440203")
    look(f"/centre/xihu/bookings/{waiting.pk}/score/", "score-with-notes")
    look("/centre/xihu/sessions/new/", "session-form")
    context.close()
