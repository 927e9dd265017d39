"""Counters by outcome and a latency histogram for the verification client.

The histogram has fixed log-spaced buckets (about 4% wide, 10 µs to 60 s), so
recording is one ``bisect`` and memory is constant however long the system
runs; percentiles are read from bucket upper bounds. Load reports and
`nabat serve` read ``snapshot()``.
"""

from __future__ import annotations

import bisect
import math
from collections import Counter

from nabat.system.verification.results import Outcome, VerificationResult

_UNAVAILABLE = Outcome.UNAVAILABLE
_LOWEST = 1e-5
_HIGHEST = 60.0
_GROWTH = 1.04
BUCKET_BOUNDS: tuple[float, ...] = tuple(
    _LOWEST * _GROWTH**i for i in range(int(math.log(_HIGHEST / _LOWEST, _GROWTH)) + 2)
)


class LatencyHistogram:
    __slots__ = ("counts", "maximum", "total", "total_seconds")

    def __init__(self) -> None:
        self.counts = [0] * (len(BUCKET_BOUNDS) + 1)
        self.total = 0
        self.total_seconds = 0.0
        self.maximum = 0.0

    def record(self, seconds: float) -> None:
        self.counts[bisect.bisect_left(BUCKET_BOUNDS, seconds)] += 1
        self.total += 1
        self.total_seconds += seconds
        if seconds > self.maximum:
            self.maximum = seconds

    def percentile(self, fraction: float) -> float:
        """Upper bound of the bucket holding the given fraction (0..1) of samples."""
        if self.total == 0:
            return 0.0
        rank = max(1, math.ceil(fraction * self.total))
        seen = 0
        for index, count in enumerate(self.counts):
            seen += count
            if seen >= rank:
                return (
                    min(BUCKET_BOUNDS[index], self.maximum)
                    if index < len(BUCKET_BOUNDS)
                    else self.maximum
                )
        return self.maximum

    def merge(self, other: LatencyHistogram) -> None:
        for index, count in enumerate(other.counts):
            self.counts[index] += count
        self.total += other.total
        self.total_seconds += other.total_seconds
        self.maximum = max(self.maximum, other.maximum)


class VerificationStats:
    __slots__ = ("by_outcome", "by_server", "latency", "refused_by_policy")

    def __init__(self) -> None:
        self.by_outcome: Counter[str] = Counter()
        self.by_server: Counter[str] = Counter()
        self.latency = LatencyHistogram()
        self.refused_by_policy = 0

    def record(self, result: VerificationResult) -> None:
        outcome = result.outcome
        self.by_outcome[outcome._value_] += 1  # _value_: .value is a slower descriptor
        self.by_server[result.server or "none"] += 1
        self.latency.record(result.elapsed)
        if outcome is _UNAVAILABLE and not result.allowed:
            self.refused_by_policy += 1

    def snapshot(self) -> dict[str, object]:
        latency = self.latency
        return {
            "outcomes": dict(self.by_outcome),
            "servers": dict(self.by_server),
            "refused_by_policy": self.refused_by_policy,
            "count": latency.total,
            "latency_ms": {
                "mean": 1000 * latency.total_seconds / latency.total if latency.total else 0.0,
                "p50": 1000 * latency.percentile(0.50),
                "p90": 1000 * latency.percentile(0.90),
                "p99": 1000 * latency.percentile(0.99),
                "max": 1000 * latency.maximum,
            },
        }
