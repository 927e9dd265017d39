"""Channels: GETCHANNELS, GETCHANINFO, SETCHANINFO.

A row per channel, numbered from 1. Rows are created by ``sync`` from the
server's configured channel set at every start: a configured number that is
missing is inserted with its configured name and settings; one already
stored keeps what administrators changed (name, enabled, settings) and only
takes the configured type (the type is fixed by hardware or configuration).
Stored channels the configuration no longer lists are kept. ``update``
changes name, enabled and settings; an unknown number is ``NotFound``.
The channel's live ``state`` is not stored: the server derives it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from nabat.system.protocol.values import ChannelType
from nabat.system.store.database import Database
from nabat.system.store.errors import NotFound

_COLUMNS = "num, ctype, name, enabled, settings"


@dataclass(frozen=True, slots=True)
class StoredChannel:
    """A channel as stored (no state: that is the server's to derive)."""

    num: int
    ctype: ChannelType
    name: str
    enabled: bool
    settings: str


def _channel(row: tuple[Any, ...]) -> StoredChannel:
    return StoredChannel(row[0], ChannelType(row[1]), row[2], bool(row[3]), row[4])


class Channels:
    def __init__(self, db: Database) -> None:
        self._db = db

    def sync(self, configured: Iterable[StoredChannel]) -> None:
        """Insert configured channels that are missing; set the type of the others."""
        with self._db.transaction("channel") as conn:
            now = self._db.now()
            for channel in configured:
                conn.execute(
                    "INSERT INTO channels (num, ctype, name, enabled, settings, edit_time)"
                    " VALUES (?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (num) DO UPDATE SET ctype = excluded.ctype",
                    (channel.num, int(channel.ctype), channel.name, int(channel.enabled),
                     channel.settings, now),
                )  # fmt: skip

    def all(self) -> list[StoredChannel]:
        rows = self._db.fetchall(f"SELECT {_COLUMNS} FROM channels ORDER BY num")
        return [_channel(row) for row in rows]

    def get(self, num: int) -> StoredChannel:
        """One channel; ``NotFound`` when there is no such number."""
        row = self._db.fetchone(f"SELECT {_COLUMNS} FROM channels WHERE num = ?", (num,))
        if row is None:
            raise NotFound("channel", num)
        return _channel(row)

    def update(self, num: int, name: str, enabled: bool, settings: str) -> StoredChannel:
        """SETCHANINFO: ``NotFound`` for an unknown number."""
        with self._db.transaction("channel") as conn:
            cur = conn.execute(
                "UPDATE channels SET name = ?, enabled = ?, settings = ?, edit_time = ?"
                " WHERE num = ?",
                (name, int(enabled), settings, self._db.now(), num),
            )
            if cur.rowcount == 0:
                raise NotFound("channel", num)
        return self.get(num)
