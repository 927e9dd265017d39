"""The simulated numbering plan: number ranges with their operator and UVR data,
and the client IP addresses that identify each operator (ruling 4).

Ranges are kept sorted by their first number; a lookup is one bisect. The plan
loads from a CSV file (format in docs/ats-simulator.md) or from JSON rows sent
to the control API; both go through ``range_from_row`` so they validate alike,
and every rejected row names its line (or index) and the reason.
"""

from __future__ import annotations

import bisect
import csv
import io
import ipaddress
import itertools
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

DEFAULT_CREATED = "2024-01-19 07:50:13"
COLUMNS = (
    "first",
    "last",
    "id_src",
    "client_ips",
    "inn",
    "id_uvr_p",
    "id_uvr_s",
    "ip_uvr_p_p",
    "ip_uvr_p_s",
    "ip_uvr_s_p",
    "ip_uvr_s_s",
    "created",
)
REQUIRED_COLUMNS = ("first", "last", "id_src")


class PlanError(ValueError):
    """A numbering-plan row or file is invalid."""


@dataclass(frozen=True, slots=True)
class NumberRange:
    first: int
    last: int
    id_src: str | None
    client_ips: tuple[str, ...] = ()
    inn: str | None = None
    id_uvr_p: int | None = 1
    id_uvr_s: int | None = None
    ip_uvr_p_p: str | None = None
    ip_uvr_p_s: str | None = None
    ip_uvr_s_p: str | None = None
    ip_uvr_s_s: str | None = None
    created: str = DEFAULT_CREATED

    def to_row(self) -> dict[str, object]:
        row = asdict(self)
        row["client_ips"] = " ".join(self.client_ips)
        return row


@dataclass(slots=True)
class NumberingPlan:
    ranges: list[NumberRange] = field(default_factory=list)
    operators: dict[str, str] = field(default_factory=dict)
    _firsts: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self._reindex()

    # --- queries ------------------------------------------------------------
    def find(self, number: int) -> NumberRange | None:
        index = bisect.bisect_right(self._firsts, number) - 1
        if index >= 0:
            candidate = self.ranges[index]
            if number <= candidate.last:
                return candidate
        return None

    def operator_of_client(self, ip: str) -> str | None:
        return self.operators.get(ip)

    # --- edits --------------------------------------------------------------
    def add(self, new_ranges: Iterable[NumberRange], operators: Mapping[str, str]) -> None:
        merged = sorted([*self.ranges, *new_ranges], key=lambda r: r.first)
        _check_overlaps(merged)
        self.ranges = merged
        for number_range in new_ranges:
            if number_range.id_src:
                for ip in number_range.client_ips:
                    self.operators[ip] = number_range.id_src
        self.operators.update(operators)
        self._reindex()

    def replace_with(self, other: NumberingPlan) -> None:
        self.ranges = list(other.ranges)
        self.operators = dict(other.operators)
        self._reindex()

    def clear(self) -> None:
        self.ranges = []
        self.operators = {}
        self._reindex()

    def copy(self) -> NumberingPlan:
        return NumberingPlan(list(self.ranges), dict(self.operators))

    def to_json(self) -> dict[str, object]:
        return {"ranges": [r.to_row() for r in self.ranges], "operators": dict(self.operators)}

    def _reindex(self) -> None:
        self.ranges.sort(key=lambda r: r.first)
        self._firsts = [r.first for r in self.ranges]


def default_plan() -> NumberingPlan:
    """The documented default plan: two operators on two loopback addresses."""
    plan = NumberingPlan()
    plan.add(
        [
            NumberRange(79000000000, 79099999999, "1", ("127.0.0.1",), inn="7700000001"),
            NumberRange(79100000000, 79199999999, "2", ("127.0.0.2",), inn="7700000002"),
        ],
        {},
    )
    return plan


def _check_overlaps(ranges: list[NumberRange]) -> None:
    for previous, current in itertools.pairwise(ranges):
        if current.first <= previous.last:
            raise PlanError(
                f"ranges {previous.first}-{previous.last} and "
                f"{current.first}-{current.last} overlap"
            )


def _number(value: str, column: str) -> int:
    if not value.isdigit() or not value.isascii() or len(value) > 15:
        raise PlanError(f"{column} must be 1 to 15 digits, got {value!r}")
    return int(value)


def _optional_int(value: str, column: str) -> int | None:
    if value == "":
        return None
    try:
        return int(value)
    except ValueError:
        raise PlanError(f"{column} must be an integer or empty, got {value!r}") from None


def _optional_text(value: str) -> str | None:
    return value if value != "" else None


def _ips(value: str) -> tuple[str, ...]:
    addresses = tuple(value.split())
    for address in addresses:
        try:
            ipaddress.ip_address(address)
        except ValueError:
            raise PlanError(f"client_ips: {address!r} is not an IP address") from None
    return addresses


def range_from_row(row: Mapping[str, object]) -> NumberRange:
    """Validate one row (CSV or JSON) into a ``NumberRange``."""
    unknown = set(row) - set(COLUMNS)
    if unknown:
        raise PlanError(f"unknown columns: {', '.join(sorted(unknown))}")
    missing = [c for c in REQUIRED_COLUMNS if c not in row]
    if missing:
        raise PlanError(f"missing columns: {', '.join(missing)}")
    text = {key: "" if value is None else str(value).strip() for key, value in row.items()}
    first = _number(text["first"], "first")
    last = _number(text["last"], "last")
    if last < first:
        raise PlanError(f"last ({last}) is below first ({first})")
    created = text.get("created") or DEFAULT_CREATED
    return NumberRange(
        first=first,
        last=last,
        id_src=_optional_text(text["id_src"]),
        client_ips=_ips(text.get("client_ips", "")),
        inn=_optional_text(text.get("inn", "")),
        id_uvr_p=_optional_int(text["id_uvr_p"], "id_uvr_p") if "id_uvr_p" in text else 1,
        id_uvr_s=_optional_int(text.get("id_uvr_s", ""), "id_uvr_s"),
        ip_uvr_p_p=_optional_text(text.get("ip_uvr_p_p", "")),
        ip_uvr_p_s=_optional_text(text.get("ip_uvr_p_s", "")),
        ip_uvr_s_p=_optional_text(text.get("ip_uvr_s_p", "")),
        ip_uvr_s_s=_optional_text(text.get("ip_uvr_s_s", "")),
        created=created,
    )


def parse_plan_csv(text: str, source: str = "<csv>") -> NumberingPlan:
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None:
        raise PlanError(f"{source}: empty file (a header row is required)")
    header = [name.strip() for name in reader.fieldnames]
    unknown = set(header) - set(COLUMNS)
    if unknown:
        raise PlanError(f"{source}:1: unknown columns: {', '.join(sorted(unknown))}")
    ranges: list[NumberRange] = []
    for row in reader:
        line = reader.line_num
        if None in row or any(value is None for value in row.values()):
            raise PlanError(f"{source}:{line}: wrong number of fields")
        cleaned = {key.strip(): value for key, value in row.items() if key is not None}
        try:
            ranges.append(range_from_row(cleaned))
        except PlanError as error:
            raise PlanError(f"{source}:{line}: {error}") from None
    plan = NumberingPlan()
    try:
        plan.add(ranges, {})
    except PlanError as error:
        raise PlanError(f"{source}: {error}") from None
    return plan


def load_plan_file(path: Path) -> NumberingPlan:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise PlanError(f"{path}: cannot read: {error.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise PlanError(f"{path}: not UTF-8 (byte {error.start})") from None
    return parse_plan_csv(text, str(path))
