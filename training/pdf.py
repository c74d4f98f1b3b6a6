"""学时证明: a worker's training record as a printable A4 PDF (reportlab, embedded CJK font)."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from accounts.models import WorkerProfile
from accounts.validators import mask_id_number
from cms.sharing import reportlab_cjk_font

from .models import TrainingRecord


def training_record_pdf(*, worker: WorkerProfile) -> bytes:
    font = reportlab_cjk_font()
    records = list(
        TrainingRecord.objects.filter(worker=worker)
        .select_related("course")
        .order_by("completed_at")
    )
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, initialFontName=font, initialFontSize=11)
    width, height = A4
    pdf.setTitle(_("Training record"))
    pdf.setFillColor(colors.HexColor("#0b4a8b"))
    pdf.rect(0, height - 32 * mm, width, 32 * mm, stroke=0, fill=1)
    pdf.setFillColor(colors.white)
    pdf.setFont(font, 22)
    pdf.drawString(20 * mm, height - 20 * mm, _("Training record"))
    pdf.setFont(font, 11)
    pdf.drawString(20 * mm, height - 27 * mm, _("Million-worker safety training campaign"))
    pdf.setFillColor(colors.black)
    y = height - 45 * mm
    for label, value in (
        (_("Full name"), worker.real_name),
        (_("Resident ID number"), mask_id_number(worker.id_number)),
        (_("Employer"), str(worker.employer or "—")),
    ):
        pdf.drawString(20 * mm, y, f"{label}：{value}")
        y -= 7 * mm
    y -= 4 * mm
    pdf.setFont(font, 10)
    pdf.setFillColor(colors.HexColor("#4b5563"))
    for x, heading in ((20, _("Course")), (140, _("Hours")), (160, _("Completed"))):
        pdf.drawString(x * mm, y, heading)
    pdf.line(20 * mm, y - 2 * mm, width - 20 * mm, y - 2 * mm)
    pdf.setFillColor(colors.black)
    y -= 8 * mm
    total = 0
    for record in records:
        if y < 30 * mm:
            pdf.showPage()
            pdf.setFont(font, 10)
            y = height - 25 * mm
        pdf.drawString(20 * mm, y, record.course.title[:40])
        pdf.drawRightString(150 * mm, y, f"{record.hours}")
        pdf.drawString(160 * mm, y, timezone.localtime(record.completed_at).strftime("%Y-%m-%d"))
        total += record.hours
        y -= 7 * mm
    pdf.line(20 * mm, y + 4 * mm, width - 20 * mm, y + 4 * mm)
    pdf.setFont(font, 12)
    pdf.drawString(20 * mm, y - 3 * mm, _("Total hours: %(hours)s") % {"hours": total})
    pdf.setFont(font, 9)
    pdf.setFillColor(colors.HexColor("#4b5563"))
    pdf.drawString(
        20 * mm,
        15 * mm,
        _("Issued %(date)s by Anxun, Hangzhou Emergency Management Bureau.")
        % {"date": timezone.localdate().isoformat()},
    )
    pdf.save()
    return buffer.getvalue()
