"""The channels' settings text: ``key=value;key=value`` into a settings dataclass.

How it works: ``parse_pairs`` splits the server's channel settings text on
``;`` and ``=`` (values and keys stripped, empty pairs skipped) over a copy
of the given defaults. ``convert_fields`` turns a mapping of strings or
typed values (a TOML table) into the keyword arguments of a settings
dataclass: an unknown key is a ``ValueError`` naming the channel kind, and
each string is converted by its field's annotation with ``convert_value``
(``int``, ``float``, ``bool`` as yes/no, empty ``str | None`` as None) or a
channel's own converter that falls back to it. Typed values pass through.
``calling_number`` checks a voice channel's own number (``number=``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

Converter = Callable[[str, str, object], object]
"""``(key, annotation text, value) -> converted value``."""

_YES = ("1", "true", "yes", "on")
_NO = ("0", "false", "no", "off")


def parse_pairs(
    text: str, defaults: Mapping[str, object], *, quote: int | None = None
) -> dict[str, object]:
    """``defaults`` updated from ``key=value;...``; ``quote`` caps a bad pair in the error."""
    values: dict[str, object] = dict(defaults)
    for pair in filter(None, text.split(";")):
        key, sep, value = pair.partition("=")
        if not sep:
            raise ValueError(f"{pair[:quote]!r} is not key=value")
        values[key.strip()] = value.strip()
    return values


def convert_value(key: str, kind: str, value: object) -> object:
    """One value for a field annotated ``kind``; a non-string passes through."""
    if not isinstance(value, str):
        return value
    try:
        if kind == "int":
            return int(value)
        if kind == "float":
            return float(value)
    except ValueError:
        raise ValueError(f"{key}: {value!r} is not a number") from None
    if kind == "bool":
        lowered = value.lower()
        if lowered not in _YES + _NO:
            raise ValueError(f"{key}: {value!r} is not yes or no")
        return lowered in _YES
    if kind == "str | None" and value == "":
        return None
    return value


def convert_fields(
    cls: type[DataclassInstance],
    values: Mapping[str, object],
    *,
    what: str,
    convert: Converter = convert_value,
    quote: int | None = None,
) -> dict[str, object]:
    """Keyword arguments for ``cls`` from ``values``; unknown keys: ``not {what}``."""
    fields = {field.name: field for field in dataclasses.fields(cls)}
    converted: dict[str, object] = {}
    for key, value in values.items():
        field = fields.get(key)
        if field is None:
            raise ValueError(f"{key[:quote]}: not {what}")
        converted[key] = convert(key, str(field.type), value)
    return converted


def calling_number(key: str, text: str) -> str:
    """A channel's own phone number: 1-32 digits after an optional ``+``, returned without it."""
    digits = text.removeprefix("+")
    if not (1 <= len(digits) <= 32 and digits.isascii() and digits.isdigit()):
        raise ValueError(f"{key}: 1 to 32 digits, optionally after +")
    return digits
