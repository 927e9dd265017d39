"""Distribution lists and their members: ADDLIST ... LISTCLEAR, DELLIST.

A list holds abonents directly (``list_abonents``) and whole groups
(``list_groups``); its abonents are the union of both. Adding members is
idempotent and all-or-nothing (one unknown id refuses the whole request).
A list a task uses cannot be deleted (``InUse``); deleting a list
drops its memberships, never the abonents or groups themselves.
"""

from __future__ import annotations

from typing import Any

from nabat.system.protocol.records import DistributionList
from nabat.system.store.database import Database, exists, require_ids
from nabat.system.store.errors import InUse, NotFound


def _list(row: tuple[Any, ...]) -> DistributionList:
    return DistributionList(id=row[0], name=row[1], description=row[2])


class Lists:
    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, dlist: DistributionList) -> DistributionList:
        with self._db.transaction("list") as conn:
            cur = conn.execute(
                "INSERT INTO lists (name, description) VALUES (?, ?)",
                (dlist.name, dlist.description),
            )
            new_id = cur.lastrowid
        return DistributionList(id=new_id, name=dlist.name, description=dlist.description)

    def update(self, dlist: DistributionList) -> DistributionList:
        """UPDATELIST / UPDATLIST: ``NotFound`` for an unknown id."""
        with self._db.transaction("list") as conn:
            cur = conn.execute(
                "UPDATE lists SET name = ?, description = ? WHERE id = ?",
                (dlist.name, dlist.description, dlist.id),
            )
            if cur.rowcount == 0:
                raise NotFound("list", dlist.id)
        return dlist

    def delete(self, list_id: int) -> None:
        """DELLIST: ``NotFound`` for an unknown id, ``InUse`` while a task uses it."""
        with self._db.transaction("list") as conn:
            if not exists(conn, "lists", list_id):
                raise NotFound("list", list_id)
            used = conn.execute("SELECT id FROM tasks WHERE list_id = ? LIMIT 1", (list_id,))
            task = used.fetchone()
            if task is not None:
                raise InUse("list", list_id, by=f"task {task[0]}")
            conn.execute("DELETE FROM lists WHERE id = ?", (list_id,))

    def find(self, list_id: int) -> DistributionList | None:
        row = self._db.fetchone("SELECT id, name, description FROM lists WHERE id = ?", (list_id,))
        return None if row is None else _list(row)

    def all(self) -> list[DistributionList]:
        """GETLISTS, by id."""
        return [
            _list(r)
            for r in self._db.fetchall("SELECT id, name, description FROM lists ORDER BY id")
        ]

    def add_abonents(self, list_id: int, abonent_ids: tuple[int, ...]) -> None:
        """LISTADDABONENTS."""
        self._add(list_id, abonent_ids, "abonents", "list_abonents", "abonent_id", "abonent")

    def add_groups(self, list_id: int, group_ids: tuple[int, ...]) -> None:
        """LISTADDGROUPS."""
        self._add(list_id, group_ids, "groups", "list_groups", "group_id", "group")

    def remove_abonents(self, list_id: int, abonent_ids: tuple[int, ...]) -> None:
        """LISTDELABONENTS: ids that are not members are ignored; unknown ids refuse."""
        self._remove(list_id, abonent_ids, "abonents", "list_abonents", "abonent_id", "abonent")

    def remove_groups(self, list_id: int, group_ids: tuple[int, ...]) -> None:
        """LISTDELGROUPS."""
        self._remove(list_id, group_ids, "groups", "list_groups", "group_id", "group")

    def clear(self, list_id: int) -> None:
        """LISTCLEAR: every member out, the list stays."""
        with self._db.transaction("list") as conn:
            if not exists(conn, "lists", list_id):
                raise NotFound("list", list_id)
            conn.execute("DELETE FROM list_abonents WHERE list_id = ?", (list_id,))
            conn.execute("DELETE FROM list_groups WHERE list_id = ?", (list_id,))

    def _add(
        self, list_id: int, ids: tuple[int, ...], table: str, link: str, column: str,
        entity: str,
    ) -> None:  # fmt: skip
        with self._db.transaction("list") as conn:
            if not exists(conn, "lists", list_id):
                raise NotFound("list", list_id)
            require_ids(conn, table, ids, entity)
            conn.executemany(
                f"INSERT OR IGNORE INTO {link} (list_id, {column}) VALUES (?, ?)",
                [(list_id, member) for member in set(ids)],
            )

    def _remove(
        self, list_id: int, ids: tuple[int, ...], table: str, link: str, column: str,
        entity: str,
    ) -> None:  # fmt: skip
        with self._db.transaction("list") as conn:
            if not exists(conn, "lists", list_id):
                raise NotFound("list", list_id)
            require_ids(conn, table, ids, entity)
            conn.executemany(
                f"DELETE FROM {link} WHERE list_id = ? AND {column} = ?",
                [(list_id, member) for member in set(ids)],
            )
