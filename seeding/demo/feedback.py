"""Demo: the 2026 working-day calendar, some ratings, and two bad reviews — one waiting for the
西湖 centre's callback, one closed with feedback for the worker (13900000002) to confirm."""

import datetime

from django.utils import timezone

from accounts.models import User
from certificates.models import Certificate
from exams.models import Booking
from feedback import services
from feedback.models import Holiday, Rating, Service
from training.models import TrainingRecord

# The State Council's 2026 holiday arrangement: days off on weekdays, and weekend days worked.
HOLIDAYS_2026 = [
    ("2026-01-01", "元旦", False), ("2026-01-02", "元旦", False),
    ("2026-01-04", "元旦调休上班", True),
    *((f"2026-02-{day:02d}", "春节", False) for day in range(15, 24)),
    ("2026-02-14", "春节调休上班", True), ("2026-02-28", "春节调休上班", True),
    ("2026-04-06", "清明节", False),
    *((f"2026-05-{day:02d}", "劳动节", False) for day in range(1, 6)),
    ("2026-05-09", "劳动节调休上班", True),
    ("2026-06-19", "端午节", False),
    ("2026-09-25", "中秋节", False),
    *((f"2026-10-{day:02d}", "国庆节", False) for day in range(1, 8)),
    ("2026-09-20", "国庆节调休上班", True), ("2026-10-10", "国庆节调休上班", True),
]  # fmt: skip


def _by_phone(phone: str):
    return User.objects.filter(phone=phone).first()


def seed(*, stdout) -> list:
    for day, name, working in HOLIDAYS_2026:
        Holiday.objects.get_or_create(
            day=datetime.date.fromisoformat(day), defaults={"name": name, "working": working}
        )
    desk = _by_phone("+8613800000003")
    completed = Booking.objects.filter(status=Booking.Status.COMPLETED).select_related(
        "worker__user", "result"
    )
    now = timezone.now()
    for booking in completed:
        if Rating.objects.filter(booking=booking).exists():
            continue
        passed = getattr(booking, "result", None) is not None and booking.result.passed
        if passed:
            services.rating_submit(
                worker=booking.worker,
                service=Service.PRACTICAL_EXAM,
                event_id=booking.pk,
                stars=5,
                comment="考评员讲解清楚，流程很顺。",
                now=now,
            )
        else:
            services.rating_submit(
                worker=booking.worker,
                service=Service.PRACTICAL_EXAM,
                event_id=booking.pk,
                stars=1,
                reasons=["waiting", "scoring"],
                comment="候考等了一个多小时，也没人告诉我哪一项没过。",
                now=now,
            )
    holder = _by_phone("+8613900000002")
    certificate = Certificate.objects.filter(holder__user=holder).first() if holder else None
    if certificate and desk and not Rating.objects.filter(certificate=certificate).exists():
        rating = services.rating_submit(
            worker=certificate.holder,
            service=Service.CERTIFICATE_DESK,
            event_id=certificate.pk,
            stars=2,
            reasons=["waiting"],
            comment="领证窗口只开了一个，排了四十分钟。",
            now=now,
        )
        case = rating.case
        services.case_callback_record(
            actor=desk,
            case_id=case.pk,
            note="已致电胡女士致歉。她反映下午领证高峰只开一个窗口，等候约四十分钟。",
        )
        services.case_rectification_start(
            actor=desk,
            case_id=case.pk,
            plan="下午 14:00–17:00 增开第二个发证窗口，安排一名引导员分流。",
        )
        services.case_close(
            actor=desk,
            case_id=case.pk,
            feedback="西湖考点已在下午高峰增开第二个发证窗口，并安排引导员分流；"
            "本周领证平均等候时间已降至十分钟以内。感谢您的监督。",
        )
    for index, record in enumerate(
        TrainingRecord.objects.filter(rating__isnull=True)
        .select_related("worker")
        .order_by("pk")[:12]
    ):
        if record.completed_at < now - datetime.timedelta(days=25):
            continue
        services.rating_submit(
            worker=record.worker,
            service=Service.COURSE,
            event_id=record.pk,
            stars=(5, 4, 5, 3, 4)[index % 5],
            now=now,
        )
    stdout.write(
        f"Feedback ready: {Holiday.objects.count()} calendar days, "
        f"{Rating.objects.count()} ratings, {Rating.objects.filter(case__isnull=False).count()} cases."
    )
    return []
