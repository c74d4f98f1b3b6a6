"""Each worker's path through the campaign, planned in one pass over the workers: enrolment,
training, the theory exam (with a retake after a fail), practical bookings (cancelled,
no-show, failed and retaken, or passed), results and certificates.

Every step is timed after the one before it (``Clock.after``), so a worker's history is in
order: enrolled ≤ trained ≤ theory ≤ booking ≤ result ≤ certificate. The rules are the
subjects' own policy (DESIGN.md §2): the required courses before the theory exam, the free
retake within ``free_retake_days``, retraining after ``fails_before_retraining`` fails, a
theory pass valid ``theory_valid_days`` on the session's date, one live booking at a time.

Sessions are made after the bookings, from where and when candidates wanted to sit: each
centre, subject and day gets as many sessions as its candidates fill, with a few seats to
spare, and ``seats_taken`` is the count of the seat-holding bookings in it.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from django.apps import apps

from .clock import DAY, HOUR, Clock
from .people import WorkerPlan
from .reference import BREAKDOWN_VARIANTS, CentreRef, Reference, SubjectRef

# The funnel, as shares of all workers: enrolled 85 %, trained 65 %, sat the theory exam 45 %;
# of those who passed it, three in four book a practical exam (about 30 % of all workers).
ENROLLED, TRAINED, SAT_THEORY = 0.85, 0.65, 0.45
BOOKS_AFTER_THEORY_PASS = 0.75
# Enrolled workers who are not (yet) heading for an exam but started a subject's course anyway.
SUBJECT_COURSE_WITHOUT_EXAM = 0.35
THEORY_FAILS, THEORY_RETAKE_FAILS, THEORY_RETAKES = 0.20, 0.25, 0.6
AUTO_SUBMITTED = 0.02  # ran out of time
# Practical exams: of past bookings, cancelled, not attended, failed (of those scored).
CANCELS, MISSES, PRACTICAL_FAILS = 0.05, 0.04, 0.12
CRITICAL_OF_FAILS = 1 / 3  # 一票否决: a critical item failed, whatever the total
REBOOKS_AFTER_CANCEL, RETAKES_PRACTICAL = 0.7, 0.6
MOST_BOOKINGS = 4

# Mean delays between steps.
ENROL_AFTER_SIGNUP, NEXT_COURSE_AFTER = 2 * DAY, 1 * DAY
COURSE_TAKES = 4 * DAY
THEORY_AFTER_TRAINING, THEORY_RETAKE_AFTER = 3 * DAY, 6 * DAY
SESSION_DAYS_AHEAD = 8  # mean days between being ready and the practical exam

# Which subjects workers sit, relative; an industry leans towards its trades. Subjects only
# for firms that use hazardous chemicals (their heads' certificate) are sat by few.
SUBJECT_WEIGHTS = {"low-voltage-electrician": 4, "welding-cutting": 4, "work-at-height": 3}
OTHER_SUBJECT_WEIGHT = 2
HAZARDOUS_CHEMICALS_SUBJECT_WEIGHT = 1
INDUSTRY_LEANINGS: dict[str, dict[str, float]] = {
    "E": {"work-at-height": 3},
    "D": {"low-voltage-electrician": 3},
    "C": {"welding-cutting": 1.5},
}
SAME_DISTRICT_CENTRE = 3  # a centre in the worker's district is preferred this much

# Sessions: booking opens three weeks ahead and closes a day ahead (session_create's default),
# cancelling is possible until two days ahead; they are published up to two weeks ahead.
BOOKING_OPENS, BOOKING_CLOSES, CANCEL_CUTOFF_HOURS = 21 * DAY, 24 * HOUR, 48
FUTURE_DAYS = 14
SEATS_PER_SESSION = 36
SMALLEST_SESSION = 8
HELD_BACK, HOLDS_BACK = 2, 0.3  # seats held for urgent cases, in three sessions out of ten
EMPTY_FUTURE_SESSION = 0.3  # chance of a published, not yet booked session on an open day
SLOTS = (  # parallel sessions in a busy day take the next slot, then rooms side by side
    (time(8, 30), time(11, 30)),
    (time(13, 30), time(16, 30)),
    (time(9), time(12)),
    (time(14), time(17)),
    (time(18, 30), time(21, 30)),
)
REMINDER_AHEAD = 24 * HOUR  # ANXUN_BOOKING_REMINDER_HOURS
SWEEP_EVERY = 300.0  # the beat sweep that closes sessions and sends reminders

# The booking statuses the plan gives (exams.Booking.Status values).
STATUSES = {"confirmed", "completed", "no_show", "cancelled"}


@dataclass(slots=True, eq=False)
class Attempt:
    worker: WorkerPlan
    subject: SubjectRef
    number: int
    started: float
    submitted: float
    score: int
    passed: bool
    auto_submitted: bool
    breakdown: str
    id: int = 0


@dataclass(slots=True, eq=False)
class Session:
    subject: SubjectRef
    centre: CentreRef
    starts: float
    ends: float
    capacity: int
    held_back: int
    seats_taken: int
    closed: float | None  # when the sweep recorded its no-shows, once it had ended
    id: int = 0

    @property
    def opens(self) -> float:
        return self.starts - BOOKING_OPENS

    @property
    def closes(self) -> float:
        return self.starts - BOOKING_CLOSES


@dataclass(slots=True, eq=False)
class Booking:
    worker: WorkerPlan
    attempt: Attempt
    centre: CentreRef
    day: date
    ready: float  # the earliest the worker could book it
    status: str
    practical: int = 0
    critical_failed: bool = False
    passed: bool = False
    session: Session | None = None
    created: float = 0.0
    checked_in: float | None = None
    ended: float | None = None
    decided: float | None = None
    reminded: float | None = None
    id: int = 0
    result_id: int = 0


@dataclass
class Activity:
    enrollments: list[tuple] = field(default_factory=list)  # (enrolled, worker, course, done)
    records: list[tuple] = field(default_factory=list)  # (completed, worker, course, hours)
    attempts: list[Attempt] = field(default_factory=list)
    bookings: list[Booking] = field(default_factory=list)
    sessions: list[Session] = field(default_factory=list)


class _Picker:
    """Weighted choices that depend on a few keys, with their cumulative weights cached."""

    def __init__(self, rng, reference: Reference):
        self.rng, self.reference = rng, reference
        self._subjects: dict[tuple[str, bool], tuple] = {}
        self._centres: dict[tuple[int, int], tuple] = {}

    def subject(self, worker: WorkerPlan) -> SubjectRef | None:
        employer = worker.employer
        key = (employer.industry_code, employer.hazardous_chemicals)
        if key not in self._subjects:
            leanings = INDUSTRY_LEANINGS.get(employer.industry_code, {})
            subjects, cumulative, total = [], [], 0.0
            for subject in self.reference.subjects:
                weight: float
                if subject.hazardous_chemicals_only:
                    weight = HAZARDOUS_CHEMICALS_SUBJECT_WEIGHT * employer.hazardous_chemicals
                else:
                    weight = SUBJECT_WEIGHTS.get(subject.code, OTHER_SUBJECT_WEIGHT)
                weight *= leanings.get(subject.code, 1)
                if weight > 0:
                    total += weight
                    subjects.append(subject)
                    cumulative.append(total)
            self._subjects[key] = (subjects, cumulative)
        subjects, cumulative = self._subjects[key]
        return self.rng.choices(subjects, cum_weights=cumulative)[0] if subjects else None

    def centre(self, subject: SubjectRef, district: int) -> CentreRef:
        key = (subject.id, district)
        if key not in self._centres:
            centres = [self.reference.centres[pk] for pk in subject.centre_ids]
            weights = [
                centre.stations * (SAME_DISTRICT_CENTRE if centre.district_id == district else 1)
                for centre in centres
            ]
            self._centres[key] = (centres, weights)
        centres, weights = self._centres[key]
        return self.rng.choices(centres, weights)[0]


def activity_plan(rng, *, workers: list[WorkerPlan], reference: Reference, clock: Clock):
    """Plan every worker's history; sessions included, ids not yet given."""
    unknown = STATUSES - set(apps.get_model("exams", "Booking").Status.values)
    if unknown:
        raise RuntimeError(f"exams.Booking has no status {', '.join(sorted(unknown))}")
    activity = Activity()
    picker = _Picker(rng, reference)
    for worker in workers:
        share = rng.random()  # one draw places the worker in the funnel: the stages nest
        if share >= ENROLLED:
            continue
        heading_for_exam = share < SAT_THEORY
        subject = (
            picker.subject(worker)
            if heading_for_exam or rng.random() < SUBJECT_COURSE_WITHOUT_EXAM
            else None
        )
        if subject is not None:
            courses = subject.course_ids
        elif worker.employer.hazardous_chemicals:
            courses = reference.hazardous_chemicals_track
        else:
            courses = reference.general_track
        trained_at = _training(
            rng,
            activity,
            worker,
            courses,
            reference=reference,
            clock=clock,
            trains=share < TRAINED,
            finishes_all=heading_for_exam,
        )
        if heading_for_exam and subject is not None and trained_at is not None:
            theory = _theory(rng, activity, worker, subject, after=trained_at, clock=clock)
            if theory is not None and rng.random() < BOOKS_AFTER_THEORY_PASS:
                _practical(rng, activity, worker, theory, picker=picker, clock=clock)
    activity.sessions = _sessions(
        rng,
        activity.bookings,
        seat_holding={str(status) for status in apps.get_model("exams", "Booking").SEAT_HOLDING},
        reference=reference,
        clock=clock,
    )
    _booking_times(rng, activity.bookings, clock=clock)
    return activity


def _training(rng, activity, worker, courses, *, reference, clock, trains, finishes_all):
    """Enrol in the courses one after another; complete the first (or all of them, for a
    worker heading for the exam). Returns when the last course was completed, if all were."""
    moment, finished, completed_all = worker.created, worker.created, True
    for position, course_id in enumerate(courses):
        enrolled = clock.after(moment, NEXT_COURSE_AFTER if position else ENROL_AFTER_SIGNUP)
        if enrolled is None:
            return None
        moment = enrolled
        done = None
        if trains and (finishes_all or position == 0):
            done = clock.after(enrolled, COURSE_TAKES)
        activity.enrollments.append((enrolled, worker.profile_id, course_id, done))
        if done is None:
            completed_all = False
            worker.last_seen = max(worker.last_seen, enrolled)
            continue
        activity.records.append(
            (done, worker.profile_id, course_id, reference.courses[course_id].hours)
        )
        finished = max(finished, done)
        worker.last_seen = max(worker.last_seen, done)
    return finished if completed_all else None


def _theory(rng, activity, worker, subject: SubjectRef, *, after: float, clock: Clock):
    """Sit the theory exam, and once more within the free-retake window after a fail.
    Returns the passing attempt, or None."""
    duration = subject.duration_minutes * 60
    latest = clock.horizon - duration  # submitted, at the latest at the deadline, by now
    started = clock.after(after, THEORY_AFTER_TRAINING, latest)
    number = 1
    while started is not None:
        fails = rng.random() < (THEORY_FAILS if number == 1 else THEORY_RETAKE_FAILS)
        aimed = (
            _even(rng.gauss(subject.pass_mark - 12, 8), 20, subject.pass_mark - 1)
            if fails
            else _even(rng.gauss(88, 6), subject.pass_mark, 100)
        )
        score, breakdown = subject.breakdown(
            aimed, rng.randrange(len(subject.shapes) * BREAKDOWN_VARIANTS)
        )
        auto = rng.random() < AUTO_SUBMITTED
        submitted = started + (duration if auto else duration * rng.uniform(0.35, 0.95))
        attempt = Attempt(
            worker=worker,
            subject=subject,
            number=number,
            started=started,
            submitted=submitted,
            score=score,
            passed=score >= subject.pass_mark,
            auto_submitted=auto,
            breakdown=breakdown,
        )
        activity.attempts.append(attempt)
        worker.last_seen = max(worker.last_seen, submitted)
        if attempt.passed:
            return attempt
        if number >= subject.fails_before_retraining or rng.random() >= THEORY_RETAKES:
            return None
        window = submitted + subject.free_retake_days * DAY
        started = clock.after(submitted, THEORY_RETAKE_AFTER, min(window, latest))
        number += 1
    return None


def _even(value: float, lowest: int, highest: int) -> int:
    """``value`` as an even number of points within [lowest, highest] (papers score in 2s)."""
    return max(lowest + lowest % 2, min(highest - highest % 2, 2 * round(value / 2)))


def _practical(rng, activity, worker, theory: Attempt, *, picker: _Picker, clock: Clock):
    """Book practical exams until one is passed, the worker gives up, or a booking is still to
    come. Each booking is on a later day than the one before, so only the last can be live."""
    subject = theory.subject
    ready = theory.submitted
    latest = min(
        clock.today + timedelta(days=FUTURE_DAYS),
        clock.local_date(theory.submitted + subject.theory_valid_days * DAY),
    )
    fails = 0
    for _ in range(MOST_BOOKINGS):
        if ready >= clock.horizon:
            return
        earliest = clock.local_date(ready) + timedelta(days=2)
        day = _session_day(rng, earliest, latest, clock=clock)
        if day is None:
            return
        if day > clock.today:
            status = "confirmed"
        else:
            draw = rng.random()
            if draw < CANCELS and day > earliest:  # cancelled in time: two days ahead
                status = "cancelled"
            elif draw < CANCELS + MISSES:
                status = "no_show"
            else:
                status = "completed"
        booking = Booking(
            worker=worker,
            attempt=theory,
            centre=picker.centre(subject, worker.district),
            day=day,
            ready=ready,
            status=status,
        )
        activity.bookings.append(booking)
        if status == "confirmed":
            return
        ready = clock.end_of(day)
        if status == "cancelled":
            if rng.random() >= REBOOKS_AFTER_CANCEL:
                return
            continue
        if status == "completed":
            pass_mark = subject.practical_pass_mark
            if rng.random() >= PRACTICAL_FAILS:
                booking.practical = max(pass_mark, min(100, round(rng.gauss(90, 5))))
                booking.passed = True
                return
            booking.critical_failed = rng.random() < CRITICAL_OF_FAILS
            booking.practical = (
                rng.randint(min(60, pass_mark), 95)
                if booking.critical_failed
                else rng.randint(max(0, pass_mark - 25), max(0, pass_mark - 1))
            )
            # With a pass mark of 0 even a fail without a critical item would be a pass.
            booking.passed = booking.practical >= pass_mark and not booking.critical_failed
            if booking.passed:
                return
        fails += 1  # a no-show counts as a fail (exams.practical.selectors.practical_fails)
        if fails >= subject.fails_before_retraining or rng.random() >= RETAKES_PRACTICAL:
            return
        latest = min(latest, day + timedelta(days=subject.free_retake_days))


def _session_day(rng, earliest: date, latest: date, *, clock: Clock) -> date | None:
    """A day from ``earliest`` on, a week or so later on average; never today (sessions of
    today would be half over) and not a Sunday when a day beside it will do."""
    if earliest > latest:
        return None
    wanted = earliest + timedelta(
        days=min(int(rng.expovariate(1 / SESSION_DAYS_AHEAD)), (latest - earliest).days)
    )
    for day in (wanted, wanted + timedelta(days=1), wanted - timedelta(days=1)):
        if earliest <= day <= latest and day != clock.today and day.weekday() != 6:
            return day
    return wanted if wanted != clock.today else None


def _sessions(rng, bookings: list[Booking], *, seat_holding, reference: Reference, clock: Clock):
    """Sessions for the bookings, by centre, subject and day, plus some published future
    sessions nobody has booked yet; in order of their start."""
    demand: dict[tuple[int, int, date], list[Booking]] = defaultdict(list)
    for booking in bookings:
        demand[(booking.centre.id, booking.attempt.subject.id, booking.day)].append(booking)
    subjects = {subject.id: subject for subject in reference.subjects}
    for subject in reference.subjects:
        for centre_id in subject.centre_ids:
            for ahead in range(1, FUTURE_DAYS + 1):
                day = clock.today + timedelta(days=ahead)
                key = (centre_id, subject.id, day)
                if day.weekday() != 6 and key not in demand and rng.random() < EMPTY_FUTURE_SESSION:
                    demand[key] = []

    sessions = []
    for (centre_id, subject_id, day), group in demand.items():
        rng.shuffle(group)
        count = max(1, math.ceil(len(group) / SEATS_PER_SESSION))
        for index in range(count):
            members = group[index::count]
            starts_at, ends_at = SLOTS[index % len(SLOTS)]
            held_back = HELD_BACK if rng.random() < HOLDS_BACK else 0
            seats_taken = sum(booking.status in seat_holding for booking in members)
            if day < clock.today:  # past sessions filled up to about what was booked
                spare = round(seats_taken * rng.uniform(0, 0.3))
            else:  # future ones are still filling
                spare = round(max(seats_taken, SMALLEST_SESSION) * rng.uniform(0.2, 0.8))
            session = Session(
                subject=subjects[subject_id],
                centre=reference.centres[centre_id],
                starts=clock.at(day, starts_at),
                ends=clock.at(day, ends_at),
                capacity=max(SMALLEST_SESSION, seats_taken + held_back + spare),
                held_back=held_back,
                seats_taken=seats_taken,
                closed=None,
            )
            if session.ends < clock.now:
                session.closed = session.ends + SWEEP_EVERY * rng.random()
            sessions.append(session)
            for booking in members:
                booking.session = session
    sessions.sort(key=lambda session: (session.starts, session.centre.id, session.subject.id))
    return sessions


def _booking_times(rng, bookings: list[Booking], *, clock: Clock) -> None:
    """When each booking was made (while booking was open, after the worker was ready) and
    what happened on the day: check-in and the result, or the no-show, or the cancellation."""
    cutoff = CANCEL_CUTOFF_HOURS * HOUR
    for booking in bookings:
        session = booking.session
        assert session is not None  # _sessions has put every booking in one
        earliest = max(booking.ready, session.opens)
        if booking.status == "cancelled":
            latest = session.starts - cutoff - HOUR
        else:
            latest = min(session.closes, clock.horizon)
        booking.created = earliest + (max(latest, earliest) - earliest) * rng.random()
        worker = booking.worker
        if booking.status == "cancelled":
            booking.ended = booking.created + (session.starts - cutoff - booking.created) * (
                rng.random()
            )
            worker.last_seen = max(worker.last_seen, booking.ended)
            continue
        reminder = session.starts - REMINDER_AHEAD + SWEEP_EVERY * rng.random()
        if booking.created <= reminder <= clock.now:
            booking.reminded = reminder
        if booking.status == "completed":
            booking.checked_in = session.starts + 60 * rng.uniform(-40, 15)
            booking.decided = session.starts + 60 * rng.uniform(40, 175)
            worker.last_seen = max(worker.last_seen, booking.decided)
        elif booking.status == "no_show":
            booking.ended = session.closed  # the sweep that closed the session recorded it
        else:
            worker.last_seen = max(worker.last_seen, booking.created)
