"""Certificates (即考即领): one per passing practical result, signed, rendered, verified.

A certificate's *record* is authoritative; its status is derived from the dates (valid, review
due, expired) unless it was revoked or replaced. ``CertificateEvent`` rows are its append-only
history; ``VerificationLog`` rows record every verification (public page, API, staff scan).
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from accounts.models import WorkerProfile, private_storage
from core.models import BaseModel


class Status(models.TextChoices):
    """What a verifier is told. Only REVOKED and REPLACED are stored; the rest follow dates."""

    VALID = "valid", _("valid")
    REVIEW_DUE = "review_due", _("review due")
    EXPIRED = "expired", _("expired")
    REVOKED = "revoked", _("revoked")
    REPLACED = "replaced", _("replaced")


class Certificate(BaseModel):
    """A special-operations certificate issued on a passing result (or re-issued to replace a
    lost one: ``replaces`` points at the certificate it replaces, for the same result)."""

    class State(models.TextChoices):
        ACTIVE = "active", _("in force")
        REVOKED = "revoked", _("revoked")
        REPLACED = "replaced", _("replaced")

    number = models.CharField(_("certificate number"), max_length=24, unique=True)
    token = models.CharField(_("verification token"), max_length=32, unique=True)
    result = models.ForeignKey(
        "exams.ExamResult",
        verbose_name=_("exam result"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    holder = models.ForeignKey(
        WorkerProfile,
        verbose_name=_("holder"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    # The holder as at issue (``services._holder_snapshot``): every reader shows these, never
    # the live profile, so renaming oneself or swapping the photo later changes no certificate.
    # The photo is a copy of the file in the private storage, not a reference to the profile's.
    holder_name = models.CharField(_("holder's full name"), max_length=50)
    holder_id_number = models.CharField(_("holder's ID number"), max_length=18)
    holder_sex = models.CharField(
        _("holder's sex"), max_length=1, choices=WorkerProfile.Sex.choices
    )
    holder_photo = models.ImageField(
        _("holder's photo"),
        upload_to="certificates/photos/",
        storage=private_storage,
        blank=True,
    )
    subject = models.ForeignKey(
        "exams.Subject",
        verbose_name=_("subject"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    center = models.ForeignKey(
        "exams.ExamCenter",
        verbose_name=_("issued at"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    issuer = models.CharField(_("issuer"), max_length=120)
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"))
    review_due = models.DateField(_("review due"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.ACTIVE)
    revoked_reason = models.CharField(_("reason for revocation"), max_length=300, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_reminded = models.PositiveSmallIntegerField(
        null=True, blank=True, editable=False
    )  # the smallest reminder threshold (days) sent for the current review date
    # This certificate's bit in the public revocation list (W3C Bitstring Status List) that
    # its verifiable credential points wallets at (``certificates.credentials``).
    status_index = models.PositiveIntegerField(
        _("status list index"), unique=True, null=True, blank=True, editable=False
    )
    key_id = models.CharField(_("signing key"), max_length=40)
    signature = models.CharField(_("signature"), max_length=100)
    # Rendering (a Celery task writes these; see certificates.tasks)
    # The holder's photo, name and ID number are on them: private storage, served by views.
    png = models.FileField(upload_to="certificates/png/", storage=private_storage, blank=True)
    pdf = models.FileField(upload_to="certificates/pdf/", storage=private_storage, blank=True)
    rendered_version = models.PositiveSmallIntegerField(default=0)
    rendered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_on", "-pk"]
        indexes = [
            models.Index(fields=["holder", "subject"]),
            models.Index(fields=["state", "review_due"]),
            models.Index(fields=["updated_at"]),
        ]
        constraints = [
            # Exactly one first issue per passing result, whatever retries happen; re-issues
            # (replacing a lost certificate) point at the certificate they replace.
            models.UniqueConstraint(
                fields=["result"],
                condition=Q(replaces__isnull=True),
                name="one_certificate_per_result",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__gt=models.F("issued_on"))
                & Q(review_due__lte=models.F("valid_until")),
                name="certificate_dates_in_order",
            ),
            models.CheckConstraint(
                condition=~Q(state="revoked") | ~Q(revoked_reason=""),
                name="revocation_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} · {self.holder_name}"

    def status_on(self, day: date | None = None) -> str:
        """The status a verifier sees on ``day`` (today by default)."""
        if self.state == self.State.REVOKED:
            return Status.REVOKED
        if self.state == self.State.REPLACED:
            return Status.REPLACED
        day = day or timezone.localdate()
        if day > self.valid_until:
            return Status.EXPIRED
        if day >= self.review_due:
            return Status.REVIEW_DUE
        return Status.VALID

    @property
    def status(self) -> str:
        return self.status_on()

    @property
    def status_label(self) -> StrOrPromise:
        """Today's status, named for people (the worker's list of certificates shows it)."""
        return Status(self.status).label


class CertificateEvent(models.Model):
    """The append-only history of a certificate: nothing updates or deletes these rows."""

    class Kind(models.TextChoices):
        ISSUED = "issued", _("issued")
        RENDERED = "rendered", _("rendered")
        PRINTED = "printed", _("printed")
        VERIFIED = "verified", _("verified")
        REVIEW_RECORDED = "review_recorded", _("review recorded")
        REVOKED = "revoked", _("revoked")
        REPLACED = "replaced", _("replaced")

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("event"), max_length=16, choices=Kind.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("certificate event")
        verbose_name_plural = _("certificate events")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["certificate", "kind"])]

    def __str__(self) -> str:
        return f"{self.certificate_id} {self.kind} {timezone.localtime(self.at):%Y-%m-%d %H:%M}"


class VerificationLog(models.Model):
    """One verification: who (a staff user, or an anonymous visitor by a hash of the IP), where
    (a centre for staff scans), how (page, API, staff scan), when, and the answer given."""

    class Channel(models.TextChoices):
        PAGE = "page", _("public page")
        API = "api", _("API")
        STAFF = "staff", _("staff scan")

    class Outcome(models.TextChoices):
        VALID = "valid", _("valid")
        REVIEW_DUE = "review_due", _("review due")
        EXPIRED = "expired", _("expired")
        REVOKED = "revoked", _("revoked")
        REPLACED = "replaced", _("replaced")
        NOT_GENUINE = "not_genuine", _("not found or not genuine")

    certificate = models.ForeignKey(
        Certificate,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="verifications",
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    outcome = models.CharField(_("answer"), max_length=12, choices=Outcome.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    center = models.ForeignKey(
        "exams.ExamCenter", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    client = models.CharField(_("client"), max_length=64, blank=True)  # hash of the IP
    scanned_at = models.DateTimeField(_("scanned at"), null=True, blank=True)  # offline scans

    class Meta:
        verbose_name = _("verification")
        verbose_name_plural = _("verifications")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["at"]), models.Index(fields=["channel", "at"])]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.at):%Y-%m-%d %H:%M} {self.channel} {self.outcome}"
