"""The two random ingredients of a rule: a delay and a weighted choice.

Both map one uniform draw ``u`` in [0, 1) to a value, and each decision takes
exactly one draw per ingredient whatever the rule's values are. So a changed
rule changes only the field it is about; the other fields of the same attempt
keep their values (a "stable draw" layout, see decisions.py).

``Delay`` is fixed (``low == high``), uniform on [low, high], or triangular
with a ``mode`` (the most likely value); samples are rounded to milliseconds
and never leave [low, high]. ``Weights`` are non-negative relative weights of
named outcomes (missing names weigh 0), normalised when drawn.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

MAX_DELAY_SECONDS = 10_000_000.0  # about 115 days of simulated time


class RuleValueError(ValueError):
    """A delay, weight table or probability is out of its bounds."""


def _finite(value: float, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise RuleValueError(f"{what} must be a finite number, got {value!r}")
    return float(value)


@dataclass(frozen=True, slots=True)
class Delay:
    """Seconds: fixed, uniform on [low, high] or triangular around ``mode``."""

    low: float
    high: float
    mode: float | None = None

    def __post_init__(self) -> None:
        low = _finite(self.low, "a delay's low bound")
        high = _finite(self.high, "a delay's high bound")
        if low < 0 or high > MAX_DELAY_SECONDS:
            raise RuleValueError(f"a delay must be within [0, {MAX_DELAY_SECONDS:.0f}] seconds")
        if high < low:
            raise RuleValueError(f"a delay's high bound ({high}) is below its low bound ({low})")
        object.__setattr__(self, "low", low)
        object.__setattr__(self, "high", high)
        if self.mode is not None:
            mode = _finite(self.mode, "a delay's mode")
            if not low <= mode <= high:
                raise RuleValueError(f"a delay's mode ({mode}) is outside [{low}, {high}]")
            object.__setattr__(self, "mode", mode)

    @classmethod
    def fixed(cls, seconds: float) -> Delay:
        return cls(seconds, seconds)

    def value(self, u: float) -> float:
        """The delay for the uniform draw ``u`` (inverse CDF), rounded to ms."""
        low, high, mode = self.low, self.high, self.mode
        span = high - low
        if span == 0:
            return low
        if mode is None:
            raw = low + u * span
        elif u < (mode - low) / span:
            raw = low + math.sqrt(u * span * (mode - low))
        else:
            raw = high - math.sqrt((1 - u) * span * (high - mode))
        return min(max(round(raw, 3), low), high)

    def to_json(self) -> float | list[float] | dict[str, float]:
        if self.mode is not None:
            return {"min": self.low, "mode": self.mode, "max": self.high}
        if self.low == self.high:
            return self.low
        return [self.low, self.high]


@dataclass(frozen=True, slots=True)
class Weights:
    """Relative weights of named outcomes, in a fixed order."""

    items: tuple[tuple[str, float], ...]

    def __post_init__(self) -> None:
        total = 0.0
        names = set()
        for name, weight in self.items:
            value = _finite(weight, f"the weight of {name!r}")
            if value < 0:
                raise RuleValueError(f"the weight of {name!r} is negative")
            if name in names:
                raise RuleValueError(f"{name!r} is weighted twice")
            names.add(name)
            total += value
        if total <= 0:
            raise RuleValueError("at least one weight must be positive")

    @classmethod
    def of(cls, weights: Mapping[str, float], allowed: Iterable[str]) -> Weights:
        """Weights in ``allowed``'s order; unknown names are an error, missing ones weigh 0."""
        order = list(allowed)
        unknown = sorted(set(weights) - set(order))
        if unknown:
            raise RuleValueError(
                f"unknown {', '.join(map(repr, unknown))} (expected {', '.join(order)})"
            )
        return cls(tuple((name, float(weights.get(name, 0))) for name in order))

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.items)

    def possible(self) -> tuple[str, ...]:
        """The names that can be drawn (positive weight)."""
        return tuple(name for name, weight in self.items if weight > 0)

    def pick(self, u: float) -> str:
        total = sum(weight for _, weight in self.items)
        threshold = u * total
        running = 0.0
        last = ""
        for name, weight in self.items:
            if weight <= 0:
                continue
            running += weight
            last = name
            if threshold < running:
                return name
        return last  # u * total rounded up to the total

    def to_json(self) -> dict[str, float]:
        return {name: weight for name, weight in self.items if weight > 0}


def probability(value: float, what: str) -> float:
    number = _finite(value, what)
    if not 0 <= number <= 1:
        raise RuleValueError(f"{what} must be within [0, 1], got {number}")
    return number
