"""Admission tickets (准考证) for practical exams: an A5 landscape PNG (shown on a phone, printed
at home) and PDF (printed), drawn from one layout.

The layout is made once, in millimetres, as a list of drawing operations; a Pillow renderer
(PNG) and a reportlab renderer (PDF) draw the same operations, as ``cms.sharing`` does for
posters. Labels follow the active language; names, addresses and dates are shown as stored.

The QR code encodes ``ticket_url(booking)`` (error correction M, a 4-module quiet zone): the
check-in address with a signed token, read by the centre's scanner or a staff phone's camera.
"""

import contextlib
import functools
import io
import logging
import math
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError
from reportlab import rl_config
from reportlab.lib.colors import HexColor
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from accounts.validators import mask_id_number
from cms.sharing import FontUnavailable, cjk_font_path, reportlab_cjk_font, share_qr_png
from core.errors import DomainError

from ..models import Booking
from .services import ticket_url

__all__ = ["TICKET_STATUSES", "ticket_pdf", "ticket_png"]

logger = logging.getLogger(__name__)

# Bookings that hold a seat someone may still come to (or came to): the others have no ticket.
TICKET_STATUSES = frozenset(
    {
        Booking.Status.CONFIRMED,
        Booking.Status.CHECKED_IN,
        Booking.Status.SCORES_DIFFER,
        Booking.Status.COMPLETED,
    }
)

NAVY = "#0b4a8b"
ORANGE = "#c2410c"
AMBER = "#fcd34d"
WHITE = "#ffffff"
INK = "#1f2937"
MUTED = "#4b5563"
RULE = "#cbd5e1"
PANEL = "#eef3f9"
PHOTO_EMPTY = "#f8fafc"

# Geometry in millimetres (A5 landscape).
PAGE_W, PAGE_H = 210.0, 148.0
MARGIN = 10.0
BAND_H = 19.0
STRIPE = 1.4
BODY_TOP = BAND_H + STRIPE + 5.5
PHOTO_W = 32.0
PHOTO_H = PHOTO_W * 4 / 3  # stored photos are 3:4 (600 × 800)
QR_SIDE = 56.0  # the printed square, quiet zone included: about 1 mm a module for version 6
COLUMN_GAP = 6.0
ARRIVE_EARLY_MINUTES = 30
# Micro Hei has one weight: bold text gets an outline in its own colour (a fraction of the size).
BOLD = 0.03
SEMIBOLD = 0.018
# Where the ink of a CJK glyph sits relative to the baseline, in ems.
CJK_ASCENT = 0.88
CJK_DESCENT = 0.12
CJK_MIDDLE = 0.36

_MM_PER_INCH = 25.4
_PT_PER_MM = 72 / _MM_PER_INCH


# --- Drawing operations ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Box:
    x: float
    y: float
    w: float
    h: float
    fill: str


@dataclass(frozen=True)
class _Line:
    x1: float
    y1: float
    x2: float
    y2: float
    colour: str
    width: float
    dash: float = 0.0  # length of dashes and gaps, 0 for a solid line


@dataclass(frozen=True)
class _Text:
    x: float
    y: float  # baseline
    text: str
    size: float
    fill: str
    align: str = "l"  # l, m (centre) or r
    weight: float = 0.0


@dataclass(frozen=True)
class _Photo:
    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class _Code:
    x: float
    y: float
    size: float
    url: str


_Op = _Box | _Line | _Text | _Photo | _Code


@dataclass(frozen=True)
class _Ticket:
    """Everything the ticket says, already in the active language."""

    title: str
    title_em: str  # the part of the title in the accent colour ("准考证")
    rows: list[tuple[str, str, str]]  # (label, value, style) with style in _ROW_STYLES
    code_caption: str
    notes_heading: str
    notes: list[str]
    url: str
    has_photo: bool
    no_photo: tuple[str, str]
    file_title: str


# --- Text measuring and wrapping -------------------------------------------------------------

Measure = Callable[[str, float, float], float]  # (text, size_mm, weight) -> width_mm

_NO_LINE_START = set("，。、；：！？）》」』】〕〉”’…—·%,.;:!?)]}")
_NO_LINE_END = set("（《「『【〔〈“‘([{")
_ATOM = re.compile(r"\s+|[0-9A-Za-z][0-9A-Za-z'’._:@&+\-/*]*|.", re.DOTALL)
_IDEOGRAPH = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _font(path: str, size: float) -> ImageFont.FreeTypeFont:
    # Basic layout (no HarfBuzz) gives the plain advance widths reportlab also uses.
    return ImageFont.truetype(path, size, index=0, layout_engine=ImageFont.Layout.BASIC)


@functools.lru_cache(maxsize=4)
def _measure(path: str) -> Measure:
    reference = 200.0
    font = _font(path, reference)
    # Fitting measures the same strings at several sizes, and a PNG and a PDF of one ticket
    # measure them again: keep the widths at the reference size.
    length = functools.lru_cache(maxsize=4096)(font.getlength)

    def measure(text: str, size: float, weight: float = 0.0) -> float:
        return (length(text) / reference + 2 * weight) * size

    return measure


def _tokens(text: str) -> list[str]:
    tokens: list[str] = []
    for atom in _ATOM.findall(text):
        if (
            tokens
            and not atom.isspace()
            and not tokens[-1].isspace()
            and (atom[0] in _NO_LINE_START or tokens[-1][-1] in _NO_LINE_END)
        ):
            tokens[-1] += atom  # 禁则: closing punctuation sticks to what it closes
        else:
            tokens.append(atom)
    return tokens


def _wrap(text: str, *, width: float, size: float, measure, weight: float = 0.0) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` mm (Latin words and numbers stay
    whole when they fit a line)."""
    width *= 0.98  # a PNG's hinting rounds each advance to whole pixels: leave room for it
    lines: list[str] = []
    current = ""
    for token in _tokens(" ".join(text.split())):
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


# --- Content ---------------------------------------------------------------------------------


def _content(booking: Booking, *, has_photo: bool) -> _Ticket:
    session = booking.session
    center = session.center
    worker = booking.worker
    starts = timezone.localtime(session.starts_at)
    ends = timezone.localtime(session.ends_at)
    arrive = starts - timedelta(minutes=ARRIVE_EARLY_MINUTES)
    number = f"{booking.pk:08d}"
    rows = [
        (_("Ticket number"), number, "number"),
        (_("Full name"), worker.real_name, "name"),
        (_("ID number"), mask_id_number(worker.id_number), "plain"),
        (_("Subject"), session.subject.name, "plain"),
        (
            _("Exam date"),
            _("%(date)s (%(weekday)s)")
            % {
                "date": formats.date_format(starts, "DATE_FORMAT"),
                "weekday": formats.date_format(starts, "l"),
            },
            "strong",
        ),
        (
            _("Exam time"),
            _("%(start)s–%(end)s") % {"start": f"{starts:%H:%M}", "end": f"{ends:%H:%M}"},
            "strong",
        ),
        (_("Exam centre"), center.name, "plain"),
        (_("Centre address"), center.address, "plain"),
    ]
    if center.phone:
        rows.append((_("Centre phone"), center.phone, "plain"))
    notes = [
        _(
            "Bring your resident ID card (the original) and arrive at the centre by %(time)s, "
            "%(minutes)s minutes before the start."
        )
        % {"time": f"{arrive:%H:%M}", "minutes": ARRIVE_EARLY_MINUTES},
        _(
            "Show this ticket at check-in, printed or on your phone; staff compare you with "
            "the photo and your ID card."
        ),
        _(
            "If you cannot come, cancel online at least %(hours)s hours before the start: "
            "a no-show counts as a failed attempt."
        )
        % {"hours": session.cancel_cutoff_hours},
    ]
    return _Ticket(
        title=_("Anxun · Special operations practical exam"),
        title_em=_("Admission ticket"),
        rows=rows,
        code_caption=_("Show this code at check-in"),
        notes_heading=_("Instructions for candidates"),
        notes=notes,
        url=ticket_url(booking),
        has_photo=has_photo,
        no_photo=(_("Affix photo here"), _("No photo on file")),
        file_title=_("Admission ticket %(number)s") % {"number": number},
    )


def _check_glyphs(ticket: _Ticket, font_name: str, path: str) -> None:
    """Raise ``FontUnavailable`` rather than draw a character the font lacks as a box."""
    char_map = pdfmetrics.getFont(font_name).face.charToGlyph
    texts = [ticket.title, ticket.title_em, ticket.code_caption, ticket.notes_heading]
    texts += [text for row in ticket.rows for text in row[:2]] + ticket.notes
    texts += list(ticket.no_photo)
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


# --- Layout ----------------------------------------------------------------------------------

# value size relative to the body size, colour, weight
_ROW_STYLES = {
    "number": (1.1, ORANGE, SEMIBOLD),
    "name": (1.4, INK, BOLD),
    "strong": (1.05, NAVY, SEMIBOLD),
    "plain": (1.0, INK, 0.0),
}
_BODY_SIZES = [4.4, 4.2, 4.0, 3.8, 3.6, 3.4, 3.2, 3.0]


def _layout(ticket: _Ticket, measure) -> list[_Op]:
    ops: list[_Op] = [
        _Box(0, 0, PAGE_W, BAND_H, NAVY),
        _Box(0, BAND_H, PAGE_W, STRIPE, ORANGE),
    ]
    ops += _title(ticket, measure)

    # Photo (left), the code (right), the facts between them; instructions at the bottom.
    ops += _photo_box(ticket, measure)
    code_x = PAGE_W - MARGIN - QR_SIDE
    ops += _code_block(ticket, code_x, measure)
    notes_ops, notes_top = _notes_panel(ticket, measure)
    left = MARGIN + PHOTO_W + COLUMN_GAP
    right = code_x - COLUMN_GAP + 2.0  # the code's quiet zone is white space already
    limit = notes_top - 4.0
    for size in _BODY_SIZES:
        rows, bottom = _rows(ticket.rows, left=left, right=right, size=size, measure=measure)
        if bottom <= limit:
            break
    # Room to spare: open the rows up a little rather than leave a gap above the notes.
    stretch = min(max(0.0, limit - bottom) / (2 * len(ticket.rows)), size * 0.3)
    if stretch:
        rows, bottom = _rows(
            ticket.rows, left=left, right=right, size=size, measure=measure, stretch=stretch
        )
    ops += rows
    ops += notes_ops
    return ops


def _title(ticket: _Ticket, measure) -> list[_Op]:
    gap = " "
    width = PAGE_W - 2 * MARGIN
    for size in (s / 4 for s in range(28, 11, -1)):  # 7 mm down to 3 mm
        lead = measure(ticket.title + gap, size, SEMIBOLD)
        em = measure(ticket.title_em, size * 1.08, BOLD)
        if lead + em <= width:
            break
    x = (PAGE_W - lead - em) / 2
    baseline = BAND_H / 2 + size * CJK_MIDDLE
    return [
        _Text(x, baseline, ticket.title, size, WHITE, weight=SEMIBOLD),
        _Text(x + lead, baseline, ticket.title_em, size * 1.08, AMBER, weight=BOLD),
    ]


def _photo_box(ticket: _Ticket, measure) -> list[_Op]:
    x, y, w, h = MARGIN, BODY_TOP, PHOTO_W, PHOTO_H
    if ticket.has_photo:
        return [_Photo(x, y, w, h), *_frame(x, y, w, h, RULE, 0.3)]
    ops: list[_Op] = [_Box(x, y, w, h, PHOTO_EMPTY), *_frame(x, y, w, h, MUTED, 0.3, dash=1.5)]
    first, second = ticket.no_photo
    size = min(4.0, (w - 6) / max(measure(first, 1, SEMIBOLD), 0.01))
    ops.append(_Text(x + w / 2, y + h / 2, first, size, MUTED, align="m", weight=SEMIBOLD))
    small = min(2.8, (w - 4) / max(measure(second, 1), 0.01))
    ops.append(_Text(x + w / 2, y + h / 2 + size * 0.6 + small * 1.4, second, small, MUTED, "m"))
    return ops


def _frame(x, y, w, h, colour, width, dash=0.0) -> list[_Op]:
    return [
        _Line(x, y, x + w, y, colour, width, dash),
        _Line(x + w, y, x + w, y + h, colour, width, dash),
        _Line(x + w, y + h, x, y + h, colour, width, dash),
        _Line(x, y + h, x, y, colour, width, dash),
    ]


def _code_block(ticket: _Ticket, x: float, measure) -> list[_Op]:
    y = BODY_TOP - 2.0  # the quiet zone lines the symbol up with the photo's top
    ops: list[_Op] = [_Code(x, y, QR_SIDE, ticket.url)]
    size = 3.6
    lines = _wrap(ticket.code_caption, width=QR_SIDE, size=size, measure=measure, weight=SEMIBOLD)
    baseline = y + QR_SIDE + 0.5 + size * CJK_ASCENT
    for line in lines:
        ops.append(_Text(x + QR_SIDE / 2, baseline, line, size, NAVY, "m", SEMIBOLD))
        baseline += size * 1.35
    return ops


def _spread(label: str) -> bool:
    """Whether a label is justified over the label column: Chinese labels are (分散对齐, the
    way printed forms line them up: 姓　　名 under 准考证号)."""
    return len(label) >= 2 and all(_IDEOGRAPH.match(char) for char in label)


def _label_ops(label: str, *, x: float, baseline: float, size: float, width: float) -> list[_Op]:
    if _spread(label) and len(label) * size < width:
        step = (width - size) / (len(label) - 1)
        return [
            _Text(x + n * step, baseline, char, size, MUTED, weight=SEMIBOLD)
            for n, char in enumerate(label)
        ]
    return [_Text(x, baseline, label, size, MUTED, weight=SEMIBOLD)]


def _rows(
    rows, *, left: float, right: float, size: float, measure, stretch: float = 0.0
) -> tuple[list[_Op], float]:
    """The fact rows as a ruled list: label column, then the value (wrapped). Return the
    operations and the bottom of the last row."""
    spread = any(_spread(label) for label, _value, _style in rows)
    label_w = max(
        [measure("国" * 4, size, SEMIBOLD) if spread else 0.0]
        + [measure(label, size, SEMIBOLD) for label, _value, _style in rows]
    )
    label_w = min(label_w, (right - left) * 0.4)
    value_x = left + label_w + size * 0.9
    value_w = right - value_x
    ops: list[_Op] = []
    y = BODY_TOP - 1.2
    pad = size * 0.42 + stretch
    for label, value, style in rows:
        scale, colour, weight = _ROW_STYLES[style]
        value_size = size * scale
        while value_size > size * 0.8 and len(
            _wrap(value, width=value_w, size=value_size, measure=measure, weight=weight)
        ) > (1 if style == "name" else 3):
            value_size -= 0.1
        lines = _wrap(value, width=value_w, size=value_size, measure=measure, weight=weight)
        leading = value_size * 1.32
        baseline = y + pad + value_size * CJK_ASCENT
        label_lines = _wrap(
            label, width=label_w / 0.98, size=size, measure=measure, weight=SEMIBOLD
        )
        label_base = baseline - (value_size - size) * CJK_MIDDLE
        for n, line in enumerate(label_lines):
            ops += _label_ops(
                line, x=left, baseline=label_base + n * size * 1.25, size=size, width=label_w
            )
        for n, line in enumerate(lines):
            ops.append(
                _Text(value_x, baseline + n * leading, line, value_size, colour, "l", weight)
            )
        height = max(
            (len(lines) - 1) * leading + value_size * (CJK_ASCENT + CJK_DESCENT),
            (len(label_lines) - 1) * size * 1.25 + size,
        )
        y += pad + height + pad
        ops.append(_Line(left, y, right, y, RULE, 0.25))
    return ops, y


def _notes_panel(ticket: _Ticket, measure) -> tuple[list[_Op], float]:
    """The instructions in a tinted panel standing on the bottom margin; return the operations
    and the panel's top."""
    size, heading_size, accent, pad = 3.1, 3.5, 1.4, 3.0
    left = MARGIN + accent + pad
    width = PAGE_W - MARGIN - pad - left
    texts: list[tuple[float, str, float, str, float, float]] = []  # (x, text, size, fill, wt, dy)
    texts.append((left, ticket.notes_heading, heading_size, NAVY, SEMIBOLD, heading_size * 1.5))
    number_w = measure("0. ", size)
    for n, note in enumerate(ticket.notes, start=1):
        lines = _wrap(note, width=width - number_w, size=size, measure=measure)
        for k, line in enumerate(lines):
            if k == 0:
                texts.append((left, f"{n}.", size, NAVY, SEMIBOLD, 0.0))
            texts.append((left + number_w, line, size, INK, 0.0, size * 1.5))
    height = pad + heading_size * CJK_ASCENT + sum(t[5] for t in texts) - size * 0.5 + pad
    top = PAGE_H - MARGIN + 3.0 - height
    ops: list[_Op] = [
        _Box(MARGIN, top, PAGE_W - 2 * MARGIN, height, PANEL),
        _Box(MARGIN, top, accent, height, ORANGE),
    ]
    baseline = top + pad + heading_size * CJK_ASCENT
    for x, text, text_size, fill, weight, advance in texts:
        ops.append(_Text(x, baseline, text, text_size, fill, "l", weight))
        baseline += advance
    return ops, top


# --- Sources ---------------------------------------------------------------------------------


def _ticket_booking(booking: Booking) -> Booking:
    if booking.status not in TICKET_STATUSES:
        raise DomainError(
            _("This booking has no admission ticket: it is %(status)s.")
            % {"status": booking.get_status_display()},
            code="no_ticket",
        )
    return booking


def _photo_source(booking: Booking) -> bytes | None:
    """The stored photo's bytes, or None when there is none or it is not a picture (the
    ticket then shows the empty box to stick a photo in)."""
    photo = booking.worker.photo
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
    logger.warning("Unreadable photo %s of worker %s", photo.name, booking.worker_id)
    return None


def _photo_fitted(data: bytes, size: tuple[int, int]) -> Image.Image | None:
    """The photo cropped to the box's shape and scaled to ``size`` pixels (None if it turns out
    to be truncated)."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.draft("RGB", size)  # a JPEG decodes at a reduced scale: much faster
            image = ImageOps.exif_transpose(image).convert("RGB")
            return ImageOps.fit(image, size, Image.Resampling.BICUBIC)
    except (OSError, ValueError, Image.DecompressionBombError):
        return None


def _photo_jpeg(data: bytes, size: tuple[int, int]) -> bytes | None:
    """The photo as a JPEG of the box's shape, for the PDF. A stored photo is normally a
    3:4 JPEG already (``accounts.photos``): it goes in as it is, without decoding."""
    with Image.open(io.BytesIO(data)) as image:
        if (
            image.format == "JPEG"
            and image.mode in ("RGB", "L")
            and abs(image.width * size[1] - image.height * size[0]) <= image.width * size[1] / 100
            and image.getexif().get(0x0112, 1) == 1  # no rotation to apply
        ):
            return data
    fitted = _photo_fitted(data, size)
    if fitted is None:
        return None
    buffer = io.BytesIO()
    fitted.save(buffer, format="JPEG", quality=88)
    return buffer.getvalue()


def _code_image(url: str, *, pixels: float) -> Image.Image:
    """The QR code of ``url`` with its quiet zone, as many whole pixels per module as fit in
    ``pixels`` (scanners dislike modules that alternate between n and n+1 pixels)."""
    with Image.open(io.BytesIO(share_qr_png(url=url, box_size=1))) as modules:
        modules.load()
    box = max(1, math.floor(pixels / modules.width))
    return modules.resize((modules.width * box, modules.height * box), Image.Resampling.NEAREST)


def _prepared(booking: Booking):
    _ticket_booking(booking)
    path = cjk_font_path()
    font_name = reportlab_cjk_font()
    photo = _photo_source(booking)
    ticket = _content(booking, has_photo=photo is not None)
    _check_glyphs(ticket, font_name, path)
    return path, font_name, ticket, photo


# --- Renderers -------------------------------------------------------------------------------


def ticket_png(booking: Booking, *, dpi: int = 150) -> bytes:
    """Return the admission ticket as an A5 landscape PNG at ``dpi`` (1240 × 874 pixels at the
    default 150; the PNG records the resolution, so it prints at A5).

    Labels are in the active language. Raise ``FontUnavailable`` without a Chinese font or when
    the font lacks a character to be printed (a rare character in a name), and ``DomainError``
    (code ``no_ticket``) for a booking that holds no seat (waiting list, offered, cancelled…).
    With ``worker``, ``session__center`` and ``session__subject`` selected, no query is made.
    """
    if not 72 <= dpi <= 600:
        raise ValueError("dpi must be between 72 and 600.")
    path, _font_name, ticket, photo_data = _prepared(booking)
    ops = _layout(ticket, _measure(path))
    scale = dpi / _MM_PER_INCH
    image = Image.new("RGB", (round(PAGE_W * scale), round(PAGE_H * scale)), WHITE)
    draw = ImageDraw.Draw(image)
    fonts: dict[float, ImageFont.FreeTypeFont] = {}
    for op in ops:
        if isinstance(op, _Box):
            draw.rectangle(
                (
                    round(op.x * scale),
                    round(op.y * scale),
                    round((op.x + op.w) * scale) - 1,
                    round((op.y + op.h) * scale) - 1,
                ),
                fill=op.fill,
            )
        elif isinstance(op, _Line):
            width = max(1, round(op.width * scale))
            for a, b in _dashes(op):
                draw.line(
                    [(a[0] * scale, a[1] * scale), (b[0] * scale, b[1] * scale)],
                    fill=op.colour,
                    width=width,
                )
        elif isinstance(op, _Text):
            if op.size not in fonts:
                fonts[op.size] = _font(path, op.size * scale)
            draw.text(
                (op.x * scale, op.y * scale),
                op.text,
                font=fonts[op.size],
                fill=op.fill,
                anchor={"l": "ls", "m": "ms", "r": "rs"}[op.align],
                stroke_width=op.weight * op.size * scale,
                stroke_fill=op.fill,
            )
        elif isinstance(op, _Photo):
            box = (round(op.x * scale), round(op.y * scale))
            size = (round((op.x + op.w) * scale) - box[0], round((op.y + op.h) * scale) - box[1])
            photo = _photo_fitted(photo_data, size)
            if photo is None:  # truncated after all: leave the box blank
                draw.rectangle((*box, box[0] + size[0] - 1, box[1] + size[1] - 1), fill=PHOTO_EMPTY)
            else:
                image.paste(photo, box)
        else:
            code = _code_image(op.url, pixels=op.size * scale)
            offset = (op.size * scale - code.width) / 2
            image.paste(code, (round(op.x * scale + offset), round(op.y * scale + offset)))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(dpi, dpi), compress_level=3)
    return buffer.getvalue()


def _dashes(line: _Line):
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


_RL_CONFIG_LOCK = threading.Lock()


@contextlib.contextmanager
def _binary_streams():
    """Write the PDF's streams in binary rather than as ASCII85 text (which only 7-bit mail
    transports ever needed): reportlab's pure-Python ASCII85 encoder is otherwise more than half
    the cost of a ticket with a photo. ``rl_config`` is process-wide: the lock keeps two tickets
    from restoring each other's value, and a PDF another thread makes meanwhile is valid either
    way (each stream records its own filters)."""
    with _RL_CONFIG_LOCK:
        before = rl_config.useA85
        rl_config.useA85 = 0
        try:
            yield
        finally:
            rl_config.useA85 = before


def ticket_pdf(booking: Booking) -> bytes:
    """Return the admission ticket as a one-page A5 landscape PDF: real (selectable) text in
    the embedded CJK font, the photo as JPEG, the QR code as a bitmap. Same content, language
    and errors as ``ticket_png``."""
    path, font_name, ticket, photo_data = _prepared(booking)
    ops = _layout(ticket, _measure(path))
    with _binary_streams():
        return _pdf(ops, ticket=ticket, font_name=font_name, photo_data=photo_data)


def _pdf(ops: list[_Op], *, ticket: _Ticket, font_name: str, photo_data: bytes | None) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(
        buffer,
        pagesize=(PAGE_W * _PT_PER_MM, PAGE_H * _PT_PER_MM),
        pageCompression=1,
        initialFontName=font_name,  # else an unused, unembedded Helvetica is listed
    )
    page.setTitle(ticket.file_title)
    page.setCreator("Anxun")

    def pt(mm: float) -> float:
        return mm * _PT_PER_MM

    for op in ops:
        if isinstance(op, _Box):
            page.setFillColor(HexColor(op.fill))
            page.rect(pt(op.x), pt(PAGE_H - op.y - op.h), pt(op.w), pt(op.h), stroke=0, fill=1)
        elif isinstance(op, _Line):
            page.saveState()
            page.setStrokeColor(HexColor(op.colour))
            page.setLineWidth(pt(op.width))
            for a, b in _dashes(op):
                page.line(pt(a[0]), pt(PAGE_H - a[1]), pt(b[0]), pt(PAGE_H - b[1]))
            page.restoreState()
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
            width = pdfmetrics.stringWidth(op.text, font_name, pt(op.size))
            x -= {"l": 0.0, "m": width / 2, "r": width}[op.align]
            text.setTextOrigin(x, pt(PAGE_H - op.y))
            text.textOut(op.text)
            page.drawText(text)
            page.restoreState()
        elif isinstance(op, _Photo):
            # JPEG goes in as it is (reportlab does not re-encode it); 300 dpi when cropped.
            pixels = (round(op.w / _MM_PER_INCH * 300), round(op.h / _MM_PER_INCH * 300))
            jpeg = _photo_jpeg(photo_data, pixels)
            if jpeg is not None:
                page.drawImage(
                    ImageReader(io.BytesIO(jpeg)),
                    pt(op.x),
                    pt(PAGE_H - op.y - op.h),
                    width=pt(op.w),
                    height=pt(op.h),
                )
            else:
                page.setFillColor(HexColor(PHOTO_EMPTY))
                page.rect(pt(op.x), pt(PAGE_H - op.y - op.h), pt(op.w), pt(op.h), 0, 1)
        else:
            # About 10 pixels a module: sharp when printed, and a viewer that smooths the
            # image when scaling it blurs only the outermost pixel of each module.
            code = _code_image(op.url, pixels=500).convert("L")
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
