"""The world's numbering plan: who operates a number, and where (time zone) it lives.

Operators come from the ATS simulator's plan (``nabat.simulators.ats.plan``:
the same ranges, the same loopback client address standing for each
operator, the same CSV loader), so the world and the hub agree on who owns a
number. Regions are a second, independent list of number ranges with a name
and a UTC offset; a number outside every region lives at
``default_utc_offset``. The default plan keeps the two ranges of
docs/example-numbers.csv and splits each into two regions (docs/world.md).
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone

from nabat.simulators.ats.plan import NumberingPlan, NumberRange, default_plan
from nabat.simulators.world.addresses import is_number

_OFFSET = re.compile(r"([+-])([0-9]{1,2}):([0-9]{2})")
MIN_OFFSET_MINUTES, MAX_OFFSET_MINUTES = -12 * 60, 14 * 60


class NumberingError(ValueError):
    """An invalid region or UTC offset."""


def parse_utc_offset(value: object) -> int:
    """Minutes east of UTC from ``"+03:00"`` / ``"-05:30"`` or a number of hours."""
    if isinstance(value, str):
        found = _OFFSET.fullmatch(value.strip())
        if found is None:
            raise NumberingError(f"UTC offset {value!r} is not '+HH:MM' or a number of hours")
        sign = -1 if found.group(1) == "-" else 1
        minutes = sign * (int(found.group(2)) * 60 + int(found.group(3)))
        if int(found.group(3)) >= 60:
            raise NumberingError(f"UTC offset {value!r} has more than 59 minutes")
    elif isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        minutes = round(value * 60)
        if abs(minutes - value * 60) > 1e-6:
            raise NumberingError(f"UTC offset {value!r} hours is not a whole number of minutes")
    else:
        raise NumberingError(f"UTC offset {value!r} is not '+HH:MM' or a number of hours")
    if not MIN_OFFSET_MINUTES <= minutes <= MAX_OFFSET_MINUTES:
        raise NumberingError(f"UTC offset {value!r} is outside -12:00..+14:00")
    return minutes


def format_utc_offset(minutes: int) -> str:
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{rest:02d}"


@dataclass(frozen=True, slots=True)
class Region:
    first: int
    last: int
    name: str
    utc_offset: int  # minutes east of UTC

    def __post_init__(self) -> None:
        if self.last < self.first or self.first < 0:
            raise NumberingError(f"region {self.name!r}: last is below first")
        if not isinstance(self.name, str) or not self.name.strip():
            raise NumberingError("a region needs a name")
        if not MIN_OFFSET_MINUTES <= self.utc_offset <= MAX_OFFSET_MINUTES:
            raise NumberingError(f"region {self.name!r}: UTC offset outside -12:00..+14:00")

    @property
    def timezone(self) -> timezone:
        return timezone(timedelta(minutes=self.utc_offset), self.name)

    def to_json(self) -> dict[str, object]:
        return {
            "first": str(self.first),
            "last": str(self.last),
            "name": self.name,
            "utc_offset": format_utc_offset(self.utc_offset),
        }


DEFAULT_UTC_OFFSET = 180  # Moscow time, for numbers outside every region
DEFAULT_REGIONS = (
    Region(79000000000, 79049999999, "Moscow", 180),
    Region(79050000000, 79099999999, "Samara", 240),
    Region(79100000000, 79149999999, "Novosibirsk", 420),
    Region(79150000000, 79199999999, "Vladivostok", 600),
)


@dataclass(frozen=True)
class WorldPlan:
    numbers: NumberingPlan = field(default_factory=default_plan)
    regions: tuple[Region, ...] = DEFAULT_REGIONS
    default_utc_offset: int = DEFAULT_UTC_OFFSET
    _firsts: tuple[int, ...] = field(init=False, repr=False, compare=False, default=())

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.regions, key=lambda region: region.first))
        for previous, current in itertools.pairwise(ordered):
            if current.first <= previous.last:
                raise NumberingError(f"regions {previous.name!r} and {current.name!r} overlap")
        if not MIN_OFFSET_MINUTES <= self.default_utc_offset <= MAX_OFFSET_MINUTES:
            raise NumberingError("default UTC offset outside -12:00..+14:00")
        object.__setattr__(self, "numbers", self.numbers.copy())  # never shared
        object.__setattr__(self, "regions", ordered)
        object.__setattr__(self, "_firsts", tuple(region.first for region in ordered))

    def number_range(self, number: str) -> NumberRange | None:
        return self.numbers.find(int(number)) if is_number(number) else None

    def operator(self, number: str) -> str | None:
        """The operator (``id_src``) owning ``number``."""
        found = self.number_range(number)
        return found.id_src if found is not None else None

    def operator_address(self, number: str) -> str | None:
        """The loopback client address that stands for ``number``'s operator."""
        found = self.number_range(number)
        if found is None or not found.id_src:
            return None
        if found.client_ips:
            return found.client_ips[0]
        candidates = sorted(ip for ip, op in self.numbers.operators.items() if op == found.id_src)
        return candidates[0] if candidates else None

    def region(self, number: str) -> Region | None:
        if not is_number(number):
            return None
        value = int(number)
        index = bisect.bisect_right(self._firsts, value) - 1
        if index >= 0 and value <= self.regions[index].last:
            return self.regions[index]
        return None

    def timezone(self, number: str) -> timezone:
        found = self.region(number)
        if found is not None:
            return found.timezone
        return timezone(timedelta(minutes=self.default_utc_offset))

    def local_time(self, number: str, when: datetime | float) -> datetime:
        """``when`` (an aware datetime or a Unix time) on the subscriber's clock."""
        moment = datetime.fromtimestamp(when, UTC) if isinstance(when, int | float) else when
        return moment.astimezone(self.timezone(number))

    def to_json(self) -> dict[str, object]:
        return {
            "range": [number_range.to_row() for number_range in self.numbers.ranges],
            "region": [region.to_json() for region in self.regions],
            "default_utc_offset": format_utc_offset(self.default_utc_offset),
        }
