"""Admission tickets (准考证): what is printed or shown on a phone must scan back to the signed
check-in URL, show the right facts, and never draw a missing character as a box."""

import io
import random
import subprocess

import pytest
import zxingcpp
from django.core import signing
from django.core.files.base import ContentFile
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from PIL import Image, ImageDraw
from reportlab.pdfbase import pdfmetrics

from accounts.validators import mask_id_number
from core.documents.fonts import FontUnavailable, reportlab_cjk_font
from core.errors import DomainError
from exams.models import Booking
from exams.practical import selectors, services, tickets
from exams.practical.tickets import ticket_pdf, ticket_png

from . import builders
from . import practical_builders as practical

pytestmark = pytest.mark.django_db

NAME = "欧阳翀"  # 翀 is rare enough to be worth checking against the font
PHOTO_COLOUR = (200, 60, 40)  # a red jacket that fills most of the synthetic photo


def photo_jpeg(size=(600, 800)) -> bytes:
    """A photo-like 3:4 portrait: plain background, a red jacket, a face, some grain."""
    width, height = size
    image = Image.new("RGB", size, (225, 235, 245))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, height * 0.35, width, height), fill=PHOTO_COLOUR)
    draw.ellipse((width * 0.3, height * 0.12, width * 0.7, height * 0.55), fill=(236, 200, 170))
    draw.ellipse((width * 0.4, height * 0.28, width * 0.45, height * 0.31), fill=(40, 30, 30))
    draw.ellipse((width * 0.55, height * 0.28, width * 0.6, height * 0.31), fill=(40, 30, 30))
    noise = random.Random(7)
    pixels = image.load()
    for _ in range(4000):
        x, y = noise.randrange(width), noise.randrange(height)
        r, g, b = pixels[x, y]
        pixels[x, y] = (max(0, r - 20), max(0, g - 20), max(0, b - 20))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=88)
    return buffer.getvalue()


@pytest.fixture
def url_of(monkeypatch):
    """``ticket_url``; until the check-in page's URL exists, the same URL built by hand."""
    try:
        reverse("centre:check_in_scan")
    except NoReverseMatch:

        def by_hand(booking):
            return "http://testserver/centre/check-in/scan/?t=" + selectors.ticket_token(booking)

        monkeypatch.setattr(tickets, "ticket_url", by_hand)
        return by_hand
    return selectors.ticket_url


def make_booking(*, photo: bool, name=NAME, code="xihu-1") -> Booking:
    subject = builders.subject(code=f"lv-{code}")
    center = practical.center(
        code=code,
        subjects=[subject],
        name="西湖区特种作业实操考点",
        address="杭州市西湖区文三路1号",
    )
    session = practical.session(center=center, subject=subject)
    worker = practical.candidate(subject, real_name=name)
    booking = services.booking_create(worker=worker, session_id=session.pk)
    if photo:
        worker.photo.save("portrait.jpg", ContentFile(photo_jpeg()), save=True)
    else:  # booked before photos were required: the ticket still draws, with an empty box
        worker.photo.delete(save=True)
    return Booking.objects.select_related(
        "worker__user", "session__center", "session__subject"
    ).get(pk=booking.pk)


def decoded(image: Image.Image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(image.convert("RGB"))]


def pdf_page(pdf: bytes, tmp_path) -> Image.Image:
    source = tmp_path / "ticket.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-singlefile", source, tmp_path / "page"],
        check=True,
        timeout=60,
    )
    return Image.open(tmp_path / "page.png")


def pdf_text(pdf: bytes, tmp_path) -> str:
    source = tmp_path / "ticket.pdf"
    source.write_bytes(pdf)
    done = subprocess.run(
        ["pdftotext", "-layout", source, "-"], check=True, capture_output=True, timeout=60
    )
    return done.stdout.decode()


def token_booking_id(url: str) -> int:
    """What check-in does with a scanned URL: take the token and check its signature."""
    token = url.rsplit("t=", 1)[1]
    return int(signing.Signer(salt=selectors.TICKET_SALT).unsign(token))


def photo_area(image: Image.Image, dpi: int) -> Image.Image:
    scale = dpi / 25.4
    x, y = tickets.MARGIN, tickets.BODY_TOP
    box = (x, y, x + tickets.PHOTO_W, y + tickets.PHOTO_H)
    inset = 2  # mm inside the frame
    return image.convert("RGB").crop(
        (
            round((box[0] + inset) * scale),
            round((box[1] + inset) * scale),
            round((box[2] - inset) * scale),
            round((box[3] - inset) * scale),
        )
    )


def share_of(image: Image.Image, colour, tolerance=40) -> float:
    """The share of the image's pixels within ``tolerance`` of ``colour`` in every channel."""
    data = image.convert("RGB").tobytes()
    pixels = [data[i : i + 3] for i in range(0, len(data), 3)]
    close = sum(
        all(abs(a - b) <= tolerance for a, b in zip(p, colour, strict=True)) for p in pixels
    )
    return close / len(pixels)


EMPTY_BOX = tuple(int(tickets.PHOTO_EMPTY[i : i + 2], 16) for i in (1, 3, 5))


# --- PNG ------------------------------------------------------------------------------------


@pytest.mark.parametrize("photo", [True, False])
def test_png_is_a5_landscape_and_scans_to_the_signed_check_in_url(photo, url_of):
    booking = make_booking(photo=photo)
    image = Image.open(io.BytesIO(ticket_png(booking)))
    assert image.format == "PNG"
    assert abs(image.width - 210 / 25.4 * 150) <= 2
    assert abs(image.height - 148 / 25.4 * 150) <= 2
    assert round(image.info["dpi"][0]) == 150
    assert decoded(image) == [url_of(booking)]
    assert token_booking_id(decoded(image)[0]) == booking.pk


def test_png_at_other_resolutions_still_scans(url_of):
    booking = make_booking(photo=True)
    for dpi in (100, 300):
        image = Image.open(io.BytesIO(ticket_png(booking, dpi=dpi)))
        assert abs(image.width - 210 / 25.4 * dpi) <= 2
        assert decoded(image) == [url_of(booking)]


def test_qr_code_is_big_enough_to_scan_from_a_phone_screen(url_of):
    dpi = 150
    image = Image.open(io.BytesIO(ticket_png(make_booking(photo=False), dpi=dpi)))
    (result,) = zxingcpp.read_barcodes(image.convert("RGB"))
    assert result.format == zxingcpp.BarcodeFormat.QRCode
    assert result.ec_level == "M"
    xs = [point.x for point in (result.position.top_left, result.position.top_right)]
    # The symbol itself (without its quiet zone) is at least 4 cm wide on the A5 page: on a
    # phone showing the page's width, about a fifth of the screen.
    assert (max(xs) - min(xs)) / dpi * 25.4 >= 40


def test_the_photo_is_drawn_when_there_is_one_and_a_placeholder_when_not(url_of):
    with_photo = Image.open(io.BytesIO(ticket_png(make_booking(photo=True))))
    area = photo_area(with_photo, 150)
    assert share_of(area, PHOTO_COLOUR) > 0.4  # the jacket fills the lower part of the photo

    without = Image.open(io.BytesIO(ticket_png(make_booking(photo=False, code="xihu-2"))))
    area = photo_area(without, 150)
    assert share_of(area, PHOTO_COLOUR) == 0
    assert share_of(area, EMPTY_BOX, tolerance=4) > 0.8  # mostly blank, with the "affix" words


def test_an_unreadable_photo_file_gives_the_empty_box_not_an_error(url_of):
    booking = make_booking(photo=False)
    booking.worker.photo.save("broken.jpg", ContentFile(b"not a jpeg at all"), save=True)
    image = Image.open(io.BytesIO(ticket_png(booking)))
    assert decoded(image) == [url_of(booking)]
    assert share_of(photo_area(image, 150), EMPTY_BOX, tolerance=4) > 0.8
    assert ticket_pdf(booking).startswith(b"%PDF-")


def test_a_photo_of_another_shape_is_cropped_to_the_box_not_stretched(url_of, tmp_path):
    booking = make_booking(photo=False)
    landscape = io.BytesIO()
    Image.open(io.BytesIO(photo_jpeg((800, 600)))).save(landscape, format="PNG")
    booking.worker.photo.save("wide.png", ContentFile(landscape.getvalue()), save=True)
    image = Image.open(io.BytesIO(ticket_png(booking)))
    assert decoded(image) == [url_of(booking)]
    assert share_of(photo_area(image, 150), PHOTO_COLOUR) > 0.4
    source = tmp_path / "ticket.pdf"
    source.write_bytes(ticket_pdf(booking))
    listing = subprocess.run(
        ["pdfimages", "-list", source], check=True, capture_output=True, timeout=60
    ).stdout.decode()
    (photo,) = [line.split() for line in listing.splitlines()[2:] if " jpeg " in line]
    width, height = int(photo[3]), int(photo[4])
    assert abs(width * 4 - height * 3) <= 4  # 3:4, like the box


def test_drawing_makes_no_query_when_the_booking_comes_with_its_relations(
    url_of, django_assert_num_queries
):
    booking = make_booking(photo=True)
    with django_assert_num_queries(0):
        ticket_png(booking)
        ticket_pdf(booking)


def test_png_refuses_absurd_dpi(url_of):
    with pytest.raises(ValueError):
        ticket_png(make_booking(photo=False), dpi=2400)


# --- PDF ------------------------------------------------------------------------------------


@pytest.mark.parametrize("photo", [True, False])
def test_pdf_rasterised_scans_to_the_signed_url_and_says_who_where_when(photo, url_of, tmp_path):
    booking = make_booking(photo=photo)
    pdf = ticket_pdf(booking)
    assert pdf.startswith(b"%PDF-")
    page = pdf_page(pdf, tmp_path)
    assert abs(page.width - 1240) <= 2
    assert abs(page.height - 874) <= 2
    assert decoded(page) == [url_of(booking)]
    assert token_booking_id(decoded(page)[0]) == booking.pk

    text = "".join(pdf_text(pdf, tmp_path).split())
    worker = booking.worker
    assert NAME in text
    assert mask_id_number(worker.id_number) in text
    assert worker.id_number not in text  # only the masked number is printed
    assert "低压电工作业" in text
    assert "西湖区特种作业实操考点" in text
    assert "杭州市西湖区文三路1号" in text
    assert f"{booking.pk:08d}" in text


def test_pdf_embeds_every_font_and_the_photo_as_jpeg(url_of, tmp_path):
    source = tmp_path / "ticket.pdf"
    source.write_bytes(ticket_pdf(make_booking(photo=True)))
    fonts = subprocess.run(
        ["pdffonts", source], check=True, capture_output=True, timeout=60
    ).stdout.decode()
    listing = fonts.splitlines()[2:]
    assert listing
    for line in listing:
        assert " yes yes " in line, line  # embedded, subset
    images = subprocess.run(
        ["pdfimages", "-list", source], check=True, capture_output=True, timeout=60
    ).stdout.decode()
    assert " jpeg " in images  # the photo, passed through rather than re-encoded


def test_labels_follow_the_active_language(url_of, tmp_path):
    booking = make_booking(photo=False)
    with translation.override("en"):
        text = " ".join(pdf_text(ticket_pdf(booking), tmp_path).split())
    assert "Admission ticket" in text
    assert "Full name" in text
    assert "Bring your resident ID card" in text


# --- Fonts and rules ------------------------------------------------------------------------


def test_the_font_has_every_character_of_the_name_and_the_chinese_title():
    char_map = pdfmetrics.getFont(reportlab_cjk_font()).face.charToGlyph
    for char in NAME + "安训 · 特种作业实际操作考试 准考证贴照片处":
        assert char.isspace() or ord(char) in char_map, char


def test_a_character_the_font_lacks_fails_loudly_instead_of_printing_a_box(url_of):
    # 𠮷 (U+20BB7, CJK extension B) is a real surname character Micro Hei does not have.
    char_map = pdfmetrics.getFont(reportlab_cjk_font()).face.charToGlyph
    assert 0x20BB7 not in char_map
    booking = make_booking(photo=False, name="𠮷田")
    with pytest.raises(FontUnavailable, match="U\\+20BB7"):
        ticket_png(booking)
    with pytest.raises(FontUnavailable):
        ticket_pdf(booking)


@pytest.mark.parametrize("status", [Booking.Status.WAITLISTED, Booking.Status.CANCELLED])
def test_a_booking_without_a_seat_has_no_ticket(status, url_of):
    booking = make_booking(photo=False)
    booking.status = status
    with pytest.raises(DomainError) as raised:
        ticket_png(booking)
    assert raised.value.code == "no_ticket"
    with pytest.raises(DomainError):
        ticket_pdf(booking)
