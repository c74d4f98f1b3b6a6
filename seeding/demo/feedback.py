"""Demo: the working-day calendar (from chinesecalendar, as in production), some ratings, and two
bad reviews — one waiting for the 西湖 centre's callback, one closed with feedback for the worker
(13900000002) to confirm."""

import datetime

from django.utils import timezone

from accounts.models import User
from certificates.models import Certificate
from exams.models import Booking
from feedback import services
from feedback.models import Holiday, Rating, Service
from feedback.services.holidays import holiday_calendar_load
from training.models import TrainingRecord


def _by_phone(phone: str):
    return User.objects.filter(phone=phone).first()


def seed(*, stdout) -> list:
    holiday_calendar_load()  # as `manage.py load_reference_data` does: from chinesecalendar
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
