"""The journal of one modem: every byte exchanged, with the world's decisions.

Entries are appended in order: ``rx`` (bytes the DTE sent), ``tx`` (one
write of the modem), ``decision`` (what the world decided, with the rule),
``event`` (faults, power cycles, calls and messages). Bytes are kept as
latin-1 text, which is lossless. The journal is bounded by entry count and by
bytes; the oldest entries go first and ``dropped`` counts them. ``since(seq)``
lets a reader poll for what is new.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

ENTRY_OVERHEAD = 200


@dataclass(frozen=True, slots=True)
class JournalEntry:
    seq: int
    time: float  # simulated
    kind: str  # rx | tx | decision | event
    text: str = ""
    detail: Mapping[str, object] = field(default_factory=dict)

    def to_json(self, to_wall: Callable[[float], float]) -> dict[str, object]:
        result: dict[str, object] = {
            "seq": self.seq,
            "time": to_wall(self.time),
            "kind": self.kind,
        }
        if self.kind in ("rx", "tx"):
            result["data"] = self.text
        else:
            result["what"] = self.text
            result.update({k: v for k, v in self.detail.items() if k not in result})
        return result


class ByteJournal:
    __slots__ = ("_bytes", "_entries", "_seq", "dropped", "max_bytes", "max_entries")

    def __init__(self, max_entries: int = 20_000, max_bytes: int = 4 << 20) -> None:
        if max_entries < 1 or max_bytes < ENTRY_OVERHEAD:
            raise ValueError("journal limits are too small")
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._entries: deque[tuple[JournalEntry, int]] = deque()
        self._bytes = 0
        self._seq = 0
        self.dropped = 0

    def _append(self, entry: JournalEntry) -> None:
        cost = ENTRY_OVERHEAD + len(entry.text) + 32 * len(entry.detail)
        self._entries.append((entry, cost))
        self._bytes += cost
        while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
            _, old_cost = self._entries.popleft()
            self._bytes -= old_cost
            self.dropped += 1

    def _next(self) -> int:
        self._seq += 1
        return self._seq

    def rx(self, now: float, data: bytes) -> None:
        self._append(JournalEntry(self._next(), now, "rx", data.decode("latin-1")))

    def tx(self, now: float, data: bytes) -> None:
        self._append(JournalEntry(self._next(), now, "tx", data.decode("latin-1")))

    def decision(self, now: float, what: str, detail: Mapping[str, object]) -> None:
        self._append(JournalEntry(self._next(), now, "decision", what, dict(detail)))

    def event(self, now: float, what: str, **detail: object) -> None:
        self._append(JournalEntry(self._next(), now, "event", what, detail))

    def entries(self, since: int = 0, kinds: frozenset[str] | None = None) -> list[JournalEntry]:
        return [
            entry
            for entry, _ in self._entries
            if entry.seq > since and (kinds is None or entry.kind in kinds)
        ]

    def transcript(self) -> bytes:
        """Every byte written to the DTE still held, in order (for tests and evidence)."""
        return "".join(e.text for e, _ in self._entries if e.kind == "tx").encode("latin-1")

    def clear(self) -> None:
        self._entries.clear()
        self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def last_seq(self) -> int:
        return self._seq
