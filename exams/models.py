"""Exams: subjects and their policy, the question bank, blueprints, theory attempts and answers;
practical exams at centres: sessions, bookings (with a waitlist), check-in, rubric scoring and
results.

An attempt keeps a snapshot of its paper (questions, shuffled choices, key, points), so editing
the bank never changes an attempt already taken. The key never leaves the server before the
attempt is submitted.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import WorkerProfile
from core.models import BaseModel


class Subject(BaseModel):
    """An exam subject (an operation category such as 低压电工作业) and its policy."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    pass_mark = models.PositiveSmallIntegerField(_("pass mark"), default=80)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=120)
    theory_valid_days = models.PositiveSmallIntegerField(_("theory pass valid (days)"), default=365)
    free_retake_days = models.PositiveSmallIntegerField(_("free retake within (days)"), default=30)
    fails_before_retraining = models.PositiveSmallIntegerField(
        _("fails before retraining"), default=2
    )
    certificate_valid_years = models.PositiveSmallIntegerField(
        _("certificate valid (years)"), default=6
    )
    review_interval_years = models.PositiveSmallIntegerField(_("review every (years)"), default=3)
    practical_pass_mark = models.PositiveSmallIntegerField(_("practical pass mark"), default=80)
    practical_examiners = models.PositiveSmallIntegerField(
        _("examiners per practical candidate"),
        default=1,
        help_text=_("With 2, both examiners score and the result waits for the second."),
    )
    examiner_margin = models.PositiveSmallIntegerField(
        _("largest allowed difference between examiners (points)"), default=10
    )
    required_courses = models.ManyToManyField(
        "training.CoursePage",
        verbose_name=_("required training"),
        blank=True,
        related_name="exam_subjects",
    )
    active = models.BooleanField(_("open for exams"), default=True)

    class Meta:
        verbose_name = _("exam subject")
        verbose_name_plural = _("exam subjects")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pass_mark__lte=100), name="subject_pass_mark_max_100"
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1), name="subject_duration_positive"
            ),
            models.CheckConstraint(
                condition=Q(practical_pass_mark__lte=100),
                name="subject_practical_pass_mark_max_100",
            ),
            models.CheckConstraint(
                condition=Q(practical_examiners__in=[1, 2]), name="subject_examiners_1_or_2"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class QuestionCategory(models.Model):
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("name"), max_length=60)

    class Meta:
        verbose_name = _("question category")
        verbose_name_plural = _("question categories")
        ordering = ["subject", "name"]
        constraints = [
            models.UniqueConstraint(fields=["subject", "name"], name="question_category_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Question(BaseModel):
    class Kind(models.TextChoices):
        TRUE_FALSE = "tf", _("true/false")
        SINGLE = "single", _("single choice")
        MULTIPLE = "multiple", _("multiple choice")

    subject = models.ForeignKey(
        Subject, verbose_name=_("subject"), on_delete=models.CASCADE, related_name="questions"
    )
    category = models.ForeignKey(
        QuestionCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="questions",
    )
    kind = models.CharField(_("type"), max_length=8, choices=Kind.choices)
    stem = models.TextField(_("question"))
    choices = models.JSONField(_("choices"), default=list, help_text=_("A list of choice texts."))
    correct = models.JSONField(_("correct choices"), default=list, help_text=_("0-based indexes."))
    explanation = models.TextField(_("explanation"), blank=True)
    difficulty = models.PositiveSmallIntegerField(_("difficulty"), default=2, help_text="1–3")
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        indexes = [models.Index(fields=["subject", "kind", "category", "active"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(difficulty__gte=1, difficulty__lte=3), name="question_difficulty_1_3"
            ),
        ]

    def __str__(self) -> str:
        return self.stem[:40]


class BlueprintRule(models.Model):
    """How many questions of a type (and optionally a category) a paper draws, and their points."""

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="blueprint")
    kind = models.CharField(_("type"), max_length=8, choices=Question.Kind.choices)
    category = models.ForeignKey(
        QuestionCategory,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    count = models.PositiveSmallIntegerField(_("questions"))
    points_each = models.PositiveSmallIntegerField(_("points each"))

    class Meta:
        verbose_name = _("blueprint rule")
        verbose_name_plural = _("blueprint rules")
        ordering = ["subject", "kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(count__gte=1, points_each__gte=1), name="blueprint_rule_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject}: {self.count} × {self.get_kind_display()} × {self.points_each}"


class TheoryAttempt(BaseModel):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("in progress")
        SUBMITTED = "submitted", _("submitted")

    worker = models.ForeignKey(
        WorkerProfile,
        verbose_name=_("worker"),
        on_delete=models.PROTECT,
        related_name="theory_attempts",
    )
    subject = models.ForeignKey(
        Subject, verbose_name=_("subject"), on_delete=models.PROTECT, related_name="attempts"
    )
    number = models.PositiveSmallIntegerField(_("attempt number"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.IN_PROGRESS
    )
    started_at = models.DateTimeField(_("started at"))
    deadline = models.DateTimeField(_("deadline"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    auto_submitted = models.BooleanField(_("submitted at the deadline"), default=False)
    paper = models.JSONField(_("paper"), default=list)  # snapshot: see services.paper_draw
    pass_mark = models.PositiveSmallIntegerField(_("pass mark"))
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    breakdown = models.JSONField(_("breakdown by category"), default=dict, blank=True)

    class Meta:
        verbose_name = _("theory attempt")
        verbose_name_plural = _("theory attempts")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "subject"],
                condition=Q(status="in_progress"),
                name="one_active_attempt_per_worker_subject",
            ),
            models.UniqueConstraint(
                fields=["worker", "subject", "number"], name="attempt_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(status="in_progress")
                | Q(submitted_at__isnull=False, score__isnull=False),
                name="submitted_attempt_is_graded",
            ),
        ]
        indexes = [models.Index(fields=["status", "deadline"]), models.Index(fields=["updated_at"])]

    def __str__(self) -> str:
        return f"{self.worker} · {self.subject} #{self.number}"


class AttemptAnswer(models.Model):
    """The latest saved answer to one question of an attempt; ``seq`` orders the saves."""

    attempt = models.ForeignKey(TheoryAttempt, on_delete=models.CASCADE, related_name="answers")
    position = models.PositiveSmallIntegerField()
    selected = models.JSONField(default=list)
    seq = models.PositiveIntegerField(default=0)
    saved_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="attempt_answer_once"),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}:{self.position} = {self.selected}"


class PracticeAnswer(models.Model):
    """Practice mode (模拟练习): every answer a worker gives, for the wrong-answer notebook."""

    worker = models.ForeignKey(
        WorkerProfile, on_delete=models.CASCADE, related_name="practice_answers"
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="practice_answers"
    )
    correct = models.BooleanField()
    answered_at = models.DateTimeField(auto_now_add=True)
    mastered = models.BooleanField(default=False)  # answered right later: leaves the notebook

    class Meta:
        indexes = [models.Index(fields=["worker", "correct", "mastered"])]

    def __str__(self) -> str:
        return f"{self.worker_id}:{self.question_id} {'✓' if self.correct else '✗'}"


# --- Practical exams ----------------------------------------------------------------------------


class ExamCenter(BaseModel):
    """An examination centre (考点): where practical exams are held and certificates collected."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    district = models.ForeignKey(
        "accounts.District",
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="exam_centers",
    )
    address = models.CharField(_("address"), max_length=200)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    subjects = models.ManyToManyField(
        Subject, verbose_name=_("subjects offered"), related_name="centers", blank=True
    )
    stations = models.PositiveSmallIntegerField(_("stations"), default=4)
    active = models.BooleanField(_("open"), default=True)

    class Meta:
        verbose_name = _("exam centre")
        verbose_name_plural = _("exam centres")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class CenterStaff(models.Model):
    """A user working at a centre: desk staff, an examiner, and whether they supervise it.

    The user's role (centre staff or examiner) is a ``RoleAssignment``; this row scopes it.
    """

    center = models.ForeignKey(ExamCenter, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="center_posts"
    )
    supervisor = models.BooleanField(_("supervisor"), default=False)

    class Meta:
        verbose_name = _("centre staff member")
        verbose_name_plural = _("centre staff")
        constraints = [
            models.UniqueConstraint(fields=["center", "user"], name="center_staff_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.center}"


class PracticalSession(BaseModel):
    """A practical-exam session (场次) with a fixed number of seats.

    ``seats_taken`` counts confirmed, offered and checked-in bookings; it is changed only under a
    lock on this row (``bookings.session_lock``), and the database refuses more than ``capacity``.
    ``held_back`` seats are for urgent cases booked by centre staff.
    """

    subject = models.ForeignKey(
        Subject, verbose_name=_("subject"), on_delete=models.PROTECT, related_name="sessions"
    )
    center = models.ForeignKey(
        ExamCenter, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="sessions"
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    capacity = models.PositiveSmallIntegerField(_("seats"))
    held_back = models.PositiveSmallIntegerField(_("seats held for urgent cases"), default=0)
    seats_taken = models.PositiveSmallIntegerField(_("seats taken"), default=0)
    booking_opens_at = models.DateTimeField(_("booking opens"))
    booking_closes_at = models.DateTimeField(_("booking closes"))
    cancel_cutoff_hours = models.PositiveSmallIntegerField(
        _("cancel or reschedule until (hours before)"), default=48
    )
    cancelled = models.BooleanField(_("cancelled"), default=False)
    reminders_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)  # no-shows recorded

    class Meta:
        verbose_name = _("practical session")
        verbose_name_plural = _("practical sessions")
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["starts_at"]),
            models.Index(fields=["ends_at"]),
            models.Index(fields=["updated_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="session_capacity_positive"),
            models.CheckConstraint(
                condition=Q(held_back__lte=models.F("capacity")), name="session_held_within"
            ),
            models.CheckConstraint(
                condition=Q(seats_taken__lte=models.F("capacity")), name="session_not_overbooked"
            ),
            models.CheckConstraint(
                condition=Q(booking_closes_at__gt=models.F("booking_opens_at"))
                & Q(booking_closes_at__lte=models.F("starts_at")),
                name="session_booking_window",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} · {self.center} · {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def public_seats_left(self) -> int:
        return max(0, self.capacity - self.held_back - self.seats_taken)


class Booking(BaseModel):
    """A worker's place in a session: confirmed, waiting, or offered a freed seat, then checked
    in and scored (or a no-show). One live booking per worker and subject."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("confirmed")
        WAITLISTED = "waitlisted", _("on the waiting list")
        OFFERED = "offered", _("seat offered")
        CHECKED_IN = "checked_in", _("checked in")
        SCORES_DIFFER = "scores_differ", _("examiners' scores differ")
        COMPLETED = "completed", _("scored")
        CANCELLED = "cancelled", _("cancelled")
        LAPSED = "lapsed", _("offer lapsed")
        NO_SHOW = "no_show", _("did not attend")

    LIVE = ["confirmed", "waitlisted", "offered", "checked_in", "scores_differ"]

    worker = models.ForeignKey(
        WorkerProfile, verbose_name=_("worker"), on_delete=models.PROTECT, related_name="bookings"
    )
    session = models.ForeignKey(
        PracticalSession,
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+")
    theory_attempt = models.ForeignKey(
        TheoryAttempt,
        verbose_name=_("theory pass"),
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    urgent = models.BooleanField(_("booked by the centre (urgent)"), default=False)
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("offer open until"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)  # cancelled, lapsed or no-show
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["session", "pk"]
        indexes = [
            models.Index(fields=["session", "status"]),
            models.Index(fields=["status", "offer_expires_at"]),
            models.Index(fields=["updated_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "subject"],
                condition=Q(
                    status__in=["confirmed", "waitlisted", "offered", "checked_in", "scores_differ"]
                ),
                name="one_live_booking_per_worker_subject",
            ),
            models.CheckConstraint(
                condition=~Q(status="offered") | Q(offer_expires_at__isnull=False),
                name="offer_has_expiry",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["checked_in", "scores_differ", "completed"])
                | Q(checked_in_at__isnull=False),
                name="checked_in_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.worker} · {self.session}"


class RubricItem(models.Model):
    """One scored item of a subject's practical exam. A critical item failed fails the exam."""

    class Part(models.TextChoices):
        SAFETY_TOOLS = "tools", _("safety tools and equipment")
        SAFE_OPERATION = "operation", _("safe operation")
        HAZARDS = "hazards", _("hazard identification on site")
        EMERGENCY = "emergency", _("emergency response")

    subject = models.ForeignKey(
        Subject, verbose_name=_("subject"), on_delete=models.CASCADE, related_name="rubric"
    )
    part = models.CharField(_("part"), max_length=12, choices=Part.choices)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("item"), max_length=200)
    max_points = models.PositiveSmallIntegerField(_("maximum points"))
    critical = models.BooleanField(
        _("critical (fails outright)"),
        default=False,
        help_text=_("Failing this item fails the exam whatever the total (一票否决)."),
    )

    class Meta:
        verbose_name = _("rubric item")
        verbose_name_plural = _("rubric items")
        ordering = ["subject", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_points__gte=1, max_points__lte=100), name="rubric_points_1_100"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PracticalScore(BaseModel):
    """One examiner's scoring of one checked-in candidate, locked when submitted.

    ``items`` is a snapshot: the rubric item ids, titles, maxima and the points given, so a later
    rubric edit changes no score. ``critical_failed`` lists the critical items failed.
    """

    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="scores")
    examiner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="practical_scores"
    )
    items = models.JSONField(default=list)
    critical_failed = models.JSONField(default=list)
    total = models.PositiveSmallIntegerField(_("total"))
    submitted_at = models.DateTimeField(_("submitted"))

    class Meta:
        verbose_name = _("practical score")
        verbose_name_plural = _("practical scores")
        constraints = [
            models.UniqueConstraint(fields=["booking", "examiner"], name="score_once_per_examiner"),
            models.CheckConstraint(condition=Q(total__lte=100), name="score_total_max_100"),
        ]

    def __str__(self) -> str:
        return f"{self.booking} · {self.total}"


class ExamResult(BaseModel):
    """The outcome of a practical exam combined with the theory pass it was booked on."""

    booking = models.OneToOneField(Booking, on_delete=models.PROTECT, related_name="result")
    worker = models.ForeignKey(
        WorkerProfile, verbose_name=_("worker"), on_delete=models.PROTECT, related_name="results"
    )
    subject = models.ForeignKey(
        Subject, verbose_name=_("subject"), on_delete=models.PROTECT, related_name="results"
    )
    theory_score = models.PositiveSmallIntegerField(_("theory score"))
    practical_score = models.PositiveSmallIntegerField(_("practical score"))
    critical_failed = models.BooleanField(_("critical item failed"), default=False)
    passed = models.BooleanField(_("passed"))
    decided_at = models.DateTimeField(_("decided"))
    corrected = models.BooleanField(_("corrected by a supervisor"), default=False)

    class Meta:
        verbose_name = _("exam result")
        verbose_name_plural = _("exam results")
        ordering = ["-decided_at"]
        indexes = [
            models.Index(fields=["worker", "subject", "decided_at"]),
            models.Index(fields=["updated_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.worker} · {self.subject} · {self.practical_score}"
