"""The demo's pictures: cover images drawn with Pillow and A4 leaflets drawn with reportlab,
so seeding needs no network. Moved verbatim from cms/demo.py; they are to be redrawn with the
document engine (core/documents)."""

import functools
import io
import math

from PIL import Image as PILImage
from PIL import ImageChops, ImageDraw, ImageFont

FONT_PATH = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
SOURCE = "杭州市应急管理局"


# --- Drawing ---------------------------------------------------------------------------------

WIDTH, HEIGHT = 1200, 675
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


@functools.lru_cache(maxsize=16)
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT_PATH, size, index=0)


@functools.lru_cache(maxsize=16)
def _background(palette: str, size: tuple[int, int]) -> PILImage.Image:
    """A diagonal gradient between the palette's two colours."""
    light, dark = PALETTES[palette]
    vertical = PILImage.linear_gradient("L")
    mask = ImageChops.add(vertical, vertical.rotate(90), scale=2.0).resize(size)
    return PILImage.composite(
        PILImage.new("RGB", size, dark), PILImage.new("RGB", size, light), mask
    )


def _shield(draw, cx, cy, s, colour):
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


def _teardrop(cx, cy, r):
    points = []
    for i in range(49):
        t = i * 2 * math.pi / 48
        points.append((cx + 0.72 * r * math.sin(t) * math.sin(t / 2) ** 1.3, cy - r * math.cos(t)))
    return points


def _flame(draw, cx, cy, s, colour):
    draw.polygon(_teardrop(cx, cy, 0.5 * s), fill=(255, 255, 255, 220))
    draw.polygon(_teardrop(cx, cy + 0.17 * s, 0.3 * s), fill=AMBER)
    draw.polygon(_teardrop(cx, cy + 0.3 * s, 0.15 * s), fill=colour)


def _helmet(draw, cx, cy, s, colour):
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


def _bolt(draw, cx, cy, s, colour):
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


def _diamond(draw, cx, cy, s, colour):
    points = [(cx, cy - 0.5 * s), (cx + 0.5 * s, cy), (cx, cy + 0.5 * s), (cx - 0.5 * s, cy)]
    draw.polygon(points, fill=WHITE)
    inner = [(cx, cy - 0.4 * s), (cx + 0.4 * s, cy), (cx, cy + 0.4 * s), (cx - 0.4 * s, cy)]
    draw.polygon(inner, outline="#dc2626", width=max(6, int(0.05 * s)))
    draw.rounded_rectangle(
        (cx - 0.04 * s, cy - 0.22 * s, cx + 0.04 * s, cy + 0.08 * s), radius=6, fill=INK
    )
    draw.ellipse((cx - 0.045 * s, cy + 0.13 * s, cx + 0.045 * s, cy + 0.22 * s), fill=INK)


def _manhole(draw, cx, cy, s, colour):
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


def _house(draw, cx, cy, s, colour):
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


def _tree(draw, cx, cy, s, colour):
    draw.rectangle((cx - 0.05 * s, cy + 0.25 * s, cx + 0.05 * s, cy + 0.5 * s), fill="#92400e")
    for k, (w, top) in enumerate(((0.28, -0.5), (0.36, -0.28), (0.45, -0.05))):
        bottom = top + 0.34 + 0.02 * k
        draw.polygon(
            [(cx, cy + top * s), (cx + w * s, cy + bottom * s), (cx - w * s, cy + bottom * s)],
            fill=(255, 255, 255, 225 - 20 * k),
        )
    _flame(draw, cx + 0.42 * s, cy + 0.28 * s, 0.36 * s, colour)


def _road(draw, cx, cy, s, colour):
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


def _cross(draw, cx, cy, s, colour):
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


def _hall(draw, cx, cy, s, colour):
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


def _play(draw, cx, cy, s, colour):
    draw.ellipse(
        (cx - 0.45 * s, cy - 0.45 * s, cx + 0.45 * s, cy + 0.45 * s), fill=(255, 255, 255, 215)
    )
    draw.polygon(
        [(cx - 0.13 * s, cy - 0.22 * s), (cx + 0.24 * s, cy), (cx - 0.13 * s, cy + 0.22 * s)],
        fill=colour,
    )


MOTIFS = {
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


NO_LINE_START = "，。、；：？！”’）》」…—·"


def _wrap(text: str, font, width: int, max_lines: int = 3) -> list[str]:
    """Break Chinese text by character, keeping closing punctuation off a line's start and
    never leaving a single character alone on the last line."""
    lines, line = [], ""
    for char in text:
        if font.getlength(line + char) <= width or not line:
            line += char
        elif char not in NO_LINE_START:
            lines.append(line)
            line = char
        else:  # carry the last character (and any punctuation before it) down with it
            split = len(line) - 1
            while split > 1 and line[split] in NO_LINE_START:
                split -= 1
            lines.append(line[:split])
            line = line[split:] + char
    lines.append(line)
    lines = [line.strip() for line in lines]
    if len(lines) > 1 and len(lines[-1]) == 1:
        lines[-1] = lines[-2][-1] + lines[-1]
        lines[-2] = lines[-2][:-1]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][:-1] + "…"
    return lines


def draw_cover(
    *, caption: str, motif: str, palette: str, tag: str = "", size=(WIDTH, HEIGHT)
) -> bytes:
    """A JPEG: gradient, translucent circles, a safety motif, hazard stripes and a caption."""
    width, height = size
    scale = width / WIDTH
    base = _background(palette, size).convert("RGBA")
    overlay = PILImage.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for x, y, r in ((0.08, 0.12, 0.22), (0.62, 0.9, 0.3), (0.95, 0.05, 0.18)):
        draw.ellipse(
            ((x - r) * width, y * height - r * width, (x + r) * width, y * height + r * width),
            fill=(255, 255, 255, 22),
        )
    accent = PALETTES[palette][0]
    MOTIFS[motif](draw, width * 0.76, height * 0.44, height * 0.56, accent)
    stripe, band = int(44 * scale), int(30 * scale)
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
    image = PILImage.alpha_composite(base, overlay)
    draw = ImageDraw.Draw(image)
    left = int(64 * scale)
    title_font = _font(int(54 * scale))
    lines = _wrap(caption, title_font, int(width * 0.5))
    line_height = int(70 * scale)
    top = height - band - int(70 * scale) - line_height * len(lines)
    if tag:
        tag_font = _font(int(26 * scale))
        tag_width = int(tag_font.getlength(tag))
        chip_top = top - int(62 * scale)
        draw.rounded_rectangle(
            (left, chip_top, left + tag_width + int(32 * scale), chip_top + int(44 * scale)),
            radius=int(22 * scale),
            fill="#c2410c" if palette != "orange" else "#0b4a8b",
        )
        draw.text(
            (left + int(16 * scale), chip_top + int(7 * scale)), tag, font=tag_font, fill=WHITE
        )
    for index, line in enumerate(lines):
        draw.text((left, top + index * line_height), line, font=title_font, fill=WHITE)
    draw.text(
        (left, height - band - int(52 * scale)),
        "杭州市应急管理局 · 企业百万员工安全大培训",
        font=_font(int(24 * scale)),
        fill=(255, 255, 255, 210),
    )
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=84, optimize=False)
    return out.getvalue()


# --- PDFs ------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _pdf_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont("WQY", FONT_PATH, subfontIndex=0))
    return "WQY"


def draw_pdf(title: str, subtitle: str, lines: list[str]) -> bytes:
    """An A4 leaflet: a navy band with the title, then the text, wrapped by character."""
    from reportlab.lib.colors import HexColor, white
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    font = _pdf_font()
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    pdf.setTitle(title)
    pdf.setAuthor(SOURCE)
    width, height = A4
    pdf.setFillColor(HexColor("#0b4a8b"))
    pdf.rect(0, height - 130, width, 130, stroke=0, fill=1)
    pdf.setFillColor(HexColor("#c2410c"))
    pdf.rect(0, height - 136, width, 6, stroke=0, fill=1)
    pdf.setFillColor(white)
    pdf.setFont(font, 22)
    pdf.drawString(56, height - 70, title)
    pdf.setFont(font, 12)
    pdf.drawString(56, height - 100, subtitle)
    pdf.setFillColor(HexColor("#111827"))
    y, size, leading, limit = height - 180, 12, 22, width - 112
    for paragraph in lines:
        pdf.setFont(font, size)
        line = ""
        for char in paragraph:
            if stringWidth(line + char, font, size) > limit:
                pdf.drawString(56, y, line)
                y -= leading
                line = char
            else:
                line += char
        pdf.drawString(56, y, line)
        y -= leading + 8
    pdf.setFont(font, 9)
    pdf.setFillColor(HexColor("#64748b"))
    pdf.drawString(56, 40, f"{SOURCE} · 企业百万员工安全大培训 · 演示资料，仅供系统演示使用")
    pdf.showPage()
    pdf.save()
    return out.getvalue()
