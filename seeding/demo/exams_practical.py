"""Demo practical exams (``practical_seed``, run by the exam demo once its bank is in): a
100-point rubric per subject, five exam centres (考点) across Hangzhou with their staff, sessions
on a weekly timetable over the next three weeks (created through ``session_create``) plus one
today at the main centre, and candidates with bookings — see ``practical_seed``. Rubrics,
centres and timetable are read from ``seeding/data/practical.json``."""

import json
import random
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import District, Role, User, WorkerProfile
from accounts.services import role_grant
from core.errors import DomainError
from core.events import audit_record
from exams.models import (
    AttemptAnswer,
    Booking,
    CenterStaff,
    ExamCenter,
    PracticalSession,
    Question,
    RubricItem,
    Subject,
    TheoryAttempt,
)
from exams.practical.selectors import theory_pass_for
from exams.practical.services import (
    booking_create,
    checkin_confirm,
    score_submit,
    session_create,
)
from exams.services import attempt_start, attempt_submit
from seeding.demo.accounts import DEMO_PASSWORD
from seeding.demo.pictures import draw_portrait
from training.models import CoursePage, LessonProgress, TrainingRecord
from training.services import enrollment_create, hours_for

# --- Practical exams ------------------------------------------------------------------------
#
# The rubrics, centres and weekly timetable are data: seeding/data/practical.json. Rubrics
# follow the four parts of the special-operations practical exam (安全用具使用, 安全操作技术,
# 作业现场安全隐患排除, 作业现场应急处置).

PRACTICAL_FILE = Path(__file__).resolve().parent.parent / "data" / "practical.json"
_PRACTICAL = json.loads(PRACTICAL_FILE.read_text(encoding="utf-8"))

LV, WELDING_CODE, HEIGHT_CODE, PRINCIPAL_CODE = (
    "low-voltage-electrician",
    "welding-cutting",
    "work-at-height",
    "hazchem-principal",
)
MORNING, AFTERNOON = (time(9), time(12)), (time(14), time(17))
SLOTS = {"morning": MORNING, "afternoon": AFTERNOON}

# subject code → [(part, item, points, critical)]
RUBRICS = {
    code: [
        (RubricItem.Part(item["part"]), item["title"], item["max_points"], item["critical"])
        for item in items
    ]
    for code, items in _PRACTICAL["rubrics"].items()
}
MAIN_CENTRE = "xihu"
CENTRES = _PRACTICAL["centres"]
# The weekly timetable: (centre, subject, weekday (Monday 0), slot, seats, seats held back).
TIMETABLE = [
    (
        row["centre"],
        row["subject"],
        row["weekday"],
        SLOTS[row["slot"]],
        row["seats"],
        row["held_back"],
    )
    for row in _PRACTICAL["timetable"]
]
TIMETABLE_DAYS = 21

SECOND_EXAMINER = ("+8613800000010", "吴考评")

# Demo workers (accounts' +86139000000NN) who take practical exams. 13900000001 is left alone:
# they have just finished the electrician's training, to sit the theory exam in the demo.
TODAY_PLAN = [  # today's 低压电工作业 session at the main centre, after the demo worker
    (2, "passed"),
    (3, "failed"),  # fails a critical item, then books the free retake
    (4, "checked_in"),
    (6, "checked_in"),
    (7, "confirmed"),
    (8, "confirmed"),
]
# (centre, subject, workers confirmed, workers put on the waiting list)
UPCOMING_PLAN = [
    ("fuyang", WELDING_CODE, [11, 12, 14, 15, 16, 17, 19, 20], [21, 22]),  # full
    ("yuhang", HEIGHT_CODE, [23, 25, 26, 27, 28, 29], []),  # two seats left
    ("qiantang", PRINCIPAL_CODE, [13, 18], []),  # heads of chemical firms
]


def _at(day: date, clock: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, clock))


def _today_slot(now: datetime) -> tuple[datetime, datetime]:
    """Today's session at the main centre: the morning or afternoon one still running or to
    come, or an evening one when the seed runs late (so it has not ended and the check-in
    demo works whenever the seed runs)."""
    day = timezone.localdate(now)
    for start, end in (MORNING, AFTERNOON, (time(18, 30), time(21, 30))):
        if _at(day, end) > now:
            return _at(day, start), _at(day, end)
    return _at(day, time(19)), _at(day, time(23, 59, 59))


def _rubrics_seed(subjects: dict[str, Subject]) -> int:
    """A subject without a rubric gets the demo one; a rubric edited in the admin is kept."""
    created = 0
    for code, items in RUBRICS.items():
        subject = subjects.get(code)
        if subject is None or subject.rubric.exists():
            continue
        RubricItem.objects.bulk_create(
            RubricItem(
                subject=subject,
                part=part,
                position=position,
                title=title,
                max_points=points,
                critical=critical,
            )
            for position, (part, title, points, critical) in enumerate(items, start=1)
        )
        created += len(items)
    return created


def _centres_seed(subjects: dict[str, Subject]) -> dict[str, ExamCenter]:
    """Centres keyed by code; their subjects are set when they are created (the admin may
    change them later)."""
    districts = {district.code: district for district in District.objects.all()}
    centres = {}
    for spec in CENTRES:
        centre = ExamCenter.objects.filter(code=spec["code"]).first()
        if centre is None:
            district = districts.get(spec["district"])
            if district is None:
                continue
            centre = ExamCenter.objects.create(
                code=spec["code"],
                name=spec["name"],
                district=district,
                address=spec["address"],
                phone=spec["phone"],
                stations=spec["stations"],
            )
            centre.subjects.add(*(subjects[code] for code in spec["subjects"] if code in subjects))
        centres[centre.code] = centre
    return centres


def _user_by_phone(phone: str) -> User | None:
    return User.objects.filter(phone=phone).select_related("worker_profile").first()


def _second_examiner() -> User:
    phone, name = SECOND_EXAMINER
    user = User.objects.filter(phone=phone).first()
    if user is None:
        user = User(username=f"demo{phone[3:]}", phone=phone, phone_verified=True, first_name=name)
        user.set_password(DEMO_PASSWORD)
        user.save()
    role_grant(user=user, role=Role.EXAMINER, actor=None)
    return user


def _staff_seed(centres: dict[str, ExamCenter]) -> tuple[User | None, User | None, User]:
    """The demo centre-staff login supervises the main centre; the demo examiner scores there;
    a second examiner works at the main centre and at Xiaoshan."""
    desk, examiner = _user_by_phone("+8613800000003"), _user_by_phone("+8613800000004")
    second = _second_examiner()
    posts = [(desk, MAIN_CENTRE, True), (examiner, MAIN_CENTRE, False)]
    posts += [(second, MAIN_CENTRE, False), (second, "xiaoshan", False)]
    for user, code, supervisor in posts:
        if user is not None and code in centres:
            CenterStaff.objects.get_or_create(
                center=centres[code], user=user, defaults={"supervisor": supervisor}
            )
    return desk, examiner, second


def _session_ensure(*, centre, subject, starts, ends, seats, held, published, actor, existing):
    """A session keyed by (centre, subject, start): found, created, or None when the service
    refuses (say the admin took the subject off the centre)."""
    if session := existing.get((centre.pk, subject.pk, starts)):
        return session, False
    try:
        session = session_create(
            actor=actor,
            center=centre,
            subject=subject,
            starts_at=starts,
            ends_at=ends,
            capacity=seats,
            held_back=held,
            now=published,
        )
    except DomainError:
        return None, False
    existing[(centre.pk, subject.pk, starts)] = session
    return session, True


def _sessions_seed(*, centres, subjects, now, published, actor):
    """Today's 低压电工作业 session at the main centre (whichever one exists today, else a new
    one) and the timetable's sessions from tomorrow on. Every session is created by the service
    as if published at ``published``: booking opened then, and today's session, whose start may
    have passed, could still be created "in the future"."""
    day = timezone.localdate(now)
    midnight = _at(day, time(0))
    existing = {
        (session.center_id, session.subject_id, session.starts_at): session
        for session in PracticalSession.objects.filter(starts_at__gte=midnight)
    }
    created = 0
    today = None
    main, lv = centres.get(MAIN_CENTRE), subjects.get(LV)
    if main and lv:
        today = min(
            (
                session
                for (centre_id, subject_id, starts), session in existing.items()
                if (centre_id, subject_id) == (main.pk, lv.pk) and timezone.localdate(starts) == day
            ),
            key=lambda session: session.starts_at,
            default=None,
        )
        if today is None:
            starts, ends = _today_slot(now)
            today, new = _session_ensure(
                centre=main,
                subject=lv,
                starts=starts,
                ends=ends,
                seats=20,
                held=2,
                published=published,
                actor=actor,
                existing=existing,
            )
            created += new
    for offset in range(1, TIMETABLE_DAYS + 1):
        date_ = day + timedelta(days=offset)
        for code, subject_code, weekday, (start, end), seats, held in TIMETABLE:
            if date_.weekday() != weekday or code not in centres or subject_code not in subjects:
                continue
            _session, new = _session_ensure(
                centre=centres[code],
                subject=subjects[subject_code],
                starts=_at(date_, start),
                ends=_at(date_, end),
                seats=seats,
                held=held,
                published=published,
                actor=actor,
                existing=existing,
            )
            created += new
    return today, created


# --- Candidates: their past training and theory exam, then bookings -------------------------


def _training_done(worker: WorkerProfile, course: CoursePage, *, at: datetime, lessons) -> bool:
    """The course as the training services leave it once studied: enrolled, every lesson done,
    the hours credited at ``at``. Written directly: replaying the heartbeats of 30 workers'
    hours of study took longer than the rest of the demo. Returns whether anything changed."""
    enrollment = enrollment_create(worker=worker, course=course, actor=worker.user)
    if enrollment.completed_at is not None:
        return False
    for number, lesson in enumerate(lessons):
        progress, _created = LessonProgress.objects.get_or_create(
            enrollment=enrollment, lesson=lesson
        )
        progress.seconds_credited = max(progress.seconds_credited, lesson.min_seconds)
        progress.checkpoints_passed = True
        progress.completed_at = at - timedelta(hours=len(lessons) - 1 - number)
        progress.save()
    enrollment.completed_at = at
    enrollment.last_lesson = lessons[-1] if lessons else None
    enrollment.save(update_fields=["completed_at", "last_lesson", "updated_at"])
    seconds = sum(lesson.min_seconds for lesson in lessons)
    hours = hours_for(seconds=seconds, course=course)
    record, created = TrainingRecord.objects.get_or_create(
        worker=worker,
        course=course,
        defaults={"hours": hours, "seconds": seconds, "completed_at": at},
    )
    if created:
        audit_record(
            actor=None,
            verb="training_record.credited",
            target=record,
            after={"course": course.pk, "hours": str(hours), "seconds": seconds},
        )
    return True


def _answers(paper: list[dict], rng: random.Random) -> dict[int, list[int]]:
    """A good candidate's answers: a few questions wrong, at most 16 points lost."""
    budget, lost, wrong = rng.choice([4, 6, 8, 10, 12, 14, 16]), 0, set()
    positions = list(range(len(paper)))
    rng.shuffle(positions)
    for position in positions:
        if lost + paper[position]["points"] <= budget:
            wrong.add(position)
            lost += paper[position]["points"]
    answers = {}
    for position, entry in enumerate(paper):
        key = entry["key"]
        if position not in wrong:
            answers[position] = key
        elif entry["kind"] == Question.Kind.MULTIPLE:
            answers[position] = key[:-1]  # the usual slip: one right choice left out
        else:
            answers[position] = [i for i in range(len(entry["choices"])) if i not in key][:1]
    return answers


def _theory_pass(worker, subject, *, at, now, rng, lessons) -> tuple[TheoryAttempt | None, int]:
    """A valid theory pass: the one the worker has, else the required training finished two
    weeks before ``at`` and a theory exam sat and passed at ``at`` (through the exam services;
    the answers are written at once). Returns the pass (None if it cannot be had) and how
    many courses were newly completed."""
    theory = theory_pass_for(worker=worker, subject=subject, on=now)
    if theory is not None:
        return theory, 0
    if TheoryAttempt.objects.filter(
        worker=worker, subject=subject, status=TheoryAttempt.Status.IN_PROGRESS
    ).exists():
        return None, 0  # someone is sitting it in the demo: leave it alone
    courses = list(subject.required_courses.order_by("pk"))
    trained = sum(
        _training_done(
            worker, course, at=at - timedelta(days=14 - 3 * number), lessons=lessons(course)
        )
        for number, course in enumerate(courses)
    )
    try:
        attempt = attempt_start(worker=worker, subject=subject, now=at)
    except DomainError:
        return None, trained
    AttemptAnswer.objects.bulk_create(
        AttemptAnswer(
            attempt=attempt,
            position=position,
            selected=selected,
            seq=1,
            saved_at=at + timedelta(minutes=1 + position),
        )
        for position, selected in _answers(attempt.paper, rng).items()
    )
    attempt = attempt_submit(
        attempt_id=attempt.pk, worker=worker, now=at + timedelta(minutes=len(attempt.paper) + 20)
    )
    return (attempt if attempt.passed else None), trained


def _booking_time(session: PracticalSession, *, published, after: timedelta, now) -> datetime:
    """When a demo booking was made: some time after booking opened, never in the future."""
    moment = max(session.booking_opens_at, published) + after
    return min(moment, now, session.booking_closes_at - timedelta(minutes=1))


def _clamp(moment: datetime, *, earliest: datetime, latest: datetime) -> datetime:
    return max(earliest, min(moment, latest))


class _Cohort:
    """Books demo workers; a worker who has any booking of the subject was seeded already (or
    booked in the demo) and is left alone."""

    def __init__(self, *, now, published, rng):
        self.now, self.published, self.rng = now, published, rng
        self.booked = self.trained = 0
        self._lessons = {}

    def lessons(self, course: CoursePage) -> list:
        if course.pk not in self._lessons:
            self._lessons[course.pk] = list(course.lessons())
        return self._lessons[course.pk]

    def book(self, worker, session, *, number: int, waitlist: bool = False) -> Booking | None:
        theory, trained = _theory_pass(
            worker,
            session.subject,
            at=self.now - timedelta(days=20, hours=-number),
            now=self.now,
            rng=self.rng,
            lessons=self.lessons,
        )
        self.trained += trained
        if theory is None:
            return None
        if not worker.photo:  # a practical exam is booked only with a photo on the profile
            worker.photo.save(
                f"demo-{worker.pk}.jpg", ContentFile(draw_portrait(worker.pk)), save=True
            )
        at = _booking_time(
            session, published=self.published, after=timedelta(hours=2 + 3 * number), now=self.now
        )
        try:
            booking = booking_create(
                worker=worker, session_id=session.pk, waitlist=waitlist, now=at
            )
        except DomainError:
            return None
        self.booked += 1
        return booking


def _marks(subject: Subject, *, fail_critical: bool) -> tuple[dict[int, int], list[int]]:
    """An examiner's marks: a few points off the largest items; a failed critical item when
    asked (一票否决: the total stays high, the exam is failed)."""
    items = list(subject.rubric.all())
    points = {item.pk: item.max_points for item in items}
    ordinary = sorted((item for item in items if not item.critical), key=lambda i: -i.max_points)
    for item, off in zip(ordinary, (4, 2) if fail_critical else (6, 2), strict=False):
        points[item.pk] -= min(off, item.max_points)
    critical = sorted(
        (item for item in items if item.critical),
        key=lambda item: item.part != RubricItem.Part.SAFE_OPERATION,
    )
    failed = [critical[0].pk] if fail_critical and critical else []
    return points, failed


def _today_seed(*, session, plan, cohort, desk, examiner) -> None:
    """Book today's candidates, check some in at the desk and score two of them (one passes,
    one fails a critical item and books the free retake)."""
    now = cohort.now
    midnight = _at(timezone.localdate(now), time(0))
    for number, (worker, outcome) in enumerate(plan):
        if Booking.objects.filter(worker=worker, subject=session.subject).exists():
            continue  # seeded already, or booked in the demo: left as it is
        booking = cohort.book(worker, session, number=number)
        if booking is None or outcome == "confirmed" or desk is None:
            continue
        checked_at = _clamp(
            session.starts_at - timedelta(minutes=25 - 3 * number), earliest=midnight, latest=now
        )
        try:
            booking = checkin_confirm(
                user=desk, booking_id=booking.pk, center=session.center, now=checked_at
            )
        except DomainError:
            continue
        if outcome == "checked_in" or examiner is None:
            continue
        checked_in_at = booking.checked_in_at
        assert checked_in_at is not None  # checkin_confirm has set it
        scored_at = _clamp(
            checked_in_at + timedelta(minutes=40 + 15 * number), earliest=checked_in_at, latest=now
        )
        points, failed = _marks(session.subject, fail_critical=outcome == "failed")
        try:
            score_submit(
                examiner=examiner,
                booking_id=booking.pk,
                points=points,
                critical_failed=failed,
                now=scored_at,
            )
        except DomainError:
            continue
        if outcome == "failed":
            _retake(worker, session, after=scored_at, cohort=cohort)


def _retake(worker, session, *, after, cohort) -> None:
    """The free retake: the next 低压电工作业 session at the same centre still open."""
    now = cohort.now
    retake = (
        PracticalSession.objects.filter(
            center=session.center,
            subject=session.subject,
            cancelled=False,
            starts_at__gt=now,
            booking_opens_at__lte=now,
            booking_closes_at__gt=now,
        )
        .order_by("starts_at")
        .first()
    )
    if retake is None:
        return
    at = _clamp(after + timedelta(minutes=15), earliest=retake.booking_opens_at, latest=now)
    try:
        booking_create(worker=worker, session_id=retake.pk, now=at)
    except DomainError:
        return
    cohort.booked += 1


def _upcoming_seed(*, centres, subjects, workers, cohort) -> None:
    for code, subject_code, confirmed, waiting in UPCOMING_PLAN:
        centre, subject = centres.get(code), subjects.get(subject_code)
        if centre is None or subject is None:
            continue
        session = (
            PracticalSession.objects.filter(
                center=centre,
                subject=subject,
                cancelled=False,
                booking_closes_at__gt=cohort.now + timedelta(days=1),
            )
            .order_by("starts_at")
            .first()
        )
        if session is None:
            continue
        for number, index in enumerate(confirmed + waiting):
            worker = workers.get(index)
            if worker is None or Booking.objects.filter(worker=worker, subject=subject).exists():
                continue
            cohort.book(worker, session, number=number, waitlist=index in waiting)


def _demo_workers() -> dict[int, WorkerProfile]:
    phones = {f"+86139{index:08d}": index for index in range(100)}
    return {
        phones[phone]: profile
        for profile in WorkerProfile.objects.filter(user__phone__in=phones).select_related("user")
        if (phone := profile.user.phone) is not None  # always: the query asked for these numbers
    }


def practical_seed(*, stdout, now=None) -> list:
    """Rubrics, centres, staff posts, sessions and candidates (see the module docstring).
    Relative to ``now``: seeding on any day gives a session today at the main centre with the
    demo worker booked into it, as long as they have not been booked on an earlier day."""
    now = now or timezone.now()
    published = now - timedelta(days=10)
    subjects = {subject.code: subject for subject in Subject.objects.filter(code__in=RUBRICS)}
    new_items = _rubrics_seed(subjects)
    centres = _centres_seed(subjects)
    desk, examiner, _second = _staff_seed(centres)
    today, new_sessions = _sessions_seed(
        centres=centres, subjects=subjects, now=now, published=published, actor=None
    )

    cohort = _Cohort(now=now, published=published, rng=random.Random(2026))
    workers = _demo_workers()
    demo_user = _user_by_phone("+8613800000001")
    demo_worker = getattr(demo_user, "worker_profile", None)
    if today is not None:
        plan = [(demo_worker, "confirmed")] if demo_worker else []
        plan += [(workers[index], outcome) for index, outcome in TODAY_PLAN if index in workers]
        _today_seed(session=today, plan=plan, cohort=cohort, desk=desk, examiner=examiner)
    _upcoming_seed(centres=centres, subjects=subjects, workers=workers, cohort=cohort)

    summary = (
        f"Practical exams ready: {len(centres)} centres, "
        f"{RubricItem.objects.count()} rubric items ({new_items} new), "
        f"{PracticalSession.objects.count()} sessions ({new_sessions} new), "
        f"{Booking.objects.count()} bookings ({cohort.booked} new)."
    )
    if today is not None:
        seated = today.bookings.filter(status__in=Booking.SEAT_HOLDING)
        summary += (
            f" Today {timezone.localtime(today.starts_at):%H:%M} at {today.center.name}: "
            f"{seated.count()} candidates, "
            f"{seated.exclude(checked_in_at=None).count()} checked in."
        )
        if demo_worker and not today.bookings.filter(worker=demo_worker).exists():
            summary += (
                " The demo worker 13800000001 is not booked today (their booking dates from an "
                "earlier day's seed): recreate the database for a fresh check-in demo."
            )
    stdout.write(summary)
    phone, _name = SECOND_EXAMINER
    return [(_("Second examiner"), phone[3:], DEMO_PASSWORD)]
