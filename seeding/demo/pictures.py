"""The demo's pictures, so seeding needs no network: cover images (JPEG) and A4 leaflets (PDF),
laid out here and drawn by the document engine (``core.documents``).

A cover is a picture and the words on it. The picture (a diagonal gradient in one of
``PALETTES``, translucent circles, one of ``MOTIFS`` on the right and a band of hazard stripes
along the bottom) is drawn here with Pillow; the caption, the tag chip and the source line are
layout operations drawn over it by ``png.page_image``, in the CJK font, the caption broken by
the engine's Chinese line-breaking rules. A leaflet is a navy band with the title and subtitle,
the paragraphs wrapped by the same rules, and a source line, drawn by ``pdf.pdf_document``.
Fonts, line breaking and both renderers are the engine's; the palette, the motifs and the two
layouts are the demo's.
"""

import functools
import io
import math
from collections.abc import Callable

from PIL import Image as PILImage
from PIL import ImageChops, ImageDraw

from core.documents.fonts import cjk_font_path, pillow_font, reportlab_cjk_font
from core.documents.layout import PT_PER_MM, Box, Op, Text, measure_for
from core.documents.linebreak import HANG_AT_LINE_START, Measure, phrase_wrap, wrap
from core.documents.pdf import pdf_document
from core.documents.png import page_image

__all__ = [
    "HEIGHT",
    "MOTIFS",
    "PALETTES",
    "SOURCE",
    "WIDTH",
    "draw_cover",
    "draw_pdf",
    "draw_portrait",
]

SOURCE = "杭州市应急管理局"
CAMPAIGN = "企业百万员工安全大培训"


# --- Cover pictures (Pillow) -----------------------------------------------------------------

WIDTH, HEIGHT = 1200, 675  # the default cover size in pixels; its geometry scales with width
PALETTES = {
    "navy": ("#0b4a8b", "#06264a"),
    "orange": ("#c2410c", "#7c2d12"),
    "green": ("#15803d", "#064e3b"),
    "teal": ("#0f766e", "#0b4a8b"),
    "red": ("#b91c1c", "#581c87"),
    "amber": ("#b45309", "#0b4a8b"),
    "slate": ("#334155", "#0b4a8b"),
}
AMBER, INK, WHITE = "#f59e0b", "#111827", (255, 255, 255)
NAVY, ORANGE, MUTED, WHITE_TEXT = "#0b4a8b", "#c2410c", "#64748b", "#ffffff"


@functools.lru_cache(maxsize=16)
def _background(palette: str, size: tuple[int, int]) -> PILImage.Image:
    """A diagonal gradient between the palette's two colours."""
    light, dark = PALETTES[palette]
    vertical = PILImage.linear_gradient("L")
    mask = ImageChops.add(vertical, vertical.rotate(90), scale=2.0).resize(size)
    return PILImage.composite(
        PILImage.new("RGB", size, dark), PILImage.new("RGB", size, light), mask
    )


def _shield(draw: ImageDraw.ImageDraw, cx: float, cy: float, s: float, colour: str) -> None:
    top = [(cx - 0.42 * s, cy - 0.36 * s), (cx, cy - 0.5 * s), (cx + 0.42 * s, cy - 0.36 * s)]
    bottom = [
        (cx + 0.42 * s * math.cos(t), cy + 0.02 * s + 0.5 * s * math.sin(t))
        for t in [i * math.pi / 24 for i in range(25)]
    ]
    draw.polygon(top + bottom, fill=(255, 255, 255, 215))
    draw.line(
        [
            (cx - 0.18 * s, cy + 0.02 * s),
            (cx - 0.04 * s, cy + 0.17 * s),
            (cx + 0.2 * s, cy - 0.14 * s),
        ],
        fill=colour,
        width=max(6, int(s * 0.07)),
        joint="curve",
    )


def _teardrop(cx: float, cy: float, r: float) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for i in range(49):
        t = i * 2 * math.pi / 48
        points.append((cx + 0.72 * r * math.sin(t) * math.sin(t / 2) ** 1.3, cy - r * math.cos(t)))
    return points


def _flame(draw: ImageDraw.ImageDraw, cx: float, cy: float, s: float, colour: str) -> None:
    draw.polygon(_teardrop(cx, cy, 0.5 * s), fill=(255, 255, 255, 220))
    draw.polygon(_teardrop(cx, cy + 0.17 * s, 0.3 * s), fill=AMBER)
    draw.polygon(_teardrop(cx, cy + 0.3 * s, 0.15 * s), fill=colour)


def _helmet(draw: ImageDraw.ImageDraw, cx: float, cy: float, s: float, colour: str) -> None:
    draw.pieslice(
        (cx - 0.42 * s, cy - 0.42 * s, cx + 0.42 * s, cy + 0.38 * s), 180, 360, fill=AMBER
    )
    draw.rounded_rectangle(
        (cx - 0.55 * s, cy - 0.04 * s, cx + 0.55 * s, cy + 0.08 * s),
        radius=int(0.05 * s),
        fill=AMBER,
    )
    draw.rectangle((cx - 0.06 * s, cy - 0.42 * s, cx + 0.06 * s, cy - 0.04 * s), fill="#d97706")
    draw.rectangle((cx - 0.34 * s, cy + 0.12 * s, cx + 0.34 * s, cy + 0.16 * s), fill=WHITE)


def _bolt(draw: ImageDraw.ImageDraw, cx: float, cy: float, s: float, colour: str) -> None:
    draw.polygon(
        [
            (cx + 0.12 * s, cy - 0.5 * s),
            (cx - 0.26 * s, cy + 0.06 * s),
            (cx - 0.02 * s, cy + 0.06 * s),
            (cx - 0.14 * s, cy + 0.5 * s),
            (cx + 0.26 * s, cy - 0.08 * s),
            (cx + 0.02 * s, cy - 0.08 * s),
        ],
        fill=AMBER,
    )
    draw.ellipse(
        (cx - 0.48 * s, cy - 0.48 * s, cx + 0.48 * s, cy + 0.48 * s), outline=WHITE, width=8
    )


def _diamond(draw: ImageDraw.ImageDraw, cx: float, cy: float, s: float, colour: str) -> None:
    points = [(cx, cy - 0.5 * s), (cx + 0.5 * s, cy), (cx, cy + 0.5 * s), (cx - 0.5 * s, cy)]
    draw.polygon(points, fill=WHITE)
    inner = [(cx, cy - 0.4 * s), (cx + 0.4 * s, cy), (cx, cy + 0.4 * s), (cx - 0.4 * s, cy)]
    draw.polygon(inner, outline="#dc2626", width=max(6, int(0.05 * s)))
    draw.rounded_rectangle(
        (cx - 0.04 * s, cy - 0.22 * s, cx + 0.04 * s, cy + 0.08 * s), radius=6, fill=INK
    )
    draw.ellipse((cx - 0.045 * s, cy + 0.13 * s, cx + 0.045 * s, cy + 0.22 * s), fill=INK)


def _manhole(draw: ImageDraw.ImageDraw, cx: float, cy: float, s: float, colour: str) -> None:
    draw.ellipse(
        (cx - 0.5 * s, cy - 0.22 * s, cx + 0.5 * s, cy + 0.22 * s), fill=(255, 255, 255, 200)
    )
    draw.ellipse((cx - 0.4 * s, cy - 0.16 * s, cx + 0.4 * s, cy + 0.16 * s), fill=INK)
    for dx in (-0.14, 0.14):
        draw.line((cx + dx * s, cy - 0.5 * s, cx + dx * s, cy + 0.1 * s), fill=AMBER, width=10)
    for k in range(4):
        y = cy - 0.45 * s + k * 0.14 * s
        draw.line((cx - 0.14 * s, y, cx + 0.14 * s, y), fill=AMBER, width=8)
    for k, r in enumerate((0.07, 0.1, 0.13)):
        x, y = cx + 0.3 * s + k * 0.05 * s, cy - 0.35 * s - k * 0.1 * s
        draw.ellipse((x - r * s, y - r * s, x + r * s, y + r * s), fill=(255, 255, 255, 90))


def _house(draw: ImageDraw.ImageDraw, cx: float, cy: float, s: float, colour: str) -> None:
    draw.polygon(
        [(cx - 0.45 * s, cy - 0.05 * s), (cx, cy - 0.45 * s), (cx + 0.45 * s, cy - 0.05 * s)],
        fill=WHITE,
    )
    draw.rectangle(
        (cx - 0.32 * s, cy - 0.08 * s, cx + 0.32 * s, cy + 0.3 * s), fill=(255, 255, 255, 210)
    )
    draw.rectangle((cx - 0.07 * s, cy + 0.08 * s, cx + 0.07 * s, cy + 0.3 * s), fill=colour)
    for k in range(3):
        y = cy + 0.38 * s + k * 0.09 * s
        draw.arc(
            (cx - 0.55 * s, y - 0.06 * s, cx - 0.18 * s, y + 0.06 * s),
            180,
            360,
            fill=WHITE,
            width=6,
        )
        draw.arc(
            (cx - 0.18 * s, y - 0.06 * s, cx + 0.18 * s, y + 0.06 * s), 0, 180, fill=WHITE, width=6
        )
        draw.arc(
            (cx + 0.18 * s, y - 0.06 * s, cx + 0.55 * s, y + 0.06 * s),
            180,
            360,
            fill=WHITE,
            width=6,
        )


def _tree(draw: ImageDraw.ImageDraw, cx: float, cy: float, s: float, colour: str) -> None:
    draw.rectangle((cx - 0.05 * s, cy + 0.25 * s, cx + 0.05 * s, cy + 0.5 * s), fill="#92400e")
    for k, (w, top) in enumerate(((0.28, -0.5), (0.36, -0.28), (0.45, -0.05))):
        bottom = top + 0.34 + 0.02 * k
        draw.polygon(
            [(cx, cy + top * s), (cx + w * s, cy + bottom * s), (cx - w * s, cy + bottom * s)],
            fill=(255, 255, 255, 225 - 20 * k),
        )
    _flame(draw, cx + 0.42 * s, cy + 0.28 * s, 0.36 * s, colour)


def _road(draw: ImageDraw.ImageDraw, cx: float, cy: float, s: float, colour: str) -> None:
    draw.polygon(
        [
            (cx - 0.12 * s, cy - 0.5 * s),
            (cx + 0.12 * s, cy - 0.5 * s),
            (cx + 0.55 * s, cy + 0.5 * s),
            (cx - 0.55 * s, cy + 0.5 * s),
        ],
        fill=(17, 24, 39, 200),
    )
    for k in range(5):
        y0 = cy - 0.45 * s + k * 0.2 * s
        draw.line((cx, y0, cx, y0 + 0.1 * s), fill=WHITE, width=4 + 3 * k)
    draw.polygon(
        [
            (cx + 0.45 * s, cy - 0.5 * s),
            (cx + 0.7 * s, cy - 0.08 * s),
            (cx + 0.2 * s, cy - 0.08 * s),
        ],
        fill=AMBER,
        outline=WHITE,
    )


def _cross(draw: ImageDraw.ImageDraw, cx: float, cy: float, s: float, colour: str) -> None:
    draw.rounded_rectangle(
        (cx - 0.14 * s, cy - 0.45 * s, cx + 0.14 * s, cy + 0.45 * s), radius=18, fill=WHITE
    )
    draw.rounded_rectangle(
        (cx - 0.45 * s, cy - 0.14 * s, cx + 0.45 * s, cy + 0.14 * s), radius=18, fill=WHITE
    )
    draw.ellipse(
        (cx - 0.5 * s, cy - 0.5 * s, cx + 0.5 * s, cy + 0.5 * s),
        outline=(255, 255, 255, 120),
        width=6,
    )


def _hall(draw: ImageDraw.ImageDraw, cx: float, cy: float, s: float, colour: str) -> None:
    draw.polygon(
        [(cx - 0.5 * s, cy - 0.22 * s), (cx, cy - 0.48 * s), (cx + 0.5 * s, cy - 0.22 * s)],
        fill=WHITE,
    )
    for k in range(5):
        x = cx - 0.4 * s + k * 0.2 * s
        draw.rectangle(
            (x - 0.04 * s, cy - 0.16 * s, x + 0.04 * s, cy + 0.3 * s), fill=(255, 255, 255, 215)
        )
    draw.rectangle((cx - 0.52 * s, cy + 0.32 * s, cx + 0.52 * s, cy + 0.4 * s), fill=WHITE)
    _shield(draw, cx, cy - 0.3 * s, 0.12 * s, colour)


def _play(draw: ImageDraw.ImageDraw, cx: float, cy: float, s: float, colour: str) -> None:
    draw.ellipse(
        (cx - 0.45 * s, cy - 0.45 * s, cx + 0.45 * s, cy + 0.45 * s), fill=(255, 255, 255, 215)
    )
    draw.polygon(
        [(cx - 0.13 * s, cy - 0.22 * s), (cx + 0.24 * s, cy), (cx - 0.13 * s, cy + 0.22 * s)],
        fill=colour,
    )


# A motif is drawn centred on (cx, cy), ``s`` pixels high, on a translucent RGBA overlay;
# ``colour`` is the palette's light colour, for the parts cut out of the white.
Motif = Callable[[ImageDraw.ImageDraw, float, float, float, str], None]
MOTIFS: dict[str, Motif] = {
    "shield": _shield,
    "flame": _flame,
    "helmet": _helmet,
    "bolt": _bolt,
    "diamond": _diamond,
    "manhole": _manhole,
    "house": _house,
    "tree": _tree,
    "road": _road,
    "cross": _cross,
    "hall": _hall,
    "play": _play,
}


def _stripe_band(width: int) -> int:
    """The height in pixels of the hazard stripes along the bottom of a cover ``width`` wide."""
    return int(30 * width / WIDTH)


def _picture(*, motif: str, palette: str, size: tuple[int, int]) -> PILImage.Image:
    """The cover without its words: gradient, circles, motif and hazard stripes (RGBA)."""
    width, height = size
    base = _background(palette, size).convert("RGBA")
    overlay = PILImage.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for x, y, r in ((0.08, 0.12, 0.22), (0.62, 0.9, 0.3), (0.95, 0.05, 0.18)):
        draw.ellipse(
            ((x - r) * width, y * height - r * width, (x + r) * width, y * height + r * width),
            fill=(255, 255, 255, 22),
        )
    MOTIFS[motif](draw, width * 0.76, height * 0.44, height * 0.56, PALETTES[palette][0])
    stripe, band = int(44 * width / WIDTH), _stripe_band(width)
    for k in range(-1, width // stripe + 2):
        x = k * stripe
        draw.polygon(
            [
                (x, height),
                (x + stripe // 2, height),
                (x + stripe // 2 + band, height - band),
                (x + band, height - band),
            ],
            fill=AMBER if k % 2 else INK,
        )
    return PILImage.alpha_composite(base, overlay)


# --- Cover words (document engine) -----------------------------------------------------------

# A cover is laid out in millimetres of ten pixels each: 254 dpi.
PX_PER_MM = 10
COVER_DPI = 254
CAPTION_MAX_LINES = 3


def _cover_layout(
    *, caption: str, tag: str, palette: str, size: tuple[int, int], font_path: str
) -> list[Op]:
    """The words over the picture, bottom left above the stripes: the caption in up to three
    lines of white (broken between phrases when that costs no line; a longer caption loses its
    end to "…"), above it the tag in a rounded chip (orange, navy on an orange cover), below it
    the source line. Sizes and places in pixels scale with the width, as the picture's do."""
    width, height = size
    scale = width / WIDTH
    measure = measure_for(font_path)

    def text(x: int, top: int, words: str, pixels: int) -> Text:
        """``words`` at ``pixels`` size with the top of the font's ascent at ``top``."""
        ascent = pillow_font(font_path, pixels).getmetrics()[0]
        return Text(
            x / PX_PER_MM, (top + ascent) / PX_PER_MM, words, pixels / PX_PER_MM, WHITE_TEXT
        )

    left, band = int(64 * scale), _stripe_band(width)
    title_px, line_height = int(54 * scale), int(70 * scale)
    lines = _caption_lines(
        caption, width=int(width * 0.5) / PX_PER_MM, size=title_px / PX_PER_MM, measure=measure
    )
    top = height - band - int(70 * scale) - line_height * len(lines)
    ops: list[Op] = []
    if tag:
        tag_px = int(26 * scale)
        tag_width = int(measure(tag, tag_px / PX_PER_MM) * PX_PER_MM)
        chip_top = top - int(62 * scale)
        ops.append(
            Box(
                left / PX_PER_MM,
                chip_top / PX_PER_MM,
                (tag_width + int(32 * scale)) / PX_PER_MM,
                int(44 * scale) / PX_PER_MM,
                ORANGE if palette != "orange" else NAVY,
                radius=int(22 * scale) / PX_PER_MM,
            )
        )
        ops.append(text(left + int(16 * scale), chip_top + int(7 * scale), tag, tag_px))
    for index, line in enumerate(lines):
        # An opening quote inks only the right half of its em: hang the empty half in the
        # margin, so the line's ink starts where the other lines' ink does.
        x = left - title_px // 2 if line[:1] in HANG_AT_LINE_START else left
        ops.append(text(x, top + index * line_height, line, title_px))
    footer = f"{SOURCE} · {CAMPAIGN}"
    ops.append(text(left, height - band - int(52 * scale), footer, int(24 * scale)))
    return ops


def _caption_lines(caption: str, *, width: float, size: float, measure: Measure) -> list[str]:
    """The caption's lines (``phrase_wrap``), at most ``CAPTION_MAX_LINES``: a longer caption's
    last line ends in "…"."""
    lines = phrase_wrap(caption, width=width, size=size, measure=measure)
    if len(lines) > CAPTION_MAX_LINES:
        lines = lines[:CAPTION_MAX_LINES]
        lines[-1] = lines[-1][:-1] + "…"
    return lines


def draw_cover(
    *,
    caption: str,
    motif: str,
    palette: str,
    tag: str = "",
    size: tuple[int, int] = (WIDTH, HEIGHT),
) -> bytes:
    """A JPEG cover of ``size`` pixels (16:9 at the default 1200 × 675): the picture of
    ``motif`` (a key of ``MOTIFS``) on ``palette`` (a key of ``PALETTES``) with ``caption``, an
    optional ``tag`` chip and the source line over it. Raise ``KeyError`` for an unknown motif
    or palette and ``FontUnavailable`` without a CJK font."""
    width, height = size
    font_path = cjk_font_path()
    image = page_image(
        _cover_layout(caption=caption, tag=tag, palette=palette, size=size, font_path=font_path),
        width=width / PX_PER_MM,
        height=height / PX_PER_MM,
        dpi=COVER_DPI,
        font_path=font_path,
        base=_picture(motif=motif, palette=palette, size=size),
    )
    out = io.BytesIO()
    image.save(out, "JPEG", quality=84, optimize=False)
    return out.getvalue()


# --- Leaflets (document engine) --------------------------------------------------------------

# Geometry in millimetres from the top left corner of an A4 page (the leaflet was first drawn
# in points: 1 pt = 1 / PT_PER_MM mm).
A4_W, A4_H = 210.0, 297.0
MARGIN = 56 / PT_PER_MM
BAND = 130 / PT_PER_MM  # the navy band; an orange rule of 6 pt under it
TITLE_PT, SUBTITLE_PT, BODY_PT, FOOTER_PT = 22, 12, 12, 9
BODY_TOP = 180 / PT_PER_MM  # first baseline of the body on the first page
LEADING, PARAGRAPH_GAP = 22 / PT_PER_MM, 8 / PT_PER_MM
FOOTER_BASELINE = A4_H - 40 / PT_PER_MM
BODY_BOTTOM = FOOTER_BASELINE - 30 / PT_PER_MM  # no body line below this: next page
LEAFLET_FOOTER = f"{SOURCE} · {CAMPAIGN} · 演示资料，仅供系统演示使用"


def _leaflet_pages(
    title: str, subtitle: str, paragraphs: list[str], measure: Measure
) -> list[list[Op]]:
    """The leaflet's pages: on the first the band with the title (one line, 22 pt) and the
    subtitle (12 pt), then every paragraph wrapped to the margins (12 pt on 22 pt, 8 pt more
    between paragraphs), running on to further pages when they do not fit; the source line
    (9 pt, grey) at the foot of every page."""
    size, width = BODY_PT / PT_PER_MM, A4_W - 2 * MARGIN
    page: list[Op] = [
        Box(0, 0, A4_W, BAND, NAVY),
        Box(0, BAND, A4_W, 6 / PT_PER_MM, ORANGE),
        Text(MARGIN, 70 / PT_PER_MM, title, TITLE_PT / PT_PER_MM, WHITE_TEXT),
        Text(MARGIN, 100 / PT_PER_MM, subtitle, SUBTITLE_PT / PT_PER_MM, WHITE_TEXT),
    ]
    pages, baseline = [page], BODY_TOP
    for paragraph in paragraphs:
        for line in wrap(paragraph, width=width, size=size, measure=measure):
            if baseline > BODY_BOTTOM:
                page = []
                pages.append(page)
                baseline = MARGIN
            page.append(Text(MARGIN, baseline, line, size, INK))
            baseline += LEADING
        baseline += PARAGRAPH_GAP
    for page in pages:
        page.append(Text(MARGIN, FOOTER_BASELINE, LEAFLET_FOOTER, FOOTER_PT / PT_PER_MM, MUTED))
    return pages


def draw_pdf(title: str, subtitle: str, lines: list[str]) -> bytes:
    """An A4 leaflet as a PDF titled ``title`` by ``SOURCE``: real (selectable) text in the
    embedded CJK font, ``lines`` being its paragraphs (see ``_leaflet_pages``). Raise
    ``FontUnavailable`` without a CJK font."""
    measure = measure_for(cjk_font_path())
    return pdf_document(
        _leaflet_pages(title, subtitle, lines, measure),
        width=A4_W,
        height=A4_H,
        font_name=reportlab_cjk_font(),
        title=title,
        author=SOURCE,
    )


# --- Portraits (证件照) of demo workers --------------------------------------------------------

PORTRAIT_SIZE = (300, 400)  # 3:4, what a worker's upload is kept as
PORTRAIT_BACKGROUNDS = ("#dbeafe", "#e0f2fe", "#f1f5f9", "#ffffff")
PORTRAIT_JACKETS = ("#1e3a8a", "#334155", "#0f766e", "#7c2d12", "#111827")


def draw_portrait(number: int) -> bytes:
    """A stand-in ID photo (a plain background, a head and shoulders) as JPEG: demo workers
    need one to book a practical exam. ``number`` picks the colours."""
    background = PORTRAIT_BACKGROUNDS[number % len(PORTRAIT_BACKGROUNDS)]
    jacket = PORTRAIT_JACKETS[number // len(PORTRAIT_BACKGROUNDS) % len(PORTRAIT_JACKETS)]
    image = PILImage.new("RGB", PORTRAIT_SIZE, background)
    draw = ImageDraw.Draw(image)
    draw.ellipse((40, 250, 260, 470), fill=jacket)  # shoulders
    draw.rectangle((125, 190, 175, 270), fill="#e8c4a0")  # neck
    draw.ellipse((90, 80, 210, 230), fill="#f0cfae")  # face
    draw.pieslice((86, 70, 214, 200), 180, 360, fill="#1f2937")  # hair
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()
