"""Precomputed campaign aggregates: what the dashboards, the weekly reports and the home-page
counters read, so a page reads a bounded number of rows whatever the campaign's size.

Everything here is derived (``aggregates.py`` rebuilds it from the source tables, Celery beat
runs it); nothing here is the record of anything.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import District, Enterprise, Industry, WorkerProfile, private_storage
from exams.models import ExamCenter, Subject


class SizeBand(models.TextChoices):
    """Enterprise size by headcount (the statistics bureau's rough bands)."""

    MICRO = "micro", _("under 20 employees")
    SMALL = "small", _("20–299 employees")
    MEDIUM = "medium", _("300–999 employees")
    LARGE = "large", _("1,000 employees or more")
    UNKNOWN = "unknown", _("size not recorded")


class WorkerMilestones(models.Model):
    """Where one worker is in the campaign's funnel: the first day of each step, and the
    dimensions the dashboards group by. Refreshed only for workers whose records changed."""

    worker = models.OneToOneField(
        WorkerProfile, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    industry = models.ForeignKey(
        Industry, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    enterprise = models.ForeignKey(
        Enterprise, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    size_band = models.CharField(max_length=8, choices=SizeBand.choices)
    registered_on = models.DateField()
    enrolled_on = models.DateField(null=True, blank=True)
    trained_on = models.DateField(null=True, blank=True)
    examined_on = models.DateField(null=True, blank=True)
    theory_passed_on = models.DateField(null=True, blank=True)
    certified_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["enterprise", "enrolled_on"])]

    def __str__(self) -> str:
        return f"{self.worker_id}"


class ProgressFact(models.Model):
    """Funnel counts for one district, or one industry / size band / enterprise within a
    district (enterprises belong to their own district)."""

    class Scope(models.TextChoices):
        DISTRICT = "district", _("district")
        INDUSTRY = "industry", _("industry")
        SIZE = "size", _("enterprise size")
        ENTERPRISE = "enterprise", _("enterprise")

    scope = models.CharField(max_length=10, choices=Scope.choices)
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=20)  # the district, industry or enterprise id, or the band
    label = models.CharField(max_length=128, blank=True)  # names are data; bands are translated
    industry = models.ForeignKey(
        Industry, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    registered = models.PositiveIntegerField(default=0)
    enrolled = models.PositiveIntegerField(default=0)
    trained = models.PositiveIntegerField(default=0)
    examined = models.PositiveIntegerField(default=0)
    theory_passed = models.PositiveIntegerField(default=0)
    certified = models.PositiveIntegerField(default=0)
    target = models.PositiveIntegerField(null=True, blank=True)
    refreshed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "district", "key"], name="progress_fact_once"),
        ]
        indexes = [models.Index(fields=["scope", "label"])]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}: {self.trained}/{self.target or '-'}"


class WeeklyProgress(models.Model):
    """How many workers of a district took each step for the first time in a week (Monday)."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    week = models.DateField()
    registered = models.PositiveIntegerField(default=0)
    enrolled = models.PositiveIntegerField(default=0)
    trained = models.PositiveIntegerField(default=0)
    examined = models.PositiveIntegerField(default=0)
    certified = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["district", "week"], name="weekly_progress_once"),
        ]

    def __str__(self) -> str:
        return f"{self.district_id} {self.week}"


class ExamWeekly(models.Model):
    """Exam figures for a week: theory rows (no centre) count the district's workers; practical
    rows count a centre's sessions that week (district = the centre's district)."""

    week = models.DateField()
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="+")
    center = models.ForeignKey(
        ExamCenter, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    theory_sat = models.PositiveIntegerField(default=0)
    theory_passed = models.PositiveIntegerField(default=0)
    seats = models.PositiveIntegerField(default=0)
    booked = models.PositiveIntegerField(default=0)
    attended = models.PositiveIntegerField(default=0)
    no_show = models.PositiveIntegerField(default=0)
    waiting = models.PositiveIntegerField(default=0)
    practical_passed = models.PositiveIntegerField(default=0)
    practical_failed = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["week", "district", "subject", "center"],
                condition=Q(center__isnull=False),
                name="exam_weekly_practical_once",
            ),
            models.UniqueConstraint(
                fields=["week", "district", "subject"],
                condition=Q(center__isnull=True),
                name="exam_weekly_theory_once",
            ),
        ]
        indexes = [models.Index(fields=["week"])]

    def __str__(self) -> str:
        return f"{self.week} {self.subject_id} {self.center_id or '-'}"


class ReviewDue(models.Model):
    """Certificates in force whose review (复审) falls due in a week, by holder's district."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    week = models.DateField()
    certificates = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["district", "week"], name="review_due_once"),
        ]

    def __str__(self) -> str:
        return f"{self.district_id} {self.week}: {self.certificates}"


class EventFigures(models.Model):
    """Registrations for one CMS event (lectures, live streams, experience-hall sessions)."""

    page_id = models.PositiveIntegerField(primary_key=True)
    title = models.CharField(max_length=255)
    kind = models.CharField(max_length=16)
    district = models.ForeignKey(
        District, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    starts_at = models.DateTimeField()
    capacity = models.PositiveIntegerField(null=True, blank=True)
    registrations = models.PositiveIntegerField(default=0)
    attendees = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.title}: {self.registrations}"


class RefreshMark(models.Model):
    """When the aggregates were last refreshed: the next run looks only at what changed since
    (less an overlap, for transactions that committed late)."""

    name = models.CharField(max_length=40, unique=True)
    refreshed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name}: {self.refreshed_at}"


class WeeklyReport(models.Model):
    """The weekly campaign report of one district (or the whole city: no district), as XLSX."""

    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    week = models.DateField(_("week starting"))
    file = models.FileField(_("file"), upload_to="reports/%Y/", storage=private_storage)
    generated_at = models.DateTimeField(_("generated"))

    class Meta:
        verbose_name = _("weekly report")
        verbose_name_plural = _("weekly reports")
        ordering = ["-week", "district__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "week"],
                condition=Q(district__isnull=False),
                name="weekly_report_once",
            ),
            models.UniqueConstraint(
                fields=["week"], condition=Q(district__isnull=True), name="weekly_city_report_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.district or '-'} {self.week}"
