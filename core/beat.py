"""The embedded beat: the periodic work of ``CELERY_BEAT_SCHEDULE`` run inside the development
server (``make run``), so the demo refreshes its dashboards and counters, publishes scheduled
pages, lapses waiting-list offers and sends reminders as production does.

Why not ``celery beat``: the embedded default has no broker and runs tasks eagerly, so a beat
process could only run each task in its own process, beside a locmem cache the web server
cannot see. Here one daemon thread of the serving process reads the schedule from settings (the
same entries production's beat reads, not a copy) and asks celery's own schedule objects
(``ScheduleEntry.is_due``) when each entry is due, so intervals and crontabs mean what they mean
to ``celery beat``; a due entry runs its task in the thread (``Task.apply``). A task that fails
is logged and the others keep their schedule. The thread starts once per process
(``embedded_beat_start``), from ``runserver``'s serving process only (core's runserver command),
and only where ``ANXUN_EMBEDDED_BEAT`` is set (the dev profile). Production runs ``celery beat``.
"""

import datetime
import logging
import threading
from collections.abc import Callable, Mapping
from typing import Any

from celery import current_app
from celery.beat import ScheduleEntry
from django.conf import settings
from django.db import close_old_connections

logger = logging.getLogger(__name__)

# The longest sleep between two looks at the schedule (celery beat's default is 300 s; ours is
# short so that a stopped thread ends quickly and a 30-second entry keeps its pace).
MAX_SLEEP_SECONDS = 5.0

TaskRunner = Callable[[ScheduleEntry], Any]


def run_task(entry: ScheduleEntry) -> Any:
    """Run the entry's task here and now, as an eager Celery call; its exception propagates."""
    name = str(entry.task)
    if name not in current_app.tasks:
        current_app.loader.import_default_modules()  # autodiscovery: every app's tasks.py
    try:
        return current_app.tasks[name].apply(entry.args, entry.kwargs, throw=True).get()
    finally:
        close_old_connections()  # this thread's connection, as a request's end closes its own


class EmbeddedBeat:
    """The schedule's entries and when each last ran; ``tick`` runs the due ones."""

    def __init__(
        self,
        schedule: Mapping[str, Mapping[str, Any]],
        *,
        runner: TaskRunner = run_task,
        started_at: datetime.datetime | None = None,
    ) -> None:
        self.runner = runner
        self.entries = {
            name: ScheduleEntry(
                name=name,
                task=spec["task"],
                schedule=spec["schedule"],
                args=tuple(spec.get("args", ())),
                kwargs=dict(spec.get("kwargs", {})),
                options=dict(spec.get("options", {})),
                last_run_at=started_at,  # None: now, as celery beat starts a new schedule
                app=current_app,
            )
            for name, spec in schedule.items()
        }

    def tick(self) -> float:
        """Run every due entry (in schedule order); answer how long to sleep before the next."""
        sleep = MAX_SLEEP_SECONDS
        for name, entry in list(self.entries.items()):
            due, next_in = entry.is_due()
            if due:
                self.entries[name] = entry = next(entry)  # its last run is now, as celery's
                try:
                    self.runner(entry)
                except Exception:
                    logger.exception("Scheduled task %s (%s) failed", name, entry.task)
                else:
                    logger.debug("Scheduled task %s (%s) ran", name, entry.task)
                _due, next_in = entry.is_due()
            sleep = min(sleep, next_in)
        return max(sleep, 0.1)

    def run_forever(self, stop: threading.Event) -> None:
        while not stop.is_set():
            stop.wait(self.tick())


_lock = threading.Lock()
_thread: threading.Thread | None = None
_stop = threading.Event()


def embedded_beat_start() -> threading.Thread | None:
    """Start the beat thread for this process, once; None where the profile does not want it."""
    global _thread
    if not getattr(settings, "ANXUN_EMBEDDED_BEAT", False):
        return None
    with _lock:
        if _thread is None or not _thread.is_alive():
            beat = EmbeddedBeat(settings.CELERY_BEAT_SCHEDULE)
            _stop.clear()
            _thread = threading.Thread(
                target=beat.run_forever, args=(_stop,), name="anxun-embedded-beat", daemon=True
            )
            _thread.start()
            logger.info("Embedded beat started: %s scheduled tasks", len(beat.entries))
        return _thread


def embedded_beat_stop(timeout: float = 10.0) -> None:
    """Stop the thread (tests; the server's exit ends a daemon thread anyway)."""
    global _thread
    with _lock:
        _stop.set()
        if _thread is not None:
            _thread.join(timeout)
        _thread = None
