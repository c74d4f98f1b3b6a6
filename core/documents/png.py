"""The PNG renderer: draws a list of layout operations with Pillow.

Pillow rasterises; what is ours is the mapping of each operation onto it in whole pixels
(boxes on pixel edges, QR modules a whole number of pixels, photos cropped to their box), the
rotated text Pillow cannot draw directly, and a PNG that records its resolution, so it prints
at the page's size.
"""

import io
import math
from collections.abc import Iterable

from PIL import Image, ImageDraw, ImageFont

from .fonts import check_glyphs, cjk_font_path, pillow_font, reportlab_cjk_font
from .layout import (
    MM_PER_INCH,
    WHITE,
    Box,
    Circle,
    Code,
    Line,
    Op,
    Path,
    Photo,
    Sheet,
    Text,
    dashes,
    measure_for,
    photo_fitted,
)
from .qr import qr_image_fitted

__all__ = ["page_image", "png_draw", "sheet_png"]

_ANCHORS = {"l": "ls", "m": "ms", "r": "rs"}


def sheet_png(sheet: Sheet, *, dpi: int) -> bytes:
    """Draw ``sheet`` (see ``layout.Sheet``) as a PNG at ``dpi``. Raise ``ValueError`` unless
    72 ≤ ``dpi`` ≤ 600, and ``FontUnavailable`` without a CJK font or when it lacks a character
    of ``sheet.texts``."""
    if not 72 <= dpi <= 600:
        raise ValueError("dpi must be between 72 and 600.")
    path = cjk_font_path()
    if sheet.texts:
        check_glyphs(sheet.texts, font_name=reportlab_cjk_font(), path=path)
    return png_draw(
        sheet.layout(measure_for(path)),
        width=sheet.width,
        height=sheet.height,
        dpi=dpi,
        font_path=path,
        photo=sheet.photo,
    )


def png_draw(
    ops: Iterable[Op],
    *,
    width: float,
    height: float,
    dpi: int,
    font_path: str,
    photo: bytes | None = None,
    background: str = WHITE,
    compress_level: int = 3,
) -> bytes:
    """Draw ``ops`` on a ``width`` × ``height`` mm page at ``dpi`` and return the PNG (which
    records the resolution, so it prints at its size). ``photo`` (the bytes of a picture) fills
    every ``Photo`` box. Raise ``ValueError`` unless 72 ≤ ``dpi`` ≤ 600.

    Encoding is most of the cost: at level 3 a 150-dpi A4 page takes about 21 ms for 132 KiB,
    at zlib's default 6 about 30 ms for 108 KiB."""
    image = page_image(
        ops,
        width=width,
        height=height,
        dpi=dpi,
        font_path=font_path,
        photo=photo,
        background=background,
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(dpi, dpi), compress_level=compress_level)
    return buffer.getvalue()


def page_image(
    ops: Iterable[Op],
    *,
    width: float,
    height: float,
    dpi: int,
    font_path: str,
    photo: bytes | None = None,
    background: str = WHITE,
    base: Image.Image | None = None,
) -> Image.Image:
    """Draw ``ops`` on a new RGB ``width`` × ``height`` mm image at ``dpi`` and return it (for a
    caller that encodes it otherwise, as a JPEG say). With ``base`` (an image of exactly that
    size in pixels, a picture drawn beforehand), draw on an RGB copy of it instead of on a
    ``background``. Same rules as ``png_draw``; ``ValueError`` for a ``base`` of another size."""
    if not 72 <= dpi <= 600:
        raise ValueError("dpi must be between 72 and 600.")
    scale = dpi / MM_PER_INCH
    pixels = (round(width * scale), round(height * scale))
    if base is None:
        image = Image.new("RGB", pixels, background)
    elif base.size == pixels:
        image = base.convert("RGB")
    else:
        raise ValueError(f"The base image is {base.size} pixels, the page {pixels}.")
    draw = ImageDraw.Draw(image)
    fonts: dict[float, ImageFont.FreeTypeFont] = {}

    def font_of(size: float) -> ImageFont.FreeTypeFont:
        if size not in fonts:
            fonts[size] = pillow_font(font_path, size * scale)
        return fonts[size]

    for op in ops:
        if isinstance(op, Box):
            box = (
                round(op.x * scale),
                round(op.y * scale),
                round((op.x + op.w) * scale) - 1,
                round((op.y + op.h) * scale) - 1,
            )
            if op.radius:
                draw.rounded_rectangle(box, radius=round(op.radius * scale), fill=op.fill)
            else:
                draw.rectangle(box, fill=op.fill)
        elif isinstance(op, Line):
            line_width = max(1, round(op.width * scale))
            for a, b in dashes(op):
                draw.line(
                    [(a[0] * scale, a[1] * scale), (b[0] * scale, b[1] * scale)],
                    fill=op.colour,
                    width=line_width,
                )
        elif isinstance(op, Path):
            points = [(x * scale, y * scale) for x, y in op.points]
            if op.closed:
                points.append(points[0])
            draw.line(points, fill=op.colour, width=max(1, round(op.width * scale)), joint="curve")
        elif isinstance(op, Circle):
            outer, ring = (op.r + op.width / 2) * scale, max(1, round(op.width * scale))
            draw.ellipse(
                (op.cx * scale - outer, op.cy * scale - outer, op.cx * scale + outer,
                 op.cy * scale + outer),
                outline=op.colour,
                width=ring,
            )  # fmt: skip
        elif isinstance(op, Text):
            if op.angle:
                _rotated_text(image, op, font_of(op.size), scale)
            else:
                draw.text(
                    (op.x * scale, op.y * scale),
                    op.text,
                    font=font_of(op.size),
                    fill=op.fill,
                    anchor=_ANCHORS[op.align],
                    stroke_width=op.weight * op.size * scale,
                    stroke_fill=op.fill,
                )
        elif isinstance(op, Photo):
            corner = (round(op.x * scale), round(op.y * scale))
            size = (
                round((op.x + op.w) * scale) - corner[0],
                round((op.y + op.h) * scale) - corner[1],
            )
            fitted = photo_fitted(photo, size) if photo else None
            if fitted is None:  # none, or truncated after all: leave the box blank
                draw.rectangle(
                    (*corner, corner[0] + size[0] - 1, corner[1] + size[1] - 1), fill=op.empty
                )
            else:
                image.paste(fitted, corner)
        elif isinstance(op, Code):
            # Whole pixels per module keep every module the same size; centre what remains.
            code = qr_image_fitted(op.url, pixels=op.size * scale)
            offset = (op.size * scale - code.width) / 2
            image.paste(code, (round(op.x * scale + offset), round(op.y * scale + offset)))
        else:
            raise TypeError(f"Not a drawing operation: {op!r}")
    return image


def _rotated_text(
    image: Image.Image, op: Text, text_font: ImageFont.FreeTypeFont, scale: float
) -> None:
    """Draw a (short) rotated text: on a tile centred on its anchor, turned, then pasted
    through itself as a mask."""
    side = math.ceil(text_font.getlength(op.text) * 2 + op.size * scale * 2.5)
    tile = Image.new("L", (side, side), 0)
    ImageDraw.Draw(tile).text(
        (side / 2, side / 2),
        op.text,
        font=text_font,
        fill=255,
        anchor=_ANCHORS[op.align],
        stroke_width=op.weight * op.size * scale,
        stroke_fill=255,
    )
    tile = tile.rotate(op.angle, resample=Image.Resampling.BICUBIC, center=(side / 2, side / 2))
    corner = (round(op.x * scale - side / 2), round(op.y * scale - side / 2))
    image.paste(op.fill, (*corner, corner[0] + side, corner[1] + side), tile)
