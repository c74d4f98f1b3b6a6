"""Writes for certificates: issuing on a pass (once), signing, printing at the desk, revoking,
replacing a lost certificate, recording a passed review, review reminders, and verifying (with
its log). Every change writes its history through ``certificates.events``.

``certificate_issue`` is what a passing practical result calls, inside the result's transaction
(``settings.ANXUN_CERTIFICATE_ISSUER``); rendering is a Celery task enqueued on commit, so
issuing never waits for drawing. The result is typed by ``certificates.ports.PassingResult``:
certificates import nothing from exams.
"""

import hashlib
import hmac
import secrets
from datetime import date, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.locks import worker_profile_lock
from accounts.models import WorkerProfile
from accounts.permissions import Action, may
from accounts.validators import mask_name
from core.errors import DomainError, PermissionDenied
from core.notifications import message_send

from . import events, locks, ports, signing
from .links import compact_of
from .models import Certificate, Status, VerificationLog

__all__ = [
    "REVIEW_REMINDER_DAYS",
    "add_years",
    "certificate_code_genuine",
    "certificate_issue",
    "certificate_print",
    "certificate_replace",
    "certificate_review_record",
    "certificate_revoke",
    "certificate_verify",
    "certificates_reissue_for_correction",
    "certificates_revoke_for_freed_id_number",
    "client_hash",
    "review_reminders_send",
]

REVIEW_REMINDER_DAYS = (90, 60, 30, 7)


def add_years(day: date, years: int) -> date:
    """The anniversary ``years`` later: the same day, or 1 March for 29 February in a common
    year (so a certificate of 29 February runs through 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


# What verifying reads is cached per token: a phone scan is one query fewer. Any change a
# verifier would see (revoked, replaced, review recorded) forgets it, now and at commit.
VERIFY_CACHE_SECONDS = 600


def _verify_cache_key(token: str) -> str:
    return f"certificates:verify:{token}"


# Left in the cache by a change for a minute: a verifier that read the row just before the
# change committed cannot put its stale copy back (``cache.add`` does not replace the mark).
_FORGOTTEN = "forgotten"
_FORGOTTEN_SECONDS = 60


def _by_token(token: str) -> Certificate | None:
    key = _verify_cache_key(token)
    cached = cache.get(key)
    if isinstance(cached, Certificate):
        return cached
    found = list(
        Certificate.objects.select_related("holder", "subject", "center", "replaced_by")
        .filter(token=token)
        .order_by()[:1]  # the token is unique: no ordering to compile or sort by
    )
    certificate = found[0] if found else None
    if certificate is not None and cached is None:  # never for guesses, never over a mark
        cache.add(key, certificate, VERIFY_CACHE_SECONDS)
    return certificate


def _forget(certificate: Certificate) -> None:
    key = _verify_cache_key(certificate.token)
    cache.set(key, _FORGOTTEN, _FORGOTTEN_SECONDS)
    transaction.on_commit(lambda: cache.set(key, _FORGOTTEN, _FORGOTTEN_SECONDS))


def _holder_snapshot(certificate: Certificate, profile: WorkerProfile) -> None:
    """Copy the holder as they are now onto ``certificate`` (not saved): the name, ID number,
    sex and a copy of the photo file in the private storage (a file of the certificate's own,
    which a later change of the profile's photo neither replaces nor deletes).

    Called by every path that issues (``certificate_issue``, ``certificate_replace``, and a
    re-issue after a real-name correction), so a re-issue shows the profile as corrected.
    Refused (``no_photo``) when the holder has no readable photo: a certificate is never issued
    without one (and so never printed with an empty photo box).
    """
    data = b""
    if profile.photo:
        try:
            with profile.photo.open("rb") as handle:
                data = handle.read()
        except OSError:
            data = b""
    if not data:
        raise DomainError(
            _("%(name)s has no photo on file: a certificate cannot be issued without one.")
            % {"name": profile.real_name},
            code="no_photo",
        )
    if not profile.id_number:
        # An approved claim gave the number to its owner; this account must file its own.
        raise DomainError(
            _("%(name)s has no ID number on file: a certificate cannot be issued without one.")
            % {"name": profile.real_name},
            code="no_id_number",
        )
    certificate.holder = profile
    certificate.holder_name = profile.real_name
    certificate.holder_id_number = profile.id_number
    certificate.holder_sex = profile.sex
    # Saved under a new name each time: the file belongs to this certificate alone.
    certificate.holder_photo.save(f"{secrets.token_hex(8)}.jpg", ContentFile(data), save=False)
    # (Should the transaction roll back, the copied file stays behind unreferenced: harmless.)


def _status_index_set(certificate: Certificate) -> None:
    """Give a saved certificate its bit in the revocation status list: its primary key, which
    no other certificate has and which never changes."""
    certificate.status_index = certificate.pk
    Certificate.objects.filter(pk=certificate.pk).update(status_index=certificate.pk)


def _sign(certificate: Certificate) -> None:
    certificate.key_id = signing.key_ring().signing_kid
    certificate.signature = signing.sign(certificate.token, compact_of(certificate))


def _render_later(certificate: Certificate) -> None:
    from .tasks import render_certificate

    render_certificate.delay_on_commit(certificate.pk)


# --- Issuing ---------------------------------------------------------------------------------


@transaction.atomic
def certificate_issue(*, result: ports.PassingResult) -> Certificate:
    """Issue the certificate of a passing result, once: a retry returns the first one.

    The holder is recorded as they are now (``_holder_snapshot``); a holder without a photo
    gets no certificate (``DomainError`` "no_photo": the result's transaction rolls back)."""
    existing = Certificate.objects.filter(result_id=result.pk, replaces__isnull=True).first()
    if existing is not None:
        return existing
    if not result.passed:
        raise DomainError(_("Only a passed exam earns a certificate."), code="not_passed")
    booking = result.booking
    subject = result.subject
    issued_on = timezone.localdate(result.decided_at)
    valid_until = add_years(issued_on, subject.certificate_valid_years) - timedelta(days=1)
    review_due = min(add_years(issued_on, subject.review_interval_years), valid_until)
    certificate = Certificate(
        number=f"AX{issued_on:%Y}{booking.session.center_id:03d}{result.pk:07d}",
        token=secrets.token_urlsafe(16),
        result_id=result.pk,
        subject_id=subject.pk,
        center_id=booking.session.center_id,
        issuer=settings.ANXUN_CERTIFICATE_ISSUER_NAME,
        issued_on=issued_on,
        valid_until=valid_until,
        review_due=review_due,
    )
    # Locked: an approved correction (which locks the profile too) either commits before this
    # snapshot reads the profile, or waits and then re-issues this certificate.
    _holder_snapshot(certificate, worker_profile_lock(profile_id=result.worker.pk))
    _sign(certificate)
    try:
        with transaction.atomic():
            certificate.save()
    except IntegrityError:
        # Issued by a concurrent retry of the same result a moment ago.
        certificate.holder_photo.delete(save=False)
        return Certificate.objects.get(result_id=result.pk, replaces__isnull=True)
    _status_index_set(certificate)
    events.certificate_issued(certificate)
    _render_later(certificate)
    return certificate


@transaction.atomic
def certificate_print(*, actor, certificate_id: int, center_id: int) -> Certificate:
    """Record that ``actor`` printed the certificate at the desk of the centre ``center_id``,
    where it was issued. Refused (``PermissionDenied``) unless the actor works there, and
    (``not_found``) for a certificate of another centre. Printing itself is the browser's."""
    certificate = (
        Certificate.objects.select_related("center")
        .filter(pk=certificate_id, center_id=center_id)
        .first()
    )
    if certificate is None:
        raise DomainError(_("No such certificate."), code="not_found")
    if center_id not in ports.staff_posts(actor):
        raise PermissionDenied(_("You do not work at %(center)s.") % {"center": certificate.center})
    events.certificate_printed(certificate, actor=actor, center_id=center_id)
    return certificate


def _locked(certificate_id: int) -> Certificate:
    certificate = locks.certificate_lock(certificate_id, related=("subject", "holder__user"))
    if certificate is None:
        raise DomainError(_("No such certificate."), code="not_found")
    return certificate


@transaction.atomic
def certificate_revoke(*, actor, certificate_id: int, reason: str) -> Certificate:
    """A bureau officer revokes a certificate, with the reason every verifier is shown."""
    if not may(actor, Action.REVOKE_CERTIFICATES):
        raise PermissionDenied(_("Only the bureau may revoke certificates."))
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise DomainError(_("Give the reason for the revocation."), code="reason", field="reason")
    certificate = _locked(certificate_id)
    if certificate.state != Certificate.State.ACTIVE:
        raise DomainError(
            _("This certificate is %(status)s already.")
            % {"status": Status(certificate.status).label},
            code="not_active",
        )
    return _revoke(certificate, actor=actor, reason=reason)


def _revoke(certificate: Certificate, *, actor, reason: str) -> Certificate:
    certificate.state = Certificate.State.REVOKED
    certificate.revoked_reason, certificate.revoked_at, certificate.revoked_by = (
        reason,
        timezone.now(),
        actor,
    )
    certificate.save(
        update_fields=["state", "revoked_reason", "revoked_at", "revoked_by", "updated_at"]
    )
    _forget(certificate)
    events.certificate_revoked(certificate, actor=actor, reason=reason)
    return certificate


@transaction.atomic
def certificate_replace(*, actor, certificate_id: int, reason: str) -> Certificate:
    """Re-issue a lost or damaged certificate: a new number, token and QR with the same dates;
    the old one answers "replaced" from now on."""
    if not may(actor, Action.REVOKE_CERTIFICATES):
        raise PermissionDenied(_("Only the bureau may re-issue certificates."))
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise DomainError(_("Give the reason for the re-issue."), code="reason", field="reason")
    old = _locked(certificate_id)
    if old.state != Certificate.State.ACTIVE:
        raise DomainError(
            _("This certificate is %(status)s already.") % {"status": Status(old.status).label},
            code="not_active",
        )
    return _replace(old, actor=actor, reason=reason)


def _replace(old: Certificate, *, actor, reason: str) -> Certificate:
    """The body of a re-issue, for a locked, active ``old``: a new number, token and QR with
    the same dates; the old one answers "replaced" from now on."""
    old.state = Certificate.State.REPLACED
    old.save(update_fields=["state", "updated_at"])
    generation = 1
    ancestor = old
    while (parent := ancestor.replaces) is not None:
        generation += 1
        ancestor = parent
    new = Certificate(
        number=f"{ancestor.number}R{generation}",
        token=secrets.token_urlsafe(16),
        result=old.result,
        replaces=old,
        subject=old.subject,
        center=old.center,
        issuer=old.issuer,
        issued_on=old.issued_on,
        valid_until=old.valid_until,
        review_due=old.review_due,
    )
    # The holder as they are now (a corrected name, say), not as the old certificate says.
    _holder_snapshot(new, WorkerProfile.objects.get(pk=old.holder_id))
    _sign(new)
    new.save()
    _status_index_set(new)
    _forget(old)
    events.certificate_replaced(old, actor=actor, reason=reason, by=new)
    events.certificate_issued(new, actor=actor, replaces=old)
    _render_later(new)
    return new


@transaction.atomic
def certificates_reissue_for_correction(*, actor, holder_id: int, reason: str) -> list[Certificate]:
    """Re-issue every certificate in force (active, not expired) of ``holder_id`` after staff
    approved a correction of the holder's real-name record, so the new ones carry the corrected
    record; the old ones read "replaced". Called through ``accounts.ports`` inside the approval's
    transaction: the approval has checked the actor's permission and reason."""
    today = timezone.localdate()
    in_force = Certificate.objects.filter(
        holder_id=holder_id, state=Certificate.State.ACTIVE, valid_until__gte=today
    ).order_by("pk")
    reissued = []
    for certificate_id in in_force.values_list("pk", flat=True):
        old = _locked(certificate_id)
        if old.state == Certificate.State.ACTIVE:
            reissued.append(_replace(old, actor=actor, reason=reason))
    return reissued


def certificates_revoke_for_freed_id_number(
    *, actor, holder_id: int, id_number: str, reason: str
) -> list[Certificate]:
    """Revoke every active certificate of ``holder_id`` that was issued under ``id_number``,
    after an approved claim gave that number to its real owner: such a certificate names
    someone else's identity. Called through ``accounts.ports`` inside the approval."""
    revoked = []
    issued_under = Certificate.objects.filter(
        holder_id=holder_id, state=Certificate.State.ACTIVE, holder_id_number=id_number
    ).order_by("pk")
    for certificate_id in issued_under.values_list("pk", flat=True):
        certificate = _locked(certificate_id)
        if certificate.state == Certificate.State.ACTIVE:
            revoked.append(_revoke(certificate, actor=actor, reason=reason))
    return revoked


@transaction.atomic
def certificate_review_record(*, actor, certificate_id: int, passed_on: date) -> Certificate:
    """Record a passed review (复审): the next review is due an interval later and the validity
    runs at least that interval beyond it; the certificate is signed and drawn again."""
    if not may(actor, Action.REVOKE_CERTIFICATES):
        raise PermissionDenied(_("Only the bureau may record reviews."))
    certificate = _locked(certificate_id)
    if certificate.status_on(passed_on) in (Status.REVOKED, Status.REPLACED, Status.EXPIRED):
        raise DomainError(
            _("A review cannot be recorded: the certificate is %(status)s.")
            % {"status": Status(certificate.status_on(passed_on)).label},
            code="not_active",
        )
    if passed_on > timezone.localdate() or passed_on < certificate.issued_on:
        raise DomainError(_("The review date is not possible."), code="date", field="passed_on")
    subject = certificate.subject
    before = {
        "review_due": str(certificate.review_due),
        "valid_until": str(certificate.valid_until),
    }
    next_review = add_years(passed_on, subject.review_interval_years)
    tail = subject.certificate_valid_years - subject.review_interval_years
    # Good through the day before the anniversary, as at issue (``certificate_issue``).
    certificate.valid_until = max(
        certificate.valid_until, add_years(next_review, max(tail, 0)) - timedelta(days=1)
    )
    certificate.review_due = min(next_review, certificate.valid_until)
    _sign(certificate)
    certificate.review_reminded = None  # the new due date gets its own reminders
    certificate.save(
        update_fields=[
            "review_due",
            "valid_until",
            "key_id",
            "signature",
            "review_reminded",
            "updated_at",
        ]
    )
    _forget(certificate)
    events.certificate_review_recorded(
        certificate,
        actor=actor,
        passed_on=passed_on,
        before=before,
        after={
            "review_due": str(certificate.review_due),
            "valid_until": str(certificate.valid_until),
        },
    )
    _render_later(certificate)
    return certificate


def review_reminders_send(*, today: date | None = None, batch: int = 2000) -> int:
    """Beat task body: one message per certificate and threshold (90/60/30/7 days before the
    review is due), however often it runs; a missed run sends the nearest threshold only.
    Returns how many messages were queued.

    ``review_reminded`` holds the smallest threshold already sent for the current due date,
    so each pass reads only certificates still owed a message, ``batch`` at a time.
    """
    today = today or timezone.localdate()
    thresholds = sorted(REVIEW_REMINDER_DAYS)  # 7, 30, 60, 90
    sent = 0
    for index, threshold in enumerate(thresholds):
        nearer = thresholds[index - 1] if index else -1
        owed = Certificate.objects.filter(
            state=Certificate.State.ACTIVE,
            review_due__gt=today + timedelta(days=nearer),
            review_due__lte=today + timedelta(days=threshold),
        ).filter(Q(review_reminded__isnull=True) | Q(review_reminded__gt=threshold))
        while True:
            chunk = list(
                owed.select_related("holder__user", "subject").order_by("review_due", "pk")[:batch]
            )
            if not chunk:
                break
            for certificate in chunk:
                sent += _review_remind(certificate, threshold=threshold, today=today)
    return sent


@transaction.atomic
def _review_remind(certificate: Certificate, *, threshold: int, today: date) -> int:
    user = certificate.holder.user
    if user.phone:
        message_send(
            channel="sms",
            recipient=user.phone,
            body=str(
                _(
                    "【安训】Your certificate %(number)s (%(subject)s) is due for review on "
                    "%(date)s, in %(days)d days. Book the review training in time."
                )
                % {
                    "number": certificate.number,
                    "subject": certificate.subject,
                    "date": certificate.review_due.isoformat(),
                    "days": (certificate.review_due - today).days,
                }
            ),
            dedupe_key=f"cert-review:{certificate.pk}:{certificate.review_due}:{threshold}",
        )
    Certificate.objects.filter(pk=certificate.pk).update(review_reminded=threshold)
    return 1 if user.phone else 0


# --- Verifying -------------------------------------------------------------------------------


def client_hash(ip: str) -> str:
    """An IP address as a keyed hash: verifications are counted per client without storing
    who the client was."""
    return hashlib.sha256(f"{settings.SECRET_KEY}|{ip}".encode()).hexdigest()[:32]


def _signed_fields_match(certificate: Certificate, compact: str) -> bool:
    """The signed fields name this certificate: its number and subject, and (codes signed
    under ``anxun-cert-2``) its holder as at issue. The dates may differ: a recorded review
    re-signs them, and the paper's code still opens the record."""
    fields = compact.split(signing.SEPARATOR)
    domain = signing.domain_of(compact)
    if domain is None or fields[1] != certificate.number:
        return False
    if fields[2] != certificate.subject.code:
        return False
    if domain == signing.DOMAIN_V1:
        return True
    return fields[6] == mask_name(certificate.holder_name) and hmac.compare_digest(
        fields[7], signing.id_hash(certificate.token, certificate.holder_id_number)
    )


def certificate_code_genuine(
    certificate: Certificate, *, compact: str | None, signature: str | None
) -> bool:
    """Whether the signed fields a QR code carries verify and name ``certificate``."""
    return (
        signature is not None
        and signing.verify(certificate.token, compact or "", signature)
        and _signed_fields_match(certificate, compact or "")
    )


def certificate_verify(
    *,
    token: str,
    compact: str | None = None,
    signature: str | None = None,
    channel: str,
    actor=None,
    center=None,
    client: str = "",
    scanned_at=None,
) -> tuple[Certificate | None, str]:
    """Look a certificate up by its token and check the signed fields the QR code carries.

    Returns ``(certificate, outcome)``; an unknown token and a signature that does not verify
    (or signed fields that are not this certificate's) both give ``(None, "not_genuine")`` —
    the same answer, so a guess learns nothing. Every call is logged.
    """
    certificate = None
    if isinstance(token, str) and 16 <= len(token) <= 32:
        certificate = _by_token(token)
    if (
        certificate is not None
        and (compact or signature)
        and not certificate_code_genuine(certificate, compact=compact, signature=signature)
    ):
        certificate = None
    outcome = certificate.status if certificate else VerificationLog.Outcome.NOT_GENUINE
    VerificationLog.objects.create(
        certificate=certificate,
        channel=channel,
        outcome=outcome,
        actor=actor if actor is not None and actor.is_authenticated else None,
        center=center,
        client=client,
        scanned_at=scanned_at,
    )
    if certificate is not None and channel == VerificationLog.Channel.STAFF:
        events.certificate_verified(certificate, actor=actor, outcome=outcome)
    return certificate, outcome
