"""The PDF renderer: draws the same layout operations as ``png`` with reportlab.

reportlab writes the PDF; what is ours is the mapping of each operation onto its canvas (y
turned upwards, millimetres to points), faux bold as PDF text render mode 2 with the stroke
that matches Pillow's, the photo passed through as JPEG, QR codes as bitmaps of whole pixels
per module, and binary rather than ASCII85 streams.
"""

import contextlib
import io
import threading
from collections.abc import Iterable, Iterator, Sequence

from reportlab import rl_config
from reportlab.lib.colors import HexColor
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from .fonts import check_glyphs, cjk_font_path, reportlab_font_name
from .layout import (
    MM_PER_INCH,
    PT_PER_MM,
    Box,
    Circle,
    Code,
    Line,
    Op,
    Path,
    Photo,
    Sheet,
    Text,
    dashes,
    measure_for,
    photo_jpeg,
)
from .qr import qr_image_fitted

__all__ = ["binary_streams", "pdf_document", "pdf_draw", "sheet_pdf"]

_RL_CONFIG_LOCK = threading.Lock()


@contextlib.contextmanager
def binary_streams() -> Iterator[None]:
    """Write the PDF's streams in binary rather than as ASCII85 text (which only 7-bit mail
    transports ever needed): reportlab's pure-Python ASCII85 encoder is otherwise more than half
    the cost of a page with a photo. ``rl_config`` is process-wide: the lock keeps two documents
    from restoring each other's value, and a PDF another thread makes meanwhile is valid either
    way (each stream records its own filters)."""
    with _RL_CONFIG_LOCK:
        before = rl_config.useA85
        rl_config.useA85 = 0
        try:
            yield
        finally:
            rl_config.useA85 = before


def sheet_pdf(sheet: Sheet) -> bytes:
    """Draw ``sheet`` (see ``layout.Sheet``) as a one-page PDF titled ``sheet.title``. Raise
    ``FontUnavailable`` without a CJK font or when it lacks a character of ``sheet.texts``."""
    path = cjk_font_path()
    font_name = reportlab_font_name(path)
    if sheet.texts:
        check_glyphs(sheet.texts, font_name=font_name, path=path)
    return pdf_draw(
        sheet.layout(measure_for(path)),
        width=sheet.width,
        height=sheet.height,
        font_name=font_name,
        photo=sheet.photo,
        title=sheet.title,
    )


def pdf_draw(
    ops: Iterable[Op],
    *,
    width: float,
    height: float,
    font_name: str,
    photo: bytes | None = None,
    title: str = "",
    photo_dpi: int = 300,
) -> bytes:
    """Draw ``ops`` on a one-page ``width`` × ``height`` mm PDF and return it: real
    (selectable) text in the embedded CJK font ``font_name`` (``fonts.reportlab_cjk_font()``),
    ``photo`` as JPEG in every ``Photo`` box (re-encoded at ``photo_dpi`` only when it must be
    cropped), QR codes as bitmaps."""
    return pdf_document(
        [list(ops)],
        width=width,
        height=height,
        font_name=font_name,
        photo=photo,
        title=title,
        photo_dpi=photo_dpi,
    )


def pdf_document(
    pages: Iterable[Sequence[Op]],
    *,
    width: float,
    height: float,
    font_name: str,
    photo: bytes | None = None,
    title: str = "",
    author: str = "",
    photo_dpi: int = 300,
) -> bytes:
    """Draw each list of ``pages`` on a page of its own (all ``width`` × ``height`` mm) and
    return the PDF, with ``title`` and ``author`` in its information; the rest as
    ``pdf_draw``."""
    with binary_streams():
        buffer = io.BytesIO()
        page = canvas.Canvas(
            buffer,
            pagesize=(width * PT_PER_MM, height * PT_PER_MM),
            pageCompression=1,
            # Else an unused, unembedded Helvetica is listed. (reportlab's stubs type the
            # argument as a number; it is the font's name.)
            initialFontName=font_name,  # type: ignore[arg-type]
        )
        if title:
            page.setTitle(title)
        if author:
            page.setAuthor(author)
        page.setCreator("Anxun")
        for ops in pages:
            _draw_page(page, ops, height=height, font_name=font_name, photo=photo, dpi=photo_dpi)
            page.showPage()
        page.save()
        return buffer.getvalue()


def _pt(mm: float) -> float:
    return mm * PT_PER_MM


def _draw_page(
    page: canvas.Canvas,
    ops: Iterable[Op],
    *,
    height: float,
    font_name: str,
    photo: bytes | None,
    dpi: int,
) -> None:
    for op in ops:
        if isinstance(op, Box):
            page.setFillColor(HexColor(op.fill))
            bottom = _pt(height - op.y - op.h)
            if op.radius:
                page.roundRect(_pt(op.x), bottom, _pt(op.w), _pt(op.h), _pt(op.radius), 0, 1)
            else:
                page.rect(_pt(op.x), bottom, _pt(op.w), _pt(op.h), stroke=0, fill=1)
        elif isinstance(op, Line):
            page.saveState()
            page.setStrokeColor(HexColor(op.colour))
            page.setLineWidth(_pt(op.width))
            for a, b in dashes(op):
                page.line(_pt(a[0]), _pt(height - a[1]), _pt(b[0]), _pt(height - b[1]))
            page.restoreState()
        elif isinstance(op, Path):
            page.saveState()
            page.setStrokeColor(HexColor(op.colour))
            page.setLineWidth(_pt(op.width))
            page.setLineJoin(1)
            path = page.beginPath()
            (x0, y0), *rest = op.points
            path.moveTo(_pt(x0), _pt(height - y0))
            for x, y in rest:
                path.lineTo(_pt(x), _pt(height - y))
            if op.closed:
                path.close()
            page.drawPath(path, stroke=1, fill=0)
            page.restoreState()
        elif isinstance(op, Circle):
            page.saveState()
            page.setStrokeColor(HexColor(op.colour))
            page.setLineWidth(_pt(op.width))
            page.circle(_pt(op.cx), _pt(height - op.cy), _pt(op.r), stroke=1, fill=0)
            page.restoreState()
        elif isinstance(op, Text):
            _text(page, op, height=height, font_name=font_name)
        elif isinstance(op, Photo):
            # JPEG goes in as it is (reportlab does not re-encode it); ``dpi`` if cropped.
            pixels = (round(op.w / MM_PER_INCH * dpi), round(op.h / MM_PER_INCH * dpi))
            jpeg = photo_jpeg(photo, pixels) if photo else None
            if jpeg is not None:
                page.drawImage(
                    ImageReader(io.BytesIO(jpeg)),
                    _pt(op.x),
                    _pt(height - op.y - op.h),
                    width=_pt(op.w),
                    height=_pt(op.h),
                )
            else:
                page.setFillColor(HexColor(op.empty))
                page.rect(_pt(op.x), _pt(height - op.y - op.h), _pt(op.w), _pt(op.h), 0, 1)
        elif isinstance(op, Code):
            # About 10 pixels a module: sharp when printed, and a viewer that smooths the
            # image when scaling it blurs only the outermost pixel of each module.
            code = qr_image_fitted(op.url, pixels=500).convert("L")
            page.drawImage(
                ImageReader(code),
                _pt(op.x),
                _pt(height - op.y - op.size),
                width=_pt(op.size),
                height=_pt(op.size),
            )
        else:
            raise TypeError(f"Not a drawing operation: {op!r}")


def _text(page: canvas.Canvas, op: Text, *, height: float, font_name: str) -> None:
    page.saveState()
    colour = HexColor(op.fill)
    page.setFillColor(colour)
    page.translate(_pt(op.x), _pt(height - op.y))
    if op.angle:
        page.rotate(op.angle)
    text = page.beginText()
    text.setFont(font_name, _pt(op.size))
    if op.weight:
        # Fill and stroke (mode 2): the stroke straddles the outline, so it is twice the
        # Pillow stroke width, which lies outside it.
        page.setStrokeColor(colour)
        page.setLineWidth(_pt(2 * op.weight * op.size))
        page.setLineJoin(1)
        text.setTextRenderMode(2)
    text_width = pdfmetrics.stringWidth(op.text, font_name, _pt(op.size))
    text.setTextOrigin(-{"l": 0.0, "m": text_width / 2, "r": text_width}[op.align], 0)
    text.textOut(op.text)
    page.drawText(text)
    page.restoreState()
