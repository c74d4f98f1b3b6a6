"""Admission tickets (准考证) for practical exams: an A5 landscape PNG (shown on a phone, printed
at home) and PDF (printed), drawn from one layout.

The layout is made once, in millimetres, as a list of drawing operations, and the document
engine (``core.documents``) draws the same operations as a PNG and a PDF, as it does for
posters and certificates. Labels follow the active language; names, addresses and dates are
shown as stored.

The QR code encodes ``ticket_url(booking)`` (error correction M, a 4-module quiet zone): the
check-in address with a signed token, read by the centre's scanner or a staff phone's camera.
"""

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.validators import mask_id_number
from core.documents.fonts import CJK_ASCENT, CJK_DESCENT, CJK_MIDDLE
from core.documents.layout import (
    HINTING_ROOM,
    Box,
    Code,
    Line,
    Op,
    Photo,
    Sheet,
    Text,
    frame,
    is_spread,
    label_ops,
    photo_bytes,
)
from core.documents.linebreak import Measure, wrap
from core.documents.pdf import sheet_pdf
from core.documents.png import sheet_png
from core.errors import DomainError

from ..models import Booking
from .selectors import ticket_url

__all__ = ["ticket_pdf", "ticket_png"]


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


# --- Content ---------------------------------------------------------------------------------


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


def _texts(ticket: _Ticket) -> list[str]:
    """Every text the ticket prints, for the glyph check."""
    texts = [ticket.title, ticket.title_em, ticket.code_caption, ticket.notes_heading]
    texts += [text for row in ticket.rows for text in row[:2]] + ticket.notes
    return texts + list(ticket.no_photo)


# --- Layout ----------------------------------------------------------------------------------

# value size relative to the body size, colour, weight
_ROW_STYLES = {
    "number": (1.1, ORANGE, SEMIBOLD),
    "name": (1.4, INK, BOLD),
    "strong": (1.05, NAVY, SEMIBOLD),
    "plain": (1.0, INK, 0.0),
}
_BODY_SIZES = [4.4, 4.2, 4.0, 3.8, 3.6, 3.4, 3.2, 3.0]


def _layout(ticket: _Ticket, measure: Measure) -> list[Op]:
    ops: list[Op] = [
        Box(0, 0, PAGE_W, BAND_H, NAVY),
        Box(0, BAND_H, PAGE_W, STRIPE, ORANGE),
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


def _title(ticket: _Ticket, measure: Measure) -> list[Op]:
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
        Text(x, baseline, ticket.title, size, WHITE, weight=SEMIBOLD),
        Text(x + lead, baseline, ticket.title_em, size * 1.08, AMBER, weight=BOLD),
    ]


def _photo_box(ticket: _Ticket, measure: Measure) -> list[Op]:
    x, y, w, h = MARGIN, BODY_TOP, PHOTO_W, PHOTO_H
    if ticket.has_photo:
        return [Photo(x, y, w, h), *frame(x, y, w, h, RULE, 0.3)]
    ops: list[Op] = [Box(x, y, w, h, PHOTO_EMPTY), *frame(x, y, w, h, MUTED, 0.3, dash=1.5)]
    first, second = ticket.no_photo
    size = min(4.0, (w - 6) / max(measure(first, 1, SEMIBOLD), 0.01))
    ops.append(Text(x + w / 2, y + h / 2, first, size, MUTED, align="m", weight=SEMIBOLD))
    small = min(2.8, (w - 4) / max(measure(second, 1), 0.01))
    ops.append(Text(x + w / 2, y + h / 2 + size * 0.6 + small * 1.4, second, small, MUTED, "m"))
    return ops


def _code_block(ticket: _Ticket, x: float, measure: Measure) -> list[Op]:
    y = BODY_TOP - 2.0  # the quiet zone lines the symbol up with the photo's top
    ops: list[Op] = [Code(x, y, QR_SIDE, ticket.url)]
    size = 3.6
    lines = wrap(
        ticket.code_caption,
        width=QR_SIDE * HINTING_ROOM,
        size=size,
        measure=measure,
        weight=SEMIBOLD,
    )
    baseline = y + QR_SIDE + 0.5 + size * CJK_ASCENT
    for line in lines:
        ops.append(Text(x + QR_SIDE / 2, baseline, line, size, NAVY, "m", SEMIBOLD))
        baseline += size * 1.35
    return ops


def _rows(
    rows: Sequence[tuple[str, str, str]],
    *,
    left: float,
    right: float,
    size: float,
    measure: Measure,
    stretch: float = 0.0,
) -> tuple[list[Op], float]:
    """The fact rows as a ruled list: label column, then the value (wrapped). Return the
    operations and the bottom of the last row."""
    spread = any(is_spread(label) for label, _value, _style in rows)
    label_w = max(
        [measure("国" * 4, size, SEMIBOLD) if spread else 0.0]
        + [measure(label, size, SEMIBOLD) for label, _value, _style in rows]
    )
    label_w = min(label_w, (right - left) * 0.4)
    value_x = left + label_w + size * 0.9
    value_w = right - value_x
    ops: list[Op] = []
    y = BODY_TOP - 1.2
    pad = size * 0.42 + stretch
    for label, value, style in rows:
        scale, colour, weight = _ROW_STYLES[style]
        value_size = size * scale
        while value_size > size * 0.8 and len(
            wrap(
                value, width=value_w * HINTING_ROOM, size=value_size, measure=measure, weight=weight
            )
        ) > (1 if style == "name" else 3):
            value_size -= 0.1
        lines = wrap(
            value, width=value_w * HINTING_ROOM, size=value_size, measure=measure, weight=weight
        )
        leading = value_size * 1.32
        baseline = y + pad + value_size * CJK_ASCENT
        label_lines = wrap(label, width=label_w, size=size, measure=measure, weight=SEMIBOLD)
        label_base = baseline - (value_size - size) * CJK_MIDDLE
        for n, line in enumerate(label_lines):
            ops += label_ops(
                line,
                x=left,
                baseline=label_base + n * size * 1.25,
                size=size,
                width=label_w,
                fill=MUTED,
                weight=SEMIBOLD,
            )
        for n, line in enumerate(lines):
            ops.append(Text(value_x, baseline + n * leading, line, value_size, colour, "l", weight))
        height = max(
            (len(lines) - 1) * leading + value_size * (CJK_ASCENT + CJK_DESCENT),
            (len(label_lines) - 1) * size * 1.25 + size,
        )
        y += pad + height + pad
        ops.append(Line(left, y, right, y, RULE, 0.25))
    return ops, y


def _notes_panel(ticket: _Ticket, measure: Measure) -> tuple[list[Op], float]:
    """The instructions in a tinted panel standing on the bottom margin; return the operations
    and the panel's top."""
    size, heading_size, accent, pad = 3.1, 3.5, 1.4, 3.0
    left = MARGIN + accent + pad
    width = PAGE_W - MARGIN - pad - left
    texts: list[tuple[float, str, float, str, float, float]] = []  # (x, text, size, fill, wt, dy)
    texts.append((left, ticket.notes_heading, heading_size, NAVY, SEMIBOLD, heading_size * 1.5))
    number_w = measure("0. ", size)
    for n, note in enumerate(ticket.notes, start=1):
        lines = wrap(note, width=(width - number_w) * HINTING_ROOM, size=size, measure=measure)
        for k, line in enumerate(lines):
            if k == 0:
                texts.append((left, f"{n}.", size, NAVY, SEMIBOLD, 0.0))
            texts.append((left + number_w, line, size, INK, 0.0, size * 1.5))
    height = pad + heading_size * CJK_ASCENT + sum(t[5] for t in texts) - size * 0.5 + pad
    top = PAGE_H - MARGIN + 3.0 - height
    ops: list[Op] = [
        Box(MARGIN, top, PAGE_W - 2 * MARGIN, height, PANEL),
        Box(MARGIN, top, accent, height, ORANGE),
    ]
    baseline = top + pad + heading_size * CJK_ASCENT
    for x, text, text_size, fill, weight, advance in texts:
        ops.append(Text(x, baseline, text, text_size, fill, "l", weight))
        baseline += advance
    return ops, top


# --- Sources ---------------------------------------------------------------------------------


def _ticket_booking(booking: Booking) -> Booking:
    if booking.status not in Booking.TICKETED:  # no seat to come to: no ticket
        raise DomainError(
            _("This booking has no admission ticket: it is %(status)s.")
            % {"status": booking.get_status_display()},
            code="no_ticket",
        )
    return booking


def _photo_source(booking: Booking) -> bytes | None:
    """The stored photo's bytes, or None when there is none or it is not a picture (the
    ticket then shows the empty box to stick a photo in)."""
    return photo_bytes(booking.worker.photo, owner=f"worker {booking.worker_id}")


def _sheet(booking: Booking) -> Sheet:
    _ticket_booking(booking)
    photo = _photo_source(booking)
    ticket = _content(booking, has_photo=photo is not None)
    return Sheet(
        width=PAGE_W,
        height=PAGE_H,
        layout=functools.partial(_layout, ticket),
        texts=_texts(ticket),
        photo=photo,
        title=ticket.file_title,
    )


# --- Renderers -------------------------------------------------------------------------------


def ticket_png(booking: Booking, *, dpi: int = 150) -> bytes:
    """Return the admission ticket as an A5 landscape PNG at ``dpi`` (1240 × 874 pixels at the
    default 150; the PNG records the resolution, so it prints at A5).

    Labels are in the active language. Raise ``FontUnavailable`` without a Chinese font or when
    the font lacks a character to be printed (a rare character in a name), and ``DomainError``
    (code ``no_ticket``) for a booking that holds no seat (waiting list, offered, cancelled…);
    ``ValueError`` unless 72 ≤ ``dpi`` ≤ 600. With ``worker``, ``session__center`` and
    ``session__subject`` selected, no query is made.
    """
    return sheet_png(_sheet(booking), dpi=dpi)


def ticket_pdf(booking: Booking) -> bytes:
    """Return the admission ticket as a one-page A5 landscape PDF: real (selectable) text in
    the embedded CJK font, the photo as JPEG, the QR code as a bitmap. Same content, language
    and errors as ``ticket_png``."""
    return sheet_pdf(_sheet(booking))
