"""The journal's byte cap and per-entry truncation; the documented memory cost
of a call record (docs/ats-simulator.md quotes ``measure.call_record_bytes``)."""

from __future__ import annotations

from nabat.simulators.ats.measure import call_record_bytes
from nabat.simulators.control.journal import (
    DROPPED_KEY,
    ENTRY_OVERHEAD,
    TRUNCATED_MARK,
    Journal,
)


def entry(params: dict[str, str]) -> tuple[float, str, str, str, dict[str, str], int, int, float]:
    return (1.0, "127.0.0.1", "POST", "/CheckCall", params, 200, 0, 0.1)


def test_journal_is_capped_by_bytes_not_only_by_count() -> None:
    journal = Journal(1000, max_bytes=1_000_000, max_entry_bytes=4096)
    for _ in range(1000):
        journal.append(entry({"a": "7" * 60_000}))  # 60 KB bodies: 60 MB uncapped
    assert journal.bytes <= 1_000_000
    assert 100 <= len(journal) < 1000
    kept = journal.tail(1, float)[0]["params"]
    assert isinstance(kept, dict)
    value = kept["a"]
    assert len(value) < 4200 and TRUNCATED_MARK in value and value.endswith(" characters]")


def test_small_entries_are_kept_whole_and_counted() -> None:
    journal = Journal(3, max_bytes=10 * ENTRY_OVERHEAD, max_entry_bytes=100)
    for index in range(5):
        journal.append(entry({"a": str(index)}))
    assert len(journal) == 3
    assert [e["params"] for e in journal.tail(10, float)] == [{"a": "2"}, {"a": "3"}, {"a": "4"}]


def test_many_parameters_past_the_budget_are_dropped_with_a_note() -> None:
    journal = Journal(10, max_entry_bytes=50)
    journal.append(entry({f"p{i}": "x" * 10 for i in range(20)}))
    params = journal.tail(1, float)[0]["params"]
    assert isinstance(params, dict) and DROPPED_KEY in params and len(params) < 20
    journal.clear()
    assert len(journal) == 0 and journal.bytes == 0


def test_call_record_memory_matches_the_documented_figure() -> None:
    # docs/ats-simulator.md: about 200 bytes per record (36-character call_ids),
    # at most about 280 with 100-character ones.
    assert call_record_bytes(20_000, 36) < 260
    assert call_record_bytes(20_000, 100) < 330
