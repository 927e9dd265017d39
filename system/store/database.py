"""One SQLite database file: connection setup, transactions and snapshot readers.

``Database.open`` creates the data directory and ``nabat.db`` inside it,
switches on WAL, foreign keys, a busy timeout and ``synchronous=NORMAL``
(durable across application crashes; a power cut may lose the last
transactions but never corrupts), then runs the migrations.

Writes and short reads share one connection guarded by a lock, so the server
may call from any thread. ``transaction(entity)`` runs a block as one
``BEGIN IMMEDIATE`` transaction: any exception rolls everything back; an
SQLite integrity failure becomes ``ConstraintViolated(entity)`` (the SQLite
message stays on ``__cause__`` for the log, never in the error's text).
Long listings read page by page through ``locked()``, never inside one long
read transaction, so the WAL can always be checkpointed.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from nabat.system.store.clock import Clock, system_clock, to_db
from nabat.system.store.errors import ConstraintViolated, Invalid, NotFound
from nabat.system.store.migrate import migrate

DB_FILENAME = "nabat.db"
BUSY_TIMEOUT_MS = 5000


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(
        path,
        isolation_level=None,  # autocommit: transactions are explicit BEGIN/COMMIT
        check_same_thread=False,
        timeout=BUSY_TIMEOUT_MS / 1000,
    )
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    return conn


class Database:
    """The open database: one connection behind a lock, for writes and short reads."""

    def __init__(self, path: Path, conn: sqlite3.Connection, clock: Clock) -> None:
        self.path = path
        self.clock = clock
        self._conn = conn
        self._lock = threading.RLock()

    @classmethod
    def open(cls, data_dir: str | Path, clock: Clock = system_clock) -> Database:
        directory = Path(data_dir)
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / DB_FILENAME
        conn = _connect(path)
        try:
            migrate(conn)
        except BaseException:
            conn.close()
            raise
        return cls(path, conn, clock)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def now(self) -> str:
        """The clock's current time in the stored text form."""
        stamp = to_db(self.clock())
        assert stamp is not None
        return stamp

    @contextmanager
    def transaction(self, entity: str) -> Iterator[sqlite3.Connection]:
        """A write transaction on ``entity`` rows; all or nothing.
        Integrity failures -> ``ConstraintViolated(entity)``."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except sqlite3.IntegrityError as exc:
                self._conn.execute("ROLLBACK")
                raise ConstraintViolated(entity, detail=f"{entity}: integrity rule broken") from exc
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            try:
                self._conn.execute("COMMIT")
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise

    def fetchall(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """A short read on the shared connection (one statement, so consistent)."""
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    def fetchone(self, sql: str, params: tuple[Any, ...] = ()) -> tuple[Any, ...] | None:
        with self._lock:
            row: tuple[Any, ...] | None = self._conn.execute(sql, params).fetchone()
            return row

    @contextmanager
    def locked(self) -> Iterator[sqlite3.Connection]:
        """The shared connection under the lock: several short reads no write can split."""
        with self._lock:
            yield self._conn



def require_ids(conn: sqlite3.Connection, table: str, ids: tuple[int, ...], entity: str) -> None:
    """``NotFound(entity, id)`` unless every id exists in ``table`` (a trusted name);
    ``Invalid`` for no ids at all."""
    wanted = set(ids)
    if not wanted:
        raise Invalid(entity, detail=f"no {entity} ids given")
    found: set[int] = set()
    chunk = sorted(wanted)
    for start in range(0, len(chunk), 500):
        part = chunk[start : start + 500]
        marks = ",".join("?" * len(part))
        rows = conn.execute(f"SELECT id FROM {table} WHERE id IN ({marks})", part)
        found.update(row[0] for row in rows)
    missing = wanted - found
    if missing:
        raise NotFound(entity, min(missing))


def exists(conn: sqlite3.Connection, table: str, row_id: int) -> bool:
    return conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (row_id,)).fetchone() is not None
