"""Row locks for account writes (``select_for_update``), taken inside the caller's transaction.
Each write locks one profile row, so no order between rows is needed."""

from .models import WorkerProfile


def worker_profile_lock(*, profile_id: int) -> WorkerProfile:
    return WorkerProfile.objects.select_for_update().get(pk=profile_id)
