"""A bounded journal of the requests a simulator served, newest last.

Entries are stored as tuples (cheap on the hot path), stamped with the
simulated clock's ``now`` the request path already has, and turned into dicts
with wall-clock times only when someone reads the journal.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping

JournalEntry = tuple[float, str, str, str, Mapping[str, str], int, int, float]
_FIELDS = ("time", "client", "method", "path", "params", "status", "error_bits", "duration_ms")


class Journal:
    __slots__ = ("_entries",)

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError("journal size must be at least 1")
        self._entries: deque[JournalEntry] = deque(maxlen=size)

    def append(self, entry: JournalEntry) -> None:
        self._entries.append(entry)

    def clear(self) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)

    def tail(self, limit: int, to_wall: Callable[[float], float]) -> list[dict[str, object]]:
        entries = list(self._entries)[-limit:] if limit > 0 else []
        result = []
        for entry in entries:
            item = dict(zip(_FIELDS, entry, strict=True))
            item["time"] = to_wall(entry[0])
            item["params"] = dict(entry[4])
            item["error_bits"] = f"0x{entry[6]:08x}"
            item["duration_ms"] = round(entry[7], 3)
            result.append(item)
        return result
