"""Back up the database and the media, restore them into a fresh database and new directories,
and compare every table's rows and every file: the restore script runs for real here."""

import json
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from psycopg import sql

from tests.factories import WorkerProfileFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _drop(name: str) -> None:
    params = connection.settings_dict
    with psycopg.connect(
        dbname="postgres", host=params["HOST"], port=params["PORT"] or 5432, user=params["USER"],
        autocommit=True,
    ) as admin:  # fmt: skip
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


@pytest.fixture
def restored_name():
    name = f"{connection.settings_dict['NAME']}_restored"
    _drop(name)
    yield name
    _drop(name)


def _restored_count(name: str, table: str) -> int:
    params = connection.settings_dict
    with psycopg.connect(
        dbname=name, host=params["HOST"], port=params["PORT"] or 5432, user=params["USER"]
    ) as conn:
        query = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
        return conn.execute(query).fetchone()[0]


def test_a_backup_restores_whole_into_a_fresh_database(tmp_path, restored_name):
    workers = WorkerProfileFactory.create_batch(7)
    photo = Path(settings.PRIVATE_MEDIA_ROOT) / "photos" / "backup-test.jpg"
    photo.parent.mkdir(parents=True, exist_ok=True)
    photo.write_bytes(b"\xff\xd8 not really a photo \xff\xd9")
    backup = tmp_path / "backup"

    call_command("backup_create", str(backup))
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["tables"]["accounts_workerprofile"] == len(workers)
    assert "photos/backup-test.jpg" in manifest["files"]["private"]

    call_command(
        "backup_restore",
        str(backup),
        database=restored_name,
        media_root=str(tmp_path / "media"),
        private_media_root=str(tmp_path / "private"),
    )
    assert _restored_count(restored_name, "accounts_workerprofile") == 7
    assert (tmp_path / "private" / "photos" / "backup-test.jpg").read_bytes() == photo.read_bytes()


def test_a_restore_that_differs_from_the_manifest_fails(tmp_path, restored_name):
    WorkerProfileFactory.create_batch(2)
    backup = tmp_path / "backup"
    call_command("backup_create", str(backup))
    manifest = json.loads((backup / "manifest.json").read_text())
    manifest["tables"]["accounts_workerprofile"] += 1  # as if a row had been lost
    manifest["files"]["private"]["photos/lost.jpg"] = [3, "0" * 64]
    (backup / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(CommandError) as failed:
        call_command(
            "backup_restore",
            str(backup),
            database=restored_name,
            media_root=str(tmp_path / "media"),
            private_media_root=str(tmp_path / "private"),
        )
    assert "accounts_workerprofile: backed up 3, restored 2" in str(failed.value)
    assert "file missing: private/photos/lost.jpg" in str(failed.value)


def test_a_backup_never_overwrites_an_earlier_one(tmp_path):
    (tmp_path / "backup").mkdir()
    with pytest.raises(CommandError):
        call_command("backup_create", str(tmp_path / "backup"))


def test_a_restore_refuses_directories_that_exist_before_touching_the_database(
    tmp_path, restored_name
):
    backup = tmp_path / "backup"
    call_command("backup_create", str(backup))
    (tmp_path / "media").mkdir()
    with pytest.raises(CommandError, match="exists already"):
        call_command(
            "backup_restore",
            str(backup),
            database=restored_name,
            media_root=str(tmp_path / "media"),
            private_media_root=str(tmp_path / "private"),
        )
    params = connection.settings_dict
    with psycopg.connect(
        dbname="postgres", host=params["HOST"], port=params["PORT"] or 5432, user=params["USER"]
    ) as admin:
        exists = admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [restored_name]
        ).fetchone()
    assert exists is None
