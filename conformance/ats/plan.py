"""The target's numbering plan as the suite sees it, and fresh numbers.

Two operators (A and B), each a loopback source address, a number range and
an id_src; plus a client address that belongs to no operator and a number in
no range. :class:`NumberSource` hands out numbers drawn at random inside a
range and never twice in a run, plus unique call ids, so reruns and parallel
runs against a shared hub do not collide.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass

from nabat.conformance.framework.net import require_loopback


@dataclass(frozen=True)
class Operator:
    name: str
    ip: str
    first: int
    last: int
    id_src: str

    def owns(self, number: int) -> bool:
        return self.first <= number <= self.last

    def describe(self) -> str:
        return f"{self.ip} owns {self.first}-{self.last} (id_src {self.id_src})"


@dataclass(frozen=True)
class AtsSettings:
    a: Operator
    b: Operator
    unknown_ip: str
    unknown_number: str
    window: float
    seed: int | None = None


def parse_range(text: str) -> tuple[int, int]:
    first, sep, last = text.partition("-")
    if not sep or not first.strip().isdigit() or not last.strip().isdigit():
        raise ValueError(f"number range {text!r} must look like 79000000000-79099999999")
    low, high = int(first), int(last)
    if low > high:
        raise ValueError(f"number range {text!r} is empty")
    return low, high


def validate(settings: AtsSettings) -> AtsSettings:
    for ip in (settings.a.ip, settings.b.ip, settings.unknown_ip):
        require_loopback(ip)
    if len({settings.a.ip, settings.b.ip, settings.unknown_ip}) != 3:
        raise ValueError("operator A, operator B and the unknown client need distinct addresses")
    if settings.a.first <= settings.b.last and settings.b.first <= settings.a.last:
        raise ValueError("operator A's and operator B's ranges overlap")
    if not settings.unknown_number.isdigit():
        raise ValueError("the unknown number must be digits")
    unknown = int(settings.unknown_number)
    if settings.a.owns(unknown) or settings.b.owns(unknown):
        raise ValueError("the unknown number lies inside an operator's range")
    if settings.window <= 0:
        raise ValueError("the window must be positive")
    return settings


class NumberSource:
    """Unique random numbers within ranges, and unique call ids, for one run."""

    def __init__(self, seed: int | None = None) -> None:
        self._random = random.Random(seed)
        self._used: set[int] = set()
        self._run = uuid.UUID(int=self._random.getrandbits(128)).hex[:12]
        self._calls = 0

    def number(self, operator: Operator) -> str:
        span = operator.last - operator.first + 1
        if len(self._used) >= span:
            raise RuntimeError(f"range of operator {operator.name} exhausted")
        while True:
            candidate = operator.first + self._random.randrange(span)
            if candidate not in self._used:
                self._used.add(candidate)
                return str(candidate)

    def foreign(self) -> str:
        """A well-formed non-Russian E.164 number (North America, +1)."""
        return "1" + str(self._random.randrange(2_000_000_000, 9_999_999_999))

    def call_id(self) -> str:
        self._calls += 1
        return f"nabat-{self._run}-{self._calls}"
