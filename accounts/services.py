"""Writes for accounts: real-name profiles, enterprises and roles.

Every function is keyword-only, atomic, validates what it is given (the same rules as the
forms, so imports and APIs get the same answers), writes an audit row, and raises
``DomainError`` with a translated message, having changed nothing, when a rule refuses.
"""

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError

from . import events
from .locks import worker_profile_lock
from .models import District, Enterprise, Industry, Role, RoleAssignment, User, WorkerProfile
from .permissions import WAGTAIL_GROUP_FOR_ROLE
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
    """Change what a worker may change. The ID number is fixed: a correction is a staff matter."""
    profile = worker_profile_lock(profile_id=profile.pk)
    before = events.profile_snapshot(profile)
    if real_name is not None:
        profile.real_name = _validated(normalize_real_name, real_name, field="real_name")
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
