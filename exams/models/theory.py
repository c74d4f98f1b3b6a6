"""Theory exams: subjects and their policy, the question bank, blueprints, theory attempts and
answers, practice answers.

An attempt keeps a snapshot of its paper (questions, shuffled choices, key, points), so editing
the bank never changes an attempt already taken. The key never leaves the server before the
attempt is submitted.
"""

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
