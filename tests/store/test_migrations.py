"""Schema migrations: from empty, reopening, ordered steps, refusal of a newer database."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from nabat.system.protocol.records import Group
from nabat.system.store import SchemaVersionError, Store
from nabat.system.store.database import DB_FILENAME
from nabat.system.store.migrate import migrate, schema_version
from nabat.system.store.schema import CURRENT_VERSION, MIGRATIONS, Migration

TABLES = {"users", "groups", "lists", "abonents", "phones", "emails", "list_abonents",
          "list_groups", "messages", "tasks", "schema_version", "channels",
          "runtime_settings"}  # fmt: skip


def _raw(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


def test_empty_directory_is_migrated_to_current(tmp_path: Path) -> None:
    with Store.open(tmp_path / "new" / "dir") as store:
        path = store.db.path
    conn = _raw(path)
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert names >= TABLES
    assert schema_version(conn) == CURRENT_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_pragmas_on_the_store_connection(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store, store.db.locked() as conn:
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] > 0


def test_reopening_keeps_data_and_version(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        group = store.groups.add(Group(name="Штаб", description="первая"))
    with Store.open(tmp_path) as store:
        assert store.groups.all() == [group]
        with store.db.locked() as conn:
            assert schema_version(conn) == CURRENT_VERSION
            assert conn.execute("SELECT COUNT(*) FROM schema_version").fetchone()[0] == 1


def test_steps_apply_in_order_and_only_once(tmp_path: Path) -> None:
    conn = _raw(tmp_path / "x.db")
    first = Migration(1, "a", ("CREATE TABLE a (x INTEGER)",))
    second = Migration(2, "b", ("INSERT INTO a VALUES (1)",))
    assert migrate(conn, (first,)) == 1
    assert migrate(conn, (first, second)) == 2
    assert migrate(conn, (first, second)) == 2
    assert conn.execute("SELECT COUNT(*) FROM a").fetchone()[0] == 1


def test_failing_step_rolls_back_to_previous_version(tmp_path: Path) -> None:
    conn = _raw(tmp_path / "x.db")
    first = Migration(1, "a", ("CREATE TABLE a (x INTEGER)",))
    broken = Migration(2, "b", ("CREATE TABLE b (y INTEGER)", "THIS IS NOT SQL"))
    with pytest.raises(sqlite3.OperationalError):
        migrate(conn, (first, broken))
    assert schema_version(conn) == 1
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "b" not in tables


def test_out_of_order_steps_are_refused(tmp_path: Path) -> None:
    conn = _raw(tmp_path / "x.db")
    with pytest.raises(ValueError, match="out of order"):
        migrate(conn, (Migration(2, "b", ()),))


def test_newer_database_is_refused(tmp_path: Path) -> None:
    Store.open(tmp_path).close()
    conn = _raw(tmp_path / DB_FILENAME)
    conn.execute("UPDATE schema_version SET version = ?", (len(MIGRATIONS) + 5,))
    conn.close()
    with pytest.raises(SchemaVersionError, match="newer than this code") as info:
        Store.open(tmp_path)
    assert info.value.found == len(MIGRATIONS) + 5
    assert info.value.supported == CURRENT_VERSION
