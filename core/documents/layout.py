"""Drawing operations: what a document is made of before it is a PNG or a PDF.

A layout (a poster, a certificate, a ticket) is a list of these operations in millimetres from
the page's top left corner; ``png.png_draw`` and ``pdf.pdf_draw`` draw the same list, so both
formats look alike and the layout rules (wrapping, fitting) live once, in the layout. Pillow
and reportlab draw; what is ours is this small vocabulary both can draw, measuring text the
way both will set it, and the helpers forms need: frames, dashed rules, 分散对齐 labels, and
the worker's photo read defensively and cropped to its box.
"""

import functools
import io
import logging
import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from PIL import Image, ImageOps, UnidentifiedImageError

from .fonts import pillow_font
from .linebreak import Measure

__all__ = [
    "HINTING_ROOM",
    "MM_PER_INCH",
    "PHOTO_EMPTY",
    "PT_PER_MM",
    "WHITE",
    "Box",
    "Circle",
    "Code",
    "Line",
    "Op",
    "Path",
    "Photo",
    "Sheet",
    "Text",
    "dashes",
    "frame",
    "is_spread",
    "label_ops",
    "measure_for",
    "photo_bytes",
    "photo_fitted",
    "photo_jpeg",
]

logger = logging.getLogger(__name__)

WHITE = "#ffffff"
PHOTO_EMPTY = "#f8fafc"
MM_PER_INCH = 25.4
PT_PER_MM = 72 / MM_PER_INCH
# A PNG's hinting rounds each advance to whole pixels, so a line measured to fill a width
# exactly may come out a little wider: forms wrap to this share of their width.
HINTING_ROOM = 0.98

_IDEOGRAPH = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


# --- Operations ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Box:
    """A filled rectangle (with rounded corners of ``radius`` mm when given)."""

    x: float
    y: float
    w: float
    h: float
    fill: str
    radius: float = 0.0


@dataclass(frozen=True)
class Line:
    """A straight line, solid or dashed."""

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
    """A circle's outline."""

    cx: float
    cy: float
    r: float
    colour: str
    width: float  # of the outline, drawn centred on the radius


@dataclass(frozen=True)
class Text:
    """One line of text in the CJK font, placed by its baseline."""

    x: float
    y: float  # baseline
    text: str
    size: float  # em size, mm
    fill: str
    align: str = "l"  # l, m (centred on x) or r
    weight: float = 0.0  # faux bold: an outline in the text's colour, as a fraction of the size
    angle: float = 0.0  # degrees anticlockwise about (x, y)


@dataclass(frozen=True)
class Photo:
    """The document's photo (given to the renderer), cropped to fill the box."""

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


@dataclass(frozen=True)
class Sheet:
    """A one-page document ready to draw: ``png.sheet_png`` and ``pdf.sheet_pdf`` find the font,
    refuse a character of ``texts`` it lacks (``fonts.check_glyphs``), call ``layout`` with the
    font's ``Measure`` and draw the operations it returns on a ``width`` × ``height`` mm page,
    ``photo`` (a picture's bytes) in its ``Photo`` boxes; ``title`` is the PDF's."""

    width: float
    height: float
    layout: Callable[[Measure], list[Op]]
    texts: Sequence[str] = ()
    photo: bytes | None = None
    title: str = ""


# --- Measuring -------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4)
def measure_for(path: str) -> Measure:
    """A function giving the width in mm of a text at a size in mm (plus twice the outline
    ``weight``, a fraction of the size), in the font at ``path``: the width both renderers
    will give it."""
    reference = 200.0
    reference_font = pillow_font(path, reference)
    # Fitting measures the same strings at several sizes, and a PNG and a PDF of one document
    # measure them again: keep the widths at the reference size.
    length = functools.lru_cache(maxsize=4096)(reference_font.getlength)

    def measure(text: str, size: float, weight: float = 0.0) -> float:
        return (length(text) / reference + 2 * weight) * size

    return measure


# --- Helpers for forms -----------------------------------------------------------------------


def frame(
    x: float, y: float, w: float, h: float, colour: str, width: float, dash: float = 0.0
) -> list[Op]:
    """The four sides of a rectangle as lines (dashed if ``dash``)."""
    return [
        Line(x, y, x + w, y, colour, width, dash),
        Line(x + w, y, x + w, y + h, colour, width, dash),
        Line(x + w, y + h, x, y + h, colour, width, dash),
        Line(x, y + h, x, y, colour, width, dash),
    ]


def dashes(line: Line) -> Iterator[tuple[tuple[float, float], tuple[float, float]]]:
    """The (start, end) points of the dashes of ``line`` (the whole line if solid): a whole
    number of dashes, one at each end."""
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


# --- Photos ----------------------------------------------------------------------------------


def photo_bytes(photo: Any, *, owner: str = "") -> bytes | None:
    """A stored photo's bytes (an ImageField's file), or None when there is none or it is not
    a JPEG, PNG or WebP picture (the document then shows an empty box); logs the unreadable."""
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
    """The photo cropped to the box's shape and scaled to ``size`` pixels, upright and RGB
    (None if it turns out to be truncated)."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.draft("RGB", size)  # a JPEG decodes at a reduced scale: much faster
            upright = ImageOps.exif_transpose(image).convert("RGB")
            return ImageOps.fit(upright, size, Image.Resampling.BICUBIC)
    except (OSError, ValueError, Image.DecompressionBombError):
        return None


def photo_jpeg(data: bytes, size: tuple[int, int]) -> bytes | None:
    """The photo as a JPEG of the box's shape, for a PDF. A stored photo is normally a 3:4 JPEG
    already (``accounts.photos``): it goes in as it is, without decoding. None if unreadable."""
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
