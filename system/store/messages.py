"""Messages: ADDMESSAGE, UPDATEMESSAGE, DELMESSAGE, MESSAGES.

A message row holds its metadata; the audio of a ``VOICE_FILE`` message is
referenced by ``file``, a plain name in the server's file store (uploaded
with SENDRAWFILE), never stored as a blob here. A message a task uses cannot
be deleted (``InUse``).
"""

from __future__ import annotations

from typing import Any

from nabat.system.protocol.records import Message
from nabat.system.protocol.values import MessageType
from nabat.system.store.clock import from_db
from nabat.system.store.database import Database, exists
from nabat.system.store.errors import InUse, NotFound

_COLUMNS = "id, mtype, name, text, file, voice, create_time, edit_time"


def _message(row: tuple[Any, ...]) -> Message:
    return Message(
        id=row[0], mtype=MessageType(row[1]), name=row[2], text=row[3], file=row[4],
        voice=row[5], createtime=from_db(row[6]), edittime=from_db(row[7]),
    )  # fmt: skip


class Messages:
    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, message: Message) -> Message:
        with self._db.transaction("message") as conn:
            now = self._db.now()
            cur = conn.execute(
                "INSERT INTO messages (mtype, name, text, file, voice, create_time, edit_time)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (int(message.mtype), message.name, message.text, message.file, message.voice,
                 now, now),
            )  # fmt: skip
            new_id = cur.lastrowid
        return self._get(new_id)

    def update(self, message: Message) -> Message:
        """UPDATEMESSAGE: ``NotFound`` for an unknown id."""
        with self._db.transaction("message") as conn:
            cur = conn.execute(
                "UPDATE messages SET mtype = ?, name = ?, text = ?, file = ?, voice = ?,"
                " edit_time = ? WHERE id = ?",
                (int(message.mtype), message.name, message.text, message.file, message.voice,
                 self._db.now(), message.id),
            )  # fmt: skip
            if cur.rowcount == 0:
                raise NotFound("message", message.id)
        return self._get(message.id)

    def delete(self, message_id: int) -> None:
        """DELMESSAGE: ``NotFound`` (unknown id), ``InUse`` (a task uses it)."""
        with self._db.transaction("message") as conn:
            if not exists(conn, "messages", message_id):
                raise NotFound("message", message_id)
            used = conn.execute("SELECT id FROM tasks WHERE message_id = ? LIMIT 1", (message_id,))
            task = used.fetchone()
            if task is not None:
                raise InUse("message", message_id, by=f"task {task[0]}")
            conn.execute("DELETE FROM messages WHERE id = ?", (message_id,))

    def find(self, message_id: int) -> Message | None:
        row = self._db.fetchone(f"SELECT {_COLUMNS} FROM messages WHERE id = ?", (message_id,))
        return None if row is None else _message(row)

    def all(self) -> list[Message]:
        """MESSAGES, by id."""
        return [
            _message(r) for r in self._db.fetchall(f"SELECT {_COLUMNS} FROM messages ORDER BY id")
        ]

    def _get(self, message_id: int | None) -> Message:
        message = None if message_id is None else self.find(message_id)
        if message is None:
            raise NotFound("message", message_id)
        return message
