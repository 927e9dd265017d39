"""What the engine keeps about a task's run: targets, attempts, and the report built from them.

How it works: these frozen dataclasses are the values that cross between
the engine's store (``system/store/progress.py``), the scheduler and the
report writers (``system/engine/report``). A *target* is one abonent of the
task's list in one run; an *attempt* is one try to reach one of its
addresses (a phone for voice and SMS, an e-mail address) over one channel.
``TargetState`` and ``AttemptState`` name where each stands; the legal
moves between target states are the table in ``targets.py``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime


class TargetState(enum.Enum):
    """Where one abonent of a run stands. ``final`` ones get no further attempt."""

    PENDING = "pending"  # not tried yet
    ACTIVE = "active"  # an attempt is in flight
    RETRY = "retry"  # tried, waits for its next round (next_time)
    SENT = "sent"  # SMS handed to the network; waits for its delivery report
    CONFIRMED = "confirmed"  # pressed the confirmation key
    NOTIFIED = "notified"  # reached (answered without confirmation asked, delivered, e-mail taken)
    EXHAUSTED = "exhausted"  # every round failed
    FAILED = "failed"  # cannot be notified at all (no usable address for the task type)
    UNKNOWN = "unknown"  # an SMS/e-mail in flight when the server stopped: never resent blindly

    @property
    def final(self) -> bool:
        return self in _FINAL

    @property
    def succeeded(self) -> bool:
        return self in (TargetState.CONFIRMED, TargetState.NOTIFIED)


_FINAL = frozenset(
    {
        TargetState.CONFIRMED,
        TargetState.NOTIFIED,
        TargetState.EXHAUSTED,
        TargetState.FAILED,
        TargetState.UNKNOWN,
    }
)


class AttemptKind(enum.Enum):
    VOICE = "voice"
    SMS = "sms"
    EMAIL = "email"


class AttemptState(enum.Enum):
    IN_FLIGHT = "in_flight"  # written before the channel is asked: a crash leaves this
    DONE = "done"  # the channel answered; outcome says how it went
    INTERRUPTED = "interrupted"  # in flight when the server stopped (reconciled at start)


@dataclass(frozen=True, slots=True)
class AttemptRecord:
    """One attempt as the report shows it."""

    id: int
    abonent_id: int
    round: int  # 1, 2, ...: the retry round of the abonent
    kind: AttemptKind
    address: str  # the phone number or e-mail address tried
    channel: str  # the channel's name ("gsm1", "oktell3", "mfms4", "smtp6"); "" if none took it
    state: AttemptState
    outcome: str  # "answered", "busy", "no_answer", "delivered", "rejected", "blocked", ...
    started: datetime
    ended: datetime | None
    ring_seconds: float = 0.0
    talk_seconds: float = 0.0
    keys: str = ""  # DTMF keys pressed, in order
    confirmed: bool = False
    verification: str = ""  # "registered", "rejected", "unavailable (allowed)", "" when none
    detail: str = ""  # the channel's words: "BUSY", "550 5.1.1 mailbox unavailable", ...
    reference: str = ""  # SMS platforms: provider id; GSM: TP-MR of the parts


@dataclass(frozen=True, slots=True)
class TargetRecord:
    """One abonent of the run, with every attempt made to reach it (oldest first)."""

    abonent_id: int
    name: str
    priority: int
    state: TargetState
    rounds: int  # rounds begun
    confirm_key: str  # the keys that confirmed ("" when not confirmed)
    addresses: tuple[str, ...]  # the phones / e-mail addresses the task may use, in order
    attempts: tuple[AttemptRecord, ...]
    note: str = ""  # why FAILED / UNKNOWN / excluded, for people


@dataclass(frozen=True, slots=True)
class RemoteStartRecord:
    """One remote start attempt (by call or SMS), accepted or refused."""

    time: datetime
    via: str  # "call" or "sms"
    channel: str
    caller: str  # the caller id / SMS sender ("" when withheld)
    task_id: int | None  # the task it started (None when refused before one was found)
    accepted: bool
    reason: str  # "started", "caller not verified (CheckCall 404)", "wrong PIN", ...


@dataclass(frozen=True, slots=True)
class ReportData:
    """Everything a report shows about a task's current (or last) run."""

    task_id: int
    task_name: str
    ttype: int  # TaskType value
    status: int  # TaskStatus value
    message_name: str
    list_name: str
    started: datetime | None
    ended: datetime | None
    generated: datetime
    total: int
    processed: int
    confirmed: int
    failed: int
    targets: tuple[TargetRecord, ...]
    remote_starts: tuple[RemoteStartRecord, ...] = ()
