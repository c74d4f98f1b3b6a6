"""Printed documents drawn twice from one layout: a PNG (Pillow) and a PDF (reportlab).

A document (an admission ticket, a certificate) is laid out once, in millimetres from the top
left corner, as a list of drawing operations; ``png_draw`` and ``pdf_draw`` draw the same
operations, so both formats look alike and the layout rules (wrapping, fitting) live in one
place. Text uses one CJK font (``cms.sharing.cjk_font_path``); Pillow's basic layout gives the
same advance widths reportlab uses, so a line breaks at the same place in both.

Also here: Chinese line breaking (禁则), 分散对齐 labels, the worker's photo (read defensively,
cropped to its box, passed into PDFs as JPEG without re-encoding), QR codes in whole pixels per
module, and the glyph check that refuses to print a character the font lacks.
"""

import contextlib
import functools
import io
import logging
import math
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError
from reportlab import rl_config
from reportlab.lib.colors import HexColor
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from cms.sharing import FontUnavailable, share_qr_png

logger = logging.getLogger(__name__)

WHITE = "#ffffff"
PHOTO_EMPTY = "#f8fafc"
MM_PER_INCH = 25.4
PT_PER_MM = 72 / MM_PER_INCH


# --- Drawing operations ----------------------------------------------------------------------


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float
    fill: str


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    colour: str
    width: float
    dash: float = 0.0  # length of dashes and gaps, 0 for a solid line


@dataclass(frozen=True)
class Path:
    """A polyline (closed: a polygon outline) stroked in one colour."""

    points: tuple[tuple[float, float], ...]
    colour: str
    width: float
    closed: bool = False


@dataclass(frozen=True)
class Circle:
    cx: float
    cy: float
    r: float
    colour: str
    width: float  # of the outline, drawn centred on the radius


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # baseline
    text: str
    size: float
    fill: str
    align: str = "l"  # l, m (centre) or r
    weight: float = 0.0  # an outline in the text's colour, as a fraction of the size
    angle: float = 0.0  # degrees anticlockwise about (x, y)


@dataclass(frozen=True)
class Photo:
    x: float
    y: float
    w: float
    h: float
    empty: str = PHOTO_EMPTY  # shown if the photo turns out to be unreadable


@dataclass(frozen=True)
class Code:
    """A QR code with its quiet zone in a ``size`` mm square."""

    x: float
    y: float
    size: float
    url: str


Op = Box | Line | Path | Circle | Text | Photo | Code


def frame(x, y, w, h, colour, width, dash=0.0) -> list[Op]:
    """The four sides of a rectangle as lines (dashed if ``dash``)."""
    return [
        Line(x, y, x + w, y, colour, width, dash),
        Line(x + w, y, x + w, y + h, colour, width, dash),
        Line(x + w, y + h, x, y + h, colour, width, dash),
        Line(x, y + h, x, y, colour, width, dash),
    ]


def dashes(line: Line):
    """The (start, end) points of the dashes of ``line`` (the whole line if solid)."""
    if not line.dash:
        yield (line.x1, line.y1), (line.x2, line.y2)
        return
    length = math.hypot(line.x2 - line.x1, line.y2 - line.y1)
    count = max(1, round((length / line.dash + 1) / 2))  # dashes at both ends
    step = length / (2 * count - 1)
    dx, dy = (line.x2 - line.x1) / length, (line.y2 - line.y1) / length
    for n in range(count):
        start, end = 2 * n * step, (2 * n + 1) * step
        yield (
            (line.x1 + dx * start, line.y1 + dy * start),
            (line.x1 + dx * end, line.y1 + dy * end),
        )


# --- Text measuring and wrapping -------------------------------------------------------------

Measure = Callable[..., float]  # (text, size_mm, weight=0.0) -> width_mm

_NO_LINE_START = set("，。、；：！？）》」』】〕〉”’…—·%,.;:!?)]}")
_NO_LINE_END = set("（《「『【〔〈“‘([{")
_ATOM = re.compile(r"\s+|[0-9A-Za-z][0-9A-Za-z'’._:@&+\-/*]*|.", re.DOTALL)
_IDEOGRAPH = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def font(path: str, size: float) -> ImageFont.FreeTypeFont:
    # Basic layout (no HarfBuzz) gives the plain advance widths reportlab also uses.
    return ImageFont.truetype(path, size, index=0, layout_engine=ImageFont.Layout.BASIC)


@functools.lru_cache(maxsize=4)
def measure_for(path: str) -> Measure:
    """A function giving the width in mm of a text at a size in mm, in the font at ``path``."""
    reference = 200.0
    reference_font = font(path, reference)
    # Fitting measures the same strings at several sizes, and a PNG and a PDF of one document
    # measure them again: keep the widths at the reference size.
    length = functools.lru_cache(maxsize=4096)(reference_font.getlength)

    def measure(text: str, size: float, weight: float = 0.0) -> float:
        return (length(text) / reference + 2 * weight) * size

    return measure


def tokens(text: str) -> list[str]:
    """Break opportunities: Latin words and numbers whole, each ideograph alone, closing
    punctuation stuck to what it closes and opening punctuation to what it opens (禁则)."""
    found: list[str] = []
    for atom in _ATOM.findall(text):
        if (
            found
            and not atom.isspace()
            and not found[-1].isspace()
            and (atom[0] in _NO_LINE_START or found[-1][-1] in _NO_LINE_END)
        ):
            found[-1] += atom
        else:
            found.append(atom)
    return found


def wrap(text: str, *, width: float, size: float, measure, weight: float = 0.0) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` mm (Latin words and numbers stay
    whole when they fit a line)."""
    width *= 0.98  # a PNG's hinting rounds each advance to whole pixels: leave room for it
    lines: list[str] = []
    current = ""
    for token in tokens(" ".join(text.split())):
        if token.isspace():
            current += " " if current else ""
            continue
        if measure(current + token, size, weight) <= width:
            current += token
            continue
        if current.strip():
            lines.append(current.rstrip())
            current = ""
        if measure(token, size, weight) <= width:
            current = token
            continue
        for char in token:
            if current and measure(current + char, size, weight) > width:
                lines.append(current)
                current = ""
            current += char
    if current.strip() or not lines:
        lines.append(current.rstrip())
    return lines


def is_spread(label: str) -> bool:
    """Whether a label is justified over the label column: Chinese labels are (分散对齐, the
    way printed forms line them up: 姓　　名 under 准考证号)."""
    return len(label) >= 2 and all(_IDEOGRAPH.match(char) for char in label)


def label_ops(
    label: str, *, x: float, baseline: float, size: float, width: float, fill: str, weight: float
) -> list[Op]:
    """A label at ``x``: a Chinese one spread over ``width``, any other as it is."""
    if is_spread(label) and len(label) * size < width:
        step = (width - size) / (len(label) - 1)
        return [
            Text(x + n * step, baseline, char, size, fill, weight=weight)
            for n, char in enumerate(label)
        ]
    return [Text(x, baseline, label, size, fill, weight=weight)]


def check_glyphs(texts: Iterable[str], *, font_name: str, path: str) -> None:
    """Raise ``FontUnavailable`` rather than draw a character the font lacks as a box."""
    char_map = pdfmetrics.getFont(font_name).face.charToGlyph
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


# --- Photos and codes ------------------------------------------------------------------------


def photo_bytes(photo, *, owner: str = "") -> bytes | None:
    """A stored photo's bytes (an ImageField's file), or None when there is none or it is not
    a picture (the document then shows an empty box)."""
    if not photo:
        return None
    try:
        with photo.open("rb") as handle:
            data = handle.read()
        with Image.open(io.BytesIO(data)) as image:
            if image.format in ("JPEG", "PNG", "WEBP"):
                return data
    except (OSError, ValueError, UnidentifiedImageError, Image.DecompressionBombError):
        pass
    logger.warning("Unreadable photo %s of %s", photo.name, owner or "a worker")
    return None


def photo_fitted(data: bytes, size: tuple[int, int]) -> Image.Image | None:
    """The photo cropped to the box's shape and scaled to ``size`` pixels (None if it turns out
    to be truncated)."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.draft("RGB", size)  # a JPEG decodes at a reduced scale: much faster
            image = ImageOps.exif_transpose(image).convert("RGB")
            return ImageOps.fit(image, size, Image.Resampling.BICUBIC)
    except (OSError, ValueError, Image.DecompressionBombError):
        return None


def photo_jpeg(data: bytes, size: tuple[int, int]) -> bytes | None:
    """The photo as a JPEG of the box's shape, for a PDF. A stored photo is normally a 3:4 JPEG
    already (``accounts.photos``): it goes in as it is, without decoding."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            if (
                image.format == "JPEG"
                and image.mode in ("RGB", "L")
                and abs(image.width * size[1] - image.height * size[0])
                <= image.width * size[1] / 100
                and image.getexif().get(0x0112, 1) == 1  # no rotation to apply
            ):
                return data
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
    fitted = photo_fitted(data, size)
    if fitted is None:
        return None
    buffer = io.BytesIO()
    fitted.save(buffer, format="JPEG", quality=88)
    return buffer.getvalue()


def code_image(url: str, *, pixels: float) -> Image.Image:
    """The QR code of ``url`` (error correction M) with its quiet zone, as many whole pixels
    per module as fit in ``pixels`` (scanners dislike modules that alternate between n and n+1
    pixels)."""
    with Image.open(io.BytesIO(share_qr_png(url=url, box_size=1))) as modules:
        modules.load()
    box = max(1, math.floor(pixels / modules.width))
    return modules.resize((modules.width * box, modules.height * box), Image.Resampling.NEAREST)


# --- PNG -------------------------------------------------------------------------------------


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
    records the resolution, so it prints at its size)."""
    if not 72 <= dpi <= 600:
        raise ValueError("dpi must be between 72 and 600.")
    scale = dpi / MM_PER_INCH
    image = Image.new("RGB", (round(width * scale), round(height * scale)), background)
    draw = ImageDraw.Draw(image)
    fonts: dict[float, ImageFont.FreeTypeFont] = {}

    def font_of(size: float) -> ImageFont.FreeTypeFont:
        if size not in fonts:
            fonts[size] = font(font_path, size * scale)
        return fonts[size]

    for op in ops:
        if isinstance(op, Box):
            draw.rectangle(
                (
                    round(op.x * scale),
                    round(op.y * scale),
                    round((op.x + op.w) * scale) - 1,
                    round((op.y + op.h) * scale) - 1,
                ),
                fill=op.fill,
            )
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
                    anchor={"l": "ls", "m": "ms", "r": "rs"}[op.align],
                    stroke_width=op.weight * op.size * scale,
                    stroke_fill=op.fill,
                )
        elif isinstance(op, Photo):
            box = (round(op.x * scale), round(op.y * scale))
            size = (round((op.x + op.w) * scale) - box[0], round((op.y + op.h) * scale) - box[1])
            fitted = photo_fitted(photo, size) if photo else None
            if fitted is None:  # truncated after all: leave the box blank
                draw.rectangle((*box, box[0] + size[0] - 1, box[1] + size[1] - 1), fill=op.empty)
            else:
                image.paste(fitted, box)
        else:
            code = code_image(op.url, pixels=op.size * scale)
            offset = (op.size * scale - code.width) / 2
            image.paste(code, (round(op.x * scale + offset), round(op.y * scale + offset)))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(dpi, dpi), compress_level=compress_level)
    return buffer.getvalue()


def _rotated_text(image: Image.Image, op: Text, text_font, scale: float) -> None:
    """Draw a (short) rotated text: on a tile centred on its anchor, turned, then pasted
    through itself as a mask."""
    side = math.ceil(text_font.getlength(op.text) * 2 + op.size * scale * 2.5)
    tile = Image.new("L", (side, side), 0)
    ImageDraw.Draw(tile).text(
        (side / 2, side / 2),
        op.text,
        font=text_font,
        fill=255,
        anchor={"l": "ls", "m": "ms", "r": "rs"}[op.align],
        stroke_width=op.weight * op.size * scale,
        stroke_fill=255,
    )
    tile = tile.rotate(op.angle, resample=Image.Resampling.BICUBIC, center=(side / 2, side / 2))
    corner = (round(op.x * scale - side / 2), round(op.y * scale - side / 2))
    image.paste(op.fill, (*corner, corner[0] + side, corner[1] + side), tile)


# --- PDF -------------------------------------------------------------------------------------

_RL_CONFIG_LOCK = threading.Lock()


@contextlib.contextmanager
def binary_streams():
    """Write the PDF's streams in binary rather than as ASCII85 text (which only 7-bit mail
    transports ever needed): reportlab's pure-Python ASCII85 encoder is otherwise more than half
    the cost of a page with a photo. ``rl_config`` is process-wide: the lock keeps two documents
    from restoring each other's value, and a PDF another thread makes meanwhile is valid either
    way (each stream records its own filters)."""
    with _RL_CONFIG_LOCK:
        before = rl_config.useA85
        rl_config.useA85 = 0
        try:
            yield
        finally:
            rl_config.useA85 = before


def pdf_draw(
    ops: Iterable[Op],
    *,
    width: float,
    height: float,
    font_name: str,
    photo: bytes | None = None,
    title: str = "",
    photo_dpi: int = 300,
) -> bytes:
    """Draw ``ops`` on a one-page ``width`` × ``height`` mm PDF and return it: real
    (selectable) text in the embedded CJK font, the photo as JPEG, QR codes as bitmaps."""
    with binary_streams():
        return _pdf(
            list(ops),
            width=width,
            height=height,
            font_name=font_name,
            photo=photo,
            title=title,
            photo_dpi=photo_dpi,
        )


def _pdf(ops, *, width, height, font_name, photo, title, photo_dpi) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(
        buffer,
        pagesize=(width * PT_PER_MM, height * PT_PER_MM),
        pageCompression=1,
        initialFontName=font_name,  # else an unused, unembedded Helvetica is listed
    )
    if title:
        page.setTitle(title)
    page.setCreator("Anxun")

    def pt(mm: float) -> float:
        return mm * PT_PER_MM

    for op in ops:
        if isinstance(op, Box):
            page.setFillColor(HexColor(op.fill))
            page.rect(pt(op.x), pt(height - op.y - op.h), pt(op.w), pt(op.h), stroke=0, fill=1)
        elif isinstance(op, Line):
            page.saveState()
            page.setStrokeColor(HexColor(op.colour))
            page.setLineWidth(pt(op.width))
            for a, b in dashes(op):
                page.line(pt(a[0]), pt(height - a[1]), pt(b[0]), pt(height - b[1]))
            page.restoreState()
        elif isinstance(op, Path):
            page.saveState()
            page.setStrokeColor(HexColor(op.colour))
            page.setLineWidth(pt(op.width))
            page.setLineJoin(1)
            path = page.beginPath()
            (x0, y0), *rest = op.points
            path.moveTo(pt(x0), pt(height - y0))
            for x, y in rest:
                path.lineTo(pt(x), pt(height - y))
            if op.closed:
                path.close()
            page.drawPath(path, stroke=1, fill=0)
            page.restoreState()
        elif isinstance(op, Circle):
            page.saveState()
            page.setStrokeColor(HexColor(op.colour))
            page.setLineWidth(pt(op.width))
            page.circle(pt(op.cx), pt(height - op.cy), pt(op.r), stroke=1, fill=0)
            page.restoreState()
        elif isinstance(op, Text):
            page.saveState()
            colour = HexColor(op.fill)
            page.setFillColor(colour)
            page.translate(pt(op.x), pt(height - op.y))
            if op.angle:
                page.rotate(op.angle)
            text = page.beginText()
            text.setFont(font_name, pt(op.size))
            if op.weight:
                # Fill and stroke (mode 2): the stroke straddles the outline, so it is twice
                # the Pillow stroke width, which lies outside it.
                page.setStrokeColor(colour)
                page.setLineWidth(pt(2 * op.weight * op.size))
                page.setLineJoin(1)
                text.setTextRenderMode(2)
            text_width = pdfmetrics.stringWidth(op.text, font_name, pt(op.size))
            text.setTextOrigin(-{"l": 0.0, "m": text_width / 2, "r": text_width}[op.align], 0)
            text.textOut(op.text)
            page.drawText(text)
            page.restoreState()
        elif isinstance(op, Photo):
            # JPEG goes in as it is (reportlab does not re-encode it); ``photo_dpi`` if cropped.
            pixels = (round(op.w / MM_PER_INCH * photo_dpi), round(op.h / MM_PER_INCH * photo_dpi))
            jpeg = photo_jpeg(photo, pixels) if photo else None
            if jpeg is not None:
                page.drawImage(
                    ImageReader(io.BytesIO(jpeg)),
                    pt(op.x),
                    pt(height - op.y - op.h),
                    width=pt(op.w),
                    height=pt(op.h),
                )
            else:
                page.setFillColor(HexColor(op.empty))
                page.rect(pt(op.x), pt(height - op.y - op.h), pt(op.w), pt(op.h), 0, 1)
        else:
            # About 10 pixels a module: sharp when printed, and a viewer that smooths the
            # image when scaling it blurs only the outermost pixel of each module.
            code = code_image(op.url, pixels=500).convert("L")
            page.drawImage(
                ImageReader(code),
                pt(op.x),
                pt(height - op.y - op.size),
                width=pt(op.size),
                height=pt(op.size),
            )
    page.showPage()
    page.save()
    return buffer.getvalue()
