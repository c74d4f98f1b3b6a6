"""The one CJK font: finding it (``settings.ANXUN_CJK_FONT_PATHS``), loading it in Pillow,
registering it with reportlab, and refusing to print a character it lacks.

Pillow and reportlab each load fonts; what is ours is the choice of *which* font (the first
configured path that really draws Chinese and that reportlab can embed), the same advance
widths in both (Pillow's basic layout, no HarfBuzz), and the rule that a missing glyph is an
error (``FontUnavailable``), never a box in someone's name.
"""

import functools
import os
import zlib
from collections.abc import Iterable

from django.conf import settings
from PIL import Image, ImageDraw, ImageFont, UnidentifiedImageError
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

__all__ = [
    "CJK_ASCENT",
    "CJK_DESCENT",
    "CJK_FONT_PACKAGE",
    "CJK_MIDDLE",
    "FontUnavailable",
    "check_glyphs",
    "cjk_font_path",
    "pillow_font",
    "reportlab_cjk_font",
    "reportlab_font_name",
]

# The Debian package the error message recommends (the paths themselves are settings).
CJK_FONT_PACKAGE = "fonts-wqy-microhei"

# Where the ink of a CJK glyph sits relative to the baseline, in ems (measured on Micro Hei;
# other CJK fonts share the ideographic em box to within a few per cent).
CJK_ASCENT = 0.88
CJK_DESCENT = 0.12
CJK_MIDDLE = 0.36


class FontUnavailable(RuntimeError):
    """No configured font can draw Chinese (or the one found lacks a character to print), so
    the document cannot be made."""


@functools.lru_cache(maxsize=1)
def cjk_font_path() -> str:
    """Return the first path in ``settings.ANXUN_CJK_FONT_PATHS`` that can draw Chinese.

    A path qualifies when it is a file, Pillow loads it (index 0 of a collection) and draws
    distinct, non-empty glyphs for 安 and 训 that differ from the font's missing-glyph box, and
    reportlab can embed it (TrueType outlines: PDFs need that) with both characters mapped.
    Raise ``FontUnavailable`` naming every path tried and why it failed.

    The answer is cached for the life of the process; ``cjk_font_path.cache_clear()`` forgets it
    (tests that change the setting must call it before and after).
    """
    tried = []
    for path in settings.ANXUN_CJK_FONT_PATHS:
        path = os.fspath(path)
        problem = _cjk_font_problem(path)
        if problem is None:
            return path
        tried.append(f"{path} ({problem})")
    raise FontUnavailable(
        "No font that can draw Chinese was found. Tried: "
        + ("; ".join(tried) or "nothing (settings.ANXUN_CJK_FONT_PATHS is empty)")
        + f". Install the Debian package {CJK_FONT_PACKAGE} "
        f"(apt-get install -y --no-install-recommends {CJK_FONT_PACKAGE}) "
        "or list a TrueType CJK font in settings.ANXUN_CJK_FONT_PATHS."
    )


def _cjk_font_problem(path: str) -> str | None:
    """Why ``path`` cannot serve as the CJK font, or ``None`` when it can."""
    if not os.path.isfile(path):
        return "missing"
    try:
        font = pillow_font(path, 64)
    except (OSError, ValueError, UnidentifiedImageError):
        return "not a font Pillow can read"
    # A font without Chinese draws every ideograph as its missing-glyph box (glyph 0), or as
    # nothing: compare with a code point no font maps (U+FFFF is a Unicode noncharacter).
    missing = _glyph_pixels(font, "\uffff")
    an, xun = _glyph_pixels(font, "安"), _glyph_pixels(font, "训")
    if not any(an) or not any(xun):
        return "draws Chinese as blank"
    if an in (missing, xun) or xun == missing:
        return "has no Chinese glyphs (draws boxes)"
    try:
        reportlab_font_name(path)
    except TTFError as error:
        return f"reportlab cannot embed it: {error}"
    return None


def _glyph_pixels(font: ImageFont.FreeTypeFont, char: str) -> bytes:
    size = int(font.size)
    image = Image.new("L", (size * 2, size * 2))
    ImageDraw.Draw(image).text((size // 2, size * 3 // 2), char, font=font, fill=255, anchor="ls")
    return image.tobytes()


def pillow_font(path: str, size: float) -> ImageFont.FreeTypeFont:
    """The font at ``path`` (index 0 of a collection) at ``size`` pixels, for Pillow.

    Basic layout (no HarfBuzz) gives the plain advance widths reportlab also uses, so a line
    wraps at the same place in the PNG and the PDF. Loading is cheap (about 0.1 ms): a renderer
    keeps the fonts of one drawing (``png.png_draw``) and measuring keeps one reference font
    per path (``layout.measure_for``); nothing else caches them.
    """
    return ImageFont.truetype(path, size, index=0, layout_engine=ImageFont.Layout.BASIC)


@functools.lru_cache(maxsize=8)
def reportlab_font_name(path: str) -> str:
    """Register the font at ``path`` with reportlab once per process (parsing costs about
    60 ms) and return its name. Raise reportlab's ``TTFError`` when it cannot be embedded or
    maps no Chinese."""
    font = TTFont(f"AnxunCJK-{zlib.crc32(path.encode()):08x}", path, subfontIndex=0)
    face_map = font.face.charToGlyph
    if ord("安") not in face_map or ord("训") not in face_map:
        raise TTFError("no Chinese characters in its character map")
    pdfmetrics.registerFont(font)
    return font.fontName


def reportlab_cjk_font() -> str:
    """The reportlab font name of the configured CJK font, for any PDF with Chinese text
    (``FontUnavailable`` when there is none)."""
    return reportlab_font_name(cjk_font_path())


def check_glyphs(texts: Iterable[str], *, font_name: str, path: str) -> None:
    """Raise ``FontUnavailable`` naming every character of ``texts`` (whitespace aside) that
    the registered reportlab font ``font_name`` (loaded from ``path``) has no glyph for, rather
    than draw it as a box."""
    font = pdfmetrics.getFont(font_name)
    if not isinstance(font, TTFont):
        raise FontUnavailable(f"{font_name} is not an embedded TrueType font ({path}).")
    char_map = font.face.charToGlyph
    missing = sorted(
        {
            char
            for text in texts
            for char in text
            if not char.isspace() and ord(char) not in char_map
        }
    )
    if missing:
        raise FontUnavailable(
            f"The font {path} has no glyph for {''.join(missing)!r} "
            f"({', '.join(f'U+{ord(char):04X}' for char in missing)}): list a font that has "
            "them first in settings.ANXUN_CJK_FONT_PATHS."
        )
