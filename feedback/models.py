"""Service ratings and the bad-review closed loop (差评闭环): a worker rates a service they
used; a low rating or a complaint opens a case with a callback deadline (1 working day) and a
rectification deadline (15 working days), tracked to the end and escalated when late."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import District, WorkerProfile
from certificates.models import Certificate
from core.models import BaseModel
from exams.models import Booking, ExamCenter
from training.models import CoursePage, TrainingRecord


class Service(models.TextChoices):
    """The services a worker is asked to rate, each after one event of their own."""

    PRACTICAL_EXAM = "practical_exam", _("practical exam (session and check-in)")
    CERTIFICATE_DESK = "certificate_desk", _("certificate collection desk")
    COURSE = "course", _("online course")


class Rating(BaseModel):
    """One rating of one service event (a practical exam taken, a certificate collected, a
    course completed): once per event, by the worker it happened to."""

    worker = models.ForeignKey(
        WorkerProfile, verbose_name=_("worker"), on_delete=models.CASCADE, related_name="ratings"
    )
    service = models.CharField(_("service"), max_length=20, choices=Service.choices)
    booking = models.OneToOneField(
        Booking, null=True, blank=True, on_delete=models.CASCADE, related_name="rating"
    )
    certificate = models.OneToOneField(
        Certificate, null=True, blank=True, on_delete=models.CASCADE, related_name="rating"
    )
    training_record = models.OneToOneField(
        TrainingRecord, null=True, blank=True, on_delete=models.CASCADE, related_name="rating"
    )
    center = models.ForeignKey(
        ExamCenter,
        verbose_name=_("exam centre"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ratings",
    )
    course = models.ForeignKey(
        CoursePage,
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ratings",
    )
    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.PROTECT, related_name="+"
    )
    stars = models.PositiveSmallIntegerField(_("stars"))
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    comment = models.TextField(_("comment"), max_length=500, blank=True)
    complaint = models.BooleanField(_("a complaint"), default=False)

    class Meta:
        verbose_name = _("service rating")
        verbose_name_plural = _("service ratings")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["center", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(stars__gte=1, stars__lte=5), name="rating_stars_1_to_5"
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        service=Service.PRACTICAL_EXAM,
                        booking__isnull=False,
                        certificate__isnull=True,
                        training_record__isnull=True,
                        center__isnull=False,
                    )
                    | Q(
                        service=Service.CERTIFICATE_DESK,
                        booking__isnull=True,
                        certificate__isnull=False,
                        training_record__isnull=True,
                        center__isnull=False,
                    )
                    | Q(
                        service=Service.COURSE,
                        booking__isnull=True,
                        certificate__isnull=True,
                        training_record__isnull=False,
                        course__isnull=False,
                    )
                ),
                name="rating_names_its_event",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_service_display()} · {self.stars}★"

    @property
    def low(self) -> bool:
        return self.stars <= 2


class Case(BaseModel):
    """A bad review followed to the end: called back, rectified, closed with the feedback the
    worker receives, then confirmed or disputed by the worker (once)."""

    class State(models.TextChoices):
        OPEN = "open", _("waiting for a callback")
        CALLED_BACK = "called_back", _("called back")
        RECTIFYING = "rectifying", _("being rectified")
        CLOSED = "closed", _("closed")

    class Answer(models.TextChoices):
        CONFIRMED = "confirmed", _("confirmed by the worker")
        DISPUTED = "disputed", _("disputed by the worker")

    rating = models.OneToOneField(Rating, on_delete=models.CASCADE, related_name="case")
    center = models.ForeignKey(
        ExamCenter,
        verbose_name=_("exam centre"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    course = models.ForeignKey(
        CoursePage,
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.OPEN)
    callback_due = models.DateTimeField(_("callback due"))
    rectification_due = models.DateTimeField(_("rectification feedback due"))
    called_back_at = models.DateTimeField(_("called back at"), null=True, blank=True)
    callback_note = models.TextField(_("what the worker said on the call"), blank=True)
    rectifying_at = models.DateTimeField(_("rectification started"), null=True, blank=True)
    rectification_plan = models.TextField(_("rectification plan"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    feedback = models.TextField(_("feedback to the worker"), blank=True)
    answer = models.CharField(
        _("worker's answer"), max_length=10, choices=Answer.choices, blank=True
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answer_note = models.CharField(_("worker's note"), max_length=300, blank=True)
    # When the supervisor was warned and the district officer told, per deadline (once each).
    callback_warned_at = models.DateTimeField(null=True, blank=True)
    callback_escalated_at = models.DateTimeField(null=True, blank=True)
    rectification_warned_at = models.DateTimeField(null=True, blank=True)
    rectification_escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("complaint case")
        verbose_name_plural = _("complaint cases")
        ordering = ["callback_due", "pk"]
        indexes = [
            models.Index(fields=["state", "callback_due"]),
            models.Index(fields=["state", "rectification_due"]),
            models.Index(fields=["center", "state"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(center__isnull=False) | Q(course__isnull=False),
                name="case_has_an_owner",
            ),
            models.CheckConstraint(
                condition=~Q(state="closed") | ~Q(feedback=""), name="closed_case_has_feedback"
            ),
            models.CheckConstraint(
                condition=Q(answer="") | Q(state="closed"), name="answer_only_when_closed"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_state_display()}"

    @property
    def callback_late(self) -> bool:
        late = self.called_back_at or timezone.now()
        return late > self.callback_due

    @property
    def rectification_late(self) -> bool:
        late = self.closed_at or timezone.now()
        return late > self.rectification_due

    @property
    def callback_on_time(self) -> bool | None:
        if self.called_back_at is None:
            return None
        return self.called_back_at <= self.callback_due

    @property
    def rectified_on_time(self) -> bool | None:
        if self.closed_at is None:
            return None
        return self.closed_at <= self.rectification_due


class Holiday(models.Model):
    """A day off that falls on a weekday (法定节假日), or a weekend day worked instead (调休
    上班): the working-day calendar the case deadlines count in."""

    day = models.DateField(_("day"), unique=True)
    name = models.CharField(_("name"), max_length=40)
    working = models.BooleanField(
        _("a working day"),
        default=False,
        help_text=_("Tick for a weekend day that is worked (调休), leave for a day off."),
    )

    class Meta:
        verbose_name = _("holiday or adjusted working day")
        verbose_name_plural = _("holidays and adjusted working days")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {self.name}"
