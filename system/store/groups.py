"""Abonent groups: ADDGROUP, UPDATEGROUP, DELGROUP, GETGROUPS, GROUPADDABONENTS.

Every abonent belongs to exactly one group. A group that still holds
abonents cannot be deleted (``InUse``); deleting a group removes it from the
distribution lists that contained it.
"""

from __future__ import annotations

from typing import Any

from nabat.system.protocol.records import Group
from nabat.system.store.database import Database, exists, require_ids
from nabat.system.store.errors import InUse, NotFound


def _group(row: tuple[Any, ...]) -> Group:
    return Group(id=row[0], name=row[1], description=row[2])


class Groups:
    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, group: Group) -> Group:
        with self._db.transaction("group") as conn:
            cur = conn.execute(
                "INSERT INTO groups (name, description) VALUES (?, ?)",
                (group.name, group.description),
            )
            new_id = cur.lastrowid
        return Group(id=new_id, name=group.name, description=group.description)

    def update(self, group: Group) -> Group:
        """UPDATEGROUP: ``NotFound`` for an unknown id."""
        with self._db.transaction("group") as conn:
            cur = conn.execute(
                "UPDATE groups SET name = ?, description = ? WHERE id = ?",
                (group.name, group.description, group.id),
            )
            if cur.rowcount == 0:
                raise NotFound("group", group.id)
        return group

    def delete(self, group_id: int) -> None:
        """DELGROUP: ``NotFound`` for an unknown id, ``InUse`` while it holds abonents."""
        with self._db.transaction("group") as conn:
            if not exists(conn, "groups", group_id):
                raise NotFound("group", group_id)
            used = conn.execute("SELECT id FROM abonents WHERE group_id = ? LIMIT 1", (group_id,))
            member = used.fetchone()
            if member is not None:
                raise InUse("group", group_id, by=f"abonent {member[0]}")
            conn.execute("DELETE FROM groups WHERE id = ?", (group_id,))

    def find(self, group_id: int) -> Group | None:
        row = self._db.fetchone(
            "SELECT id, name, description FROM groups WHERE id = ?", (group_id,)
        )
        return None if row is None else _group(row)

    def all(self, list_id: int | None = None) -> list[Group]:
        """GETGROUPS: every group, or those in a list (an unknown list: none), by id."""
        if list_id is None:
            rows = self._db.fetchall("SELECT id, name, description FROM groups ORDER BY id")
        else:
            rows = self._db.fetchall(
                "SELECT g.id, g.name, g.description FROM groups g"
                " JOIN list_groups lg ON lg.group_id = g.id WHERE lg.list_id = ? ORDER BY g.id",
                (list_id,),
            )
        return [_group(row) for row in rows]

    def move_abonents(self, group_id: int, abonent_ids: tuple[int, ...]) -> None:
        """GROUPADDABONENTS: all the abonents move into the group, or none does."""
        with self._db.transaction("group") as conn:
            if not exists(conn, "groups", group_id):
                raise NotFound("group", group_id)
            require_ids(conn, "abonents", abonent_ids, "abonent")
            now = self._db.now()
            conn.executemany(
                "UPDATE abonents SET group_id = ?, edit_time = ? WHERE id = ?",
                [(group_id, now, abonent_id) for abonent_id in set(abonent_ids)],
            )
