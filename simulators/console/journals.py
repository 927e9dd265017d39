"""Journals on demand, with filters: which simulator, entry kind, text contained, last N.

How it works: ``JournalQuery.parse`` reads the query string strictly (an
unknown simulator, a bad count or modem is a ``ActionError`` -> 400);
``fetch_journal`` asks the simulator's typed control client for its newest
``FETCH_LIMIT`` entries (blocking: the console calls it in a worker thread),
keeps those whose ``kind`` equals the filter and whose JSON text contains
``address`` (a number, an e-mail address, any text), and returns the last N.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from nabat.simulators.console.actions import ActionError
from nabat.simulators.console.stack_view import ConsoleStack, ats_reserve_control

FETCH_LIMIT = 1000
MAX_LAST = 500
MAX_FILTER = 100


def _entries(value: object) -> list[dict[str, Any]]:
    if isinstance(value, dict):
        value = value.get("entries", [])
    return [entry for entry in value if isinstance(entry, dict)] if isinstance(value, list) else []


SOURCES: dict[str, Callable[[ConsoleStack, int], list[dict[str, Any]]]] = {
    "world": lambda stack, _: _entries(stack.gsm.world.journal(FETCH_LIMIT)),
    "gsm": lambda stack, modem: _entries(stack.gsm.control.journal(modem, limit=FETCH_LIMIT)),
    "ats": lambda stack, _: _entries(ats_reserve_control(stack).journal(FETCH_LIMIT)),
    "mfms": lambda stack, _: _entries(stack.mfms.control.journal(FETCH_LIMIT)),
    "ftp": lambda stack, _: _entries(stack.ftp.control.journal(FETCH_LIMIT)),
    "oktell": lambda stack, _: _entries(stack.oktell.control.journal(FETCH_LIMIT)),
    "smtp": lambda stack, _: _entries(stack.smtp.control.journal(FETCH_LIMIT)),
}


@dataclass(frozen=True)
class JournalQuery:
    sim: str
    modem: int = 0
    kind: str = ""
    address: str = ""
    last: int = 50

    @classmethod
    def parse(cls, query: Mapping[str, str]) -> JournalQuery:
        unknown = sorted(set(query) - {"sim", "modem", "kind", "address", "last"})
        if unknown:
            raise ActionError(f"unknown parameters {', '.join(k[:40] for k in unknown)}")
        sim = query.get("sim", "")
        if sim not in SOURCES:
            raise ActionError(f"sim: must be one of {', '.join(SOURCES)}, got {sim[:40]!r}")
        kind, address = query.get("kind", ""), query.get("address", "")
        if len(kind) > MAX_FILTER or len(address) > MAX_FILTER:
            raise ActionError(f"kind and address: at most {MAX_FILTER} characters")
        return cls(sim, _number(query, "modem", 0, 63), kind, address,
                   _number(query, "last", 50, MAX_LAST, low=1))  # fmt: skip


def _number(query: Mapping[str, str], name: str, default: int, high: int, low: int = 0) -> int:
    text = query.get(name)
    if text is None or text == "":
        return default
    if not text.isdigit() or not low <= int(text) <= high:
        raise ActionError(f"{name}: must be an integer {low}-{high}, got {text[:40]!r}")
    return int(text)


def matches(entry: Mapping[str, Any], kind: str, address: str) -> bool:
    if kind and str(entry.get("kind", "")) != kind:
        return False
    return not address or address.casefold() in json.dumps(entry, ensure_ascii=False).casefold()


def fetch_journal(stack: ConsoleStack, query: JournalQuery) -> list[dict[str, Any]]:
    """The filtered journal (blocking: call it in a worker thread)."""
    entries = SOURCES[query.sim](stack, query.modem)
    kept = [entry for entry in entries if matches(entry, query.kind, query.address)]
    return kept[-query.last :]
