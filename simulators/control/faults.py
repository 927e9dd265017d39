"""Fault injection and response latency, shared by the HTTP simulators.

A ``Fault`` says what goes wrong (its kind and parameters) and when: for a
duration of simulated time, for a number of requests, for a fraction of
requests drawn from a generator seeded per fault (so a run repeats), and for
which paths. ``FaultSet.match`` is called for each API request; with no fault
active it costs one truth test. ``LatencyModel`` draws per-request delays
(fixed, uniform or lognormal), seeded too. Specs arrive as JSON from the
control API and are validated here; every error names the field. Every
number must be finite and within a documented maximum (``MAX_*`` below), a
server holds at most ``MAX_FAULTS`` faults, and a latency draw never exceeds
``MAX_LATENCY_SECONDS``: no input can make the request path fail afterwards.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

FAULT_KINDS = ("status", "redirect", "hang", "reset", "garbage", "error_bits")
LATENCY_KINDS = ("none", "fixed", "uniform", "lognormal")
MAX_FAULTS = 100
MAX_DURATION_SECONDS = 366 * 86400.0
MAX_COUNT = 1_000_000_000
MAX_HANG_SECONDS = 86400.0
MAX_GARBAGE_BYTES = 1024 * 1024
MAX_LATENCY_MS = 60_000.0
MAX_LATENCY_SIGMA = 10.0
MAX_LATENCY_SECONDS = MAX_LATENCY_MS / 1000.0
MAX_SEED = 2**64


class SpecError(ValueError):
    """A fault or latency specification is invalid."""


def _number(
    spec: Mapping[str, object],
    name: str,
    default: float | None,
    minimum: float,
    maximum: float,
    integer: bool = False,
) -> float | None:
    value = spec.get(name, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SpecError(f"{name} must be a number")
    if isinstance(value, float) and not math.isfinite(value):
        raise SpecError(f"{name} must be a finite number")
    if integer and value != int(value):
        raise SpecError(f"{name} must be a whole number")
    if value < minimum:
        raise SpecError(f"{name} must be at least {minimum:g}")
    if value > maximum:
        raise SpecError(f"{name} must be at most {maximum:g}")
    return float(value)


def _seed(spec: Mapping[str, object]) -> int | None:
    seed = spec.get("seed")
    if seed is None:
        return None
    if isinstance(seed, bool) or not isinstance(seed, int) or not -MAX_SEED < seed < MAX_SEED:
        raise SpecError("seed must be an integer of at most 64 bits")
    return seed


def _parse_bits(value: object) -> int:
    if isinstance(value, bool):
        raise SpecError("bits must be an integer or a 0x... string")
    if isinstance(value, int):
        bits = value
    elif isinstance(value, str):
        try:
            bits = int(value, 16) if value.lower().startswith("0x") else int(value)
        except ValueError:
            raise SpecError(f"bits: cannot read {value!r}") from None
    else:
        raise SpecError("bits must be an integer or a 0x... string")
    if not 0 < bits <= 0xFFFFFFFF:
        raise SpecError("bits must be a non-zero 32-bit value")
    return bits


@dataclass(slots=True)
class Fault:
    id: int
    kind: str
    paths: frozenset[str] | None
    until: float | None
    remaining: int | None
    probability: float
    seed: int | None
    status: int = 503
    bits: int = 0
    seconds: float = 3600.0
    nbytes: int = 64
    hits: int = 0
    rng: random.Random = field(default_factory=random.Random)

    def to_json(self, now: float) -> dict[str, object]:
        return {
            "id": self.id,
            "kind": self.kind,
            "paths": sorted(self.paths) if self.paths is not None else None,
            "remaining_seconds": None if self.until is None else max(0.0, self.until - now),
            "remaining_count": self.remaining,
            "probability": self.probability,
            "seed": self.seed,
            "status": self.status,
            "bits": f"0x{self.bits:08x}",
            "seconds": self.seconds,
            "bytes": self.nbytes,
            "hits": self.hits,
        }


class FaultSet:
    __slots__ = ("_faults", "_next_id", "known_paths")

    def __init__(self, known_paths: Iterable[str]) -> None:
        self.known_paths = frozenset(known_paths)
        self._faults: list[Fault] = []
        self._next_id = 1

    def __bool__(self) -> bool:
        return bool(self._faults)

    def add(self, spec: Mapping[str, object], now: float) -> Fault:
        kind = spec.get("kind")
        if not isinstance(kind, str) or kind not in FAULT_KINDS:
            raise SpecError(f"kind must be one of {', '.join(FAULT_KINDS)}")
        if len(self._faults) >= MAX_FAULTS:
            raise SpecError(f"at most {MAX_FAULTS} faults per server: remove some first")
        known = {
            "kind",
            "paths",
            "duration",
            "count",
            "probability",
            "seed",
            "server",
            "status",
            "bits",
            "seconds",
            "bytes",
        }
        unknown = set(spec) - known
        if unknown:
            raise SpecError(f"unknown fields: {', '.join(sorted(unknown))}")
        paths = spec.get("paths")
        path_set: frozenset[str] | None = None
        if paths is not None:
            if (
                not isinstance(paths, list)
                or not all(isinstance(p, str) for p in paths)
                or not paths
            ):
                raise SpecError("paths must be a non-empty list of strings")
            bad = [p for p in paths if p not in self.known_paths]
            if bad:
                raise SpecError(f"unknown paths: {', '.join(p[:100] for p in bad[:5])}")
            path_set = frozenset(paths)
        duration = _number(spec, "duration", None, 0.0, MAX_DURATION_SECONDS)
        count = _number(spec, "count", None, 1.0, MAX_COUNT, integer=True)
        probability = _number(spec, "probability", 1.0, 0.0, 1.0)
        assert probability is not None
        seed = _seed(spec)
        fault = Fault(
            id=self._next_id,
            kind=str(kind),
            paths=path_set,
            until=None if duration is None else now + duration,
            remaining=None if count is None else int(count),
            probability=probability,
            seed=seed,
            rng=random.Random(seed),
        )
        if kind == "status":
            try:
                status = _number(spec, "status", 503, 100.0, 599.0, integer=True)
            except SpecError:
                raise SpecError("status must be an HTTP status code (100 to 599)") from None
            assert status is not None
            fault.status = int(status)
        elif kind == "error_bits":
            if "bits" not in spec:
                raise SpecError("error_bits needs bits")
            fault.bits = _parse_bits(spec["bits"])
        elif kind == "hang":
            fault.seconds = _number(spec, "seconds", 3600.0, 0.0, MAX_HANG_SECONDS) or 0.0
        elif kind == "garbage":
            nbytes = _number(spec, "bytes", 64, 1.0, MAX_GARBAGE_BYTES, integer=True)
            fault.nbytes = int(nbytes or 64)
        self._next_id += 1
        self._faults.append(fault)
        return fault

    def match(self, path: str, now: float) -> Fault | None:
        """The first active fault that applies to this request, consuming one use."""
        chosen: Fault | None = None
        keep: list[Fault] = []
        for fault in self._faults:
            if (fault.until is not None and now >= fault.until) or fault.remaining == 0:
                continue
            keep.append(fault)
            if chosen is not None or (fault.paths is not None and path not in fault.paths):
                continue
            if fault.probability < 1.0 and fault.rng.random() >= fault.probability:
                continue
            chosen = fault
            fault.hits += 1
            if fault.remaining is not None:
                fault.remaining -= 1
        self._faults = [f for f in keep if f.remaining != 0]
        return chosen

    def remove(self, fault_id: int) -> bool:
        before = len(self._faults)
        self._faults = [f for f in self._faults if f.id != fault_id]
        return len(self._faults) != before

    def clear(self) -> None:
        self._faults = []

    def to_json(self, now: float) -> list[dict[str, object]]:
        return [
            f.to_json(now)
            for f in self._faults
            if not ((f.until is not None and now >= f.until) or f.remaining == 0)
        ]


class LatencyModel:
    """Per-request delay in seconds; ``active`` is False for kind ``none``."""

    __slots__ = ("_rng", "active", "spec")

    def __init__(self) -> None:
        self.spec: dict[str, object] = {"kind": "none"}
        self.active = False
        self._rng = random.Random()

    def configure(self, spec: Mapping[str, object]) -> None:
        kind = spec.get("kind")
        if not isinstance(kind, str) or kind not in LATENCY_KINDS:
            raise SpecError(f"kind must be one of {', '.join(LATENCY_KINDS)}")
        allowed = {
            "none": set(),
            "fixed": {"ms"},
            "uniform": {"min_ms", "max_ms"},
            "lognormal": {"median_ms", "sigma"},
        }[str(kind)] | {"kind", "seed", "server"}
        unknown = set(spec) - allowed
        if unknown:
            raise SpecError(f"unknown fields for {kind}: {', '.join(sorted(unknown))}")
        cleaned: dict[str, object] = {"kind": kind}
        for name in sorted(allowed - {"kind", "seed", "server"}):
            if name not in spec:
                raise SpecError(f"{kind} latency needs {name}")
            maximum = MAX_LATENCY_SIGMA if name == "sigma" else MAX_LATENCY_MS
            cleaned[name] = _number(spec, name, None, 0.0, maximum)
        if kind == "uniform" and float(cleaned["min_ms"]) > float(cleaned["max_ms"]):  # type: ignore[arg-type]
            raise SpecError("min_ms must not exceed max_ms")
        seed = _seed(spec)
        cleaned["seed"] = seed
        self.spec = cleaned
        self.active = kind != "none"
        self._rng = random.Random(seed)

    def sample(self) -> float:
        return min(self._draw(), MAX_LATENCY_SECONDS)

    def _draw(self) -> float:
        spec = self.spec
        kind = spec["kind"]
        if kind == "fixed":
            return float(spec["ms"]) / 1000.0  # type: ignore[arg-type]
        if kind == "uniform":
            return self._rng.uniform(float(spec["min_ms"]), float(spec["max_ms"])) / 1000.0  # type: ignore[arg-type]
        if kind == "lognormal":
            median = float(spec["median_ms"])  # type: ignore[arg-type]
            sigma = float(spec["sigma"])  # type: ignore[arg-type]
            return (
                self._rng.lognormvariate(math.log(median) if median > 0 else -50.0, sigma) / 1000.0
            )
        return 0.0
