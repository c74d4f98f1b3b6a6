"""People and organisations: users, real-name worker profiles, enterprises, reference data, roles."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.files.storage import storages
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import BaseModel


class District(models.Model):
    """An administrative division (行政区划) by its GB/T 2260 code; a city's districts have a parent."""

    code = models.CharField(_("administrative code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=64)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class Industry(models.Model):
    """An industry category (GB/T 4754 国民经济行业分类 sections by default)."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=64)

    class Meta:
        verbose_name = _("industry")
        verbose_name_plural = _("industries")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A login. Workers sign in by mobile number, staff usually by e-mail; ``username`` is internal.

    ``phone`` is stored in E.164 (+8613812345678) and is the worker's one mobile number.
    """

    email = models.EmailField(_("e-mail address"), blank=True)
    # NULL, not "", for staff without a mobile number: the unique constraint must ignore them.
    phone = models.CharField(_("mobile number"), max_length=20, null=True, blank=True, unique=True)
    phone_verified = models.BooleanField(_("mobile number verified"), default=False)
    large_text = models.BooleanField(_("large text"), default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                Lower("email"), condition=~models.Q(email=""), name="user_email_unique_ci"
            ),
        ]

    def __str__(self) -> str:
        profile = getattr(self, "worker_profile", None)
        return (profile.real_name if profile else "") or self.get_full_name() or self.username

    @property
    def display_name(self) -> str:
        return str(self)


class Enterprise(BaseModel):
    """An employer whose workers are trained; identified by its unified social credit code."""

    name = models.CharField(_("name"), max_length=128)
    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.PROTECT, related_name="enterprises"
    )
    industry = models.ForeignKey(
        Industry, verbose_name=_("industry"), on_delete=models.PROTECT, related_name="enterprises"
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=64, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    headcount = models.PositiveIntegerField(_("number of employees"), null=True, blank=True)
    uses_hazardous_chemicals = models.BooleanField(_("uses hazardous chemicals"), default=False)

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def private_storage():
    return storages["private"]


class WorkerProfile(BaseModel):
    """The real-name record (实名信息) of a worker; birth date and sex are derived from the ID number."""

    class Sex(models.TextChoices):
        MALE = "M", _("male")
        FEMALE = "F", _("female")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="worker_profile"
    )
    real_name = models.CharField(_("full name"), max_length=50)
    # Unique where set; "" only when a correction gave the number to its rightful owner and
    # this account has not yet had its own number corrected in.
    id_number = models.CharField(_("resident ID number"), max_length=18, blank=True)
    birth_date = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    photo = models.ImageField(
        _("photo"), upload_to="photos/%Y/%m/", storage=private_storage, blank=True
    )
    employer = models.ForeignKey(
        Enterprise,
        verbose_name=_("employer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="workers",
    )
    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.PROTECT, related_name="workers"
    )
    industry = models.ForeignKey(
        Industry,
        verbose_name=_("industry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="workers",
    )

    class Meta:
        verbose_name = _("worker profile")
        verbose_name_plural = _("worker profiles")
        indexes = [
            models.Index(fields=["employer", "real_name"]),
            models.Index(fields=["updated_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sex__in=["M", "F"]), name="worker_profile_sex_valid"
            ),
            models.UniqueConstraint(
                fields=["id_number"],
                condition=~models.Q(id_number=""),
                name="worker_profile_id_number_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.real_name


class Role(models.TextChoices):
    """The staff roles. A worker is anyone with a ``WorkerProfile``; roles are granted on top."""

    ENTERPRISE_ADMIN = "enterprise_admin", _("enterprise safety officer")
    CENTER_STAFF = "center_staff", _("exam-centre staff")
    EXAMINER = "examiner", _("examiner")
    PUBLICITY_EDITOR = "publicity_editor", _("publicity editor")
    PUBLICITY_MODERATOR = "publicity_moderator", _("publicity moderator")
    DISTRICT_OFFICER = "district_officer", _("district officer")
    BUREAU_OFFICER = "bureau_officer", _("bureau officer")


class RoleAssignment(BaseModel):
    """A role granted to a user, with its scope: an enterprise, a district, or (centres) see exams.

    Centre staff and examiners are scoped to centres by the exams app's centre-staff table; this
    row says *that* they hold the role.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="role_assignment_unique_role"),
            models.CheckConstraint(
                name="role_assignment_scope_matches_role",
                condition=(
                    models.Q(
                        role="enterprise_admin",
                        enterprise__isnull=False,
                        district__isnull=True,
                    )
                    | models.Q(
                        role="district_officer",
                        district__isnull=False,
                        enterprise__isnull=True,
                    )
                    | (
                        ~models.Q(role__in=["enterprise_admin", "district_officer"])
                        & models.Q(enterprise__isnull=True, district__isnull=True)
                    )
                ),
            ),
        ]

    def __str__(self) -> str:
        scope = self.enterprise or self.district
        return f"{self.user} · {self.get_role_display()}" + (f" · {scope}" if scope else "")


class CorrectionRequest(BaseModel):
    """A worker asks for their fixed real-name fields (name, ID number, photo) to be corrected,
    with a reason and evidence (a scan of the ID card); staff of the worker's district or the
    bureau approve or refuse it. A blank requested field means "unchanged".

    When the requested ID number is held by another account, the request is a *claim*:
    ``claims_from`` names that account, and approving frees the number from it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("correction status", "pending")
        APPROVED = "approved", pgettext_lazy("correction status", "approved")
        REFUSED = "refused", pgettext_lazy("correction status", "refused")

    profile = models.ForeignKey(
        WorkerProfile,
        verbose_name=_("worker"),
        on_delete=models.PROTECT,
        related_name="correction_requests",
    )
    real_name = models.CharField(_("corrected full name"), max_length=50, blank=True)
    id_number = models.CharField(_("corrected ID number"), max_length=18, blank=True)
    photo = models.ImageField(
        _("new photo"), upload_to="corrections/photos/%Y/%m/", storage=private_storage, blank=True
    )
    reason = models.TextField(_("reason"))
    evidence = models.ImageField(
        _("evidence"), upload_to="corrections/evidence/%Y/%m/", storage=private_storage
    )
    claims_from = models.ForeignKey(
        WorkerProfile,
        verbose_name=_("account holding the ID number"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)

    class Meta:
        verbose_name = _("correction request")
        verbose_name_plural = _("correction requests")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["profile"],
                condition=models.Q(status="pending"),
                name="correction_one_pending_per_worker",
            ),
            models.CheckConstraint(
                name="correction_asks_for_a_change",
                condition=~models.Q(real_name="", id_number="", photo=""),
            ),
            models.CheckConstraint(
                name="correction_has_reason_and_evidence",
                condition=~models.Q(reason="") & ~models.Q(evidence=""),
            ),
            models.CheckConstraint(
                name="correction_decision_matches_status",
                condition=(
                    models.Q(status="pending", decided_at__isnull=True)
                    | (
                        models.Q(status__in=["approved", "refused"], decided_at__isnull=False)
                        & ~models.Q(decision_reason="")
                    )
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.profile} · {self.get_status_display()}"

    @property
    def is_claim(self) -> bool:
        return self.claims_from_id is not None
