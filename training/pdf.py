"""学时证明: a worker's training record as a printable A4 PDF, laid out here and drawn by the
document engine (``core.documents``): a navy band with the title, who the worker is, a QR
code of the signed link that verifies it (``proofs``), one row per completed course (hours,
date), the total, and who issued it. Long records run on to further pages."""

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import WorkerProfile
from accounts.validators import mask_id_number
from core.documents.fonts import reportlab_cjk_font
from core.documents.layout import PT_PER_MM, WHITE, Box, Code, Line, Op, Text
from core.documents.pdf import pdf_document

from .models import TrainingRecord
from .proofs import proof_of, proof_url

# Geometry in millimetres (A4 portrait), from the top left corner.
PAGE_W, PAGE_H = 210.0, 297.0
LEFT, RIGHT = 20.0, PAGE_W - 20.0
BAND_H = 32.0
BOTTOM_LIMIT = PAGE_H - 30.0  # a course row starting below this goes on the next page
NAVY = "#0b4a8b"
BLACK = "#000000"
MUTED = "#4b5563"
RULE_WIDTH = 1 / PT_PER_MM  # one point
QR_SIZE = 32.0  # the QR code, top right under the band
QR_TOP = BAND_H + 4.0


def _pt(size: float) -> float:
    """A font size in points, as the layout's em size in millimetres."""
    return size / PT_PER_MM


def training_record_pdf(*, worker: WorkerProfile) -> bytes:
    """Return the worker's training record (every ``TrainingRecord``, oldest first) as an A4
    PDF in the active language, the ID number masked. ``FontUnavailable`` without a CJK
    font."""
    font_name = reportlab_cjk_font()
    records = list(
        TrainingRecord.objects.filter(worker=worker)
        .select_related("course")
        .order_by("completed_at")
    )
    title = _("Training record")
    today = timezone.localdate()
    url = proof_url(proof_of(worker=worker, records=records, issued_on=today))
    page: list[Op] = [
        Box(0, 0, PAGE_W, BAND_H, NAVY),
        Text(LEFT, 20.0, title, _pt(22), WHITE),
        Text(LEFT, 27.0, _("Million-worker safety training campaign"), _pt(11), WHITE),
        Code(RIGHT - QR_SIZE, QR_TOP, QR_SIZE, url),
        Text(
            RIGHT - QR_SIZE / 2,
            QR_TOP + QR_SIZE + 3.0,
            _("Scan to verify"),
            _pt(8),
            MUTED,
            align="m",
        ),
    ]
    pages = [page]
    y = 45.0
    for label, value in (
        (_("Full name"), worker.real_name),
        (_("Resident ID number"), mask_id_number(worker.id_number)),
        (_("Employer"), str(worker.employer or "—")),
    ):
        page.append(Text(LEFT, y, f"{label}：{value}", _pt(11), BLACK))
        y += 7.0
    y = max(y + 4.0, QR_TOP + QR_SIZE + 10.0)  # the table starts below the QR code
    for x, heading in ((20.0, _("Course")), (140.0, _("Hours")), (160.0, _("Completed"))):
        page.append(Text(x, y, heading, _pt(10), MUTED))
    page.append(Line(LEFT, y + 2.0, RIGHT, y + 2.0, BLACK, RULE_WIDTH))
    y += 8.0
    total: int | Decimal = 0
    for record in records:
        if y > BOTTOM_LIMIT:
            page = []
            pages.append(page)
            y = 25.0
        completed = timezone.localtime(record.completed_at).strftime("%Y-%m-%d")
        page += [
            Text(LEFT, y, record.course.title[:40], _pt(10), BLACK),
            Text(150.0, y, f"{record.hours}", _pt(10), BLACK, align="r"),
            Text(160.0, y, completed, _pt(10), BLACK),
        ]
        total += record.hours
        y += 7.0
    page.append(Line(LEFT, y - 4.0, RIGHT, y - 4.0, BLACK, RULE_WIDTH))
    page.append(Text(LEFT, y + 3.0, _("Total hours: %(hours)s") % {"hours": total}, _pt(12), BLACK))
    issued = _("Issued %(date)s by Anxun, Hangzhou Emergency Management Bureau.") % {
        "date": today.isoformat()
    }
    page.append(Text(LEFT, PAGE_H - 15.0, issued, _pt(9), MUTED))
    return pdf_document(pages, width=PAGE_W, height=PAGE_H, font_name=font_name, title=title)
