from .models import TrainingRecord


def compute() -> dict[str, int]:
    """Workers with at least one completed course (see core.figures)."""
    return {"trained": TrainingRecord.objects.values("worker_id").distinct().count()}
