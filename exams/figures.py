from .models import TheoryAttempt


def compute() -> dict[str, int]:
    """Workers who have sat at least one theory exam (see core.figures)."""
    examined = (
        TheoryAttempt.objects.filter(status=TheoryAttempt.Status.SUBMITTED)
        .values("worker_id")
        .distinct()
        .count()
    )
    return {"examined": examined}
