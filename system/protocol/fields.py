"""Field codecs: how one typed value is written as one wire parameter.

A ``FieldCodec`` pairs ``parse`` (wire text -> value) and ``format`` (value ->
wire text); both raise ``ValueError`` with a reason, which ``decode_field`` /
``encode_field`` turn into ``InvalidField`` naming the field. Records
(``records``) and the command table use these codecs, so every side validates
a field the same way. Integers are unsigned decimal without sign or spaces,
at most 2**31-1; identifiers start at 1; flags are ``0``/``1``; timestamps are
``YYYY-MM-DDTHH:MM:SS`` local time or empty (spec-ruling 11).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from nabat.system.protocol.exceptions import InvalidField

T = TypeVar("T")
E = TypeVar("E", bound=enum.IntEnum)

INT_MAX = 2**31 - 1


@dataclass(frozen=True, slots=True)
class FieldCodec(Generic[T]):
    """``kind`` is the short name docs/protocol.md uses for this field type."""

    kind: str
    parse: Callable[[str], T]
    format: Callable[[T], str]


def decode_field(name: str, codec: FieldCodec[T], raw: str) -> T:
    try:
        return codec.parse(raw)
    except ValueError as exc:
        raise InvalidField(name, str(exc)) from None


def encode_field(name: str, codec: FieldCodec[Any], value: Any) -> str:
    try:
        return codec.format(value)
    except (ValueError, TypeError) as exc:
        raise InvalidField(name, str(exc)) from None


def _short(raw: str) -> str:
    return repr(raw if len(raw) <= 40 else raw[:40] + "...")


_DIGITS = re.compile(r"[0-9]{1,10}")


def _int_parser(low: int) -> Callable[[str], int]:
    def parse(raw: str) -> int:
        if _DIGITS.fullmatch(raw) is None or not low <= int(raw) <= INT_MAX:
            raise ValueError(f"expected a decimal integer {low}..{INT_MAX}, got {_short(raw)}")
        return int(raw)

    return parse


def _int_formatter(low: int) -> Callable[[int], str]:
    def format_(value: int) -> str:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"expected an int, got {type(value).__name__}")
        if not low <= value <= INT_MAX:
            raise ValueError(f"expected an integer {low}..{INT_MAX}, got {value}")
        return str(value)

    return format_


ID: FieldCodec[int] = FieldCodec("id", _int_parser(1), _int_formatter(1))
UINT: FieldCodec[int] = FieldCodec("uint", _int_parser(0), _int_formatter(0))


def _parse_flag(raw: str) -> bool:
    if raw not in ("0", "1"):
        raise ValueError(f"expected 0 or 1, got {_short(raw)}")
    return raw == "1"


def _format_flag(value: bool) -> str:
    if not isinstance(value, bool):
        raise TypeError(f"expected a bool, got {type(value).__name__}")
    return "1" if value else "0"


FLAG: FieldCodec[bool] = FieldCodec("flag", _parse_flag, _format_flag)


def _check_str(value: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a str, got {type(value).__name__}")
    return value


def _parse_text(raw: str) -> str:
    return raw


TEXT: FieldCodec[str] = FieldCodec("text", _parse_text, _check_str)


def _nonempty(raw: str) -> str:
    if not _check_str(raw):
        raise ValueError("must not be empty")
    return raw


NAME: FieldCodec[str] = FieldCodec("name", _nonempty, _nonempty)


def _pattern_codec(kind: str, pattern: str, expected: str) -> FieldCodec[str]:
    compiled = re.compile(pattern)

    def check(raw: str) -> str:
        if compiled.fullmatch(_check_str(raw)) is None:
            raise ValueError(f"expected {expected}, got {_short(raw)}")
        return raw

    return FieldCodec(kind, check, check)


CHANNELS = _pattern_codec("channels", r"[01]*", "a string of 0 and 1 (one character per channel)")
PHONE = _pattern_codec("phone", r"\+?[0-9]{1,32}", "1-32 digits with an optional leading '+'")
EMAIL = _pattern_codec("email", r"[^@\s]+@[^@\s]+", "an e-mail address (local@domain)")
PIN = _pattern_codec("pin", r"[0-9]{0,16}", "0-16 digits")
KEY = _pattern_codec("key", r"[A-Za-z0-9_.\-]{1,64}", "1-64 of A-Z a-z 0-9 _ . -")
FILENAME = _pattern_codec(
    "filename",
    r"(?!\.{1,2}\Z)[^/\\:\x00-\x1f\x7f]{1,255}",
    "a plain file name (1-255 characters, no / \\ : or control characters, not . or ..)",
)
OPTIONAL_FILENAME = FieldCodec(
    "filename?",
    lambda raw: raw and FILENAME.parse(raw),
    lambda value: value and FILENAME.format(value),
)

_TIMESTAMP = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _parse_timestamp(raw: str) -> datetime | None:
    if raw == "":
        return None
    if _TIMESTAMP.fullmatch(raw) is None:
        raise ValueError(f"expected YYYY-MM-DDTHH:MM:SS or empty, got {_short(raw)}")
    try:
        return datetime.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"not a valid date and time: {_short(raw)}") from None


def _format_timestamp(value: datetime | None) -> str:
    if value is None:
        return ""
    if not isinstance(value, datetime):
        raise TypeError(f"expected a datetime or None, got {type(value).__name__}")
    if value.tzinfo is not None:
        raise ValueError("timestamps are local time without a zone; got an aware datetime")
    return value.isoformat(timespec="seconds")  # microseconds are dropped


TIMESTAMP: FieldCodec[datetime | None] = FieldCodec(
    "timestamp", _parse_timestamp, _format_timestamp
)


def _parse_date(raw: str) -> date:
    if _DATE.fullmatch(raw) is None:
        raise ValueError(f"expected YYYY-MM-DD, got {_short(raw)}")
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"not a valid date: {_short(raw)}") from None


def _format_date(value: date) -> str:
    if not isinstance(value, date) or isinstance(value, datetime):
        raise TypeError(f"expected a date, got {type(value).__name__}")
    return value.isoformat()


DATE: FieldCodec[date] = FieldCodec("date", _parse_date, _format_date)


def _parse_ids(raw: str) -> tuple[int, ...]:
    parse = ID.parse
    try:
        return tuple(parse(part) for part in raw.split(","))
    except ValueError:
        raise ValueError(f"expected ids separated by commas (1,2,3), got {_short(raw)}") from None


def _format_ids(value: tuple[int, ...]) -> str:
    if not value:
        raise ValueError("at least one id is required")
    return ",".join(ID.format(item) for item in value)


ID_LIST: FieldCodec[tuple[int, ...]] = FieldCodec("ids", _parse_ids, _format_ids)

_HEX = re.compile(r"(?:[0-9A-Fa-f]{2})*")


def _parse_hex(raw: str) -> bytes:
    if _HEX.fullmatch(raw) is None:
        raise ValueError("expected an even number of hex digits")
    return bytes.fromhex(raw)


def _format_hex(value: bytes) -> str:
    if not isinstance(value, bytes | bytearray | memoryview):
        raise TypeError(f"expected bytes, got {type(value).__name__}")
    return bytes(value).hex().upper()


HEX: FieldCodec[bytes] = FieldCodec("hex", _parse_hex, _format_hex)


def enum_codec(enum_type: type[E]) -> FieldCodec[E]:
    """An IntEnum written as its integer value; unknown values are errors."""
    known = ", ".join(f"{member.value} {member.name.lower()}" for member in enum_type)
    parse_int = UINT.parse

    def parse(raw: str) -> E:
        try:
            return enum_type(parse_int(raw))
        except ValueError:
            raise ValueError(
                f"expected a {enum_type.__name__} ({known}), got {_short(raw)}"
            ) from None

    wire_forms = {member.value: str(member.value) for member in enum_type}  # no Enum() per call

    def format_(value: E) -> str:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"expected a {enum_type.__name__}, got {type(value).__name__}")
        text = wire_forms.get(value)
        if text is None:
            raise ValueError(f"expected a {enum_type.__name__} ({known}), got {value}")
        return text

    return FieldCodec(enum_type.__name__, parse, format_)
