"""The staff certificate scanner in a real browser: Chromium's fake camera films a certificate,
the page reads its QR code with the vendored barcode-detector polyfill (Linux Chromium has no
BarcodeDetector), checks the signature with WebCrypto and shows the full record; offline, a
scan is checked in the browser and queued, and sent when the connection returns."""

import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from certificates import links
from certificates.models import VerificationLog
from core.documents.qr import qr_png as share_qr_png
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.browser.test_practical import camera_file, log_in
from tests.certificates.builders import passed

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def portrait() -> bytes:
    """A stand-in ID photo: a head and shoulders on a blue background."""
    image = Image.new("RGB", (300, 400), "#4a7fc1")
    draw = ImageDraw.Draw(image)
    draw.ellipse((95, 70, 205, 200), fill="#f1c9a5")
    draw.rectangle((60, 230, 240, 400), fill="#223049")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG")
    return buffer.getvalue()


def certificate_image(certificate) -> bytes:
    """The certificate as drawn for the holder; its QR code alone until the drawing exists."""
    try:
        from certificates.rendering import certificate_png
    except ImportError:
        return share_qr_png(url=links.verification_url(certificate))
    return certificate_png(certificate)


@pytest.fixture
def filmed(chromium, live_server, reference_data, tmp_path, settings):
    """A passed worker's certificate, and a Chromium whose fake camera films it."""
    settings.WAGTAILADMIN_BASE_URL = live_server.url  # the QR code opens this server
    certificate, _result, staff = passed(real_name="张明远")
    certificate.holder.photo.save("holder.jpg", ContentFile(portrait()), save=True)
    video = tmp_path / "certificate.y4m"
    camera_file(certificate_image(certificate), video)
    camera = chromium.browser_type.launch(
        executable_path=CHROMIUM,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    context = camera.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield certificate, staff, page
    context.close()
    camera.close()


def test_centre_staff_scan_a_certificate_online_then_offline(filmed, live_server, shot):
    certificate, staff, page = filmed
    holder = certificate.holder
    context = page.context
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    log_in(page, staff["desk"].phone.removeprefix("+86"))
    page.goto("/certificates/scan/")
    expect(page.locator("[data-certificate-scanner]")).to_have_attribute("data-ready", "true")
    assert page.evaluate("'BarcodeDetector' in window") is False  # the polyfill's work
    shot(page, "certificate-scanner")

    # Online: the camera reads the code, the signature is genuine, the record is shown.
    page.get_by_test_id("start-camera").click()
    result = page.get_by_test_id("result")
    expect(result).to_have_attribute("data-state", "valid")
    expect(page.get_by_test_id("signature")).to_have_attribute("data-state", "genuine")
    expect(result.get_by_test_id("holder-name")).to_have_text("张明远")
    expect(result.get_by_test_id("holder-id")).to_have_text(holder.id_number)
    expect(result.get_by_test_id("number")).to_have_text(certificate.number)
    page.wait_for_function(
        "document.querySelector('[data-testid=result] img.photo')?.naturalWidth > 0"
    )
    shot(page, "certificate-scan-valid")
    first = VerificationLog.objects.get()
    assert first.actor == staff["desk"] and first.center == staff["center"]
    assert first.certificate == certificate and first.scanned_at is not None
    # Read in the page: no frame went to the server, nothing came from another host.
    assert not [url for url in requests if "/certificates/scan/decode/" in url]
    assert all(url.startswith(live_server.url) for url in requests), requests
    assert any(url.endswith("zxing_reader.wasm") for url in requests)

    # Offline: the signature is checked in the browser, the scan waits on the device.
    context.set_offline(True)
    page.get_by_test_id("start-camera").click()
    expect(result).to_have_attribute("data-state", "queued")
    expect(page.get_by_test_id("signature")).to_have_attribute("data-state", "genuine")
    expect(result.get_by_test_id("number")).to_have_text(certificate.number)
    expect(page.get_by_test_id("queue")).to_have_attribute("data-count", "1")
    shot(page, "certificate-scan-offline")
    assert VerificationLog.objects.count() == 1
    queued = page.evaluate(
        "JSON.parse(localStorage.getItem(Object.keys(localStorage)"
        ".find((key) => key.startsWith('anxun.certificates.scans.'))))"
    )
    assert [item["token"] for item in queued] == [certificate.token]

    # Back online: the queue is sent and the full answer replaces the offline one.
    context.set_offline(False)
    expect(page.get_by_test_id("queue")).to_have_attribute("data-count", "0")
    expect(result).to_have_attribute("data-state", "valid")
    expect(result.get_by_test_id("holder-name")).to_have_text("张明远")
    shot(page, "certificate-scan-queue-sent")
    logs = list(VerificationLog.objects.order_by("pk"))
    assert len(logs) == 2
    assert logs[1].actor == staff["desk"] and logs[1].certificate == certificate
    assert logs[1].scanned_at is not None
    assert abs((logs[1].scanned_at - queued_time(queued[0])).total_seconds()) < 0.01

    # A handheld scanner types an altered code: the signature is not genuine at once.
    url = links.verification_url(certificate)
    valid_until = certificate.valid_until.strftime("%Y%m%d")
    page.locator("#scanned").fill(url.replace(valid_until, "20991231"))
    page.locator("#scanned").press("Enter")
    expect(page.get_by_test_id("signature")).to_have_attribute("data-state", "bad")
    expect(result).to_have_attribute("data-state", "not_genuine")
    expect(result.get_by_test_id("record")).to_be_hidden()
    shot(page, "certificate-scan-not-genuine")
    assert VerificationLog.objects.latest("pk").outcome == "not_genuine"

    # The scan log lists the three scans, the offline one with the time it was made.
    page.locator("main a[href='/certificates/scan/log/']").click()
    expect(page.locator("table.data-table tbody tr")).to_have_count(3)
    expect(page.locator("table.data-table")).to_contain_text(certificate.number)
    shot(page, "certificate-scan-log")


def queued_time(item):
    from django.utils.dateparse import parse_datetime

    return parse_datetime(item["scanned_at"].replace("Z", "+00:00"))


def test_when_the_polyfill_cannot_load_frames_are_read_by_the_server(filmed):
    certificate, staff, page = filmed
    # The WebAssembly decoder does not arrive (a proxy blocks it, say): the last resort reads
    # camera frames on the server.
    page.route("**/zxing_reader.wasm", lambda route: route.abort())
    decoded = []
    page.on(
        "request",
        lambda request: decoded.append(request.url) if "/scan/decode/" in request.url else None,
    )
    log_in(page, staff["examiner"].phone.removeprefix("+86"))
    page.goto("/certificates/scan/")
    expect(page.locator("[data-certificate-scanner]")).to_have_attribute("data-ready", "true")
    page.get_by_test_id("start-camera").click()
    result = page.get_by_test_id("result")
    expect(result).to_have_attribute("data-state", "valid")
    expect(result.get_by_test_id("holder-name")).to_have_text("张明远")
    expect(page.get_by_test_id("signature")).to_have_attribute("data-state", "genuine")
    assert decoded
    log = VerificationLog.objects.get()
    assert log.actor == staff["examiner"] and log.certificate == certificate
