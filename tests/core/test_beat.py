"""The embedded beat (core/beat.py): the dev server's scheduler of CELERY_BEAT_SCHEDULE."""

import datetime
import logging
import threading

import pytest
from celery import current_app
from celery.schedules import crontab
from django.conf import settings
from django.core.management import get_commands, load_command_class
from django.utils import timezone

from core import beat
from core.beat import EmbeddedBeat, embedded_beat_start, embedded_beat_stop

STARTED = timezone.now() - datetime.timedelta(seconds=90)  # the beat began 90 s ago


def schedule(**entries) -> dict:
    return {name: {"task": f"demo.{name}", "schedule": when} for name, when in entries.items()}


def test_due_entries_run_and_entries_not_yet_due_do_not():
    ran = []
    an_hour_from_now = (timezone.localtime() + datetime.timedelta(hours=1)).hour
    clock = EmbeddedBeat(
        {
            **schedule(every_minute=60.0, hourly=3600.0),
            "nightly": {"task": "demo.nightly", "schedule": crontab(minute=0, hour=3)},
            "later": {
                "task": "demo.later",
                "schedule": crontab(minute=0, hour=an_hour_from_now),
                "kwargs": {"full": True},
            },
        },
        runner=lambda entry: ran.append((entry.task, entry.kwargs)),
        started_at=STARTED,
    )
    clock.tick()
    assert ran == [("demo.every_minute", {})]
    clock.tick()  # it ran just now: not due again for another minute
    assert ran == [("demo.every_minute", {})]
    assert clock.entries["every_minute"].total_run_count == 1
    assert clock.entries["hourly"].total_run_count == 0


def test_a_crontab_entry_runs_when_its_time_has_come():
    ran = []
    clock = EmbeddedBeat(
        {"each_minute": {"task": "demo.each_minute", "schedule": crontab(), "args": [7]}},
        runner=lambda entry: ran.append((entry.task, entry.args)),
        started_at=STARTED,
    )
    clock.tick()
    assert ran == [("demo.each_minute", (7,))]


def test_a_failing_task_is_logged_and_the_others_still_run(caplog):
    ran = []

    def runner(entry):
        if entry.name == "broken":
            raise RuntimeError("the database is locked")
        ran.append(entry.name)

    clock = EmbeddedBeat(
        schedule(first=30.0, broken=30.0, last=30.0), runner=runner, started_at=STARTED
    )
    with caplog.at_level(logging.ERROR, logger="core.beat"):
        clock.tick()
    assert ran == ["first", "last"]
    failure = next(record for record in caplog.records if record.levelno == logging.ERROR)
    assert "broken" in failure.getMessage() and "demo.broken" in failure.getMessage()
    assert "the database is locked" in caplog.text  # the traceback goes with it
    assert clock.entries["broken"].total_run_count == 1  # it waits for its next turn


def test_the_settings_schedule_names_only_registered_tasks():
    clock = EmbeddedBeat(settings.CELERY_BEAT_SCHEDULE)
    assert set(clock.entries) == set(settings.CELERY_BEAT_SCHEDULE)
    current_app.loader.import_default_modules()
    for entry in clock.entries.values():
        assert entry.task in current_app.tasks, entry.task


@pytest.mark.django_db
def test_the_real_runner_runs_the_task_with_its_arguments():
    from core.figures import campaign_figures
    from tests.factories import WorkerProfileFactory

    WorkerProfileFactory.create_batch(2)
    clock = EmbeddedBeat(
        {
            "refresh": {
                "task": "dashboards.tasks.refresh_aggregates",
                "schedule": 60.0,
                "kwargs": {"full": True},
            }
        },
        started_at=STARTED,
    )
    clock.tick()
    assert campaign_figures()["registered"] == 2


@pytest.fixture
def no_thread():
    embedded_beat_stop()
    yield
    embedded_beat_stop()


def test_the_thread_starts_once_and_only_where_the_profile_asks(settings, no_thread, monkeypatch):
    ticks = threading.Event()
    monkeypatch.setattr(EmbeddedBeat, "tick", lambda self: ticks.set() or 60.0)
    settings.ANXUN_EMBEDDED_BEAT = False
    assert embedded_beat_start() is None
    settings.ANXUN_EMBEDDED_BEAT = True
    first = embedded_beat_start()
    assert first is not None and first.daemon and first.is_alive()
    assert embedded_beat_start() is first
    assert [t for t in threading.enumerate() if t.name == "anxun-embedded-beat"] == [first]
    assert ticks.wait(5)
    embedded_beat_stop()
    assert not first.is_alive()


def test_runserver_starts_the_beat_in_the_serving_process(monkeypatch):
    from django.contrib.staticfiles.management.commands.runserver import (
        Command as StaticRunserver,
    )

    assert get_commands()["runserver"] == "core"
    command = load_command_class("core", "runserver")
    assert isinstance(command, StaticRunserver)  # static files are still served
    calls = []
    monkeypatch.setattr(beat.settings, "ANXUN_EMBEDDED_BEAT", True, raising=False)
    monkeypatch.setattr(
        "core.management.commands.runserver.embedded_beat_start", lambda: calls.append("beat")
    )
    monkeypatch.setattr(StaticRunserver, "inner_run", lambda self, *a, **o: calls.append("serve"))
    command.inner_run(use_threading=True)
    assert calls == ["beat", "serve"]


def test_only_the_dev_profile_embeds_the_beat():
    from config.settings import base, dev

    assert base.ANXUN_EMBEDDED_BEAT is False and dev.ANXUN_EMBEDDED_BEAT is True
    assert dev.CELERY_BEAT_SCHEDULE["refresh-aggregates"]["schedule"] <= 60
    assert set(dev.CELERY_BEAT_SCHEDULE) == set(base.CELERY_BEAT_SCHEDULE)
