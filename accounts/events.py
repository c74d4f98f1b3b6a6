"""Audit rows for account state changes (written in the caller's transaction)."""

from core.events import audit_record

from .models import CorrectionRequest, Enterprise, RoleAssignment, WorkerProfile


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


def _correction_data(request: CorrectionRequest) -> dict:
    return {
        "profile_id": request.profile_id,
        "real_name": request.real_name,
        "id_number": request.id_number,
        "photo": request.photo.name if request.photo else "",
        "evidence": request.evidence.name if request.evidence else "",
        "reason": request.reason,
        "claims_from_id": request.claims_from_id,
        "status": request.status,
        "decision_reason": request.decision_reason,
    }


def correction_filed(*, actor, request: CorrectionRequest) -> None:
    audit_record(
        actor=actor, verb="correction.filed", target=request, after=_correction_data(request)
    )


def correction_decided(*, actor, request: CorrectionRequest) -> None:
    """``correction.approved`` or ``correction.refused``, with the request as decided."""
    audit_record(
        actor=actor,
        verb=f"correction.{request.status}",
        target=request,
        before={"status": CorrectionRequest.Status.PENDING},
        after=_correction_data(request),
    )


def worker_profile_corrected(
    *, actor, profile: WorkerProfile, before: dict, request: CorrectionRequest
) -> None:
    """The corrected account's history: what its real-name record was and is."""
    audit_record(
        actor=actor,
        verb="worker_profile.corrected",
        target=profile,
        before=before,
        after={**profile_snapshot(profile), "correction_id": request.pk},
    )


def worker_profile_id_number_freed(
    *, actor, profile: WorkerProfile, before: dict, request: CorrectionRequest
) -> None:
    """The other account's history: its ID number went to the claimant of ``request``."""
    audit_record(
        actor=actor,
        verb="worker_profile.id_number_freed",
        target=profile,
        before=before,
        after={
            **profile_snapshot(profile),
            "correction_id": request.pk,
            "claimant_profile_id": request.profile_id,
        },
    )
