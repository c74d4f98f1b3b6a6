"""Online training: courses and lessons (Wagtail pages), enrolment, honest progress, training
records (学时), campaign targets, enterprise roster imports and progress summaries."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from accounts.models import District, Enterprise, WorkerProfile, private_storage
from cms.blocks import RICH_TEXT_FEATURES
from cms.models import Audience, BasePage, SectionIndexPage
from core.models import BaseModel

# --- Courses and lessons (Wagtail) ----------------------------------------------------------


class CourseIndexPage(SectionIndexPage):
    subpage_types = ["training.CoursePage"]
    template = "training/course_index_page.html"

    class Meta:
        verbose_name = _("course list")

    def listing(self, request) -> dict:
        from .selectors import course_listing

        return course_listing(index_page=self, request=request)


class CoursePage(BasePage):
    """A course: lessons as children; completing all of them credits the active time measured
    on them, up to ``credit_hours`` (学时)."""

    code = models.SlugField(_("course code"), max_length=40, unique=True)
    credit_hours = models.DecimalField(
        _("credited hours"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    audience = models.CharField(
        _("audience"), max_length=16, choices=Audience.choices, default=Audience.WORKERS
    )
    outline = RichTextField(_("outline"), blank=True, features=RICH_TEXT_FEATURES)
    prerequisites = ParentalManyToManyField(
        "self", verbose_name=_("prerequisites"), blank=True, symmetrical=False
    )
    for_hazardous_chemicals = models.BooleanField(
        _("special track for enterprises using hazardous chemicals"), default=False
    )

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("code"), FieldPanel("credit_hours"), FieldPanel("audience")]),
        FieldPanel("for_hazardous_chemicals"),
        FieldPanel("intro"),
        FieldPanel("cover"),
        FieldPanel("outline"),
        FieldPanel("prerequisites"),
        FieldPanel("body"),
    ]
    parent_page_types = ["training.CourseIndexPage"]
    subpage_types = ["training.LessonPage"]
    template = "training/course_page.html"

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def lessons(self):
        return LessonPage.objects.child_of(self).live().order_by("path")

    def get_context(self, request, *args, **kwargs):
        from .selectors import course_progress_for

        context = super().get_context(request, *args, **kwargs)
        context.update(course_progress_for(course=self, user=request.user))
        return context


class LessonPage(BasePage):
    """A lesson: a video and/or text, a minimum active time, and checkpoint questions."""

    video_file = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("video file (MP4)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    video_url = models.URLField(_("or a video link"), blank=True)
    min_seconds = models.PositiveIntegerField(
        _("minimum active time (seconds)"),
        default=600,
        help_text=_("Time the lesson must be open and visible before it can be completed."),
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("video_file"), FieldPanel("video_url")]),
                FieldPanel("min_seconds"),
            ],
            heading=_("Video and time"),
        ),
        FieldPanel("intro"),
        FieldPanel("cover"),
        FieldPanel("body"),
        InlinePanel("checkpoints", label=_("Checkpoint questions")),
    ]
    parent_page_types = ["training.CoursePage"]
    subpage_types: list[str] = []
    template = "training/lesson_page.html"

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def get_context(self, request, *args, **kwargs):
        from .selectors import lesson_state_for
        from .services import heartbeat_seconds

        context = super().get_context(request, *args, **kwargs)
        context.update(lesson_state_for(lesson=self, user=request.user))
        context["heartbeat_interval"] = heartbeat_seconds()
        context["wrong_checkpoints"] = request.session.pop("checkpoint_wrong", [])
        return context


class LessonCheckpoint(Orderable):
    """A single-choice question the learner answers before the lesson counts as done."""

    lesson = ParentalKey(LessonPage, related_name="checkpoints", on_delete=models.CASCADE)
    question = models.CharField(_("question"), max_length=300)
    choices = models.TextField(_("choices"), help_text=_("One choice per line."))
    correct_choice = models.PositiveSmallIntegerField(
        _("number of the correct choice"), help_text=_("1 for the first line.")
    )
    explanation = models.TextField(_("explanation"), blank=True)

    panels = [
        FieldPanel("question"),
        FieldPanel("choices"),
        FieldPanel("correct_choice"),
        FieldPanel("explanation"),
    ]

    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    def clean(self):
        if not 1 <= (self.correct_choice or 0) <= len(self.choice_list()):
            raise ValidationError({"correct_choice": _("Give the number of one of the choices.")})


# --- Learning -------------------------------------------------------------------------------


class Enrollment(BaseModel):
    worker = models.ForeignKey(
        WorkerProfile,
        verbose_name=_("worker"),
        on_delete=models.CASCADE,
        related_name="enrollments",
    )
    course = models.ForeignKey(
        CoursePage, verbose_name=_("course"), on_delete=models.PROTECT, related_name="enrollments"
    )
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("enrolled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_lesson = models.ForeignKey(
        LessonPage,
        verbose_name=_("last lesson"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["worker", "course"], name="enrollment_once"),
        ]
        indexes = [
            models.Index(fields=["course", "completed_at"]),
            models.Index(fields=["updated_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.worker} · {self.course}"


class LessonProgress(BaseModel):
    """Honest time on one lesson: only seconds credited by the heartbeat service count."""

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="lesson_progress"
    )
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="+")
    seconds_credited = models.PositiveIntegerField(_("seconds credited"), default=0)
    checkpoints_passed = models.BooleanField(_("checkpoints passed"), default=False)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "lesson"], name="lesson_progress_once"),
        ]


class LearningClock(models.Model):
    """When a worker's time was last credited, on any lesson, in any tab or device: credit can
    never run faster than the wall clock."""

    worker = models.OneToOneField(WorkerProfile, on_delete=models.CASCADE, related_name="+")
    last_heartbeat_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.worker_id} @ {self.last_heartbeat_at}"


class TrainingRecord(BaseModel):
    """Hours (学时) credited for a completed course: the worker's training record.

    ``seconds`` is the active time the heartbeat clock measured on the course's lessons (every
    completion of the course, retraining included); ``hours`` is that time in hours, rounded
    down to a tenth and capped by the course's ``credit_hours`` (``services.hours_for``)."""

    worker = models.ForeignKey(
        WorkerProfile,
        verbose_name=_("worker"),
        on_delete=models.CASCADE,
        related_name="training_records",
    )
    course = models.ForeignKey(
        CoursePage, verbose_name=_("course"), on_delete=models.PROTECT, related_name="+"
    )
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    seconds = models.PositiveIntegerField(_("active time measured (seconds)"), default=0)
    completed_at = models.DateTimeField(_("completed at"))

    class Meta:
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        indexes = [models.Index(fields=["updated_at"])]
        constraints = [
            models.UniqueConstraint(fields=["worker", "course"], name="training_record_once"),
            models.CheckConstraint(
                condition=Q(hours__gte=0), name="training_record_hours_not_negative"
            ),
        ]


# --- Targets and summaries ------------------------------------------------------------------


class CampaignTarget(BaseModel):
    """How many workers a district or an enterprise should have trained."""

    district = models.OneToOneField(
        District, verbose_name=_("district"), null=True, blank=True, on_delete=models.CASCADE
    )
    enterprise = models.OneToOneField(
        Enterprise, verbose_name=_("enterprise"), null=True, blank=True, on_delete=models.CASCADE
    )
    target = models.PositiveIntegerField(_("workers to train"))

    class Meta:
        verbose_name = _("campaign target")
        verbose_name_plural = _("campaign targets")
        constraints = [
            models.CheckConstraint(
                condition=Q(district__isnull=False, enterprise__isnull=True)
                | Q(district__isnull=True, enterprise__isnull=False),
                name="campaign_target_one_scope",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.district or self.enterprise}: {self.target}"


# --- Roster imports -------------------------------------------------------------------------


class RosterImport(BaseModel):
    """An enterprise's upload of its workforce (CSV/XLSX) and the row-by-row report."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("importing")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="imports"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", storage=private_storage)
    original_name = models.CharField(_("file name"), max_length=200)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    created_count = models.PositiveIntegerField(_("workers added"), default=0)
    existing_count = models.PositiveIntegerField(_("already on the roster"), default=0)
    error_count = models.PositiveIntegerField(_("rows refused"), default=0)
    errors = models.JSONField(_("refused rows"), default=list, blank=True)
    message = models.TextField(_("message"), blank=True)

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.original_name}"

    @property
    def percent(self) -> int:
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0
