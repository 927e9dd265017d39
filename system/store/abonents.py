"""Abonent writes: ADDABONENT, UPDATEABONENT, DELABONENTS.

An abonent and its phones and e-mails are written in one transaction: the
row, then the phones, then the e-mails; a failure at any step (a bad group,
a constraint, an exception from the caller's data) rolls all of it back.
UPDATEABONENT replaces the phones and e-mails with those sent and keeps
``createtime``; both set ``edittime`` from the store's clock.
"""

from __future__ import annotations

import sqlite3

from nabat.system.protocol.records import Abonent, Phone
from nabat.system.store.abonent_reads import AbonentReads
from nabat.system.store.abonent_rows import CLIENT_COLUMNS, client_values, email_rows, phone_rows
from nabat.system.store.database import Database, exists, require_ids
from nabat.system.store.errors import NotFound

_INSERT = (
    f"INSERT INTO abonents ({', '.join(CLIENT_COLUMNS)}, create_time, edit_time)"
    f" VALUES ({', '.join('?' * (len(CLIENT_COLUMNS) + 2))})"
)
_UPDATE = (
    f"UPDATE abonents SET {', '.join(c + ' = ?' for c in CLIENT_COLUMNS)}, edit_time = ?"
    " WHERE id = ?"
)


def _insert_phones(conn: sqlite3.Connection, abonent_id: int, phones: tuple[Phone, ...]) -> None:
    conn.executemany(
        "INSERT INTO phones (abonent_id, position, enabled, phone, ptype) VALUES (?, ?, ?, ?, ?)",
        phone_rows(abonent_id, phones),
    )


def _insert_emails(conn: sqlite3.Connection, abonent_id: int, emails: tuple[str, ...]) -> None:
    conn.executemany(
        "INSERT INTO emails (abonent_id, position, email) VALUES (?, ?, ?)",
        email_rows(abonent_id, emails),
    )


class Abonents(AbonentReads):
    """Abonent reads (inherited) and writes."""

    def __init__(self, db: Database) -> None:
        super().__init__(db)

    def add(self, abonent: Abonent) -> Abonent:
        """ADDABONENT: ``NotFound`` for an unknown group."""
        with self._db.transaction("abonent") as conn:
            if not exists(conn, "groups", abonent.gid):
                raise NotFound("group", abonent.gid)
            now = self._db.now()
            cur = conn.execute(_INSERT, (*client_values(abonent), now, now))
            abonent_id = cur.lastrowid
            assert abonent_id is not None
            _insert_phones(conn, abonent_id, abonent.phones)
            _insert_emails(conn, abonent_id, abonent.emails)
        return self.get(abonent_id)

    def update(self, abonent_id: int, abonent: Abonent) -> Abonent:
        """UPDATEABONENT: ``NotFound`` for an unknown abonent or group."""
        with self._db.transaction("abonent") as conn:
            if not exists(conn, "abonents", abonent_id):
                raise NotFound("abonent", abonent_id)
            if not exists(conn, "groups", abonent.gid):
                raise NotFound("group", abonent.gid)
            conn.execute(_UPDATE, (*client_values(abonent), self._db.now(), abonent_id))
            conn.execute("DELETE FROM phones WHERE abonent_id = ?", (abonent_id,))
            conn.execute("DELETE FROM emails WHERE abonent_id = ?", (abonent_id,))
            _insert_phones(conn, abonent_id, abonent.phones)
            _insert_emails(conn, abonent_id, abonent.emails)
        return self.get(abonent_id)

    def delete(self, abonent_ids: tuple[int, ...]) -> None:
        """DELABONENTS: all or none; ``NotFound`` when any id is unknown."""
        with self._db.transaction("abonent") as conn:
            require_ids(conn, "abonents", abonent_ids, "abonent")
            conn.executemany("DELETE FROM abonents WHERE id = ?", [(i,) for i in set(abonent_ids)])
