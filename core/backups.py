"""Backups of the database and the media, and restoring them, checked.

A backup is a directory: ``database.dump`` (``pg_dump`` custom format), ``media.tar.gz`` and
``private.tar.gz`` (public and private media) and ``manifest.json`` (row counts of every table,
taken in the snapshot the dump is made from, and every archived file's size and SHA-256, hashed
from the bytes written into the archive). A restore
creates a fresh database from the dump, unpacks the media, and compares both with the manifest:
what differs is listed, and a restore that differs fails.
"""

import hashlib
import io
import json
import os
import shutil
import subprocess
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from django.conf import settings
from django.db import connection
from django.utils import timezone
from psycopg import sql
from psycopg.conninfo import make_conninfo

MANIFEST = "manifest.json"
DUMP = "database.dump"
MEDIA = (("media", "MEDIA_ROOT"), ("private", "PRIVATE_MEDIA_ROOT"))


class BackupError(Exception):
    """A backup or restore step failed; the message says which and why."""


@dataclass
class Comparison:
    missing_tables: list[str] = field(default_factory=list)
    differing_counts: dict[str, tuple[int, int]] = field(default_factory=dict)
    missing_files: list[str] = field(default_factory=list)
    differing_files: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (
            self.missing_tables
            or self.differing_counts
            or self.missing_files
            or self.differing_files
        )

    def lines(self) -> list[str]:
        out = [f"table missing: {name}" for name in self.missing_tables]
        out += [
            f"rows differ in {name}: backed up {was}, restored {now}"
            for name, (was, now) in self.differing_counts.items()
        ]
        out += [f"file missing: {name}" for name in self.missing_files]
        out += [f"file differs: {name}" for name in self.differing_files]
        return out


def _libpq_env(database: dict) -> dict:
    env = {**os.environ}
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if database.get(key):
            env[variable] = str(database[key])
    return env


def _run(command: list[str], *, env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


def row_counts(conn) -> dict[str, int]:
    """Exact row counts of every table in the public schema."""
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
            counts[table] = cursor.fetchone()[0]
    return counts


def _regular_files(root: Path):
    """(relative name, path) of every regular file under ``root`` (links are not followed:
    media holds uploads, never links)."""
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.is_symlink():
                yield str(path.relative_to(root)), path


def _files(root: Path) -> dict[str, list]:
    listed = {}
    for name, path in _regular_files(root):
        data = path.read_bytes()
        listed[name] = [len(data), hashlib.sha256(data).hexdigest()]
    return listed


def _archive(root: Path, target: Path) -> dict[str, list]:
    """Write every file into a tar.gz, hashing the very bytes written: the manifest describes
    the archive even if a file changes meanwhile (one that vanishes is left out)."""
    listed = {}
    with tarfile.open(target, "w:gz") as archive:
        for name, path in _regular_files(root):
            try:
                data = path.read_bytes()
            except FileNotFoundError:
                continue
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(data), int(path.stat().st_mtime), 0o640
            archive.addfile(info, io.BytesIO(data))
            listed[name] = [len(data), hashlib.sha256(data).hexdigest()]
    return listed


def backup_create(target: Path) -> dict:
    """Write a backup of the default database and both media roots into ``target``."""
    if connection.vendor != "postgresql":
        raise BackupError("Backups are of the PostgreSQL database (pg_dump).")
    target.mkdir(parents=True, exist_ok=False)
    try:
        return _backup_into(target)
    except Exception:
        shutil.rmtree(target, ignore_errors=True)  # no half-written backup left to trust
        raise


def _backup_into(target: Path) -> dict:
    database = connection.settings_dict
    env = _libpq_env(database)
    # The counts and the dump see the same snapshot: the dump runs with the snapshot exported
    # by the transaction that counted, which stays open until the dump is done.
    with psycopg.connect(**_connect_kwargs(database), autocommit=False) as conn:
        with conn.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            row = cursor.fetchone()
            assert row is not None  # a SELECT of one function call always returns one row
            snapshot = row[0]
        counts = row_counts(conn)
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                f"--snapshot={snapshot}",
                f"--file={target / DUMP}",
                database["NAME"],
            ],
            env=env,
        )
    files = {
        name: _archive(Path(getattr(settings, setting)), target / f"{name}.tar.gz")
        for name, setting in MEDIA
    }
    manifest = {
        "made_at": timezone.now().isoformat(),
        "database": database["NAME"],
        "tables": counts,
        "files": files,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return manifest


def _connect_kwargs(database: dict, name: str | None = None) -> dict:
    kwargs = {"dbname": name or database["NAME"]}
    for key, option in (
        ("HOST", "host"),
        ("PORT", "port"),
        ("USER", "user"),
        ("PASSWORD", "password"),
    ):
        if database.get(key):
            kwargs[option] = database[key]
    return kwargs


def backup_restore(
    source: Path, *, database_name: str, media_root: Path, private_root: Path
) -> Comparison:
    """Restore ``source`` into a new database ``database_name`` and the two media roots (which
    must not exist yet), then compare everything with the manifest."""
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{source} holds no readable {MANIFEST}: {error}") from error
    for root in (media_root, private_root):
        if root.exists():
            raise BackupError(f"{root} exists already: restore into new directories.")
    database = connection.settings_dict
    env = _libpq_env(database)
    try:
        with psycopg.connect(**_connect_kwargs(database, "postgres"), autocommit=True) as admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database_name)))
    except psycopg.Error as error:
        raise BackupError(f"The database {database_name} cannot be created: {error}") from error
    # The target as a whole connection string, so a name holding "=" cannot point pg_restore
    # at another database.
    target = make_conninfo(**_connect_kwargs(database, database_name))
    _run(
        ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={target}", str(source / DUMP)],
        env=env,
    )
    for (name, _setting), root in zip(MEDIA, (media_root, private_root), strict=True):
        root.mkdir(parents=True)
        try:
            with tarfile.open(source / f"{name}.tar.gz", "r:gz") as archive:
                archive.extractall(root, filter="data")
        except (OSError, tarfile.TarError) as error:
            raise BackupError(f"{name}.tar.gz cannot be unpacked: {error}") from error
    with psycopg.connect(**_connect_kwargs(database, database_name)) as restored:
        counts = row_counts(restored)
    comparison = Comparison()
    for table, expected in manifest["tables"].items():
        if table not in counts:
            comparison.missing_tables.append(table)
        elif counts[table] != expected:
            comparison.differing_counts[table] = (expected, counts[table])
    for (name, _setting), root in zip(MEDIA, (media_root, private_root), strict=True):
        restored_files = _files(root)
        for path, facts in manifest["files"][name].items():
            if path not in restored_files:
                comparison.missing_files.append(f"{name}/{path}")
            elif restored_files[path] != facts:
                comparison.differing_files.append(f"{name}/{path}")
    return comparison
