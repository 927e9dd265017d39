"""What one load run yields, whichever generator produced it.

How it works: a plain dataclass filled either by the wrk output parser or by
the built-in Python generator, so the report never cares which ran. Latencies
are milliseconds; ``statuses`` counts answers per HTTP status (wrk gets it
from the benchmark's Lua ``response`` hook).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class LoadFigures:
    generator: str
    requests: int
    duration_s: float
    requests_per_s: float
    latency_avg_ms: float | None = None
    latency_max_ms: float | None = None
    percentiles_ms: dict[str, float] = field(default_factory=dict)
    statuses: dict[int, int] = field(default_factory=dict)
    non_2xx_3xx: int = 0
    socket_errors: dict[str, int] = field(default_factory=dict)
    raw_output: str = ""

    @property
    def p50_ms(self) -> float | None:
        return self.percentiles_ms.get("50")

    @property
    def p99_ms(self) -> float | None:
        return self.percentiles_ms.get("99")

    def count_other_than(self, status: int) -> int:
        """Answers whose status differs from ``status``."""
        return sum(n for code, n in self.statuses.items() if code != status)

    def total_socket_errors(self) -> int:
        return sum(self.socket_errors.values())

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["statuses"] = {str(code): n for code, n in sorted(self.statuses.items())}
        data.pop("raw_output")
        return data
