"""Expiring index and the ATS stores: expiry, refresh, capacity, bounded sweeps."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st
from nabat.simulators.ats.stores import (
    CALL_RETENTION_SECONDS,
    CallStore,
    RegistrationStore,
    hash_key_of_hex,
    hash_key_of_number,
    new_call_record,
)
from nabat.simulators.control.expiring import ExpiringIndex


def test_hash_of_plain_number_equals_hash_of_its_hex_digest() -> None:
    digest = hashlib.sha256(b"79000000002").hexdigest()
    assert hash_key_of_number("79000000002") == hash_key_of_hex(digest)


def test_window_boundary_is_exclusive() -> None:
    store = RegistrationStore(window=60.0, capacity=10)
    store.register(79000000001, 5, now=100.0)
    assert store.is_registered(79000000001, 5, 159.999)
    assert not store.is_registered(79000000001, 5, 160.0)
    assert not store.is_registered(79000000001, 6, 100.0)


def test_refresh_survives_the_sweep_of_its_old_bucket() -> None:
    store = RegistrationStore(window=10.0, capacity=10)
    store.register(1, 1, now=0.5)
    store.register(1, 1, now=8.5)  # refreshed, lives until 18.5
    store.sweep(now=12.0, budget=100)  # bucket [0,1) is expired
    assert len(store) == 1
    assert store.is_registered(1, 1, 18.0)
    store.sweep(now=20.0, budget=100)
    assert len(store) == 0


def test_sweep_respects_its_budget() -> None:
    index: ExpiringIndex[int, float] = ExpiringIndex(lambda t: t, capacity=1000, granularity=1.0)
    for key in range(100):
        index.put(key, 0.0, 0.0)
    assert index.sweep(now=100.0, retention=10.0, budget=30) == 30
    assert len(index) == 70
    while index.sweep(now=100.0, retention=10.0, budget=30):
        pass
    assert len(index) == 0 and index.expired == 100


def test_capacity_evicts_the_oldest_first() -> None:
    index: ExpiringIndex[int, float] = ExpiringIndex(lambda t: t, capacity=3, granularity=1.0)
    for key, now in [(1, 0.0), (2, 1.0), (3, 2.0), (4, 3.0)]:
        index.put(key, now, now)
    assert sorted(index.data) == [2, 3, 4]
    assert index.evicted == 1


@given(st.lists(st.tuples(st.integers(0, 20), st.floats(0, 1.5)), max_size=60), st.floats(0, 100))
def test_sweep_never_drops_live_entries_and_drops_all_dead_ones(
    steps: list[tuple[int, float]], horizon: float
) -> None:
    retention = 5.0
    index: ExpiringIndex[int, float] = ExpiringIndex(lambda t: t, capacity=10_000, granularity=1.0)
    now = 0.0
    for key, step in steps:
        now += step
        index.put(key, now, now)
    end = now + horizon
    while index.sweep(end, retention, budget=7):
        pass
    model = {}
    now = 0.0
    for key, step in steps:
        now += step
        model[key] = now
    live = {k for k, t in model.items() if end - t < retention}
    # Everything live is kept; entries are dropped once their whole bucket expired.
    assert live <= set(index.data)
    assert all(end - t < retention + 1.0 for t in index.data.values())


def test_call_store_twelve_hour_rule_and_duplicates() -> None:
    calls = CallStore(capacity=10)
    assert calls.record("1", "abc", new_call_record(0.0, "79000000001", 200)) is False
    assert calls.record("1", "abc", new_call_record(10.0, "79000000001", 404)) is True
    assert calls.record("2", "abc", new_call_record(10.0, "79100000001", 200)) is False
    assert calls.update("1", "abc", {"DUR": "30"}, now=20.0)
    record = calls.live("1", "abc", 20.0)
    assert record is not None and record.status == 404 and record.fields == {"DUR": "30"}
    assert calls.update("1", "abc", {"RC": "16"}, now=30.0)
    record = calls.live("1", "abc", 30.0)
    assert record is not None and record.fields == {"DUR": "30", "RC": "16"}
    assert calls.live("1", "abc", 10.0 + CALL_RETENTION_SECONDS) is None
    assert not calls.update("1", "abc", {"DUR": "1"}, now=10.0 + CALL_RETENTION_SECONDS)
    assert not calls.update("3", "abc", {"DUR": "1"}, now=20.0)


def test_large_stores_are_invisible_to_the_garbage_collector() -> None:
    """Full collections must not walk the stores (they did: 50-80 ms stalls)."""
    import gc

    registrations = RegistrationStore(window=60.0, capacity=10_000)
    calls = CallStore(capacity=10_000)
    for second in range(5):
        for i in range(100):
            registrations.register(79000000000 + i, i, float(second))
            calls.record("1", f"c{second}-{i}", new_call_record(float(second), "79000000001", 200))
    gc.collect()
    assert not gc.is_tracked(registrations.index.data)
    assert not gc.is_tracked(calls.index.data)
    buckets = list(registrations.index._buckets)
    closed = [keys for _, keys in buckets[:-1]]
    assert len(closed) == 4
    assert all(type(keys) is tuple and not gc.is_tracked(keys) for keys in closed)
