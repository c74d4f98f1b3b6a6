"""Reading QR codes on the server (admission tickets at check-in, certificates at the staff
scanner), for browsers that cannot (no ``BarcodeDetector``: every Linux and many Android
browsers): both scanners post camera frames to the one decode view
(``certificates.views.decode``), which calls ``qr_decode``; a photo can be uploaded the same way.

The answers: the code's text; ``None`` for a picture without a readable QR code (the usual
answer for a camera frame: keep scanning); ``DomainError`` for input that is not a picture we
read (code ``not_image``) or is too large (``too_large``), with a message to show as it is.
Nothing is stored.
"""

import io

import zxingcpp
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from core.errors import DomainError

__all__ = ["ACCEPTED_FORMATS", "MAX_BYTES", "MAX_PIXELS", "qr_decode"]

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
# A camera frame is 30–300 KB and a phone photo 2–8 MB; a 48-megapixel photo is refused.
MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # as for worker photos (settings.ANXUN_PHOTO_MAX_PIXELS)
# zxing reads a ticket's code best when it spans a few hundred pixels: larger pictures are
# decoded (JPEG) or scaled down to about this long side first.
WORK_SIDE = 2000


def qr_decode(image_bytes: bytes) -> str | None:
    """Return the text of the first QR code found in a JPEG, PNG or WebP picture, or None.

    Raise ``DomainError`` (code ``too_large``) for more than ``MAX_BYTES`` bytes or
    ``MAX_PIXELS`` pixels, checked before the pixels are decoded, and (code ``not_image``)
    for anything that is not a complete picture in an accepted format.
    """
    if len(image_bytes) > MAX_BYTES:
        raise DomainError(
            _("The picture is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": f"{len(image_bytes) / 1048576:.1f}", "limit": MAX_BYTES // 1048576},
            code="too_large",
        )
    try:
        with Image.open(io.BytesIO(image_bytes)) as image:
            if image.format not in ACCEPTED_FORMATS:
                raise _not_an_image()
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise _too_many_pixels()
            # A JPEG decodes straight to a smaller scale (1/2, 1/4, 1/8): fast, little memory.
            image.draft("L", (WORK_SIDE, WORK_SIDE))
            grey = image.convert("L")
    except Image.DecompressionBombError:  # Pillow's own ceiling, far above ours
        raise _too_many_pixels() from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        raise _not_an_image() from None
    if max(grey.size) > WORK_SIDE:
        grey.thumbnail((WORK_SIDE, WORK_SIDE), Image.Resampling.BILINEAR)
    results = zxingcpp.read_barcodes(
        grey,
        formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode),
        try_rotate=True,
        try_downscale=True,
    )
    for result in results:
        if result.valid and result.text:
            return result.text
    return None


def _not_an_image() -> DomainError:
    return DomainError(
        _("This is not a picture we can read. Send a JPEG, PNG or WebP image."),
        code="not_image",
    )


def _too_many_pixels() -> DomainError:
    return DomainError(
        _("The picture is too large: the limit is %(limit)s megapixels.")
        % {"limit": MAX_PIXELS // 1_000_000},
        code="too_large",
    )
