"""Campaign posters: what a poster says (``Poster``) and its A4 layout, drawn as a PNG and a
PDF by the document engine (``core.documents``).

The layout is the poster's own: a navy header whose height follows the title (the largest size
that needs at most three lines, broken between phrases when it can), the facts in a tinted
panel ("标签：内容" with the label in navy), the QR code as large as the page allows (never
under 6 cm) with a caption and the printed URL, and a footer band. Fonts, line breaking, QR
codes and both renderers are the engine's.
"""

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext

from core.documents.fonts import CJK_ASCENT, CJK_DESCENT, CJK_MIDDLE
from core.documents.layout import WHITE, Box, Code, Op, Sheet, Text
from core.documents.linebreak import (
    HANG_AT_LINE_START,
    Measure,
    balanced_wrap,
    phrase_tokens,
    phrase_wrap,
    phrases_fit,
    url_tokens,
    wrap,
)
from core.documents.pdf import sheet_pdf
from core.documents.png import sheet_png
from core.documents.qr import QR_BORDER, qr_modules

__all__ = ["Poster", "PosterTooLong", "poster_pdf", "poster_png"]

NAVY = "#0b4a8b"
ORANGE = "#c2410c"
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
# Wenquanyi Micro Hei has one weight; titles and labels get a thin outline in their own colour
# (Pillow's stroke, PDF text render mode 2) so they still read as bold. Widths are fractions
# of the font size, on each side of the outline; smaller text gets less, or its dense
# characters (情, 看) fill in.
TITLE_WEIGHT = 0.028
LABEL_WEIGHT = 0.02


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


# --- Layout ----------------------------------------------------------------------------------


def _title_lines(title: str, *, width: float, measure: Measure) -> tuple[float, list[str]]:
    """The title's size and lines: the largest size that needs at most three lines.

    Breaking between phrases beats breaking inside one (“安 / 全宣传” reads badly), so a
    phrase-respecting wrap up to 1.5 mm smaller wins over a character wrap at the larger size.
    When even the smallest size needs more than three lines, every word is still kept.
    """
    phrases = phrase_tokens(title)
    wrapped = functools.partial(
        balanced_wrap, title, width=width, measure=measure, weight=TITLE_WEIGHT
    )
    fit = functools.partial(phrases_fit, phrases, width=width, measure=measure, weight=TITLE_WEIGHT)
    best: tuple[float, list[str]] | None = None  # character wrap at the largest size that fits
    for size in TITLE_SIZES:
        if best is not None and size < best[0] - 1.5:
            break
        if best is None:
            lines = wrapped(size=size)
            if len(lines) > TITLE_MAX_LINES:
                continue
            best = (size, lines)
        if fit(size=size):
            lines = wrapped(size=size, tokens=phrases)
            if len(lines) <= len(best[1]):
                return size, lines
    if best is not None:
        return best
    size = TITLE_SIZES[-1]
    return size, wrapped(size=size)


def _layout(poster: Poster, measure: Measure) -> list[Op]:
    """Place everything on the page, in millimetres from the top-left corner."""
    ops: list[Op] = []
    content_w = PAGE_W - 2 * MARGIN

    # Header band: kicker tag and title, white on navy; its height follows the title.
    y = 15.0
    header: list[Op] = []
    if poster.kicker.strip():
        kicker = " ".join(poster.kicker.split())
        # One line always: a long kicker gets a smaller size rather than a second line.
        size = min(4.6, 4.6 * (content_w - 6.4) / measure(kicker, 4.6, 0.0))
        tag_w = measure(kicker, size, 0.0) + 6.4
        tag_h = size * 1.75
        header.append(Box(MARGIN, y, tag_w, tag_h, ORANGE, radius=1.2))
        header.append(Text(MARGIN + 3.2, y + tag_h / 2 + size * CJK_MIDDLE, kicker, size, WHITE))
        y += tag_h + 7.5
    title = " ".join(poster.title.split())
    size, title_lines = _title_lines(title, width=content_w, measure=measure)
    leading = size * 1.3
    for index, line in enumerate(title_lines):
        baseline = y + size * CJK_ASCENT + index * leading
        # An opening quote or bracket inks only the right half of its em: hang the empty half
        # in the margin so the line's ink starts where the other lines' ink does.
        x = MARGIN - size / 2 if line[:1] in HANG_AT_LINE_START else MARGIN
        header.append(Text(x, baseline, line, size, WHITE, weight=TITLE_WEIGHT))
    y = baseline + size * CJK_DESCENT + 13.0
    ops.append(Box(0, 0, PAGE_W, y, NAVY))
    ops.extend(header)
    ops.append(Box(0, y, PAGE_W, STRIPE, ORANGE))
    body_top = y + STRIPE + 11.0

    # Footer band (built first so the body knows where it must stop).
    footer_ops: list[Op] = []
    size = 4.4
    footer_lines = phrase_wrap(
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
        footer_ops.append(Text(PAGE_W / 2, baseline, line, size, WHITE, align="m"))
    body_bottom = footer_top - STRIPE - 8.0

    # Fact lines in a tinted panel, then the QR block centred in what is left.
    modules = len(qr_modules(poster.url))
    quiet = modules / (modules - 2 * QR_BORDER)  # whole square / printed symbol
    caption = gettext("Scan for details and registration")
    for info_size in (6.0, 5.6, 5.2, 4.8, 4.4):
        panel = _fact_panel(poster.lines, top=body_top, size=info_size, measure=measure)
        panel_box = panel[0] if panel else None
        panel_bottom = panel_box.y + panel_box.h if isinstance(panel_box, Box) else body_top - 4.0
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
    ops.append(Box(0, footer_top - STRIPE, PAGE_W, STRIPE, ORANGE))
    ops.append(Box(0, footer_top, PAGE_W, footer_h, NAVY))
    ops.extend(footer_ops)
    return ops


def _fact_panel(lines: Iterable[str], *, top: float, size: float, measure: Measure) -> list[Op]:
    """The fact lines in a tinted panel. In "标签：内容" the label is navy, and the content's
    wrapped lines start under the content, not under the label."""
    pad_x, pad_y, accent = 8.0, 6.5, 1.6
    left = MARGIN + accent + pad_x
    inner_w = PAGE_W - MARGIN - pad_x - left
    leading = size * 1.75
    texts: list[Op] = []
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
            texts.append(Text(left, baseline, label, size, NAVY, weight=LABEL_WEIGHT))
        for part in wrap(value.strip(), width=left + inner_w - value_x, size=size, measure=measure):
            texts.append(Text(value_x, baseline, part, size, INK))
            baseline += leading
    if not texts:
        return []
    height = baseline - leading + size * CJK_DESCENT + pad_y - top
    return [
        Box(MARGIN, top, PAGE_W - 2 * MARGIN, height, PANEL),
        Box(MARGIN, top, accent, height, ORANGE),
        *texts,
    ]


def _qr_block(
    url: str, *, caption: str, top: float, bottom: float, quiet: float, measure: Measure
) -> list[Op] | None:
    """The QR code with its caption and the printed URL, centred between ``top`` and
    ``bottom``; ``None`` when even the smallest allowed code does not fit."""
    cap_size, url_size = 6.2, 3.3
    width = PAGE_W - 2 * MARGIN
    caption_lines = wrap(caption, width=width, size=cap_size, measure=measure, weight=LABEL_WEIGHT)
    url_lines = wrap(url, width=width, size=url_size, measure=measure, tokens=url_tokens(url))
    # The quiet zone is white space already: the caption may sit close under the square.
    text_h = 3.0 + len(caption_lines) * cap_size * 1.4 + 1.5 + len(url_lines) * url_size * 1.5
    square = min(QR_SYMBOL_TARGET * quiet, bottom - top - text_h, width)
    if square < QR_SYMBOL_MIN * quiet:
        return None
    y = top + (bottom - top - square - text_h) / 2
    x = (PAGE_W - square) / 2
    ops: list[Op] = [Code(x, y, square, url)]
    # Orange corner marks just outside the quiet zone say "scan here" without touching it.
    arm, thick = 9.0, 1.2
    for cx, cy, dx, dy in (
        (x, y, 1, 1),
        (x + square, y, -1, 1),
        (x, y + square, 1, -1),
        (x + square, y + square, -1, -1),
    ):
        ox, oy = cx - (thick if dx > 0 else 0), cy - (thick if dy > 0 else 0)
        ops.append(Box(ox if dx > 0 else ox - arm + thick, oy, arm, thick, ORANGE))
        ops.append(Box(ox, oy if dy > 0 else oy - arm + thick, thick, arm, ORANGE))
    baseline = y + square + 3.0 + cap_size * CJK_ASCENT
    for line in caption_lines:
        ops.append(Text(PAGE_W / 2, baseline, line, cap_size, NAVY, align="m", weight=LABEL_WEIGHT))
        baseline += cap_size * 1.4
    baseline += 1.5 - cap_size * 0.4 + url_size * CJK_ASCENT
    for line in url_lines:
        ops.append(Text(PAGE_W / 2, baseline, line, url_size, MUTED, align="m"))
        baseline += url_size * 1.5
    return ops


# --- Drawing ---------------------------------------------------------------------------------


def poster_png(poster: Poster, *, dpi: int = 150) -> bytes:
    """Return the poster as an A4 portrait PNG at ``dpi`` (the size in pixels is A4 at that
    resolution, and the PNG says so, so it prints at A4).

    The caption under the QR code is in the active language. Raise ``FontUnavailable`` without a
    Chinese font and ``PosterTooLong`` when the text cannot fit on the page.
    """
    return sheet_png(_sheet(poster), dpi=dpi)


def poster_pdf(poster: Poster) -> bytes:
    """Return the poster as a one-page A4 PDF: text is real (selectable, searchable) text in
    the embedded CJK font, the QR code a bitmap image.

    Same layout, language and errors as ``poster_png``.
    """
    return sheet_pdf(_sheet(poster))


def _sheet(poster: Poster) -> Sheet:
    # No ``texts``, so no glyph check: posters never had one (campaign copy, not a name that
    # must be printed right or not at all).
    return Sheet(
        width=PAGE_W, height=PAGE_H, layout=functools.partial(_layout, poster), title=poster.title
    )
