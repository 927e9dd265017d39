"""Number ranges and each Locust user's private share of them.

How it works: an operator's range (e.g. 79000000000-79099999999, owned by the
client address 127.0.0.1 in the simulator's default plan) is cut into three
equal thirds with fixed roles:

1. genuine ``a`` numbers — the only numbers this suite ever registers;
2. spoofed ``a`` numbers — never registered by this suite, so a CheckCall of
   a pair whose ``a`` comes from here must be answered 404, in any run, with
   any number of users or workers;
3. ``b`` numbers — the called side.

Each third is cut again into ``slots`` equal slices and a user gets slice
number ``slot`` of every third, so two concurrent users never share an ``a``
and a genuine pair can only be satisfied by its own user's registration.
A slot is ``worker_index * slots_per_worker + local_index`` (``slots.py``
hands out local indexes). A user walks its slices with ``NumberCursor``;
wrapping around is harmless (a genuine pair is re-registered, a spoofed one
still never was).
"""

from __future__ import annotations

from dataclasses import dataclass


class PartitionError(ValueError):
    """A range or a slot that cannot be used."""


@dataclass(frozen=True, slots=True)
class NumberRange:
    """Inclusive range of numbers (E.164 digits without '+')."""

    first: int
    last: int

    def __post_init__(self) -> None:
        if self.first < 0 or self.last < self.first:
            raise PartitionError(f"bad range {self.first}-{self.last}")
        if len(str(self.last)) > 15:
            raise PartitionError(f"range {self}: numbers have at most 15 digits")

    @classmethod
    def parse(cls, text: str) -> NumberRange:
        """``"79000000000-79099999999"`` -> NumberRange."""
        first, sep, last = text.strip().partition("-")
        if not sep or not first.strip().isdigit() or not last.strip().isdigit():
            raise PartitionError(f"expected FIRST-LAST (digits), got {text!r}")
        return cls(int(first), int(last))

    @property
    def size(self) -> int:
        return self.last - self.first + 1

    def slice(self, index: int, count: int) -> NumberRange:
        """Slice ``index`` of ``count`` equal slices (the remainder is left unused)."""
        if count < 1 or not 0 <= index < count:
            raise PartitionError(f"slice {index} of {count} does not exist")
        width = self.size // count
        if width < 1:
            raise PartitionError(f"range {self} is too small for {count} slices")
        first = self.first + index * width
        return NumberRange(first, first + width - 1)

    def __contains__(self, number: object) -> bool:
        return isinstance(number, int) and self.first <= number <= self.last

    def __str__(self) -> str:
        return f"{self.first}-{self.last}"


GENUINE_A, SPOOFED_A, CALLED_B = 0, 1, 2
_THIRDS = 3


@dataclass(frozen=True, slots=True)
class UserShare:
    """One user's numbers within one operator's range."""

    genuine_a: NumberRange
    spoofed_a: NumberRange
    b: NumberRange


def user_share(operator_range: NumberRange, slot: int, slots: int) -> UserShare:
    """The share of ``operator_range`` that belongs to ``slot`` (of ``slots``)."""
    thirds = [operator_range.slice(i, _THIRDS) for i in range(_THIRDS)]
    return UserShare(
        genuine_a=thirds[GENUINE_A].slice(slot, slots),
        spoofed_a=thirds[SPOOFED_A].slice(slot, slots),
        b=thirds[CALLED_B].slice(slot, slots),
    )


def spoofed_third(operator_range: NumberRange) -> NumberRange:
    """All numbers this suite uses as spoofed ``a`` (never registered)."""
    return operator_range.slice(SPOOFED_A, _THIRDS)


def genuine_third(operator_range: NumberRange) -> NumberRange:
    """All numbers this suite may register as ``a``."""
    return operator_range.slice(GENUINE_A, _THIRDS)


def slot_for(worker_index: int, local_index: int, max_workers: int, slots_per_worker: int) -> int:
    """Global slot of a user: unique across workers as long as both bounds hold."""
    if not 0 <= worker_index < max_workers:
        raise PartitionError(
            f"worker index {worker_index} is outside 0..{max_workers - 1}; raise --ats-max-workers"
        )
    if not 0 <= local_index < slots_per_worker:
        raise PartitionError(
            f"more than {slots_per_worker} users in one worker; raise --ats-slots-per-worker"
        )
    return worker_index * slots_per_worker + local_index


class NumberCursor:
    """Walks a range round-robin, yielding numbers as digit strings."""

    __slots__ = ("_first", "_offset", "_size")

    def __init__(self, numbers: NumberRange, start: int = 0) -> None:
        self._first = numbers.first
        self._size = numbers.size
        self._offset = start % self._size

    def next(self) -> str:
        number = self._first + self._offset
        self._offset += 1
        if self._offset == self._size:
            self._offset = 0
        return str(number)


class UserNumbers:
    """Everything one user draws numbers from: its shares of both operators' ranges."""

    def __init__(
        self, op1: NumberRange, op2: NumberRange, slot: int, slots: int, start: int = 0
    ) -> None:
        mine = user_share(op1, slot, slots)
        theirs = user_share(op2, slot, slots)
        self.slot = slot
        self.a = NumberCursor(mine.genuine_a, start)  # operator 1 registers these
        self.spoofed_a = NumberCursor(mine.spoofed_a, start)  # never registered
        self.b1 = NumberCursor(mine.b, start)  # called numbers of operator 1
        self.b2 = NumberCursor(theirs.b, start)  # called numbers of operator 2
        self.foreign_a = str(theirs.spoofed_a.first)  # owned by operator 2, never registered


class CallIds:
    """``<prefix><counter>``: unique per user (slot) and per process run (token)."""

    __slots__ = ("_counter", "_prefix")

    def __init__(self, token: str, slot: int) -> None:
        self._prefix = f"ld{token}-{slot}-"
        self._counter = 0

    def next(self) -> str:
        self._counter += 1
        return f"{self._prefix}{self._counter}"
