"""The drawn certificate (PNG and PDF): its QR code, read back with a real decoder, opens the
verification page; a one-byte change is refused; drawing is idempotent and private; the
holder's name is drawn with real glyphs or not at all."""

import io
import re
import subprocess
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import zxingcpp
from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext
from PIL import Image
from reportlab.pdfbase import pdfmetrics

from accounts.models import Role
from certificates import links, rendering, services, storage
from certificates.models import Certificate, CertificateEvent, Status
from certificates.rendering import RENDER_VERSION, certificate_pdf, certificate_png
from certificates.storage import certificate_render
from certificates.tasks import render_certificate
from core.documents import fonts
from core.documents.fonts import FontUnavailable, reportlab_cjk_font
from tests.exams.test_practical_tickets import PHOTO_COLOUR, photo_jpeg, share_of
from tests.factories import RoleAssignmentFactory, UserFactory

from .builders import passed

pytestmark = pytest.mark.django_db

NAME = "欧阳翀"  # 翀 is rare enough to be worth checking against the font
STATUS = re.compile(r'data-testid="status">\s*([^<]*?)\s*<')


@pytest.fixture
def private_root(settings, tmp_path):
    """A private storage of this test's own, so files can be counted."""
    root = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": root}},
    }
    return root


def certificate_with_photo(name=NAME) -> Certificate:
    """A certificate whose photo (its copy, taken at issue) is the red-jacket portrait."""
    certificate, _result, _staff = passed(real_name=name)
    certificate.holder.photo.save("portrait.jpg", ContentFile(photo_jpeg()), save=True)
    certificate.holder_photo.save("portrait.jpg", ContentFile(photo_jpeg()), save=True)
    return Certificate.objects.select_related("holder", "subject", "center").get(pk=certificate.pk)


def files(root: Path) -> list[Path]:
    """The drawn files (not the holders' photos, which are stored there too)."""
    return sorted(
        path
        for path in root.rglob("*")
        if path.is_file() and "photos" not in path.relative_to(root).parts
    )


def decoded(image: Image.Image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(image.convert("RGB"))]


def page_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def status_text(response) -> str:
    return STATUS.search(response.content.decode()).group(1)


def rasterised(pdf: bytes, tmp_path, dpi=150) -> Image.Image:
    source = tmp_path / "certificate.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-png", "-singlefile", source, tmp_path / "page"],
        check=True,
        timeout=60,
    )
    return Image.open(tmp_path / "page.png")


def pdf_text(pdf: bytes, tmp_path) -> str:
    source = tmp_path / "certificate.pdf"
    source.write_bytes(pdf)
    done = subprocess.run(["pdftotext", source, "-"], check=True, capture_output=True, timeout=60)
    return "".join(done.stdout.decode().split())


def flipped(text: str, index: int) -> str:
    """``text`` with one character changed (still URL-safe)."""
    return text[:index] + ("A" if text[index] != "A" else "B") + text[index + 1 :]


# --- The QR code opens the record ------------------------------------------------------------


def test_the_rendered_png_scans_to_the_verification_page_which_says_valid(private_root, client):
    certificate = certificate_with_photo()

    assert certificate_render(certificate_id=certificate.pk) == "rendered"

    certificate.refresh_from_db()
    image = Image.open(private_root / certificate.png.name)
    assert image.format == "PNG"
    assert image.size == (3508, 2480)  # A4 landscape at 300 dpi
    assert round(image.info["dpi"][0]) == 300
    (result,) = zxingcpp.read_barcodes(image.convert("RGB"))
    assert result.format == zxingcpp.BarcodeFormat.QRCode
    assert result.ec_level == "M"
    assert result.text == links.verification_url(certificate)
    assert result.text.startswith(settings.WAGTAILADMIN_BASE_URL + f"/v/{certificate.token}?")

    response = client.get(page_of(result.text))
    assert response.status_code == 200
    with translation.override(settings.LANGUAGE_CODE):
        assert status_text(response) == str(Status.VALID.label)
    assert certificate.number in response.content.decode()


@pytest.mark.parametrize("part", ["s", "c"])
def test_one_changed_byte_of_the_signed_url_is_not_genuine(part, private_root, client):
    certificate = certificate_with_photo()
    certificate_render(certificate_id=certificate.pk)
    certificate.refresh_from_db()
    (url,) = decoded(Image.open(private_root / certificate.png.name))
    path, query = page_of(url).split("?")
    fields = dict(pair.split("=", 1) for pair in query.split("&"))
    fields[part] = flipped(fields[part], len(fields[part]) // 2)

    response = client.get(path + "?" + "&".join(f"{k}={v}" for k, v in fields.items()))

    assert response.status_code == 404
    with translation.override(settings.LANGUAGE_CODE):
        assert status_text(response) == gettext("Not found, or not genuine")
    assert 'data-testid="number"' not in response.content.decode()  # no record is shown


def test_the_pdf_rasterised_scans_too_and_carries_the_full_record(private_root, tmp_path, client):
    certificate = certificate_with_photo()
    certificate_render(certificate_id=certificate.pk)
    certificate.refresh_from_db()
    pdf = (private_root / certificate.pdf.name).read_bytes()
    assert pdf.startswith(b"%PDF-")

    page = rasterised(pdf, tmp_path)
    assert abs(page.width - 297 / 25.4 * 150) <= 2
    assert abs(page.height - 210 / 25.4 * 150) <= 2
    (url,) = decoded(page)
    assert url == links.verification_url(certificate)
    assert client.get(page_of(url)).status_code == 200

    text = pdf_text(pdf, tmp_path)
    holder = certificate.holder
    # The holder's own document: the full name and the full ID number.
    for fact in (NAME, holder.id_number, certificate.number, certificate.subject.name):
        assert fact in text
    assert certificate.issuer in text
    assert certificate.center.name in text


def test_the_photo_is_on_the_certificate(private_root):
    certificate = certificate_with_photo()
    image = Image.open(io.BytesIO(certificate_png(certificate, dpi=150)))
    scale = 150 / 25.4
    inset = 3
    box = (
        round((rendering.PHOTO_X + inset) * scale),
        round((rendering.PHOTO_Y + inset) * scale),
        round((rendering.PHOTO_X + rendering.PHOTO_W - inset) * scale),
        round((rendering.PHOTO_Y + rendering.PHOTO_H - inset) * scale),
    )
    assert share_of(image.crop(box), PHOTO_COLOUR) > 0.4  # the red jacket
    assert decoded(image) == [links.verification_url(certificate)]  # 150 dpi scans too


def test_drawing_makes_no_query_when_the_relations_are_selected(django_assert_num_queries):
    certificate = certificate_with_photo()
    with django_assert_num_queries(0):
        certificate_png(certificate, dpi=100)
        certificate_pdf(certificate)


def test_png_refuses_absurd_dpi():
    with pytest.raises(ValueError):
        certificate_png(certificate_with_photo(), dpi=2400)


def test_labels_follow_the_active_language_but_stored_files_the_sites(private_root, tmp_path):
    certificate = certificate_with_photo()
    with translation.override("en"):
        assert "Fullname" in pdf_text(certificate_pdf(certificate), tmp_path)
        certificate_render(certificate_id=certificate.pk)
    certificate.refresh_from_db()
    stored = pdf_text((private_root / certificate.pdf.name).read_bytes(), tmp_path)
    with translation.override(settings.LANGUAGE_CODE):
        label = gettext("Full name")  # drawn spread out (姓 … 名), one glyph at a time
    assert label != "Full name" and all(char in stored for char in label)
    assert "Fullname" not in stored


# --- Idempotent, private, one file each ------------------------------------------------------


def test_rendering_twice_and_the_task_twice_leave_one_png_one_pdf_one_event(private_root):
    certificate = certificate_with_photo()

    assert certificate_render(certificate_id=certificate.pk) == "rendered"
    assert certificate_render(certificate_id=certificate.pk) == "unchanged"
    assert render_certificate.apply(args=[certificate.pk]).get() == "unchanged"
    assert render_certificate.apply(args=[certificate.pk]).get() == "unchanged"

    certificate.refresh_from_db()
    assert Certificate.objects.count() == 1
    png, pdf = storage.file_names(certificate)
    assert (certificate.png.name, certificate.pdf.name) == (png, pdf)
    assert files(private_root) == [private_root / pdf, private_root / png]
    assert certificate.rendered_version == RENDER_VERSION
    assert certificate.rendered_at is not None
    (event,) = CertificateEvent.objects.filter(
        certificate=certificate, kind=CertificateEvent.Kind.RENDERED
    )
    assert event.data["version"] == RENDER_VERSION
    assert event.data["png"] == png
    # Nothing in the public media directory: the files hold a photo and an ID number.
    assert not (Path(settings.MEDIA_ROOT) / "certificates").exists()


def test_a_new_template_version_draws_again_over_the_same_files(private_root, monkeypatch):
    certificate = certificate_with_photo()
    certificate_render(certificate_id=certificate.pk)
    before = files(private_root)

    monkeypatch.setattr(rendering, "RENDER_VERSION", RENDER_VERSION + 1)
    assert certificate_render(certificate_id=certificate.pk) == "rendered"
    assert certificate_render(certificate_id=certificate.pk) == "unchanged"

    certificate.refresh_from_db()
    assert certificate.rendered_version == RENDER_VERSION + 1
    assert files(private_root) == before
    events = CertificateEvent.objects.filter(
        certificate=certificate, kind=CertificateEvent.Kind.RENDERED
    )
    assert [event.data["version"] for event in events] == [RENDER_VERSION, RENDER_VERSION + 1]


def test_a_missing_file_is_drawn_again(private_root):
    certificate = certificate_with_photo()
    certificate_render(certificate_id=certificate.pk)
    certificate.refresh_from_db()
    (private_root / certificate.pdf.name).unlink()

    assert certificate_render(certificate_id=certificate.pk) == "rendered"
    assert len(files(private_root)) == 2


def test_a_recorded_review_re_signs_and_the_new_drawing_carries_the_new_code(private_root, client):
    certificate = certificate_with_photo()
    # Issued two years ago, so that a review today moves its dates.
    Certificate.objects.filter(pk=certificate.pk).update(
        issued_on=F("issued_on") - timedelta(days=730),
        review_due=F("review_due") - timedelta(days=730),
        valid_until=F("valid_until") - timedelta(days=730),
    )
    certificate_render(certificate_id=certificate.pk)
    officer = UserFactory()
    RoleAssignmentFactory(user=officer, role=Role.BUREAU_OFFICER)
    services.certificate_review_record(
        actor=officer, certificate_id=certificate.pk, passed_on=timezone.localdate()
    )

    assert certificate_render(certificate_id=certificate.pk) == "rendered"

    certificate.refresh_from_db()
    (url,) = decoded(Image.open(private_root / certificate.png.name))
    assert url == links.verification_url(certificate)
    assert f"~{certificate.review_due:%Y%m%d}" in url
    assert client.get(page_of(url)).status_code == 200
    assert len(files(private_root)) == 2


def test_a_revoked_certificate_is_still_drawn_and_its_code_says_revoked(private_root, client):
    certificate = certificate_with_photo()
    Certificate.objects.filter(pk=certificate.pk).update(
        state=Certificate.State.REVOKED, revoked_reason="考试作弊，成绩作废"
    )

    assert certificate_render(certificate_id=certificate.pk) == "rendered"

    certificate.refresh_from_db()
    (url,) = decoded(Image.open(private_root / certificate.png.name))
    response = client.get(page_of(url))
    assert response.status_code == 200
    with translation.override(settings.LANGUAGE_CODE):
        assert status_text(response) == str(Status.REVOKED.label)


# --- Fonts -----------------------------------------------------------------------------------


def test_the_holders_name_is_drawn_with_real_glyphs(private_root, tmp_path):
    certificate = certificate_with_photo()
    char_map = pdfmetrics.getFont(reportlab_cjk_font()).face.charToGlyph
    for char in NAME + certificate.issuer + certificate.subject.name:
        assert ord(char) in char_map, char
    fonts.check_glyphs([NAME], font_name=reportlab_cjk_font(), path="(configured)")

    certificate_render(certificate_id=certificate.pk)
    certificate.refresh_from_db()
    # The PDF's text layer maps the drawn glyphs back to the very characters.
    assert NAME in pdf_text((private_root / certificate.pdf.name).read_bytes(), tmp_path)


def test_a_character_no_font_has_fails_loudly_and_saves_nothing(private_root):
    # 𠮷 (U+20BB7, CJK extension B) is a real surname character Micro Hei does not have.
    assert 0x20BB7 not in pdfmetrics.getFont(reportlab_cjk_font()).face.charToGlyph
    certificate = certificate_with_photo(name="𠮷田")

    with pytest.raises(FontUnavailable, match="U\\+20BB7"):
        certificate_render(certificate_id=certificate.pk)
    with pytest.raises(FontUnavailable):
        render_certificate.apply(args=[certificate.pk], throw=True)

    certificate.refresh_from_db()
    assert certificate.rendered_version == 0
    assert not certificate.png and not certificate.pdf
    assert files(private_root) == []
    assert not CertificateEvent.objects.filter(
        certificate=certificate, kind=CertificateEvent.Kind.RENDERED
    ).exists()


def test_dates_are_printed_in_the_sites_format(private_root, tmp_path):
    certificate = certificate_with_photo()
    Certificate.objects.filter(pk=certificate.pk).update(
        issued_on=date(2025, 5, 20), review_due=date(2028, 5, 20), valid_until=date(2031, 5, 19)
    )
    certificate.refresh_from_db()
    with translation.override("zh-hans"):
        text = pdf_text(certificate_pdf(certificate), tmp_path)
    for day in ("2025年5月20日", "2028年5月20日", "2031年5月19日"):
        assert day in text
