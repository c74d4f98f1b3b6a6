"""A real-name correction, end to end: the worker (on a phone) asks to correct the name on their
certificate, the bureau officer (desktop) approves it, and the worker's certificate now shows
the new name while the old certificate's public page reads replaced."""

import io
import re

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from PIL import Image
from playwright.sync_api import expect

from accounts import services
from accounts.models import Role
from certificates.models import Certificate
from tests.certificates.builders import passed
from tests.exams import practical_builders as pb
from tests.factories import PASSWORD, UserFactory


@pytest.fixture(autouse=True)
def _midday(settings):
    settings.TIME_ZONE = pb.midday_time_zone()


def jpeg(size) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (225, 228, 236)).save(buffer, format="JPEG")
    return buffer.getvalue()


def log_in(page, phone: str, *, then: str) -> None:
    page.goto(f"/accounts/login/?next={then}")
    page.locator("input[name=login]").fill(phone)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(re.escape(then) + "$"))


def english(page, live_server) -> None:
    page.context.add_cookies(
        [{"name": django_settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
    )


def test_worker_corrects_their_name_and_the_certificate_is_reissued(
    chromium, live_server, phone_page, page, shot
):
    certificate, _result, _staff = passed(real_name="王建国", user__phone="+8613700000021")
    worker = certificate.holder
    worker.photo.save("holder.jpg", ContentFile(jpeg((600, 800))), save=True)
    bureau = UserFactory(phone="+8613700000022")
    services.role_grant(user=bureau, role=Role.BUREAU_OFFICER, actor=None)

    # The worker, on a phone: the name is fixed, so they ask for a correction.
    log_in(phone_page, "13700000021", then="/me/profile/")
    expect(phone_page.locator("input[name=real_name]")).to_be_disabled()
    expect(phone_page.locator("input[name=photo]")).to_have_count(0)
    shot(phone_page, "correction-profile-fixed-390-zh")
    phone_page.get_by_test_id("request-correction").click()
    expect(phone_page.locator("h1")).to_have_text("申请更正")
    phone_page.get_by_label("更正后的姓名").fill("李建国")
    phone_page.get_by_label("原因").fill("注册时把姓写错了，身份证上是李")
    phone_page.locator("input[name=evidence]").set_input_files(
        files=[{"name": "id-card.jpg", "mimeType": "image/jpeg", "buffer": jpeg((1200, 760))}]
    )
    shot(phone_page, "correction-new-390-zh")
    phone_page.get_by_role("button", name="提交申请").click()
    phone_page.wait_for_url(re.compile(r"/me/profile/$"))
    expect(phone_page.locator("#corrections")).to_contain_text("待处理")
    expect(phone_page.locator("#corrections")).to_contain_text("李建国")
    shot(phone_page, "correction-pending-390-zh")

    # The bureau officer, at a desk: the list, the request with its evidence, approve.
    log_in(page, "13700000022", then="/corrections/")
    shot(page, "correction-list-desktop-zh")
    page.get_by_role("link", name="王建国").click()
    expect(page.get_by_test_id("asked-name")).to_have_text("李建国")
    expect(page.get_by_test_id("evidence")).to_be_visible()
    assert page.get_by_test_id("evidence").evaluate("img => img.naturalWidth") > 0
    shot(page, "correction-detail-desktop-zh")
    page.get_by_label("决定理由").fill("已与身份证扫描件核对一致")
    page.get_by_role("button", name="通过").click()
    expect(page.get_by_test_id("correction-status")).to_have_text("已通过")
    shot(page, "correction-approved-desktop-zh")

    # The worker's certificate now carries the new name; the old one reads replaced.
    new = Certificate.objects.get(replaces=certificate)
    phone_page.goto(f"/certificates/mine/{new.pk}/")
    expect(phone_page.locator("main")).to_contain_text("李建国")
    expect(phone_page.locator("main")).not_to_contain_text("王建国")
    shot(phone_page, "correction-new-certificate-390-zh")
    phone_page.goto(f"/v/{certificate.token}")
    expect(phone_page.locator("main")).to_contain_text("已换发")
    shot(phone_page, "correction-old-certificate-390-zh")
    phone_page.goto("/me/profile/")
    expect(phone_page.locator("#corrections")).to_contain_text("已通过")
    expect(phone_page.locator("input[name=real_name]")).to_have_value("李建国")

    # The same pages in English, to look at.
    english(phone_page, live_server)
    phone_page.goto("/me/profile/")
    shot(phone_page, "correction-profile-390-en")
    phone_page.goto("/me/corrections/new/")
    shot(phone_page, "correction-new-390-en")
    english(page, live_server)
    page.reload()
    shot(page, "correction-detail-desktop-en")
    page.goto("/corrections/?status=")
    shot(page, "correction-list-desktop-en")
    phone_page.context.clear_cookies()
    log_in(phone_page, "13700000022", then="/corrections/")
    phone_page.goto(f"/corrections/{new.holder.correction_requests.get().pk}/")
    shot(phone_page, "correction-detail-390-zh")
