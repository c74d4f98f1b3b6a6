from .models import Enterprise, WorkerProfile


def compute() -> dict[str, int]:
    return {"registered": WorkerProfile.objects.count(), "enterprises": Enterprise.objects.count()}
