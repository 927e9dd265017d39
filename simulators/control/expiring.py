"""A dict whose entries expire after a retention time, with bounded memory and
cheap expiry under sustained load.

Layout: ``data`` maps key -> value (the value carries its own timestamp, read
through ``time_of``); ``buckets`` is a deque of ``(bucket_index, [keys])`` in
time order, one bucket per ``granularity`` seconds. The bucket list holds a
reference to the same key object, so an entry costs one dict slot plus one
list slot. Expiry never runs on the request path: ``sweep`` is called by a
background task and processes at most ``budget`` keys per call. A key stored
again later sits in two buckets; the older bucket's sweep sees the newer
timestamp and leaves it. Readers must still compare timestamps themselves
(``is_live``), so correctness never depends on how far the sweep has got.
A hard ``capacity`` evicts the oldest entries first and counts them.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class ExpiringIndex(Generic[K, V]):
    __slots__ = ("_buckets", "_granularity", "capacity", "data", "evicted", "expired", "time_of")

    def __init__(self, time_of: Callable[[V], float], capacity: int, granularity: float) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.time_of = time_of
        self.capacity = capacity
        self._granularity = granularity
        self.data: dict[K, V] = {}
        self._buckets: deque[tuple[int, list[K]]] = deque()
        self.evicted = 0
        self.expired = 0

    def __len__(self) -> int:
        return len(self.data)

    def get(self, key: K) -> V | None:
        return self.data.get(key)

    def put(self, key: K, value: V, now: float) -> None:
        data = self.data
        if key not in data and len(data) >= self.capacity:
            self._evict_oldest()
        data[key] = value
        index = int(now // self._granularity)
        buckets = self._buckets
        if buckets and buckets[-1][0] == index:
            buckets[-1][1].append(key)
        else:
            buckets.append((index, [key]))

    def sweep(self, now: float, retention: float, budget: int) -> int:
        """Drop entries older than ``retention``; look at ``budget`` keys at most."""
        processed = 0
        data = self.data
        buckets = self._buckets
        time_of = self.time_of
        while buckets and processed < budget:
            index, keys = buckets[0]
            bucket_end = (index + 1) * self._granularity
            if bucket_end + retention > now:
                break
            while keys and processed < budget:
                key = keys.pop()
                processed += 1
                value = data.get(key)
                if value is not None and time_of(value) < bucket_end:
                    del data[key]
                    self.expired += 1
            if not keys:
                buckets.popleft()
        return processed

    def clear(self) -> None:
        self.data.clear()
        self._buckets.clear()
        self.evicted = 0
        self.expired = 0

    def _evict_oldest(self) -> None:
        data = self.data
        buckets = self._buckets
        while buckets:
            index, keys = buckets[0]
            bucket_end = (index + 1) * self._granularity
            while keys:
                key = keys.pop()
                value = data.get(key)
                if value is not None and self.time_of(value) < bucket_end:
                    del data[key]
                    self.evicted += 1
                    if not keys:
                        buckets.popleft()
                    return
            buckets.popleft()
