"""Benchmark: drawing an admission ticket (PNG and PDF) and reading its QR code back from a
photo-sized camera frame, per call on one core.

    DJANGO_SETTINGS_MODULE=config.settings.dev .venv/bin/python bench/practical_tickets.py --runs 30

The booking is built in memory (no database): a worker with a 600×800 photo, a session at a
centre. Reports the median and p90 of wall and CPU time per call for ``ticket_png`` (150 dpi),
``ticket_pdf`` and ``qr_decode`` on the PNG and on a 1280×960 JPEG frame of it.
"""

import argparse
import io
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Self

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django

django.setup()

from django.core.files.base import ContentFile  # noqa: E402
from django.utils import timezone  # noqa: E402
from PIL import Image  # noqa: E402

from accounts.models import District, User, WorkerProfile  # noqa: E402
from core.documents.qr_decode import qr_decode  # noqa: E402
from exams.models import Booking, ExamCenter, PracticalSession, Subject  # noqa: E402
from exams.practical.tickets import ticket_pdf, ticket_png  # noqa: E402


class _InMemoryPhoto(ContentFile):
    name = "photo.jpg"

    def open(self, mode: str | None = "rb", *args: object, **kwargs: object) -> Self:
        self.seek(0)
        return self


def _booking() -> Booking:
    photo = io.BytesIO()
    Image.new("RGB", (600, 800), (180, 200, 220)).save(photo, "JPEG", quality=85)
    user = User(pk=1, username="bench", phone="+8613800000001")
    worker = WorkerProfile(
        pk=1, user=user, real_name="张建国", id_number="330106198502070014", sex="M"
    )
    worker.photo = _InMemoryPhoto(photo.getvalue(), name="photo.jpg")
    district = District(pk=1, code="330106", name="西湖区")
    center = ExamCenter(
        pk=1,
        code="xihu",
        name="杭州市应急管理培训考试中心（西湖考点）",
        district=district,
        address="杭州市西湖区文一西路 522 号安全生产实训楼一楼",
        phone="0571-87961200",
    )
    subject = Subject(pk=1, code="low-voltage", name="低压电工作业")
    starts = timezone.now() + timedelta(days=3)
    session = PracticalSession(
        pk=1,
        subject=subject,
        center=center,
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        capacity=20,
        booking_opens_at=starts - timedelta(days=10),
        booking_closes_at=starts - timedelta(days=1),
    )
    return Booking(pk=12345, worker=worker, session=session, subject=subject, status="confirmed")


def _time(call, runs: int) -> dict:
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        call()
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    walls.sort()
    return {
        "wall_p50": statistics.median(walls),
        "wall_p90": walls[int(len(walls) * 0.9) - 1],
        "cpu_p50": statistics.median(sorted(cpus)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    booking = _booking()
    png = ticket_png(booking)
    frame = Image.new("RGB", (1280, 960), "white")
    ticket = Image.open(io.BytesIO(png)).convert("RGB")
    ticket.thumbnail((1200, 900))
    frame.paste(ticket, (40, 30))
    jpeg = io.BytesIO()
    frame.save(jpeg, "JPEG", quality=80)
    assert qr_decode(png) and qr_decode(jpeg.getvalue()), "the QR code must read back"
    cases = {
        "ticket_png (150 dpi)": lambda: ticket_png(booking),
        "ticket_pdf": lambda: ticket_pdf(booking),
        "qr_decode, ticket PNG": lambda: qr_decode(png),
        "qr_decode, 1280×960 JPEG frame": lambda: qr_decode(jpeg.getvalue()),
    }
    print(f"| call | wall p50 (ms) | wall p90 (ms) | CPU p50 (ms) |  ({args.runs} runs)")
    print("|---|---|---|---|")
    for name, call in cases.items():
        figures = _time(call, args.runs)
        print(
            f"| {name} | {figures['wall_p50']:.1f} | {figures['wall_p90']:.1f} "
            f"| {figures['cpu_p50']:.1f} |"
        )


if __name__ == "__main__":
    main()
