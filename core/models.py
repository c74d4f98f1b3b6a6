"""Shared models: timestamps, the append-only audit trail, and outbound messages."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    """Every table gets creation and modification times."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """One state change of anything that matters, written in the same transaction as the change.

    Append-only: rows are only ever inserted, through an app's ``events.py``. ``actor_label``
    keeps who acted readable even if the user account is later removed.
    """

    occurred_at = models.DateTimeField(_("occurred at"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("actor label"), max_length=150, blank=True)
    verb = models.CharField(_("verb"), max_length=64)
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.CharField(max_length=64)
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id", "occurred_at"])]

    def __str__(self) -> str:
        return (
            f"{timezone.localtime(self.occurred_at):%Y-%m-%d %H:%M} {self.actor_label} {self.verb}"
        )


class OutboundMessage(BaseModel):
    """An SMS or e-mail to send. Delivered by a Celery task at most once (see services)."""

    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        EMAIL = "email", _("E-mail")

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    recipient = models.CharField(_("recipient"), max_length=254)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    body = models.TextField(_("body"))
    html_body = models.TextField(_("HTML body"), blank=True)
    # Codes and links that grant access are wiped from the row once delivered.
    sensitive = models.BooleanField(_("sensitive"), default=False)
    # NULL, not "", for messages without a key: the unique constraint must ignore them.
    dedupe_key = models.CharField(  # noqa: DJ001
        _("deduplication key"), max_length=200, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("outbound message")
        verbose_name_plural = _("outbound messages")
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key"], name="outbound_message_dedupe_key_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False),
                name="outbound_message_sent_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient} ({self.get_status_display()})"


class CampaignFigure(models.Model):
    """One campaign-wide figure (registered, trained, examined, certified ...), recomputed by a
    Celery beat task from each app's ``figures.py``, so pages read a handful of rows instead of
    counting a million."""

    key = models.CharField(_("key"), max_length=40, unique=True)
    value = models.BigIntegerField(_("value"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("campaign figure")
        verbose_name_plural = _("campaign figures")

    def __str__(self) -> str:
        return f"{self.key} = {self.value}"
