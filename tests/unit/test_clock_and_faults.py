"""Simulated clock and fault/latency specifications."""

from __future__ import annotations

import pytest
from nabat.simulators.control.clock import ClockError, SimClock
from nabat.simulators.control.faults import FaultSet, LatencyModel, SpecError


class FakeTime:
    def __init__(self) -> None:
        self.value = 1000.0

    def __call__(self) -> float:
        return self.value


def test_clock_advances_freezes_and_never_goes_back() -> None:
    real = FakeTime()
    clock = SimClock(monotonic=real, wall=lambda: 1.7e9)
    assert clock.now() == 1000.0
    clock.advance(3600)
    assert clock.now() == 4600.0
    clock.freeze(True)
    real.value += 10
    assert clock.now() == 4600.0
    clock.advance(1)
    assert clock.now() == 4601.0
    clock.freeze(False)
    real.value += 5
    assert clock.now() == 4606.0
    with pytest.raises(ClockError):
        clock.advance(-1)
    assert clock.wall() == pytest.approx(1.7e9 + 3601)
    clock.reset()
    assert clock.now() == real.value


PATHS = ["/CheckCall", "/ping"]


def test_count_limited_fault_applies_exactly_n_times() -> None:
    faults = FaultSet(PATHS)
    faults.add({"kind": "status", "status": 502, "count": 2}, now=0.0)
    hits = [faults.match("/CheckCall", 0.0) for _ in range(4)]
    assert [f is not None for f in hits] == [True, True, False, False]
    assert not faults


def test_duration_uses_simulated_time_and_paths_filter() -> None:
    faults = FaultSet(PATHS)
    faults.add({"kind": "redirect", "duration": 10, "paths": ["/ping"]}, now=100.0)
    assert faults.match("/CheckCall", 101.0) is None
    assert faults.match("/ping", 109.9) is not None
    assert faults.match("/ping", 110.0) is None


def test_seeded_probability_repeats_exactly() -> None:
    def draw() -> list[bool]:
        faults = FaultSet(PATHS)
        faults.add({"kind": "reset", "probability": 0.3, "seed": 42}, now=0.0)
        return [faults.match("/CheckCall", 0.0) is not None for _ in range(200)]

    first, second = draw(), draw()
    assert first == second
    assert 30 < sum(first) < 90


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"kind": "explode"}, "kind must be one of"),
        ({"kind": "status", "status": 999}, "HTTP status"),
        ({"kind": "status", "paths": ["/nope"]}, "unknown paths"),
        ({"kind": "status", "paths": []}, "non-empty list"),
        ({"kind": "status", "probability": 1.5}, "at most 1"),
        ({"kind": "status", "count": 0}, "count must be at least 1"),
        ({"kind": "status", "duration": "long"}, "duration must be a number"),
        ({"kind": "error_bits"}, "needs bits"),
        ({"kind": "error_bits", "bits": "0xZZ"}, "cannot read"),
        ({"kind": "error_bits", "bits": 0}, "non-zero"),
        ({"kind": "status", "colour": "red"}, "unknown fields: colour"),
        ({"kind": "status", "seed": "x"}, "seed must be an integer"),
    ],
)
def test_bad_fault_specs_are_named(spec: dict[str, object], message: str) -> None:
    with pytest.raises(SpecError, match=message):
        FaultSet(PATHS).add(spec, now=0.0)


def test_error_bits_accept_hex_strings() -> None:
    fault = FaultSet(PATHS).add({"kind": "error_bits", "bits": "0x02000000"}, now=0.0)
    assert fault.bits == 0x02000000


def test_latency_models() -> None:
    model = LatencyModel()
    assert not model.active and model.sample() == 0.0
    model.configure({"kind": "fixed", "ms": 5})
    assert model.active and model.sample() == 0.005
    model.configure({"kind": "uniform", "min_ms": 1, "max_ms": 3, "seed": 1})
    samples = [model.sample() for _ in range(100)]
    assert all(0.001 <= s <= 0.003 for s in samples)
    model.configure({"kind": "lognormal", "median_ms": 10, "sigma": 0.5, "seed": 7})
    samples = sorted(model.sample() for _ in range(2001))
    assert 0.008 < samples[1000] < 0.012
    with pytest.raises(SpecError, match="needs ms"):
        model.configure({"kind": "fixed"})
    with pytest.raises(SpecError, match="min_ms must not exceed"):
        model.configure({"kind": "uniform", "min_ms": 5, "max_ms": 1})
    with pytest.raises(SpecError, match="unknown fields"):
        model.configure({"kind": "fixed", "ms": 1, "sigma": 2})
