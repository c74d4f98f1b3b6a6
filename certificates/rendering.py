"""The certificate as a document: its content in the active language and its A4 landscape
layout, drawn by the document engine (``core.documents``) as a PNG (300 dpi, for print and
screens) and a PDF (for download). Storing the files is ``certificates.storage``.

What is printed: the holder's photo, full name, sex and full ID number (the certificate is the
holder's own document; the public verification page masks them), the operation category, the
certificate number, the issue, review and expiry dates, the exam centre, the issuer with a red
seal frame (a ring with the issuer's name: a drawing, not a copy of any real seal), and the QR
code of ``verification_url(certificate)`` (error correction M, 4-module quiet zone) captioned
"scan to verify". The title is our own wording, not the state's 特种作业操作证.

Everything about the holder comes from the certificate's own record as at issue
(``holder_name``, ``holder_sex``, ``holder_id_number`` and its copy of the photo,
``holder_photo``), never from the live profile. A certificate is never drawn with an empty
photo box: without a readable photo, drawing is refused (``PhotoUnavailable``, nothing drawn).
"""

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from core.documents.fonts import CJK_ASCENT, FontUnavailable
from core.documents.layout import (
    HINTING_ROOM,
    Circle,
    Code,
    Line,
    Op,
    Path,
    Photo,
    Sheet,
    Text,
    frame,
    is_spread,
    label_ops,
    photo_bytes,
    photo_fitted,
)
from core.documents.linebreak import Measure, wrap
from core.documents.pdf import sheet_pdf
from core.documents.png import sheet_png

from .links import verification_url
from .models import Certificate

__all__ = [
    "RENDER_VERSION",
    "FontUnavailable",
    "PhotoUnavailable",
    "certificate_pdf",
    "certificate_png",
]

# Bump when the drawing changes: a certificate drawn with another version is drawn again the
# next time its task runs (enqueue ``render_certificate`` for each one to redraw the stock).
RENDER_VERSION = 2  # 2: the holder as at issue, and never an empty photo box


class PhotoUnavailable(ValueError):
    """The certificate has no readable photo of its holder: it is not drawn (a certificate
    never shows an empty photo box)."""


NAVY = "#123d6b"
FRET = "#3d6a99"
ROSETTE = "#e3ebf5"
RED = "#b3191e"
SEAL = "#d22630"
INK = "#1f2937"
MUTED = "#4b5563"
RULE = "#9aa8b8"
PHOTO_EMPTY = "#f4f6f9"

# Geometry in millimetres (A4 landscape).
PAGE_W, PAGE_H = 297.0, 210.0
OUTER = 8.0  # the outer frame line
BAND = (10.2, 17.0)  # the fret band, from the page edge
INNER = 18.6  # the inner frame line
LEFT, RIGHT = 28.0, PAGE_W - 28.0
PHOTO_X, PHOTO_Y, PHOTO_W = LEFT + 2.0, 77.0, 36.0
PHOTO_H = PHOTO_W * 4 / 3  # stored photos are 3:4
QR_SIDE = 50.0  # the printed square, quiet zone included (about 0.75 mm a module)
QR_X, QR_Y = RIGHT - QR_SIDE + 2.0, 73.0  # the quiet zone is white space already
ROWS_LEFT, ROWS_RIGHT = PHOTO_X + PHOTO_W + 12.0, QR_X - 8.0
ROWS_TOP, ROWS_BOTTOM = 74.0, 160.0
SEAL_R = 17.5
SEAL_CX, SEAL_CY = 242.0, 169.0
ISSUER_END = SEAL_CX - SEAL_R + 0.8  # the issuer's name ends on the seal's ring
# Micro Hei has one weight: bold text gets an outline in its own colour (a fraction of the size).
BOLD = 0.032
SEMIBOLD = 0.018


# --- Content ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Content:
    """Everything the certificate says, already in the active language."""

    title: str
    statement: str
    rows: tuple[tuple[str, str, str], ...]  # (label, value, style) with style in _ROW_STYLES
    issuer: str
    issued: str
    seal_centre: str
    code_caption: str
    note: str
    url: str
    file_title: str


def _day(value: date) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def _content(certificate: Certificate) -> _Content:
    name = certificate.holder_name
    subject = certificate.subject.name
    rows = (
        (_("Full name"), name, "name"),
        (_("Sex"), capfirst(certificate.get_holder_sex_display()), "plain"),
        (_("ID number"), certificate.holder_id_number, "plain"),
        (_("Operation category"), subject, "strong"),
        (_("Certificate number"), certificate.number, "number"),
        (_("Issued on"), _day(certificate.issued_on), "plain"),
        (_("Review due"), _day(certificate.review_due), "plain"),
        (_("Valid until"), _day(certificate.valid_until), "plain"),
        (_("Exam centre"), certificate.center.name, "plain"),
    )
    return _Content(
        title=_("Special operations safety training and assessment certificate"),
        statement=_(
            "This is to certify that %(name)s has completed the safety technical training "
            "for %(subject)s and passed the assessment."
        )
        % {"name": name, "subject": subject},
        rows=rows,
        issuer=certificate.issuer,
        issued=_day(certificate.issued_on),
        seal_centre=_("Verify online"),
        code_caption=_("Scan to verify"),
        note=_(
            "The official record behind the QR code prevails over this paper: scan it to see "
            "whether the certificate is valid, due for review, expired, revoked or replaced."
        ),
        url=verification_url(certificate),
        file_title=_("Certificate %(number)s") % {"number": certificate.number},
    )


def _texts(content: _Content) -> list[str]:
    texts = [content.title, content.statement, content.issuer]
    texts += [content.issued, content.seal_centre, content.code_caption, content.note]
    texts += [text for row in content.rows for text in row[:2]]
    return texts


# --- Layout ----------------------------------------------------------------------------------

# value size relative to the body size, colour, weight
_ROW_STYLES = {
    "name": (1.45, INK, BOLD),
    "strong": (1.12, NAVY, SEMIBOLD),
    "number": (1.05, RED, SEMIBOLD),
    "plain": (1.0, INK, 0.0),
}


def _layout(content: _Content, measure: Measure) -> list[Op]:
    ops: list[Op] = []
    ops += _rosette(PAGE_W / 2, 118.0, 62.0)
    ops += _border()
    ops += _heading(content, measure)
    ops += _photo_box()
    ops += _rows(content.rows, measure)
    ops += _code_block(content, measure)
    ops += _seal(content, measure)  # under the issuer's name, as a printed seal is
    ops += _foot(content, measure)
    return ops


def _rosette(cx: float, cy: float, radius: float) -> list[Op]:
    """A guilloche rosette in a pale tint behind the text: the engraved look of printed
    credentials (a hypotrochoid, closed after ``teeth`` turns)."""
    teeth, ratio = 36, 0.62
    big, small = radius, radius / teeth * 7
    inner = big - small
    steps = 2400
    points: list[tuple[float, float]] = []
    for n in range(steps):
        t = 2 * math.pi * 7 * n / steps
        x = inner * math.cos(t) + ratio * small * math.cos(inner / small * t)
        y = inner * math.sin(t) - ratio * small * math.sin(inner / small * t)
        scale = radius / (inner + ratio * small)
        points.append((cx + x * scale, cy + y * scale))
    return [Path(tuple(points), ROSETTE, 0.22, closed=True)]


def _fret(x: float, y: float, side: float, turn: int) -> Op:
    """One square spiral of the fret (回纹) border, ``turn`` quarter turns clockwise."""
    unit = [
        (0, 1), (0, 0), (1, 0), (1, 1), (0.25, 1), (0.25, 0.25), (0.75, 0.25), (0.75, 0.75),
        (0.5, 0.75), (0.5, 0.5),
    ]  # fmt: skip
    for _turn in range(turn % 4):
        unit = [(1 - v, u) for u, v in unit]
    return Path(tuple((x + u * side, y + v * side) for u, v in unit), FRET, 0.4)


def _border() -> list[Op]:
    ops: list[Op] = [*frame(OUTER, OUTER, PAGE_W - 2 * OUTER, PAGE_H - 2 * OUTER, NAVY, 1.1)]
    near, far = BAND
    band = far - near
    ops += frame(near, near, PAGE_W - 2 * near, PAGE_H - 2 * near, NAVY, 0.25)
    ops += frame(far, far, PAGE_W - 2 * far, PAGE_H - 2 * far, NAVY, 0.25)
    ops += frame(INNER, INNER, PAGE_W - 2 * INNER, PAGE_H - 2 * INNER, NAVY, 0.45)
    side = band * 0.62
    pad = (band - side) / 2
    # Corners: a 回 (a square within a square).
    for cx, cy in (
        (near, near),
        (PAGE_W - far, near),
        (near, PAGE_H - far),
        (PAGE_W - far, PAGE_H - far),
    ):
        ops += frame(cx + pad, cy + pad, side, side, FRET, 0.4)
        ops += frame(
            cx + band / 2 - side / 6, cy + band / 2 - side / 6, side / 3, side / 3, FRET, 0.4
        )
    # Sides: spirals at an even pitch between the corners.
    for length, place in (
        (PAGE_W - 2 * far, lambda a: (far + a, near, 0)),
        (PAGE_W - 2 * far, lambda a: (PAGE_W - far - a - band, PAGE_H - far, 2)),
        (PAGE_H - 2 * far, lambda a: (PAGE_W - far, far + a, 1)),
        (PAGE_H - 2 * far, lambda a: (near, PAGE_H - far - a - band, 3)),
    ):
        count = round(length / (band * 1.0))
        pitch = length / count
        for n in range(count):
            x, y, turn = place(n * pitch + (pitch - band) / 2)
            ops.append(_fret(x + pad, y + pad, side, turn))
    return ops


def _spaced(
    text: str, *, centre: float, baseline: float, size: float, measure: Measure, **style: Any
) -> list[Op]:
    """A Chinese title letter-spaced (a fifth of an em between characters), other text as is."""
    if not is_spread(text):
        return [Text(centre, baseline, text, size, align="m", **style)]
    gap = size * 0.2
    widths = [measure(char, size) for char in text]
    x = centre - (sum(widths) + gap * (len(text) - 1)) / 2
    ops: list[Op] = []
    for char, width in zip(text, widths, strict=True):
        ops.append(Text(x, baseline, char, size, **style))
        x += width + gap
    return ops


def _heading(content: _Content, measure: Measure) -> list[Op]:
    width = PAGE_W - 2 * 40.0
    for size in (s / 4 for s in range(48, 23, -1)):  # 12 mm down to 6 mm
        spaced = 1.2 if is_spread(content.title) else 1.0
        if measure(content.title, size, BOLD) * spaced <= width:
            break
    ops = _spaced(
        content.title,
        centre=PAGE_W / 2,
        baseline=40.0,
        size=size,
        measure=measure,
        fill=RED,
        weight=BOLD,
    )
    # An ornamental rule with a diamond.
    y, half, gem = 47.5, 58.0, 1.6
    centre = PAGE_W / 2
    ops += [
        Line(centre - half, y, centre - gem * 2.2, y, RED, 0.35),
        Line(centre + gem * 2.2, y, centre + half, y, RED, 0.35),
        Path(
            ((centre, y - gem), (centre + gem, y), (centre, y + gem), (centre - gem, y)),
            RED,
            0.35,
            closed=True,
        ),
    ]
    # The statement, centred under it: on two lines at most while the size allows, and
    # balanced (the narrowest measure that needs no more lines), never cut.
    size, width = 4.3, PAGE_W - 2 * 46.0
    lines = wrap(content.statement, width=width * HINTING_ROOM, size=size, measure=measure)
    while len(lines) > 2 and size > 3.4:
        size -= 0.1
        lines = wrap(content.statement, width=width * HINTING_ROOM, size=size, measure=measure)
    while len(lines) > 1 and width > 80.0:
        narrower = wrap(
            content.statement, width=(width - 4.0) * HINTING_ROOM, size=size, measure=measure
        )
        if len(narrower) > len(lines):
            break
        lines, width = narrower, width - 4.0
    baseline, leading = 59.0, size * (1.45 if len(lines) <= 2 else 1.3)
    for line in lines:
        ops.append(Text(PAGE_W / 2, baseline, line, size, INK, align="m"))
        baseline += leading
    return ops


def _photo_box() -> list[Op]:
    """The photo in its frame (``_sheet`` made sure there is a readable one)."""
    x, y, w, h = PHOTO_X, PHOTO_Y, PHOTO_W, PHOTO_H
    ops: list[Op] = [Photo(x, y, w, h, empty=PHOTO_EMPTY)]
    ops += frame(x - 1.2, y - 1.2, w + 2.4, h + 2.4, RULE, 0.3)
    ops += frame(x, y, w, h, RULE, 0.2)
    return ops


def _rows(rows: Sequence[tuple[str, str, str]], measure: Measure) -> list[Op]:
    """The facts as a ruled form: the label column (Chinese labels spread, 分散对齐), then the
    value on a dotted line. The labels set the body size; a long value (a subject's full name,
    a centre's) shrinks a little, then takes two lines: it is never cut."""
    width = ROWS_RIGHT - ROWS_LEFT
    for size in (s / 10 for s in range(44, 29, -1)):
        label_w = max(
            [measure("国" * 5, size, SEMIBOLD)]
            + [measure(label, size, SEMIBOLD) for label, _value, _style in rows]
        )
        if label_w <= width * 0.36:
            break
    label_w = min(label_w, width * 0.36)
    value_x = ROWS_LEFT + label_w + size * 1.2
    value_w = ROWS_RIGHT - value_x
    pitch = (ROWS_BOTTOM - ROWS_TOP) / len(rows)
    ops: list[Op] = []
    for n, (label, value, style) in enumerate(rows):
        scale, colour, weight = _ROW_STYLES[style]
        value_size = size * scale
        while value_size > size * 0.8 and measure(value, value_size, weight) > value_w:
            value_size -= 0.1
        lines = wrap(
            value, width=value_w * HINTING_ROOM, size=value_size, measure=measure, weight=weight
        )
        while len(lines) > 2 and value_size > size * 0.6:
            value_size -= 0.1
            lines = wrap(
                value, width=value_w * HINTING_ROOM, size=value_size, measure=measure, weight=weight
            )
        baseline = ROWS_TOP + (n + 1) * pitch - 2.2
        label_lines = wrap(label, width=label_w, size=size, measure=measure, weight=SEMIBOLD)
        for k, line in enumerate(label_lines):
            ops += label_ops(
                line,
                x=ROWS_LEFT,
                baseline=baseline - (len(label_lines) - 1 - k) * size * 1.15,
                size=size,
                width=label_w,
                fill=MUTED,
                weight=SEMIBOLD,
            )
        leading = value_size * 1.2
        for k, line in enumerate(lines):
            top_down = baseline - (len(lines) - 1 - k) * leading
            ops.append(Text(value_x, top_down, line, value_size, colour, "l", weight))
        rule_y = baseline + 1.6
        ops.append(Line(value_x - 1.0, rule_y, ROWS_RIGHT, rule_y, RULE, 0.2, dash=0.6))
    return ops


def _code_block(content: _Content, measure: Measure) -> list[Op]:
    ops: list[Op] = [Code(QR_X, QR_Y, QR_SIDE, content.url)]
    size = 4.2
    centre = QR_X + QR_SIDE / 2
    baseline = QR_Y + QR_SIDE + 1.0 + size * CJK_ASCENT
    while size > 3 and measure(content.code_caption, size, SEMIBOLD) > QR_SIDE:
        size -= 0.1
    ops.append(Text(centre, baseline, content.code_caption, size, NAVY, "m", SEMIBOLD))
    return ops


def _foot(content: _Content, measure: Measure) -> list[Op]:
    """The note on the record (left) and the issuer with the date (right, under the seal)."""
    ops: list[Op] = []
    size = 3.0
    width = ROWS_RIGHT - LEFT - 30.0
    lines = wrap(content.note, width=width * HINTING_ROOM, size=size, measure=measure)
    baseline = PAGE_H - INNER - 7.0 - (len(lines) - 1) * size * 1.5
    ops.append(
        Line(
            LEFT,
            baseline - size * CJK_ASCENT - 3.0,
            LEFT + width,
            baseline - size * CJK_ASCENT - 3.0,
            RULE,
            0.2,
        )
    )
    for line in lines:
        ops.append(Text(LEFT, baseline, line, size, MUTED))
        baseline += size * 1.5
    issuer_size = 5.0
    while issuer_size > 3.5 and measure(content.issuer, issuer_size, SEMIBOLD) > 62.0:
        issuer_size -= 0.1
    centre = ISSUER_END - measure(content.issuer, issuer_size, SEMIBOLD) / 2
    ops.append(Text(centre, SEAL_CY + 4.0, content.issuer, issuer_size, INK, "m", SEMIBOLD))
    ops.append(Text(centre, SEAL_CY + 12.0, content.issued, 4.2, INK, "m"))
    return ops


def _seal(content: _Content, measure: Measure) -> list[Op]:
    """A red ring with the issuer's name around its upper arc, a lozenge in the middle and
    "verify online" below it: the place and look of a seal, honestly not a copy of one (no
    star, no emblem)."""
    inner = SEAL_R - 1.9
    ops: list[Op] = [
        Circle(SEAL_CX, SEAL_CY, SEAL_R, SEAL, 1.0),
        Circle(SEAL_CX, SEAL_CY, inner, SEAL, 0.3),
    ]
    name = content.issuer
    # Characters a little more than an em apart, on at most 220 degrees of the arc.
    size = 4.6
    while True:
        radius = inner - 0.9 - size * CJK_ASCENT  # the baselines: glyphs stand outwards
        step = math.degrees(size * 1.1 / radius)
        if step * (len(name) - 1) <= 220.0 or size <= 2.6:
            break
        size -= 0.1
    first = 90.0 + step * (len(name) - 1) / 2
    for n, char in enumerate(name):
        angle = first - n * step
        theta = math.radians(angle)
        x = SEAL_CX + radius * math.cos(theta)
        y = SEAL_CY - radius * math.sin(theta)
        ops.append(Text(x, y, char, size, SEAL, "m", SEMIBOLD, angle=angle - 90.0))
    gem = 2.0
    ops.append(
        Path(
            ((SEAL_CX, SEAL_CY - gem * 1.3), (SEAL_CX + gem, SEAL_CY),
             (SEAL_CX, SEAL_CY + gem * 1.3), (SEAL_CX - gem, SEAL_CY)),
            SEAL,
            0.45,
            closed=True,
        )
    )  # fmt: skip
    centre_size = 3.6
    baseline = SEAL_CY + inner * 0.5
    room = 2 * math.sqrt(max(radius**2 - (inner * 0.5) ** 2, 1.0)) - 2.0  # the chord there
    while centre_size > 2.4 and measure(content.seal_centre, centre_size, SEMIBOLD) > room:
        centre_size -= 0.1
    ops.append(Text(SEAL_CX, baseline, content.seal_centre, centre_size, SEAL, "m", SEMIBOLD))
    return ops


# --- Drawing ---------------------------------------------------------------------------------


def _sheet(certificate: Certificate) -> Sheet:
    photo = photo_bytes(certificate.holder_photo, owner=f"holder of {certificate.number}")
    # Decoded once here, so a truncated file is refused now rather than drawn as a blank box.
    if photo is None or photo_fitted(photo, (30, 40)) is None:
        raise PhotoUnavailable(f"Certificate {certificate.number} has no readable photo.")
    content = _content(certificate)
    return Sheet(
        width=PAGE_W,
        height=PAGE_H,
        layout=functools.partial(_layout, content),
        texts=_texts(content),
        photo=photo,
        title=content.file_title,
    )


def certificate_png(certificate: Certificate, *, dpi: int = 300) -> bytes:
    """Return the certificate as an A4 landscape PNG at ``dpi`` (3508 × 2480 pixels at the
    default 300; the PNG records the resolution, so it prints at A4).

    Labels are in the active language. Raise ``PhotoUnavailable`` without a readable photo of
    the holder (never an empty box), ``FontUnavailable`` without a Chinese font or when
    the font lacks a character to be printed (a rare character in a name: never a box), and
    ``ValueError`` unless 72 ≤ ``dpi`` ≤ 600. With ``subject`` and ``center`` selected, no
    query is made.
    """
    return sheet_png(_sheet(certificate), dpi=dpi)


def certificate_pdf(certificate: Certificate) -> bytes:
    """Return the certificate as a one-page A4 landscape PDF: selectable text in the embedded
    CJK font, the photo as JPEG, the QR code as a bitmap. Same content and errors as
    ``certificate_png``."""
    return sheet_pdf(_sheet(certificate))
