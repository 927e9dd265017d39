"""Brings a database's schema up to date, one migration per transaction.

``schema_version`` holds one row, the number of the last migration applied
(0 for an empty database). ``migrate`` reads it, refuses a database newer
than the code (``SchemaVersionError``) and applies every later step in
order, each in its own ``BEGIN IMMEDIATE`` transaction together with the
version bump, so a failing step leaves the database at the previous version.
The connection must be in autocommit mode (``isolation_level=None``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from nabat.system.store.errors import SchemaVersionError
from nabat.system.store.schema import MIGRATIONS, Migration


def schema_version(conn: sqlite3.Connection) -> int:
    """The version the database is at; 0 when it has never been migrated."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).fetchone()
    if exists is None:
        return 0
    row = conn.execute("SELECT version FROM schema_version").fetchone()
    return 0 if row is None else int(row[0])


def _check_order(steps: Sequence[Migration]) -> None:
    for expected, step in enumerate(steps, start=1):
        if step.version != expected:
            raise ValueError(f"migration {step.version} out of order (expected {expected})")


def migrate(conn: sqlite3.Connection, steps: Sequence[Migration] = MIGRATIONS) -> int:
    """Apply the missing steps; return the version reached."""
    _check_order(steps)
    supported = len(steps)
    conn.execute("BEGIN IMMEDIATE")  # one writer decides; others wait on busy_timeout
    try:
        conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        if conn.execute("SELECT COUNT(*) FROM schema_version").fetchone()[0] == 0:
            conn.execute("INSERT INTO schema_version (version) VALUES (0)")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    current = schema_version(conn)
    if current > supported:
        raise SchemaVersionError(current, supported)
    for step in steps[current:]:
        conn.execute("BEGIN IMMEDIATE")
        try:
            if schema_version(conn) >= step.version:  # another process got here first
                conn.execute("ROLLBACK")
                continue
            for statement in step.statements:
                conn.execute(statement)
            conn.execute("UPDATE schema_version SET version = ?", (step.version,))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return schema_version(conn)
