"""A bounded journal of the requests a simulator served, newest last.

Entries are stored as tuples (cheap on the hot path), stamped with the
simulated clock's ``now`` the request path already has, and turned into dicts
with wall-clock times only when someone reads the journal.

Two bounds: at most ``size`` entries and at most ``max_bytes`` bytes (the
oldest go first). An entry's size is ``ENTRY_OVERHEAD`` (the tuple, the dict,
the floats: measured with tracemalloc) plus the length of its strings. Its
parameters are kept up to ``max_entry_bytes`` characters in all: a longer
value is cut and ends with ``TRUNCATED_MARK`` and the count of characters cut,
and parameters past the budget are dropped, with a ``…`` key saying how many.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping

JournalEntry = tuple[float, str, str, str, Mapping[str, str], int, int, float]
_FIELDS = ("time", "client", "method", "path", "params", "status", "error_bits", "duration_ms")
ENTRY_OVERHEAD = 600
TRUNCATED_MARK = "…[truncated "
DROPPED_KEY = "…"


def truncate_params(params: Mapping[str, str], budget: int) -> dict[str, str]:
    """``params`` within ``budget`` characters (names and values), marked where cut."""
    kept: dict[str, str] = {}
    left = budget
    dropped = 0
    for name, value in params.items():
        if left <= 0:
            dropped += 1
            continue
        name = name[:left]
        left -= len(name)
        if len(value) > left:
            cut = len(value) - max(left, 0)
            value = f"{value[: max(left, 0)]}{TRUNCATED_MARK}{cut} characters]"
        left -= len(value)
        kept[name] = value
    if dropped:
        kept[DROPPED_KEY] = f"{dropped} more parameters not kept"
    return kept


def params_size(params: Mapping[str, str]) -> int:
    size = 0
    for name, value in params.items():
        size += len(name) + len(value)
    return size


class Journal:
    __slots__ = ("_bytes", "_entries", "_sizes", "max_bytes", "max_entry_bytes", "size")

    def __init__(self, size: int, max_bytes: int = 16 << 20, max_entry_bytes: int = 4096) -> None:
        if size < 1:
            raise ValueError("journal size must be at least 1")
        if max_entry_bytes < 1 or max_bytes < ENTRY_OVERHEAD + max_entry_bytes:
            raise ValueError("journal byte limits are too small for one entry")
        self.size = size
        self.max_bytes = max_bytes
        self.max_entry_bytes = max_entry_bytes
        self._entries: deque[JournalEntry] = deque()
        self._sizes: deque[int] = deque()
        self._bytes = 0

    def append(self, entry: JournalEntry) -> None:
        params = entry[4]
        text = params_size(params)
        if text > self.max_entry_bytes:
            params = truncate_params(params, self.max_entry_bytes)
            text = params_size(params)
            entry = (entry[0], entry[1], entry[2], entry[3], params, entry[5], entry[6], entry[7])
        cost = ENTRY_OVERHEAD + text + len(entry[1]) + len(entry[3])
        entries, sizes = self._entries, self._sizes
        entries.append(entry)
        sizes.append(cost)
        self._bytes += cost
        while len(entries) > self.size or self._bytes > self.max_bytes:
            entries.popleft()
            self._bytes -= sizes.popleft()

    def clear(self) -> None:
        self._entries.clear()
        self._sizes.clear()
        self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def bytes(self) -> int:
        """The estimated memory held by the entries."""
        return self._bytes

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
