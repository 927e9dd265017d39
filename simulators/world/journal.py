"""The decisions journal: what the world decided, bounded, newest last.

Every decision a runtime makes (and every scripted event it hands out, and
every anti-fraud verdict) is one entry: simulated time since the runtime
started, kind, address, attempt, the decision's fields and the rule that
produced it. It is the ground truth a test checks the engine's reports
against. At most ``size`` entries are kept (the oldest go first);
``appended`` counts every entry ever written, so a reader can tell that some
were dropped.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass

DEFAULT_JOURNAL_SIZE = 10_000


@dataclass(frozen=True, slots=True)
class JournalEntry:
    time: float  # simulated seconds since the runtime started
    kind: str  # voice, sms, email, event, antifraud
    address: str
    attempt: int  # 0 for entries that are not attempts
    fields: Mapping[str, object]
    rule: str

    def to_json(self) -> dict[str, object]:
        result: dict[str, object] = {
            "time": self.time,
            "kind": self.kind,
            "address": self.address,
            "attempt": self.attempt,
        }
        for name, value in self.fields.items():
            result.setdefault(name, value)  # the entry's own keys win
        result["rule"] = self.rule
        return result


class DecisionJournal:
    __slots__ = ("_entries", "appended")

    def __init__(self, size: int = DEFAULT_JOURNAL_SIZE) -> None:
        if size < 1:
            raise ValueError("journal size must be at least 1")
        self._entries: deque[JournalEntry] = deque(maxlen=size)
        self.appended = 0

    @property
    def size(self) -> int:
        return self._entries.maxlen or 0

    def append(self, entry: JournalEntry) -> None:
        self._entries.append(entry)
        self.appended += 1

    def entries(self) -> list[JournalEntry]:
        return list(self._entries)

    def tail(self, limit: int = 100) -> list[dict[str, object]]:
        if limit <= 0:
            return []
        kept = list(self._entries)[-limit:]
        return [entry.to_json() for entry in kept]

    def clear(self) -> None:
        self._entries.clear()
        self.appended = 0

    def __len__(self) -> int:
        return len(self._entries)
