"""Practical exams at centres: centres and their staff, sessions, bookings (with a waiting
list), check-in, rubric scoring and results.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import WorkerProfile
from core.models import BaseModel

from .theory import Subject, TheoryAttempt


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
    lock on this row (``exams.locks.sessions_lock``), and the database refuses more than ``capacity``.
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
        return (
            f"{self.subject} · {self.center} · {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"
        )

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

    # The status groups, declared once (services, selectors, tables and the constraints below
    # read them). The order is fixed: the constraints deconstruct from it into the migrations.
    LIVE = (  # one per worker and subject: the worker is booked, waiting or being examined
        Status.CONFIRMED,
        Status.WAITLISTED,
        Status.OFFERED,
        Status.CHECKED_IN,
        Status.SCORES_DIFFER,
    )
    SEAT_HOLDING = (  # counted in ``PracticalSession.seats_taken``
        Status.CONFIRMED,
        Status.OFFERED,
        Status.CHECKED_IN,
        Status.SCORES_DIFFER,
        Status.COMPLETED,
        Status.NO_SHOW,
    )
    ATTENDED = (Status.CHECKED_IN, Status.SCORES_DIFFER, Status.COMPLETED)  # came and was seen
    TICKETED = (  # an admission ticket stands for it: a seat one may still come to, or came to
        Status.CONFIRMED,
        Status.CHECKED_IN,
        Status.SCORES_DIFFER,
        Status.COMPLETED,
    )
    WITHDRAWN = (Status.CANCELLED, Status.LAPSED)  # no longer on the session's roster
    WAITING = (Status.WAITLISTED, Status.OFFERED)  # on the waiting list, or offered a seat
    BOOKED = (  # held a confirmed seat at some point: came, was seen, or did not come
        Status.CONFIRMED,
        Status.CHECKED_IN,
        Status.SCORES_DIFFER,
        Status.COMPLETED,
        Status.NO_SHOW,
    )

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
        # constraints: set below the class Meta, since they read the status groups

    # A nested Meta cannot see the class body's names, so the constraints are set here, from the
    # groups above (as lists: the migrations hold lists, and a tuple would deconstruct apart).
    Meta.constraints = [
        models.UniqueConstraint(
            fields=["worker", "subject"],
            condition=Q(status__in=list(LIVE)),
            name="one_live_booking_per_worker_subject",
        ),
        models.CheckConstraint(
            condition=~Q(status=Status.OFFERED) | Q(offer_expires_at__isnull=False),
            name="offer_has_expiry",
        ),
        models.CheckConstraint(
            condition=~Q(status__in=list(ATTENDED)) | Q(checked_in_at__isnull=False),
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
    items = models.JSONField(
        _("marks per item"),
        default=list,
        blank=True,
        help_text=_(
            "The marks the result was decided on, per rubric item (points, failed, note): the "
            "examiners' agreed marks, or the supervisor's."
        ),
    )

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
