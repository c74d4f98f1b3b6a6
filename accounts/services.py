"""Writes for accounts: real-name profiles, enterprises and roles.

Every function is keyword-only, atomic, validates what it is given (the same rules as the
forms, so imports and APIs get the same answers), writes an audit row, and raises
``DomainError`` with a translated message, having changed nothing, when a rule refuses.
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError, PermissionDenied
from core.notifications import absolute_url, user_notify

from . import events, ports
from .locks import worker_profile_lock
from .models import (
    CorrectionRequest,
    District,
    Enterprise,
    Industry,
    Role,
    RoleAssignment,
    User,
    WorkerProfile,
)
from .permissions import (
    WAGTAIL_GROUP_FOR_ROLE,
    Action,
    corrections_visible_to,
    may,
    officer_district,
    user_roles,
)
from .validators import (
    id_number_birth_date,
    id_number_sex,
    normalize_id_number,
    normalize_real_name,
    normalize_uscc,
)


def _validated(normalize, value: str, *, field: str) -> str:
    try:
        return normalize(value)
    except ValidationError as error:
        raise DomainError(error.messages[0], code=error.code or "invalid", field=field) from None


def _id_taken() -> DomainError:
    return DomainError(
        _("This ID number is already registered. If it is yours, log in or reset the password."),
        code="id_taken",
        field="id_number",
    )


def id_number_check_available(*, id_number: str) -> str:
    """Normalise an ID number and make sure no worker holds it yet."""
    number = _validated(normalize_id_number, id_number, field="id_number")
    if WorkerProfile.objects.filter(id_number=number).exists():
        raise _id_taken()
    return number


@transaction.atomic
def worker_profile_create(
    *,
    user: User,
    real_name: str,
    id_number: str,
    district: District,
    employer: Enterprise | None = None,
    industry: Industry | None = None,
    actor: User | None = None,
) -> WorkerProfile:
    number = id_number_check_available(id_number=id_number)
    real_name = _validated(normalize_real_name, real_name, field="real_name")
    profile = WorkerProfile(
        user=user,
        real_name=real_name,
        id_number=number,
        birth_date=id_number_birth_date(number),
        sex=id_number_sex(number),
        employer=employer,
        district=district,
        industry=industry or (employer.industry if employer else None),
    )
    try:
        with transaction.atomic():
            profile.save()
    except IntegrityError:
        # Two sign-ups with the same ID number at once: the constraint decides, the loser is told.
        raise _id_taken() from None
    events.worker_profile_created(actor=actor or user, profile=profile)
    return profile


@transaction.atomic
def worker_profile_update(
    *,
    profile: WorkerProfile,
    actor: User,
    real_name: str | None = None,
    district: District | None = None,
    employer: Enterprise | None = None,
    industry: Industry | None = None,
    photo=None,
) -> WorkerProfile:
    """Change what a worker may change. The ID number is fixed, and so are the name and photo
    once a record uses them (``profile_is_fixed``): those change by a correction request."""
    profile = worker_profile_lock(profile_id=profile.pk)
    before = events.profile_snapshot(profile)
    if real_name is not None:
        real_name = _validated(normalize_real_name, real_name, field="real_name")
    fixed = profile_is_fixed(profile=profile)
    if fixed and real_name is not None and real_name != profile.real_name:
        raise _fixed("real_name")
    if fixed and photo is not None:
        raise _fixed("photo")
    if real_name is not None:
        profile.real_name = real_name
    if district is not None:
        profile.district = district
    profile.employer = employer
    profile.industry = industry
    if photo is not None:
        old_photo = profile.photo.name if profile.photo else ""
        profile.photo.save(photo.name, photo, save=False)
        if old_photo:
            transaction.on_commit(lambda: profile.photo.storage.delete(old_photo))
    profile.save()
    events.worker_profile_changed(actor=actor, profile=profile, before=before)
    return profile


@transaction.atomic
def enterprise_create(
    *,
    name: str,
    uscc: str,
    district: District,
    industry: Industry,
    actor: User | None,
    address: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    headcount: int | None = None,
    uses_hazardous_chemicals: bool = False,
) -> Enterprise:
    code = _validated(normalize_uscc, uscc, field="uscc")
    if Enterprise.objects.filter(uscc=code).exists():
        raise DomainError(
            _("An enterprise with this unified social credit code is already registered."),
            code="uscc_taken",
            field="uscc",
        )
    enterprise = Enterprise.objects.create(
        name=name.strip(),
        uscc=code,
        district=district,
        industry=industry,
        address=address,
        contact_name=contact_name,
        contact_phone=contact_phone,
        headcount=headcount,
        uses_hazardous_chemicals=uses_hazardous_chemicals,
    )
    events.enterprise_created(actor=actor, enterprise=enterprise)
    return enterprise


@transaction.atomic
def role_grant(
    *,
    user: User,
    role: Role,
    actor: User | None,
    enterprise: Enterprise | None = None,
    district: District | None = None,
) -> RoleAssignment:
    """Grant a role with its scope; publicity roles also join Wagtail's matching group."""
    if role == Role.ENTERPRISE_ADMIN and enterprise is None:
        raise DomainError(_("An enterprise safety officer must be given an enterprise."))
    if role == Role.DISTRICT_OFFICER and district is None:
        raise DomainError(_("A district officer must be given a district."))
    if role not in (Role.ENTERPRISE_ADMIN, Role.DISTRICT_OFFICER) and (enterprise or district):
        raise DomainError(_("This role is not scoped to an enterprise or a district."))
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user,
        role=role,
        defaults={"enterprise": enterprise, "district": district, "granted_by": actor},
    )
    if not created and (assignment.enterprise_id, assignment.district_id) != (
        getattr(enterprise, "pk", None),
        getattr(district, "pk", None),
    ):
        raise DomainError(
            _("This user already holds this role with another scope; revoke it first."),
            code="role_scope_conflict",
        )
    if group_name := WAGTAIL_GROUP_FOR_ROLE.get(role):
        user.groups.add(Group.objects.get(name=group_name))
    if created:
        events.role_granted(actor=actor, assignment=assignment)
    user.__dict__.pop("_anxun_roles", None)
    return assignment


@transaction.atomic
def role_revoke(*, user: User, role: Role, actor: User | None) -> None:
    assignment = RoleAssignment.objects.filter(user=user, role=role).first()
    if assignment is None:
        return
    assignment.delete()
    if group_name := WAGTAIL_GROUP_FOR_ROLE.get(role):
        user.groups.remove(*Group.objects.filter(name=group_name))
    events.role_revoked(actor=actor, assignment=assignment)
    user.__dict__.pop("_anxun_roles", None)


def user_large_text_set(*, user: User, enable: bool) -> None:
    """Keep the large-text mode (适老化) on the account, so it follows the user to other devices
    (a display preference: no audit row)."""
    user.large_text = enable
    user.save(update_fields=["large_text"])


@transaction.atomic
def user_password_reset_by_sms(*, user: User, password: str) -> None:
    """Replace a forgotten password once an SMS code sent to the account's number was typed back
    (``accounts.password_reset_sms``); the code proved the number, so it is verified too. The new
    password's hash changes the session hash, which logs out the account's other sessions."""
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise DomainError(error.messages[0], code="weak_password", field="password1") from None
    user.set_password(password)
    user.phone_verified = True
    user.save(update_fields=["password", "phone_verified"])
    events.password_reset_by_sms(user=user)


# --- Real-name corrections ----------------------------------------------------------------


def profile_is_fixed(*, profile: WorkerProfile) -> bool:
    """Whether the name and photo are fixed: a booking or a certificate uses them (what the
    apps above register in ``accounts.ports``). The ID number is always fixed."""
    return ports.profile_in_use(profile.pk)


def _fixed(field: str) -> DomainError:
    return DomainError(
        _(
            "Your name and photo are on a booking or a certificate and can no longer be "
            "changed here. Request a correction instead."
        ),
        code="profile_fixed",
        field=field,
    )


def _pending_exists() -> DomainError:
    return DomainError(
        _(
            "You already have a correction request waiting for a decision. Wait for it, "
            "or ask the service desk."
        ),
        code="correction_pending",
    )


def _decision_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise DomainError(
            _("Give the reason for the decision; the worker is told it."),
            code="reason",
            field="decision_reason",
        )
    return reason


@transaction.atomic
def correction_request_file(
    *,
    profile: WorkerProfile,
    actor: User,
    reason: str,
    evidence,
    real_name: str = "",
    id_number: str = "",
    photo=None,
) -> CorrectionRequest:
    """A worker asks for their real-name record to be corrected (their own only), with a
    reason and evidence (an ID card scan, already checked by ``photos.evidence_prepare``).
    Blank fields stay as they are; at least one must change. One request waits at a time (a
    database constraint decides a race). An ID number held by another account makes the
    request a claim on it (``claims_from``)."""
    if profile.user_id != actor.pk:
        raise PermissionDenied(_("You can only request a correction of your own record."))
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise DomainError(
            _("Say what is wrong and why (at least a few words)."), code="reason", field="reason"
        )
    if not evidence:
        raise DomainError(
            _("Upload a scan or photo of your ID card as evidence."),
            code="evidence",
            field="evidence",
        )
    profile = worker_profile_lock(profile_id=profile.pk)
    if CorrectionRequest.objects.filter(
        profile=profile, status=CorrectionRequest.Status.PENDING
    ).exists():
        raise _pending_exists()
    real_name = _validated(normalize_real_name, real_name, field="real_name") if real_name else ""
    if real_name == profile.real_name:
        real_name = ""
    number = _validated(normalize_id_number, id_number, field="id_number") if id_number else ""
    if number == profile.id_number:
        number = ""
    if not (real_name or number or photo):
        raise DomainError(
            _("Enter the corrected name or ID number, or a new photo: nothing would change."),
            code="no_change",
        )
    holder = (
        WorkerProfile.objects.filter(id_number=number).exclude(pk=profile.pk).first()
        if number
        else None
    )
    request = CorrectionRequest(
        profile=profile,
        real_name=real_name,
        id_number=number,
        reason=reason,
        claims_from=holder,
    )
    request.evidence.save(evidence.name, evidence, save=False)
    if photo:
        request.photo.save(photo.name, photo, save=False)
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:
        # Another request of this worker was filed a moment ago: the constraint decided.
        raise _pending_exists() from None
    events.correction_filed(actor=actor, request=request)
    return request


def _claim_in_scope(actor: User, holder: WorkerProfile) -> bool:
    """Freeing a number from another account is for the bureau, or the officer of the district
    where that account is registered too."""
    if Role.BUREAU_OFFICER in user_roles(actor):
        return True
    district = officer_district(actor)
    return district is not None and holder.district_id == district.pk


def _decidable(*, actor: User, request_id: int) -> CorrectionRequest:
    if not may(actor, Action.DECIDE_CORRECTIONS):
        raise PermissionDenied(_("Only district and bureau officers decide corrections."))
    request = (
        corrections_visible_to(actor).select_for_update(of=("self",)).filter(pk=request_id).first()
    )
    if request is None:
        raise PermissionDenied(_("This correction request is not in your district."))
    if request.status != CorrectionRequest.Status.PENDING:
        raise DomainError(
            _("This request was %(status)s already.") % {"status": request.get_status_display()},
            code="decided",
        )
    return request


@transaction.atomic
def correction_request_approve(*, actor: User, request_id: int, reason: str) -> CorrectionRequest:
    """Apply a pending correction: the name, ID number (birth date and sex with it) and photo
    change; on a claim the number is first freed from the account holding it (both accounts'
    histories audited); certificates in force are re-issued (``accounts.ports``, in this
    transaction); the worker is told. All of it commits or nothing does."""
    request = _decidable(actor=actor, request_id=request_id)
    reason = _decision_reason(reason)
    if request.claims_from is not None and not _claim_in_scope(actor, request.claims_from):
        raise PermissionDenied(
            _("The other account is registered in another district: the bureau decides this claim.")
        )
    # Lock both profiles in id order (two claims crossing cannot deadlock).
    other = None
    if request.id_number:
        other = (
            WorkerProfile.objects.filter(id_number=request.id_number)
            .exclude(pk=request.profile_id)
            .first()
        )
    ids = sorted({request.profile_id, *([other.pk] if other else [])})
    locked = {profile_id: worker_profile_lock(profile_id=profile_id) for profile_id in ids}
    profile = locked[request.profile_id]
    if other is not None:
        other = locked[other.pk]
        if other.id_number != request.id_number:
            other = None  # changed before the lock: no longer the holder
    if other is not None and request.claims_from_id != other.pk:
        raise DomainError(
            _(
                "Since this request was filed, the ID number was registered by another account. "
                "Refuse this request and ask the worker to file it again."
            ),
            code="holder_changed",
        )
    before = events.profile_snapshot(profile)
    if other is not None:
        other_before = events.profile_snapshot(other)
        other.id_number = ""
        other.save(update_fields=["id_number", "updated_at"])
        events.worker_profile_id_number_freed(
            actor=actor, profile=other, before=other_before, request=request
        )
    if request.real_name:
        profile.real_name = request.real_name
    if request.id_number:
        profile.id_number = request.id_number
        profile.birth_date = id_number_birth_date(request.id_number)
        profile.sex = id_number_sex(request.id_number)
    if request.photo:
        # The request's copy becomes the photo; the old file stays, named in the audit row.
        with request.photo.open("rb") as handle:
            copy = ContentFile(handle.read())
        profile.photo.save(str(request.photo.name).rsplit("/", 1)[-1], copy, save=False)
    try:
        with transaction.atomic():
            profile.save()
    except IntegrityError:
        raise DomainError(
            _("The ID number was registered by another account a moment ago; try again."),
            code="id_taken",
        ) from None
    events.worker_profile_corrected(actor=actor, profile=profile, before=before, request=request)
    request.status = CorrectionRequest.Status.APPROVED
    request.decided_by, request.decided_at, request.decision_reason = actor, timezone.now(), reason
    request.save(
        update_fields=["status", "decided_by", "decided_at", "decision_reason", "updated_at"]
    )
    events.correction_decided(actor=actor, request=request)
    with translation.override(settings.LANGUAGE_CODE):
        record_reason = gettext("Real-name correction %(id)d: %(reason)s") % {
            "id": request.pk,
            "reason": reason,
        }
    ports.correction_approved(actor=actor, holder_id=profile.pk, reason=record_reason)
    if other is not None:
        with translation.override(settings.LANGUAGE_CODE):
            freed_reason = gettext(
                "Issued under an ID number that belongs to another person (real-name "
                "correction %(id)d)."
            ) % {"id": request.pk}
        ports.id_number_freed(
            actor=actor, holder_id=other.pk, id_number=request.id_number, reason=freed_reason
        )
    _correction_notify(request)
    if other is not None:
        _id_number_freed_notify(other, request=request)
    return request


@transaction.atomic
def correction_request_refuse(*, actor: User, request_id: int, reason: str) -> CorrectionRequest:
    """Refuse a pending correction with the reason the worker is told; nothing else changes."""
    request = _decidable(actor=actor, request_id=request_id)
    reason = _decision_reason(reason)
    request.status = CorrectionRequest.Status.REFUSED
    request.decided_by, request.decided_at, request.decision_reason = actor, timezone.now(), reason
    request.save(
        update_fields=["status", "decided_by", "decided_at", "decision_reason", "updated_at"]
    )
    events.correction_decided(actor=actor, request=request)
    _correction_notify(request)
    return request


def _correction_notify(request: CorrectionRequest) -> None:
    link = absolute_url(reverse("accounts:profile"))
    approved = request.status == CorrectionRequest.Status.APPROVED

    def text():
        if approved:
            return _(
                "[Anxun] Your real-name correction was approved; certificates in force were "
                "re-issued with the corrected record. Details: %(link)s"
            ) % {"link": link}
        return _("[Anxun] Your real-name correction was refused: %(reason)s. Details: %(link)s") % {
            "reason": request.decision_reason,
            "link": link,
        }

    user_notify(
        request.profile.user,
        key=f"correction:{request.pk}:{request.status}",
        text=text,
        subject=_("Your real-name correction was approved")
        if approved
        else _("Your real-name correction was refused"),
    )


def _id_number_freed_notify(profile: WorkerProfile, *, request: CorrectionRequest) -> None:
    link = absolute_url(reverse("accounts:profile"))
    user_notify(
        profile.user,
        key=f"correction:{request.pk}:freed:{profile.pk}",
        text=lambda: (
            _(
                "[Anxun] The ID number on your account was confirmed as another person's and "
                "removed from it. Request a correction with your own ID number: %(link)s"
            )
            % {"link": link}
        ),
        subject=_("The ID number on your account was removed"),
    )
