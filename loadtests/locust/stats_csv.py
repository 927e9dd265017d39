"""Reads Locust's CSV reports (``<prefix>_stats.csv``, ``<prefix>_failures.csv``).

How it works: ``csv.DictReader`` over Locust's own files; each row becomes a
``StatsRow`` with the figures this project looks at (request and failure
counts, requests/s, median and 99th percentile). The ``Aggregated`` row is
kept apart. Used by the capacity figure, the tests and anyone checking a run.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class StatsRow:
    type: str
    name: str
    requests: int
    failures: int
    requests_per_s: float
    median_ms: float | None
    p99_ms: float | None


@dataclass(frozen=True, slots=True)
class StatsTable:
    rows: tuple[StatsRow, ...]
    aggregated: StatsRow

    @property
    def total_requests(self) -> int:
        return self.aggregated.requests

    @property
    def total_failures(self) -> int:
        return self.aggregated.failures


def _number(text: str | None) -> float | None:
    if text is None or text.strip() in ("", "N/A"):
        return None
    return float(text)


def _row(record: dict[str, str]) -> StatsRow:
    return StatsRow(
        type=record.get("Type", ""),
        name=record.get("Name", ""),
        requests=int(record["Request Count"]),
        failures=int(record["Failure Count"]),
        requests_per_s=float(record["Requests/s"]),
        median_ms=_number(record.get("50%")),
        p99_ms=_number(record.get("99%")),
    )


def read_stats(prefix: str | Path) -> StatsTable:
    path = Path(f"{prefix}_stats.csv")
    with path.open(newline="", encoding="utf-8") as handle:
        records = list(csv.DictReader(handle))
    rows = [_row(r) for r in records if r.get("Name") != "Aggregated"]
    aggregated = [_row(r) for r in records if r.get("Name") == "Aggregated"]
    if not aggregated:
        raise ValueError(f"{path}: no Aggregated row")
    return StatsTable(rows=tuple(rows), aggregated=aggregated[0])


def read_failures(prefix: str | Path) -> list[dict[str, str]]:
    """Rows of ``<prefix>_failures.csv``: Method, Name, Error, Occurrences."""
    path = Path(f"{prefix}_failures.csv")
    if not path.exists():
        return []
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))
