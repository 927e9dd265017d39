"""Time as the store keeps it: an injected clock and the text form in the database.

A ``Clock`` is any callable returning a naive local ``datetime`` (ruling 11);
tests pass a fake one. Timestamps are stored as ``YYYY-MM-DDTHH:MM:SS`` text
(seconds precision, microseconds dropped) so the database reads the same as
the wire, and ``NULL`` means unset.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The local wall-clock time, without a zone and without fractions."""
    return datetime.now().replace(microsecond=0)


def to_db(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is not None:
        raise ValueError("timestamps are local time without a zone; got an aware datetime")
    return value.replace(microsecond=0).isoformat(timespec="seconds")


def from_db(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)
