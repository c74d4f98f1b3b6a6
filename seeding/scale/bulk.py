"""COPY into PostgreSQL by model, and the per-step timings ``seed_scale`` prints.

Table and column names come from each model's ``_meta``; a model that gains a required column
makes the seeding stop with its name instead of failing somewhere inside COPY. Primary keys are
reserved from the table's own sequence before the rows are written, so rows of one table can
point at rows of another before either is in the database.
"""

import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Protocol

from django.db import connection
from psycopg import sql

# Rows per COPY statement. Foreign keys are checked at the end of each statement, so a batch
# bounds the queue of pending checks while keeping the per-statement overhead negligible.
BATCH_ROWS = 100_000


def raw_connection():
    """The psycopg connection under Django's, inside Django's current transaction."""
    connection.ensure_connection()
    return connection.connection


class BulkTable:
    """One model's table, filled with ``copy(rows)`` where each row is a tuple of values in
    the order of ``fields`` (model field names: ``user``, not ``user_id``)."""

    def __init__(self, model, fields: Sequence[str]):
        meta = model._meta
        self.model = model
        self.table = meta.db_table
        self.pk_column = meta.pk.column
        self.columns = [meta.get_field(name).column for name in fields]
        unfilled = [
            f.column
            for f in meta.concrete_fields
            if f.column not in self.columns and not f.null and not f.has_db_default()
        ]
        if unfilled:
            raise ValueError(
                f"seed_scale gives no value for {self.table}.{', '.join(unfilled)}, which the "
                "database requires: add them to seeding/scale."
            )

    def reserve_ids(self, count: int) -> int:
        """Take ``count`` consecutive ids from the table's sequence and return the first one.

        The sequence is moved past them at once, so nothing inserted meanwhile can take them.
        """
        with raw_connection().cursor() as cursor:
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [self.table, self.pk_column])
            (sequence,) = cursor.fetchone()
            cursor.execute("SELECT nextval(%s)", [sequence])
            (first,) = cursor.fetchone()
            cursor.execute(
                sql.SQL("SELECT COALESCE(MAX({}), 0) FROM {}").format(
                    sql.Identifier(self.pk_column), sql.Identifier(self.table)
                )
            )
            (highest,) = cursor.fetchone()
            first = max(first, highest + 1)  # rows written with explicit ids skip the sequence
            if count:
                cursor.execute("SELECT setval(%s, %s)", [sequence, first + count - 1])
        return first

    def copy(self, rows: Iterable[tuple]) -> int:
        """Write the rows with COPY, ``BATCH_ROWS`` per statement; returns how many."""
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(self.table), sql.SQL(", ").join(map(sql.Identifier, self.columns))
        )
        written = 0
        with raw_connection().cursor() as cursor:
            for batch in _batches(rows, BATCH_ROWS):
                with cursor.copy(statement) as copy:
                    for row in batch:
                        copy.write_row(row)
                written += len(batch)
        return written

    def finish(self) -> None:
        """Point the sequence at the highest id, then refresh the planner's statistics: the
        next query on a table that grew a millionfold must not be planned for an empty one."""
        with raw_connection().cursor() as cursor:
            cursor.execute(
                sql.SQL(
                    "SELECT setval(pg_get_serial_sequence(%s, %s), MAX({})) FROM {} HAVING COUNT(*) > 0"
                ).format(sql.Identifier(self.pk_column), sql.Identifier(self.table)),
                [self.table, self.pk_column],
            )
            cursor.execute(sql.SQL("ANALYZE {}").format(sql.Identifier(self.table)))


def _batches(rows: Iterable[tuple], size: int) -> Iterator[list[tuple]]:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass
class Step:
    label: str
    rows: int | None = None
    seconds: float = 0.0


class Output(Protocol):
    """Where the timings are written: a management command's ``stdout``."""

    def write(self, msg: str) -> object: ...


@dataclass
class Timings:
    """Prints each step (rows written, seconds) as it ends, and the total at the end."""

    stdout: Output
    steps: list[Step] = field(default_factory=list)
    started: float = field(default_factory=time.perf_counter)

    @contextmanager
    def step(self, label: str) -> Iterator[Step]:
        step = Step(label)
        began = time.perf_counter()
        yield step
        step.seconds = time.perf_counter() - began
        self.steps.append(step)
        rows = f"{step.rows:>12,} rows" if step.rows is not None else " " * 17
        self.stdout.write(f"  {label:<42} {rows} {step.seconds:8.1f} s")

    def total(self) -> float:
        return time.perf_counter() - self.started
