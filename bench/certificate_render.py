"""Benchmark: drawing certificates (PNG at 300 and 150 dpi, PDF), as certificates per second on
one core.

    DJANGO_SETTINGS_MODULE=config.settings.dev .venv/bin/python bench/certificate_render.py --calls 20 --runs 3

The certificate is built in memory (no database, no storage): a holder with a 600×800 JPEG
photo, a subject, a centre, signed fields. Every call draws a certificate with a new token, so
each pays for its own QR code as a real one does (the PNG and the PDF of one certificate share
it: "PNG 300 dpi + PDF" is what the render task draws). Each case runs ``--calls`` calls,
``--runs`` times; the table gives the median run's figures: certificates per CPU second (per
core), and the median and p90 wall time per call.
"""

import argparse
import io
import os
import random
import secrets
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from typing import Self

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django

django.setup()

import zxingcpp  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.utils import translation  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402

from accounts.models import District, User, WorkerProfile  # noqa: E402
from certificates import links, services  # noqa: E402
from certificates.models import Certificate  # noqa: E402
from certificates.rendering import certificate_pdf, certificate_png  # noqa: E402
from exams.models import ExamCenter, Subject  # noqa: E402


class _InMemoryPhoto(ContentFile):
    def open(self, mode: str | None = "rb", *args: object, **kwargs: object) -> Self:
        self.seek(0)
        return self


def _photo() -> bytes:
    image = Image.new("RGB", (600, 800), (225, 235, 245))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 280, 600, 800), fill=(40, 60, 110))
    draw.ellipse((180, 96, 420, 440), fill=(236, 200, 170))
    noise = random.Random(7)  # noqa: S311 (grain in a picture)
    pixels = image.load()
    assert pixels is not None  # a new image is in memory already
    for _ in range(20000):
        x, y = noise.randrange(600), noise.randrange(800)
        pixel = pixels[x, y]
        assert isinstance(pixel, tuple)  # RGB: one value per channel
        r, g, b = pixel
        pixels[x, y] = (max(0, r - 18), max(0, g - 18), max(0, b - 18))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=88)
    return buffer.getvalue()


def _certificate(photo: bytes) -> Certificate:
    holder = WorkerProfile(
        pk=1,
        user=User(pk=1, username="bench"),
        real_name="欧阳建国",
        id_number="330106198502070014",
        sex="M",
    )
    # A name, or the field counts as empty and the certificate is drawn without the photo.
    holder.photo = _InMemoryPhoto(photo, name="photo.jpg")
    center = ExamCenter(
        pk=1,
        code="xihu",
        name="杭州市应急管理培训考试中心（西湖考点）",
        district=District(pk=1, code="330106", name="西湖区"),
        address="杭州市西湖区文一西路 522 号",
    )
    certificate = Certificate(
        pk=1,
        number="AX20250010000123",
        token=secrets.token_urlsafe(16),
        holder=holder,
        subject=Subject(pk=1, code="low-voltage", name="低压电工作业"),
        center=center,
        issuer="杭州市应急管理局",
        issued_on=date(2025, 5, 20),
        valid_until=date(2031, 5, 19),
        review_due=date(2028, 5, 20),
    )
    services._sign(certificate)
    return certificate


def _fresh(certificate: Certificate) -> Certificate:
    certificate.token = secrets.token_urlsafe(16)  # a new QR code to encode
    return certificate


def _run(call, calls: int) -> dict:
    walls = []
    cpu = time.process_time()
    for _ in range(calls):
        wall = time.perf_counter()
        call()
        walls.append((time.perf_counter() - wall) * 1000)
    cpu = time.process_time() - cpu
    walls.sort()
    return {
        "per_second": calls / cpu,
        "wall_p50": statistics.median(walls),
        "wall_p90": walls[max(0, int(len(walls) * 0.9) - 1)],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    certificate = _certificate(_photo())
    with translation.override("zh-hans"):
        png = certificate_png(certificate)
        pdf = certificate_pdf(certificate)  # warm up: fonts registered, caches filled
        found = [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]
        assert found == [links.verification_url(certificate)], "the QR code must read back"
        assert b"/DCTDecode" in pdf, "the photo must be in the PDF"

        def both():
            certificate_png(_fresh(certificate))
            certificate_pdf(certificate)

        cases = {
            "PNG, A4 at 300 dpi (3508×2480)": lambda: certificate_png(_fresh(certificate)),
            "PNG, A4 at 150 dpi (1754×1240)": lambda: certificate_png(_fresh(certificate), dpi=150),
            "PDF, A4": lambda: certificate_pdf(_fresh(certificate)),
            "PNG 300 dpi + PDF (the render task's drawing)": both,
        }
        print(
            f"| drawing | certificates/s per core | wall p50 (ms) | wall p90 (ms) |"
            f"  (median of {args.runs} runs of {args.calls} calls; PNG {len(png):,} bytes, "
            f"PDF {len(pdf):,} bytes)"
        )
        print("|---|---|---|---|")
        for name, call in cases.items():
            runs = sorted(
                (_run(call, args.calls) for _ in range(args.runs)), key=lambda r: r["per_second"]
            )
            figures = runs[len(runs) // 2]
            print(
                f"| {name} | {figures['per_second']:.1f} | {figures['wall_p50']:.0f} "
                f"| {figures['wall_p90']:.0f} |"
            )


if __name__ == "__main__":
    main()
