"""Server-side QR reading for check-in: tickets on screen, in photos and camera frames decode;
junk and oversize input get a DomainError, a picture without a code gets None."""

import io
import struct
import time
import zlib

import pytest
from PIL import Image, ImageDraw, ImageFilter

import core.documents.qr_decode as scanning
from core.documents.qr_decode import qr_decode
from core.errors import DomainError
from exams.practical.tickets import ticket_png
from tests.exams.test_practical_tickets import make_booking, url_of  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def encoded(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def photographed(ticket: Image.Image, *, angle=6.0, size=(1600, 1200), quality=72) -> bytes:
    """The ticket as a phone photo of it on a desk: smaller, turned, soft, grainy, JPEG."""
    desk = Image.new("RGB", size, (122, 96, 70))
    grain = ImageDraw.Draw(desk)
    for y in range(0, size[1], 9):
        grain.line([(0, y), (size[0], y + 40)], fill=(110, 86, 62), width=3)
    paper = ticket.convert("RGB").resize(
        (int(size[0] * 0.7), int(size[0] * 0.7 * ticket.height / ticket.width)),
        Image.Resampling.BILINEAR,
    )
    paper = paper.rotate(angle, expand=True, fillcolor=(122, 96, 70), resample=Image.BICUBIC)
    desk.paste(paper, ((size[0] - paper.width) // 2, (size[1] - paper.height) // 2))
    desk = desk.filter(ImageFilter.GaussianBlur(1.0))
    noise = Image.effect_noise(size, 18).convert("RGB")
    desk = Image.blend(desk, noise, 0.12)
    return encoded(desk, "JPEG", quality=quality)


@pytest.fixture
def ticket(url_of):  # noqa: F811
    booking = make_booking(photo=True)
    return Image.open(io.BytesIO(ticket_png(booking))), url_of(booking)


def test_decodes_a_ticket_png(ticket):
    image, url = ticket
    assert qr_decode(encoded(image, "PNG")) == url


def test_decodes_a_photo_of_a_printed_ticket(ticket):
    image, url = ticket
    photo = photographed(image)
    assert qr_decode(photo) == url
    assert qr_decode(photographed(image, angle=-12, quality=60)) == url


def test_decodes_a_webp_photo_and_a_large_phone_photo(ticket):
    image, url = ticket
    photo = Image.open(io.BytesIO(photographed(image)))
    assert qr_decode(encoded(photo, "WEBP", quality=80)) == url
    # A 12-megapixel phone photo is decoded at a reduced scale: quick, still read.
    big = photographed(image, size=(4032, 3024), quality=85)
    started = time.perf_counter()
    assert qr_decode(big) == url
    assert time.perf_counter() - started < 2.0


def test_decodes_a_camera_frame_of_a_phone_screen(ticket):
    """What scanner.js sends: a 640 × 480 JPEG frame, the ticket shown on a phone."""
    image, url = ticket
    screen = image.convert("RGB").resize((520, 367), Image.Resampling.BILINEAR)
    frame = Image.new("RGB", (640, 480), (30, 30, 30))
    frame.paste(screen.rotate(3, expand=True, fillcolor=(30, 30, 30)), (50, 40))
    assert qr_decode(encoded(frame, "JPEG", quality=80)) == url


def test_a_picture_without_a_code_gives_none():
    scene = Image.new("RGB", (640, 480), (200, 210, 220))
    ImageDraw.Draw(scene).rectangle((100, 100, 300, 300), fill=(20, 20, 20))
    assert qr_decode(encoded(scene, "JPEG")) is None
    assert qr_decode(encoded(scene, "PNG")) is None


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not an image at all" * 50,
        b"\xff\xd8\xff\xe0" + b"\x00" * 100,  # a JPEG's first bytes and nothing else
    ],
)
def test_junk_is_not_an_image(data):
    with pytest.raises(DomainError) as raised:
        qr_decode(data)
    assert raised.value.code == "not_image"


def test_a_truncated_jpeg_or_another_format_is_not_an_image(ticket):
    image, _url = ticket
    jpeg = encoded(image.convert("RGB"), "JPEG")
    for data in (jpeg[: len(jpeg) // 3], encoded(image.convert("RGB"), "GIF")):
        with pytest.raises(DomainError) as raised:
            qr_decode(data)
        assert raised.value.code == "not_image"


def test_too_many_bytes_are_refused_before_anything_is_read():
    with pytest.raises(DomainError) as raised:
        qr_decode(b"\x89PNG" + b"\x00" * scanning.MAX_BYTES)
    assert raised.value.code == "too_large"
    assert "MB" in str(raised.value.message)


def test_too_many_pixels_are_refused_before_they_are_decoded():
    huge = encoded(Image.new("1", (8000, 6000), 1), "PNG")  # 48 megapixels, a small file
    assert len(huge) < scanning.MAX_BYTES
    started = time.perf_counter()
    with pytest.raises(DomainError) as raised:
        qr_decode(huge)
    assert raised.value.code == "too_large"
    assert time.perf_counter() - started < 0.5


def _png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` × ``height`` (a decompression bomb's shape)."""
    png = encoded(Image.new("L", (1, 1)), "PNG")
    header = struct.pack(">II", width, height) + png[24:29]
    chunk = b"IHDR" + header
    return png[:8] + struct.pack(">I", 13) + chunk + struct.pack(">I", zlib.crc32(chunk)) + png[33:]


def test_a_decompression_bomb_is_too_large():
    with pytest.raises(DomainError) as raised:
        qr_decode(_png_claiming(30_000, 30_000))  # past Pillow's own ceiling
    assert raised.value.code == "too_large"
    with pytest.raises(DomainError) as raised:
        qr_decode(_png_claiming(8_000, 6_000))  # past ours only
    assert raised.value.code == "too_large"
