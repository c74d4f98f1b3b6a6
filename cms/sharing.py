"""Sharing material for campaigns: QR codes and printable A4 posters (PNG and PDF).

A poster is laid out once, in millimetres, as a list of drawing operations; a Pillow renderer
(PNG) and a reportlab renderer (PDF) then draw the same operations, so both formats look alike
and the layout rules (wrapping, shrinking, fitting) live in one place.
"""

import functools
import io
import math
import os
import re
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import qrcode
from django.conf import settings
from django.utils.translation import gettext
from PIL import Image, ImageDraw, ImageFont, UnidentifiedImageError
from reportlab.lib.colors import HexColor
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen import canvas

__all__ = [
    "FontUnavailable",
    "Poster",
    "PosterTooLong",
    "cjk_font_path",
    "poster_pdf",
    "poster_png",
    "share_qr_png",
]

CJK_FONT_PACKAGE = "fonts-wqy-microhei"

NAVY = "#0b4a8b"
ORANGE = "#c2410c"
WHITE = "#ffffff"
INK = "#1f2937"
MUTED = "#4b5563"
PANEL = "#eef3f9"

# Geometry in millimetres (A4 portrait).
PAGE_W, PAGE_H = 210.0, 297.0
MARGIN = 18.0
STRIPE = 2.6
TITLE_SIZES = [s / 2 for s in range(32, 13, -1)]  # 16 mm down to 7 mm, in 0.5 mm steps
TITLE_MAX_LINES = 3
QR_SYMBOL_TARGET = 70.0  # printed code, quiet zone excluded
QR_SYMBOL_MIN = 60.0  # below this, phones at arm's length struggle on a wall poster
QR_BORDER = 4  # modules of quiet zone, the minimum ISO/IEC 18004 asks for
# Wenquanyi Micro Hei has one weight; titles and labels get a thin outline in their own colour
# (Pillow's stroke, PDF text render mode 2) so they still read as bold. Widths are fractions
# of the font size, on each side of the outline; smaller text gets less, or its dense
# characters (情, 看) fill in.
TITLE_WEIGHT = 0.028
LABEL_WEIGHT = 0.02
# Where the ink of a CJK glyph sits relative to the baseline, in ems (measured on Micro Hei;
# other CJK fonts share the ideographic em box to within a few per cent).
CJK_ASCENT = 0.88
CJK_DESCENT = 0.12
CJK_MIDDLE = 0.36

_MM_PER_INCH = 25.4
_PT_PER_MM = 72 / _MM_PER_INCH


class FontUnavailable(RuntimeError):
    """No configured font can draw Chinese, so no poster or certificate can be made."""


class PosterTooLong(ValueError):
    """The poster's text does not fit on one A4 page even at the smallest allowed sizes."""


@dataclass(frozen=True)
class Poster:
    """What a campaign poster says. Every string is shown as given (nothing is escaped or cut)."""

    title: str
    lines: list[str]  # facts under the title, e.g. "时间：…", "地点：…", "对象：…"
    url: str  # encoded in the QR code, and printed small under it for people without a scanner
    kicker: str = ""  # small tag above the title, e.g. the campaign's name
    footer: str = ""  # bottom band, e.g. organiser and hotline


# --- Fonts ---------------------------------------------------------------------------------


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
        font = _pillow_font(path, 64)
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
        _reportlab_font_name(path)
    except TTFError as error:
        return f"reportlab cannot embed it: {error}"
    return None


def _glyph_pixels(font: ImageFont.FreeTypeFont, char: str) -> bytes:
    size = int(font.size)
    image = Image.new("L", (size * 2, size * 2))
    ImageDraw.Draw(image).text((size // 2, size * 3 // 2), char, font=font, fill=255, anchor="ls")
    return image.tobytes()


def _pillow_font(path: str, size: float) -> ImageFont.FreeTypeFont:
    # Basic layout (no HarfBuzz) gives the plain advance widths reportlab also uses, so a line
    # wraps at the same place in the PNG and the PDF. Loading is cheap (about 0.1 ms): fonts are
    # made per call rather than shared between threads.
    return ImageFont.truetype(path, size, index=0, layout_engine=ImageFont.Layout.BASIC)


@functools.lru_cache(maxsize=8)
def _reportlab_font_name(path: str) -> str:
    """Register ``path`` with reportlab once per process (parsing costs about 60 ms)."""
    font = TTFont(f"AnxunCJK-{zlib.crc32(path.encode()):08x}", path, subfontIndex=0)
    face_map = font.face.charToGlyph
    if ord("安") not in face_map or ord("训") not in face_map:
        raise TTFError("no Chinese characters in its character map")
    pdfmetrics.registerFont(font)
    return font.fontName


def reportlab_cjk_font() -> str:
    """The reportlab font name of the configured CJK font, for any PDF with Chinese text."""
    return _reportlab_font_name(cjk_font_path())


# --- QR codes ------------------------------------------------------------------------------


@functools.lru_cache(maxsize=64)
def _qr_modules(url: str) -> tuple[tuple[bool, ...], ...]:
    # Choosing the mask pattern is most of the cost (about 25 ms for a 120-character URL), and a
    # poster is often rendered twice (PNG and PDF) or again and again: keep recent matrices.
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, border=QR_BORDER, box_size=1
    )
    code.add_data(url)
    code.make(fit=True)
    return tuple(tuple(row) for row in code.get_matrix())


def _qr_image(url: str, *, box_size: int) -> Image.Image:
    """The QR code of ``url`` with its quiet zone, ``box_size`` pixels per module, mode "1"."""
    modules = _qr_modules(url)
    count = len(modules)
    dark = bytes(0 if cell else 255 for row in modules for cell in row)
    image = Image.frombytes("L", (count, count), dark).convert("1")
    return image.resize((count * box_size, count * box_size), Image.Resampling.NEAREST)


def share_qr_png(*, url: str, box_size: int = 8) -> bytes:
    """Return a PNG of the QR code (error correction M, 4-module border) that encodes ``url``."""
    if not url:
        raise ValueError("A QR code needs a URL to encode.")
    if box_size < 1:
        raise ValueError("box_size must be at least 1 pixel per module.")
    buffer = io.BytesIO()
    _qr_image(url, box_size=box_size).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


# --- Line breaking -------------------------------------------------------------------------

# Chinese line-breaking rules (禁则): closing punctuation never starts a line, opening
# punctuation never ends one. Both stick to their neighbour instead.
_NO_LINE_START = set("，。、；：！？）》」』】〕〉”’…—·%,.;:!?)]}")
_NO_LINE_END = set("（《「『【〔〈“‘([{")
_HANG_AT_LINE_START = set("“‘《「『【")
# Punctuation that ends a phrase (not dashes: "09:00—11:30" is one phrase).
_PHRASE_END = set("，。、；：！？）》」』】〕〉”’·,;!?)")
# A Latin word or number (with the punctuation inside it, as in 09:00 or 12350) stays whole;
# any other character (ideographs, punctuation) may be broken around.
_ATOM = re.compile(r"\s+|[0-9A-Za-z][0-9A-Za-z'’._:@&+\-]*[0-9A-Za-z]|.", re.DOTALL)

Measure = Callable[[str, float, float], float]  # (text, size_mm, weight) -> width_mm


def _tokens(text: str) -> list[str]:
    tokens: list[str] = []
    for atom in _ATOM.findall(text):
        if (
            tokens
            and not atom.isspace()
            and not tokens[-1].isspace()
            and (atom[0] in _NO_LINE_START or tokens[-1][-1] in _NO_LINE_END)
        ):
            tokens[-1] += atom
            continue
        if atom[0] in _NO_LINE_START and len(tokens) > 1 and tokens[-1].isspace():
            # "主办 · 承办": the separator stays at the end of the line, never starts one.
            tokens.pop()
            tokens[-1] += " " + atom
            continue
        tokens.append(atom)
    return tokens


def _url_tokens(url: str) -> list[str]:
    # A URL breaks best after a slash (or ?, &, =), never inside a path segment if avoidable.
    return re.findall(r"[^/?&=]*[/?&=]|[^/?&=]+", url)


def _wrap(
    text: str,
    *,
    width: float,
    size: float,
    measure: Measure,
    weight: float = 0.0,
    tokens: list[str] | None = None,
) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` mm; a token wider than a line is split."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        current = ""
        for token in tokens if tokens is not None else _tokens(paragraph):
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
            for char in token:  # a single token wider than the line: break it anywhere
                if current and measure(current + char, size, weight) > width:
                    lines.append(current)
                    current = ""
                current += char
        lines.append(current.rstrip())
    return lines


def _phrase_tokens(text: str) -> list[str]:
    """Tokens as whole phrases: break only at spaces, after closing punctuation and before
    opening punctuation (so 「“安全宣传咨询日”」 stays on one line when it can)."""
    phrases: list[str] = []
    for token in _tokens(text):
        if (
            phrases
            and not token.isspace()
            and not phrases[-1].isspace()
            and phrases[-1][-1] not in _PHRASE_END
            and token[0] not in _NO_LINE_END
        ):
            phrases[-1] += token
        else:
            phrases.append(token)
    return phrases


def _balanced_wrap(
    text: str,
    *,
    width: float,
    size: float,
    measure: Measure,
    weight: float = 0.0,
    tokens: list[str] | None = None,
) -> list[str]:
    """Wrap into as few lines as ``_wrap`` would, but with lines of similar length (no orphan
    character on a last line of its own)."""
    options = {"size": size, "measure": measure, "weight": weight, "tokens": tokens}
    lines = _wrap(text, width=width, **options)
    if len(lines) < 2:
        return lines
    # Never narrower than the widest token: below that _wrap would split a token anywhere.
    tokens_used = tokens if tokens is not None else _tokens(text)
    low = min(width, max(measure(token, size, weight) for token in tokens_used))
    high = width
    for _ in range(14):  # bisect the narrowest width that still needs no extra line
        middle = (low + high) / 2
        if len(_wrap(text, width=middle, **options)) <= len(lines):
            high = middle
        else:
            low = middle
    return _wrap(text, width=high, **options)


def _phrase_fits(
    phrases: list[str], *, width: float, size: float, measure: Measure, weight: float
) -> bool:
    return all(measure(phrase, size, weight) <= width for phrase in phrases)


def _nice_lines(
    text: str, *, width: float, size: float, measure: Measure, weight: float = 0.0
) -> list[str]:
    """Balanced lines, broken between phrases when that needs no extra line."""
    lines = _balanced_wrap(text, width=width, size=size, measure=measure, weight=weight)
    phrases = _phrase_tokens(text)
    if len(lines) > 1 and _phrase_fits(
        phrases, width=width, size=size, measure=measure, weight=weight
    ):
        by_phrase = _balanced_wrap(
            text, width=width, size=size, measure=measure, weight=weight, tokens=phrases
        )
        if len(by_phrase) <= len(lines):
            return by_phrase
    return lines


def _title_lines(title: str, *, width: float, measure: Measure) -> tuple[float, list[str]]:
    """The title's size and lines: the largest size that needs at most three lines.

    Breaking between phrases beats breaking inside one (“安 / 全宣传” reads badly), so a
    phrase-respecting wrap up to 1.5 mm smaller wins over a character wrap at the larger size.
    When even the smallest size needs more than three lines, every word is still kept.
    """
    phrases = _phrase_tokens(title)
    options = {"width": width, "measure": measure, "weight": TITLE_WEIGHT}
    best: tuple[float, list[str]] | None = None  # character wrap at the largest size that fits
    for size in TITLE_SIZES:
        if best is not None and size < best[0] - 1.5:
            break
        if best is None:
            lines = _balanced_wrap(title, **options, size=size)
            if len(lines) > TITLE_MAX_LINES:
                continue
            best = (size, lines)
        if _phrase_fits(phrases, **options, size=size):
            lines = _balanced_wrap(title, **options, size=size, tokens=phrases)
            if len(lines) <= len(best[1]):
                return size, lines
    if best is not None:
        return best
    size = TITLE_SIZES[-1]
    return size, _balanced_wrap(title, **options, size=size)


# --- Layout --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Box:
    x: float
    y: float
    w: float
    h: float
    fill: str
    radius: float = 0.0


@dataclass(frozen=True)
class _Text:
    x: float
    y: float  # baseline
    text: str
    size: float  # em size, mm
    fill: str
    centre: bool = False
    weight: float = 0.0  # faux bold: outline stroke, as a fraction of size


@dataclass(frozen=True)
class _Code:
    x: float
    y: float
    size: float  # the whole square, quiet zone included
    url: str


_Op = _Box | _Text | _Code


def _layout(poster: Poster, *, measure: Measure) -> list[_Op]:
    """Place everything on the page, in millimetres from the top-left corner."""
    ops: list[_Op] = []
    content_w = PAGE_W - 2 * MARGIN

    # Header band: kicker tag and title, white on navy; its height follows the title.
    y = 15.0
    header: list[_Op] = []
    if poster.kicker.strip():
        kicker = " ".join(poster.kicker.split())
        # One line always: a long kicker gets a smaller size rather than a second line.
        size = min(4.6, 4.6 * (content_w - 6.4) / measure(kicker, 4.6, 0.0))
        tag_w = measure(kicker, size, 0.0) + 6.4
        tag_h = size * 1.75
        header.append(_Box(MARGIN, y, tag_w, tag_h, ORANGE, radius=1.2))
        header.append(_Text(MARGIN + 3.2, y + tag_h / 2 + size * CJK_MIDDLE, kicker, size, WHITE))
        y += tag_h + 7.5
    title = " ".join(poster.title.split())
    size, title_lines = _title_lines(title, width=content_w, measure=measure)
    leading = size * 1.3
    for index, line in enumerate(title_lines):
        baseline = y + size * CJK_ASCENT + index * leading
        # An opening quote or bracket inks only the right half of its em: hang the empty half
        # in the margin so the line's ink starts where the other lines' ink does.
        x = MARGIN - size / 2 if line[:1] in _HANG_AT_LINE_START else MARGIN
        header.append(_Text(x, baseline, line, size, WHITE, weight=TITLE_WEIGHT))
    y = baseline + size * CJK_DESCENT + 13.0
    ops.append(_Box(0, 0, PAGE_W, y, NAVY))
    ops.extend(header)
    ops.append(_Box(0, y, PAGE_W, STRIPE, ORANGE))
    body_top = y + STRIPE + 11.0

    # Footer band (built first so the body knows where it must stop).
    footer_ops: list[_Op] = []
    size = 4.4
    footer_lines = _nice_lines(
        " ".join(poster.footer.split()), width=content_w, size=size, measure=measure
    )
    # A separator at a line break separates nothing: "主办 · / 承办" reads as "主办 / 承办".
    footer_lines = [line.removesuffix(" ·") for line in footer_lines if line]
    leading = size * 1.55
    footer_h = max(len(footer_lines) * leading - (leading - size) + 2 * 6.5, 12.0)
    footer_top = PAGE_H - footer_h
    first = footer_top + footer_h / 2 - (len(footer_lines) - 1) * leading / 2
    for index, line in enumerate(footer_lines):
        baseline = first + index * leading + size * CJK_MIDDLE
        footer_ops.append(_Text(PAGE_W / 2, baseline, line, size, WHITE, centre=True))
    body_bottom = footer_top - STRIPE - 8.0

    # Fact lines in a tinted panel, then the QR block centred in what is left.
    modules = len(_qr_modules(poster.url))
    quiet = modules / (modules - 2 * QR_BORDER)  # whole square / printed symbol
    caption = gettext("Scan for details and registration")
    for info_size in (6.0, 5.6, 5.2, 4.8, 4.4):
        panel = _fact_panel(poster.lines, top=body_top, size=info_size, measure=measure)
        panel_bottom = panel[0].y + panel[0].h if panel else body_top - 4.0
        qr_block = _qr_block(
            poster.url,
            caption=caption,
            top=panel_bottom + 6.0,
            bottom=body_bottom,
            quiet=quiet,
            measure=measure,
        )
        if qr_block is not None:
            break
    else:
        raise PosterTooLong(
            "The poster's title and lines do not fit on one A4 page with a readable QR code; "
            "shorten the title or the lines."
        )
    ops.extend(panel)
    ops.extend(qr_block)
    ops.append(_Box(0, footer_top - STRIPE, PAGE_W, STRIPE, ORANGE))
    ops.append(_Box(0, footer_top, PAGE_W, footer_h, NAVY))
    ops.extend(footer_ops)
    return ops


def _fact_panel(lines: Iterable[str], *, top: float, size: float, measure: Measure) -> list[_Op]:
    """The fact lines in a tinted panel. In "标签：内容" the label is navy, and the content's
    wrapped lines start under the content, not under the label."""
    pad_x, pad_y, accent = 8.0, 6.5, 1.6
    left = MARGIN + accent + pad_x
    inner_w = PAGE_W - MARGIN - pad_x - left
    leading = size * 1.75
    texts: list[_Op] = []
    baseline = top + pad_y + size * CJK_ASCENT
    for raw in lines:
        line = " ".join(raw.split())
        if not line:
            continue
        label, colon, value = line.partition("：")
        if not colon:
            label, colon, value = line.partition(":")
        label = label + colon
        if not colon or measure(label, size, LABEL_WEIGHT) > inner_w * 0.4:
            label, value = "", line
        value_x = left + (measure(label, size, LABEL_WEIGHT) + size * 0.1 if label else 0.0)
        if label:
            texts.append(_Text(left, baseline, label, size, NAVY, weight=LABEL_WEIGHT))
        for part in _wrap(
            value.strip(), width=left + inner_w - value_x, size=size, measure=measure
        ):
            texts.append(_Text(value_x, baseline, part, size, INK))
            baseline += leading
    if not texts:
        return []
    height = baseline - leading + size * CJK_DESCENT + pad_y - top
    return [
        _Box(MARGIN, top, PAGE_W - 2 * MARGIN, height, PANEL),
        _Box(MARGIN, top, accent, height, ORANGE),
        *texts,
    ]


def _qr_block(
    url: str, *, caption: str, top: float, bottom: float, quiet: float, measure: Measure
) -> list[_Op] | None:
    """The QR code with its caption and the printed URL, centred between ``top`` and
    ``bottom``; ``None`` when even the smallest allowed code does not fit."""
    cap_size, url_size = 6.2, 3.3
    width = PAGE_W - 2 * MARGIN
    caption_lines = _wrap(caption, width=width, size=cap_size, measure=measure, weight=LABEL_WEIGHT)
    url_lines = _wrap(url, width=width, size=url_size, measure=measure, tokens=_url_tokens(url))
    # The quiet zone is white space already: the caption may sit close under the square.
    text_h = 3.0 + len(caption_lines) * cap_size * 1.4 + 1.5 + len(url_lines) * url_size * 1.5
    square = min(QR_SYMBOL_TARGET * quiet, bottom - top - text_h, width)
    if square < QR_SYMBOL_MIN * quiet:
        return None
    y = top + (bottom - top - square - text_h) / 2
    x = (PAGE_W - square) / 2
    ops: list[_Op] = [_Code(x, y, square, url)]
    # Orange corner marks just outside the quiet zone say "scan here" without touching it.
    arm, thick = 9.0, 1.2
    for cx, cy, dx, dy in (
        (x, y, 1, 1),
        (x + square, y, -1, 1),
        (x, y + square, 1, -1),
        (x + square, y + square, -1, -1),
    ):
        ox, oy = cx - (thick if dx > 0 else 0), cy - (thick if dy > 0 else 0)
        ops.append(_Box(ox if dx > 0 else ox - arm + thick, oy, arm, thick, ORANGE))
        ops.append(_Box(ox, oy if dy > 0 else oy - arm + thick, thick, arm, ORANGE))
    baseline = y + square + 3.0 + cap_size * CJK_ASCENT
    for line in caption_lines:
        ops.append(
            _Text(PAGE_W / 2, baseline, line, cap_size, NAVY, centre=True, weight=LABEL_WEIGHT)
        )
        baseline += cap_size * 1.4
    baseline += 1.5 - cap_size * 0.4 + url_size * CJK_ASCENT
    for line in url_lines:
        ops.append(_Text(PAGE_W / 2, baseline, line, url_size, MUTED, centre=True))
        baseline += url_size * 1.5
    return ops


def _pillow_measure(path: str) -> Measure:
    reference = 200.0
    font = _pillow_font(path, reference)

    def measure(text: str, size: float, weight: float) -> float:
        return (font.getlength(text) / reference + 2 * weight) * size

    return measure


# --- Renderers -----------------------------------------------------------------------------


def poster_png(poster: Poster, *, dpi: int = 150) -> bytes:
    """Return the poster as an A4 portrait PNG at ``dpi`` (the size in pixels is A4 at that
    resolution, and the PNG says so, so it prints at A4).

    The caption under the QR code is in the active language. Raise ``FontUnavailable`` without a
    Chinese font and ``PosterTooLong`` when the text cannot fit on the page.
    """
    if not 72 <= dpi <= 600:
        raise ValueError("dpi must be between 72 and 600.")
    path = cjk_font_path()
    ops = _layout(poster, measure=_pillow_measure(path))
    scale = dpi / _MM_PER_INCH
    image = Image.new("RGB", (round(PAGE_W * scale), round(PAGE_H * scale)), WHITE)
    draw = ImageDraw.Draw(image)
    fonts: dict[float, ImageFont.FreeTypeFont] = {}
    for op in ops:
        if isinstance(op, _Box):
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
        elif isinstance(op, _Text):
            if op.size not in fonts:
                fonts[op.size] = _pillow_font(path, op.size * scale)
            draw.text(
                (op.x * scale, op.y * scale),
                op.text,
                font=fonts[op.size],
                fill=op.fill,
                anchor="ms" if op.centre else "ls",
                stroke_width=op.weight * op.size * scale,
                stroke_fill=op.fill,
            )
        else:
            # Whole pixels per module keep every module the same size (scanners dislike a
            # code whose modules alternate between n and n+1 pixels); centre what remains.
            modules = len(_qr_modules(op.url))
            box_size = max(1, math.floor(op.size * scale / modules))
            code = _qr_image(op.url, box_size=box_size)
            offset = (op.size * scale - code.width) / 2
            image.paste(code, (round(op.x * scale + offset), round(op.y * scale + offset)))
    buffer = io.BytesIO()
    # Encoding is most of the cost. Measured at 150 dpi: level 3 takes about 21 ms for 132 KiB,
    # the default 6 about 30 ms for 108 KiB; a poster is downloaded far less often than made.
    image.save(buffer, format="PNG", dpi=(dpi, dpi), compress_level=3)
    return buffer.getvalue()


def poster_pdf(poster: Poster) -> bytes:
    """Return the poster as a one-page A4 PDF: text is real (selectable, searchable) text in
    the embedded CJK font, the QR code a bitmap image.

    Same layout, language and errors as ``poster_png``.
    """
    path = cjk_font_path()
    font_name = _reportlab_font_name(path)
    ops = _layout(poster, measure=_pillow_measure(path))
    buffer = io.BytesIO()
    page = canvas.Canvas(
        buffer,
        pagesize=(PAGE_W * _PT_PER_MM, PAGE_H * _PT_PER_MM),
        pageCompression=1,
        initialFontName=font_name,  # else an unused, unembedded Helvetica is listed
    )
    page.setTitle(poster.title)
    page.setCreator("Anxun")

    def pt(mm: float) -> float:
        return mm * _PT_PER_MM

    for op in ops:
        if isinstance(op, _Box):
            page.setFillColor(HexColor(op.fill))
            bottom = pt(PAGE_H - op.y - op.h)
            if op.radius:
                page.roundRect(pt(op.x), bottom, pt(op.w), pt(op.h), pt(op.radius), 0, 1)
            else:
                page.rect(pt(op.x), bottom, pt(op.w), pt(op.h), stroke=0, fill=1)
        elif isinstance(op, _Text):
            page.saveState()
            colour = HexColor(op.fill)
            page.setFillColor(colour)
            text = page.beginText()
            text.setFont(font_name, pt(op.size))
            if op.weight:
                # Fill and stroke (mode 2): the stroke straddles the outline, so it is twice
                # the Pillow stroke width, which lies outside it.
                page.setStrokeColor(colour)
                page.setLineWidth(pt(2 * op.weight * op.size))
                page.setLineJoin(1)
                text.setTextRenderMode(2)
            x = pt(op.x)
            if op.centre:
                x -= pdfmetrics.stringWidth(op.text, font_name, pt(op.size)) / 2
            text.setTextOrigin(x, pt(PAGE_H - op.y))
            text.textOut(op.text)
            page.drawText(text)
            page.restoreState()
        else:
            # About 10 pixels a module: sharp when printed, and a viewer that smooths the
            # image when scaling it blurs only the outermost pixel of each module.
            code = _qr_image(op.url, box_size=10).convert("L")
            page.drawImage(
                ImageReader(code),
                pt(op.x),
                pt(PAGE_H - op.y - op.size),
                width=pt(op.size),
                height=pt(op.size),
            )
    page.showPage()
    page.save()
    return buffer.getvalue()
