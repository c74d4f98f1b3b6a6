"""QR encoding: the modules of a URL's code, as an image in whole pixels per module, and as a
PNG. Decoding (a scanner's job) is not here.

The ``qrcode`` package does the encoding; what is ours is the one choice every printed code
makes (error correction M, the 4-module quiet zone ISO/IEC 18004 asks for), the cache of recent
matrices (choosing the mask is most of the cost, and a document is often drawn twice: PNG and
PDF), and the rule that a module is a whole number of pixels (scanners dislike codes whose
modules alternate between n and n+1 pixels).
"""

import functools
import io
import math

import qrcode
from PIL import Image

__all__ = ["QR_BORDER", "qr_image", "qr_image_fitted", "qr_modules", "qr_png"]

QR_BORDER = 4  # modules of quiet zone, the minimum ISO/IEC 18004 asks for


@functools.lru_cache(maxsize=64)
def qr_modules(url: str) -> tuple[tuple[bool, ...], ...]:
    """The code of ``url`` (error correction M) as rows of modules, dark ``True``, its quiet
    zone included (so ``len(qr_modules(url))`` is the side in modules)."""
    # Choosing the mask pattern is most of the cost (about 25 ms for a 120-character URL), and a
    # document is often rendered twice (PNG and PDF) or again and again: keep recent matrices.
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, border=QR_BORDER, box_size=1
    )
    code.add_data(url)
    code.make(fit=True)
    return tuple(tuple(row) for row in code.get_matrix())


def qr_image(url: str, *, box_size: int) -> Image.Image:
    """The QR code of ``url`` with its quiet zone, ``box_size`` pixels per module, mode "1"."""
    modules = qr_modules(url)
    count = len(modules)
    dark = bytes(0 if cell else 255 for row in modules for cell in row)
    image = Image.frombytes("L", (count, count), dark).convert("1")
    return image.resize((count * box_size, count * box_size), Image.Resampling.NEAREST)


def qr_image_fitted(url: str, *, pixels: float) -> Image.Image:
    """The QR code of ``url`` with as many whole pixels per module (at least one) as fit in a
    square of ``pixels``; the caller centres it in that square."""
    box = max(1, math.floor(pixels / len(qr_modules(url))))
    return qr_image(url, box_size=box)


def qr_png(*, url: str, box_size: int = 8) -> bytes:
    """Return a PNG of the QR code (error correction M, 4-module border) that encodes ``url``.
    Raise ``ValueError`` for an empty URL or fewer than one pixel per module."""
    if not url:
        raise ValueError("A QR code needs a URL to encode.")
    if box_size < 1:
        raise ValueError("box_size must be at least 1 pixel per module.")
    buffer = io.BytesIO()
    qr_image(url, box_size=box_size).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
