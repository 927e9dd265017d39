"""A task's text parameters (channels, schedule, remote start, confirm, addinfo) as a ``TaskPlan``.

How it works: the protocol carries these parameters as free text; this
module is their inner grammar (docs/tasks.md). Each has a pure parser that
returns an immutable value or raises ``TaskParamError`` naming the field:

* ``ChannelMask.parse`` -- ``0``/``1`` per channel number; empty allows all.
* ``Schedule.parse`` -- ``[DAYS@]HH:MM-HH:MM`` windows joined by ``;`` in the
  server's local (naive) time. The windows are laid over one week of minutes
  (a bitmap of 10,080 entries), so ``is_open`` is a lookup and
  ``next_change`` the next minute where the bitmap flips.
* ``parse_confirm`` / ``parse_addinfo`` -- ``key=value;...`` read with the
  channels' settings-text parser (``system/channels/settings_text.py``),
  then range-checked; bare keys are shorthand for ``key=``.
* ``RemoteSpec.parse`` -- the DTMF code, PIN and SMS keyword of remote start,
  with constant-time matching of what a caller entered or texted.

``TaskPlan.from_task`` runs them in the wire's field order and stops at the
first bad one; ADDTASK and UPDATETASK use it to refuse a task the engine
could not run.
"""

from __future__ import annotations

import bisect
import hmac
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Final

from nabat.system.channels.settings_text import convert_fields, parse_pairs
from nabat.system.protocol import Task, TaskType

QUOTE: Final = 40  # longest piece of a bad value echoed back in an error
DAY_MINUTES: Final = 24 * 60
WEEK_MINUTES: Final = 7 * DAY_MINUTES
DAY_NAMES: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
REPORT_FORMATS: Final = ("HTML", "XLS", "XLSX")
MAX_WINDOWS: Final = 64  # a schedule's windows: bounds the work of one ADDTASK


class TaskParamError(ValueError):
    """A task parameter the engine cannot use; ``field`` is the protocol's name for it."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


def _quoted(value: str) -> str:
    return repr(value if len(value) <= QUOTE else value[:QUOTE] + "...")


# -- channels -----------------------------------------------------------------------------

_MASK = re.compile(r"[01]*")


@dataclass(frozen=True, slots=True)
class ChannelMask:
    """Character ``n`` (1-based) of ``bits`` is ``1`` when channel ``n`` may be used."""

    bits: str = ""

    @classmethod
    def parse(cls, text: str) -> ChannelMask:
        if not _MASK.fullmatch(text):
            raise TaskParamError("channels", f"only 0 and 1, one per channel, got {_quoted(text)}")
        return cls(text)

    def allows(self, number: int) -> bool:
        """Empty mask: every channel; otherwise ``1`` at ``number``; past the end: not allowed."""
        if number < 1:
            raise ValueError(f"channel numbers start at 1, got {number}")
        if not self.bits:
            return True
        return number <= len(self.bits) and self.bits[number - 1] == "1"


# -- schedule -----------------------------------------------------------------------------

_WINDOW = re.compile(r"(?:(?P<days>[^@]*)@)?(?P<start>[^-]*)-(?P<end>.*)")
_TIME = re.compile(r"(?P<h>[0-9]{1,2}):(?P<m>[0-9]{2})")
_DAY_NUMBER = re.compile(r"[1-7]")
EVERY_DAY: Final = frozenset(range(7))


def _day(text: str) -> int:
    """Monday 0 .. Sunday 6 (``datetime.weekday``) from ``mon`` or ``1`` (Monday)."""
    word = text.strip().lower()
    if word in DAY_NAMES:
        return DAY_NAMES.index(word)
    if _DAY_NUMBER.fullmatch(word):
        return int(word) - 1
    raise TaskParamError(
        "schedule", f"day must be mon-sun or 1-7 (1 = Monday), got {_quoted(text.strip())}"
    )


def _days(text: str) -> frozenset[int]:
    days: set[int] = set()
    for item in text.split(","):
        if not item.strip():
            raise TaskParamError("schedule", f"empty day in {_quoted(text.strip())}")
        first, dash, last = item.partition("-")
        if not dash:
            days.add(_day(first))
            continue
        start, end = _day(first), _day(last)
        days.update((start + step) % 7 for step in range((end - start) % 7 + 1))
    return frozenset(days)


def _minute(text: str, *, end: bool) -> int:
    """Minutes since midnight of ``HH:MM``; only an end may be ``24:00``."""
    match = _TIME.fullmatch(text.strip())
    hours, minutes = (int(match["h"]), int(match["m"])) if match else (-1, -1)
    value = hours * 60 + minutes
    if end and value == DAY_MINUTES and minutes == 0:
        return value
    if not (0 <= hours <= 23 and 0 <= minutes <= 59):
        latest = "24:00" if end else "23:59"
        raise TaskParamError(
            "schedule", f"time must be HH:MM from 00:00 to {latest}, got {_quoted(text.strip())}"
        )
    return value


@dataclass(frozen=True, slots=True)
class Window:
    """Open from ``start`` to ``end`` (minutes since midnight) on each of ``days``.

    ``end < start`` runs past midnight into the next day; the window belongs
    to the day it starts on.
    """

    days: frozenset[int]
    start: int
    end: int

    @classmethod
    def parse(cls, text: str) -> Window:
        match = _WINDOW.fullmatch(text.strip())
        if match is None:
            raise TaskParamError(
                "schedule", f"a window is [DAYS@]HH:MM-HH:MM, got {_quoted(text.strip())}"
            )
        days = EVERY_DAY if match["days"] is None else _days(match["days"])
        start = _minute(match["start"], end=False)
        end = _minute(match["end"], end=True)
        if end == start:
            raise TaskParamError("schedule", f"empty window {_quoted(text.strip())}: end = start")
        return cls(days, start, end)

    def minutes(self) -> list[tuple[int, int]]:
        """``(first minute, length)`` per day, in minutes of the week from Monday 00:00
        (a Sunday window past midnight runs beyond the week's end)."""
        length = (self.end - self.start) % DAY_MINUTES or DAY_MINUTES
        return [(day * DAY_MINUTES + self.start, length) for day in sorted(self.days)]

    def to_text(self) -> str:
        times = f"{_clock(self.start)}-{_clock(self.end)}"
        if self.days == EVERY_DAY:
            return times
        return _days_text(self.days) + "@" + times


def _days_text(days: frozenset[int]) -> str:
    """``mon-fri,sun``: runs of three or more days as ranges."""
    items: list[str] = []
    ordered = sorted(days)
    while ordered:
        run = 1
        while run < len(ordered) and ordered[run] == ordered[0] + run:
            run += 1
        first, last = DAY_NAMES[ordered[0]], DAY_NAMES[ordered[run - 1]]
        items.append(first if run == 1 else f"{first}-{last}" if run > 2 else f"{first},{last}")
        ordered = ordered[run:]
    return ",".join(items)


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


@dataclass(frozen=True, slots=True)
class Schedule:
    """When a task may run; no windows = always. Instants are naive local time."""

    windows: tuple[Window, ...] = ()
    _week: bytes = field(default=b"", init=False, repr=False, compare=False)
    _changes: tuple[int, ...] = field(default=(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.windows:
            return
        week = bytearray(WEEK_MINUTES)
        for window in self.windows:
            for begin, length in window.minutes():
                inside = min(length, WEEK_MINUTES - begin)
                week[begin : begin + inside] = b"\x01" * inside
                week[: length - inside] = b"\x01" * (length - inside)  # past Sunday midnight
        changes = tuple(m for m in range(WEEK_MINUTES) if week[m] != week[m - 1])
        object.__setattr__(self, "_week", bytes(week))
        object.__setattr__(self, "_changes", changes)

    @classmethod
    def parse(cls, text: str) -> Schedule:
        if not text.strip():
            return cls()
        pieces = [piece for piece in text.split(";") if piece.strip()]
        if not pieces:
            raise TaskParamError("schedule", f"no window in {_quoted(text)}")
        if len(pieces) > MAX_WINDOWS:
            raise TaskParamError("schedule", f"at most {MAX_WINDOWS} windows, got {len(pieces)}")
        return cls(tuple(Window.parse(piece) for piece in pieces))

    def to_text(self) -> str:
        return ";".join(window.to_text() for window in self.windows)

    @property
    def always(self) -> bool:
        """Open at every instant (no windows, or windows covering the whole week)."""
        return not self._changes and (not self.windows or self._week[0] == 1)

    def is_open(self, when: datetime) -> bool:
        if not self.windows:
            return True
        return self._week[_week_minute(when)] == 1

    def next_change(self, when: datetime) -> datetime | None:
        """The first instant after ``when`` where ``is_open`` flips; None if it never does."""
        if not self._changes:
            return None
        minute = _week_minute(when)
        monday = _week_start(when)
        index = bisect.bisect_right(self._changes, minute)
        if index < len(self._changes):
            return monday + timedelta(minutes=self._changes[index])
        return monday + timedelta(minutes=WEEK_MINUTES + self._changes[0])


def _week_start(when: datetime) -> datetime:
    midnight = when.replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight - timedelta(days=when.weekday())


def _week_minute(when: datetime) -> int:
    return when.weekday() * DAY_MINUTES + when.hour * 60 + when.minute


# -- confirm and addinfo (settings text) ---------------------------------------------------

_CONFIRM_KEY = re.compile(r"[0-9*#A-D]{1,32}")


@dataclass(frozen=True, slots=True)
class ConfirmSpec:
    """Confirmation asked: play the message up to ``repeat`` times, each followed by
    ``wait`` seconds for the caller to press ``key``."""

    key: str
    repeat: int = 2
    wait: int = 10


@dataclass(frozen=True, slots=True)
class AddInfo:
    """``addinfo``: how the task retries, rings, reports and sends."""

    attempts: int = 3
    interval: int = 300
    ring: int = 45
    report: str | None = None
    sms_wait: int = 600
    email_from: str | None = None


_CONFIRM_RANGES: Final = {"repeat": (1, 10), "wait": (1, 300)}
_ADDINFO_RANGES: Final = {
    "attempts": (1, 100),
    "interval": (0, 86400),
    "ring": (5, 300),
    "sms_wait": (0, 604800),
}
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")


def _settings(
    name: str, text: str, cls: type[ConfirmSpec] | type[AddInfo], defaults: dict[str, object]
) -> dict[str, object]:
    """``key=value;...`` over ``defaults``, converted for ``cls``; errors name ``name``."""
    known = ", ".join(defaults)
    try:
        pairs = parse_pairs(text, {}, quote=QUOTE)
        values = {**defaults, **{key.lower(): value for key, value in pairs.items()}}
        converted: dict[str, object] = convert_fields(
            cls, values, what=f"one of {known}", quote=QUOTE
        )
    except ValueError as error:
        raise TaskParamError(name, str(error)) from None
    return converted


def _numbers(
    name: str, values: dict[str, object], ranges: dict[str, tuple[int, int]]
) -> dict[str, int]:
    """The whole-number settings of ``values``, each checked against its range."""
    numbers: dict[str, int] = {}
    for key, (low, high) in ranges.items():
        value = values[key]
        if not isinstance(value, int) or not low <= value <= high:
            raise TaskParamError(name, f"{key} must be {low}-{high}, got {value!r}")
        numbers[key] = value
    return numbers


def parse_confirm(text: str) -> ConfirmSpec | None:
    """None when no confirmation is asked (empty text)."""
    if not text.strip():
        return None
    if "=" not in text:
        text = f"key={text}"
    defaults: dict[str, object] = {"key": "", "repeat": 2, "wait": 10}
    values = _settings("confirm", text, ConfirmSpec, defaults)
    key = str(values["key"])
    if not _CONFIRM_KEY.fullmatch(key):
        raise TaskParamError("confirm", f"key must be 1-32 of 0-9 * # A-D, got {_quoted(key)}")
    numbers = _numbers("confirm", values, _CONFIRM_RANGES)
    return ConfirmSpec(key=key, **numbers)


def parse_addinfo(text: str) -> AddInfo:
    """The defaults for empty text."""
    if not text.strip():
        return AddInfo()
    defaults: dict[str, object] = {
        "attempts": 3,
        "interval": 300,
        "ring": 45,
        "report": None,
        "sms_wait": 600,
        "email_from": None,
    }
    values = _settings("addinfo", text, AddInfo, defaults)
    numbers = _numbers("addinfo", values, _ADDINFO_RANGES)
    report = values["report"]
    if report is not None:
        report = str(report).upper()
        if report not in REPORT_FORMATS:
            raise TaskParamError(
                "addinfo", f"report must be HTML, XLS or XLSX, got {_quoted(str(values['report']))}"
            )
    email_from = values["email_from"]
    if email_from is not None and not _EMAIL.fullmatch(str(email_from)):
        raise TaskParamError(
            "addinfo", f"email_from must be local@domain, got {_quoted(str(email_from))}"
        )
    return AddInfo(
        report=report, email_from=None if email_from is None else str(email_from), **numbers
    )


# -- remote start -------------------------------------------------------------------------

_CALL_CODE = re.compile(r"[0-9*#]{0,16}")
_PIN = re.compile(r"[0-9]{0,16}")
_KEYWORD = re.compile(r"[A-Za-z0-9А-Яа-яЁё]{0,32}")


@dataclass(frozen=True, slots=True)
class RemoteSpec:
    """Remote start: by a call entering ``call_code`` then ``pin``, or by an SMS
    ``<sms_keyword> <pin>``; an empty code or keyword turns that mode off."""

    call_code: str = ""
    pin: str = ""
    sms_keyword: str = ""

    @classmethod
    def parse(cls, rkey: str, rpin: str, rsms: str) -> RemoteSpec:
        rkey, rpin, rsms = rkey.strip(), rpin.strip(), rsms.strip()
        if not _CALL_CODE.fullmatch(rkey):
            raise TaskParamError("rkey", f"must be 0-16 of 0-9 * #, got {_quoted(rkey)}")
        if not _PIN.fullmatch(rpin):
            raise TaskParamError("rpin", f"must be 0-16 digits, got {_quoted(rpin)}")
        if not _KEYWORD.fullmatch(rsms):
            raise TaskParamError(
                "rsms", f"must be 0-32 letters (Latin or Cyrillic) and digits, got {_quoted(rsms)}"
            )
        if (rkey or rsms) and not rpin:
            raise TaskParamError("rpin", "remote start (rkey or rsms) needs a PIN")
        return cls(rkey, rpin, rsms)

    @property
    def by_call(self) -> bool:
        return bool(self.call_code)

    @property
    def by_sms(self) -> bool:
        return bool(self.sms_keyword)

    def matches_keys(self, entered: str) -> bool:
        """The caller's DTMF: exactly ``<rkey><rpin>``, optionally ending with ``#``."""
        if not self.by_call:
            return False
        if entered.endswith("#"):  # the PIN is digits, so a final # is never part of it
            entered = entered[:-1]
        expected = (self.call_code + self.pin).encode()
        return hmac.compare_digest(entered.encode(), expected)

    def matches_sms(self, text: str) -> bool:
        """Exactly two words: the keyword (any case) and the PIN."""
        if not self.by_sms:
            return False
        words = text.split()
        if len(words) != 2:
            return False
        keyword_ok = words[0].casefold() == self.sms_keyword.casefold()
        pin_ok = hmac.compare_digest(words[1].encode(), self.pin.encode())
        return keyword_ok and pin_ok


# -- the whole plan -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TaskPlan:
    """Everything the engine needs to know about how to run a task, validated."""

    ttype: TaskType
    priority: int
    mask: ChannelMask
    schedule: Schedule
    confirm: ConfirmSpec | None
    attempts: int
    interval: int
    ring: int
    report: str | None
    sms_wait: int
    email_from: str | None
    remote: RemoteSpec

    @classmethod
    def from_task(cls, task: Task) -> TaskPlan:
        """Fields are read in the wire's order; the first bad one raises ``TaskParamError``."""
        mask = ChannelMask.parse(task.channels)
        schedule = Schedule.parse(task.schedule)
        remote = RemoteSpec.parse(task.rkey, task.rpin, task.rsms)
        confirm = parse_confirm(task.confirm)
        extra = parse_addinfo(task.addinfo)
        return cls(
            ttype=task.ttype,
            priority=task.priority,
            mask=mask,
            schedule=schedule,
            confirm=confirm,
            attempts=extra.attempts,
            interval=extra.interval,
            ring=extra.ring,
            report=extra.report,
            sms_wait=extra.sms_wait,
            email_from=extra.email_from,
            remote=remote,
        )
