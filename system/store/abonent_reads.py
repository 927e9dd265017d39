"""Abonent reads: GETABONENT and the streaming GETABONENTS.

``iter`` never builds the whole listing and never holds a read
transaction while its consumer (a client, at its own pace) takes the
records: it walks the abonents in id order by keyset pagination (``id >
last ORDER BY id LIMIT page``), each page in its own short read on the
store's connection (the abonents, then the page's phones and e-mails with
one query each, ordered by the ``(abonent_id, position)`` primary keys),
and yields the page's records after the read has ended. So the WAL can be
checkpointed while a slow client drains a long listing. Each abonent is
listed once, in id order, each record whole (a page is one consistent
read); an abonent added or deleted while the listing runs may or may not
appear. Memory is bounded by the page size.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Generator
from typing import Any

from nabat.system.protocol.records import Abonent, Phone
from nabat.system.store.abonent_rows import SELECT_COLUMNS, abonent_from_row, phone_from_row
from nabat.system.store.database import Database
from nabat.system.store.errors import NotFound

PAGE_SIZE = 500


def _filter(gid: int | None, lid: int | None) -> tuple[str, tuple[Any, ...]]:
    """SQL conditions (to AND in) and their parameters for GETABONENTS' filters."""
    sql = ""
    params: tuple[Any, ...] = ()
    if gid is not None:
        sql += " AND group_id = ?"
        params += (gid,)
    if lid is not None:
        sql += (
            " AND (id IN (SELECT abonent_id FROM list_abonents WHERE list_id = ?)"
            " OR group_id IN (SELECT group_id FROM list_groups WHERE list_id = ?))"
        )
        params += (lid, lid)
    return sql, params


def _children(
    conn: sqlite3.Connection, ids: list[int]
) -> tuple[dict[int, list[Phone]], dict[int, list[str]]]:
    marks = ",".join("?" * len(ids))
    phones: dict[int, list[Phone]] = defaultdict(list)
    for abonent_id, enabled, phone, ptype in conn.execute(
        "SELECT abonent_id, enabled, phone, ptype FROM phones"
        f" WHERE abonent_id IN ({marks}) ORDER BY abonent_id, position",
        ids,
    ):
        phones[abonent_id].append(phone_from_row(enabled, phone, ptype))
    emails: dict[int, list[str]] = defaultdict(list)
    for abonent_id, email in conn.execute(
        f"SELECT abonent_id, email FROM emails WHERE abonent_id IN ({marks})"
        " ORDER BY abonent_id, position",
        ids,
    ):
        emails[abonent_id].append(email)
    return phones, emails


def _page(conn: sqlite3.Connection, rows: list[tuple[Any, ...]]) -> list[Abonent]:
    phones, emails = _children(conn, [row[0] for row in rows])
    return [
        abonent_from_row(row, tuple(phones.get(row[0], ())), tuple(emails.get(row[0], ())))
        for row in rows
    ]


class AbonentReads:
    def __init__(self, db: Database) -> None:
        self._db = db

    def find(self, abonent_id: int) -> Abonent | None:
        with self._db.locked() as conn:
            row = conn.execute(
                f"SELECT {SELECT_COLUMNS} FROM abonents WHERE id = ?", (abonent_id,)
            ).fetchone()
            return None if row is None else _page(conn, [row])[0]

    def get(self, abonent_id: int) -> Abonent:
        """GETABONENT: ``NotFound`` for an unknown id."""
        abonent = self.find(abonent_id)
        if abonent is None:
            raise NotFound("abonent", abonent_id)
        return abonent

    def iter(
        self, gid: int | None = None, lid: int | None = None, *, page_size: int = PAGE_SIZE
    ) -> Generator[Abonent, None, None]:
        """GETABONENTS: the abonents (of group ``gid``, in list ``lid``) in id order."""
        where, params = _filter(gid, lid)
        sql = f"SELECT {SELECT_COLUMNS} FROM abonents WHERE id > ?{where} ORDER BY id LIMIT ?"
        last = 0
        while True:
            with self._db.locked() as conn:  # one short read per page, ended before yielding
                rows = conn.execute(sql, (last, *params, page_size)).fetchall()
                page = _page(conn, rows) if rows else []
            if not page:
                return
            yield from page
            last = rows[-1][0]

    def count(self, gid: int | None = None, lid: int | None = None) -> int:
        where, params = _filter(gid, lid)
        row = self._db.fetchone(f"SELECT COUNT(*) FROM abonents WHERE 1{where}", params)
        return 0 if row is None else int(row[0])
