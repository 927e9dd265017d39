"""Runtime settings changed with SETCONFIG, kept so they survive a restart.

One row per key, the value as the text SETCONFIG received; the server
validates keys and values before storing and again when it reads them back
at start (``system/server/live.py``). ``reset`` forgets a key.
"""

from __future__ import annotations

from nabat.system.store.database import Database


class RuntimeSettings:
    def __init__(self, db: Database) -> None:
        self._db = db

    def all(self) -> dict[str, str]:
        rows = self._db.fetchall("SELECT key, value FROM runtime_settings ORDER BY key")
        return {str(key): str(value) for key, value in rows}

    def set(self, key: str, value: str) -> None:
        with self._db.transaction("setting") as conn:
            conn.execute(
                "INSERT INTO runtime_settings (key, value, edit_time) VALUES (?, ?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value,"
                " edit_time = excluded.edit_time",
                (key, value, self._db.now()),
            )

    def reset(self, key: str) -> None:
        with self._db.transaction("setting") as conn:
            conn.execute("DELETE FROM runtime_settings WHERE key = ?", (key,))
