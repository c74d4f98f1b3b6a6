"""Audit rows for account state changes (written in the caller's transaction)."""

from core.events import audit_record

from .models import Enterprise, RoleAssignment, WorkerProfile


def profile_snapshot(profile: WorkerProfile) -> dict:
    return {
        "real_name": profile.real_name,
        "id_number": profile.id_number,
        "employer_id": profile.employer_id,
        "district_id": profile.district_id,
        "industry_id": profile.industry_id,
        "photo": profile.photo.name if profile.photo else "",
    }


def worker_profile_created(*, actor, profile: WorkerProfile) -> None:
    audit_record(
        actor=actor, verb="worker_profile.created", target=profile, after=profile_snapshot(profile)
    )


def worker_profile_changed(*, actor, profile: WorkerProfile, before: dict) -> None:
    audit_record(
        actor=actor,
        verb="worker_profile.changed",
        target=profile,
        before=before,
        after=profile_snapshot(profile),
    )


def enterprise_created(*, actor, enterprise: Enterprise) -> None:
    audit_record(
        actor=actor,
        verb="enterprise.created",
        target=enterprise,
        after={"name": enterprise.name, "uscc": enterprise.uscc},
    )


def role_granted(*, actor, assignment: RoleAssignment) -> None:
    audit_record(
        actor=actor,
        verb="role.granted",
        target=assignment.user,
        after={
            "role": assignment.role,
            "enterprise_id": assignment.enterprise_id,
            "district_id": assignment.district_id,
        },
    )


def role_revoked(*, actor, assignment: RoleAssignment) -> None:
    audit_record(
        actor=actor,
        verb="role.revoked",
        target=assignment.user,
        before={
            "role": assignment.role,
            "enterprise_id": assignment.enterprise_id,
            "district_id": assignment.district_id,
        },
    )


def password_reset_by_sms(*, user) -> None:
    """A forgotten password replaced after an SMS code proved the phone (no password recorded)."""
    audit_record(
        actor=user, verb="user.password_reset_by_sms", target=user, after={"phone": user.phone}
    )
