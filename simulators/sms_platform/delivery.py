"""Simulated delivery of SMS accepted by a bulk-SMS platform (MFMS HPG, the FTP platform).

How it works: ``SmsDelivery.accept`` gives a message a platform id (a
decimal string, never reused: ids count up from the wall-clock second the
state was created, times a million, and a reset does not rewind them) and
asks the world once what becomes of it (``WorldRuntime.sms``: delivered,
undelivered with a reason, or expired, and after how long). Nothing is
scheduled: the status at any simulated instant is computed from the
message's few instants, so a million messages cost no timers and a status
read is O(1). The lifecycle (mfms-hpg.ru.txt, section 4)::

    delayed   from acceptance until send_at, when send_at is in the future
    enqueued  from the start (acceptance or send_at) for ``queue_seconds``
    sent      until the world's ``after`` has passed
    delivered / undelivered (reason from the world, spelt as a token:
              "unknown-subscriber") / undelivered "expired" when the world
              says expired or the delivery would come after the validity
    failed    a platform error (``accept(..., fail=True)``), at the end of the queue
    cancelled ``cancel()`` ("manually on the platform") before a final status

Display times are the platform's local time (``utc_offset``, Moscow by
default) as naive datetimes; ``instant_of`` maps such a time back to the
simulated clock (a senddate in a file). Memory is bounded by
``max_messages``: the oldest messages are forgotten first (their ids then
read as unknown). Single-threaded, like the simulators' event loops.
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import NamedTuple

from nabat.simulators.control.clock import SimClock
from nabat.simulators.world.rules import SmsOutcome
from nabat.simulators.world.runtime import WorldRuntime
from nabat.simulators.world.world import World

MOSCOW = timezone(timedelta(hours=3))
DEFAULT_VALIDITY = 1440 * 60.0  # seconds: the platforms' default of 24 hours
DEFAULT_MAX_MESSAGES = 1_000_000
EXPIRED = "expired"
PLATFORM_ERROR = "platform-error"
IDS_PER_SECOND = 1_000_000


class DeliveryError(ValueError):
    """A cancellation of an unknown message, or of one already in a final status."""


class SmsStatus(enum.Enum):
    ENQUEUED = "enqueued"
    SENT = "sent"
    DELIVERED = "delivered"
    UNDELIVERED = "undelivered"
    FAILED = "failed"
    DELAYED = "delayed"
    CANCELLED = "cancelled"

    @property
    def final(self) -> bool:
        return self in _FINAL


_FINAL = frozenset({SmsStatus.DELIVERED, SmsStatus.UNDELIVERED, SmsStatus.FAILED,
                    SmsStatus.CANCELLED})  # fmt: skip


class Submission(NamedTuple):  # a tuple: one per message, built cheaply
    platform: str  # "mfms" | "ftp"
    account: str  # "CLIENT/connectorX" or an FTP login
    address: str  # digits, E.164 without "+"
    text: str
    sender: str
    client_id: str | None = None
    send_at: float | None = None  # simulated instant; None: at once
    validity: float = DEFAULT_VALIDITY  # seconds


@dataclass(frozen=True, slots=True)
class StatusView:
    provider_id: str
    status: SmsStatus
    at: float  # simulated instant the status began
    reason: str | None


class _Message:
    """One accepted message: its submission, the world's decision, its instants."""

    __slots__ = ("accepted_at", "after", "attempt", "cancelled_at", "ends_at", "failed",
                 "number", "outcome", "reason", "rule", "sent_at", "start", "submission",
                 "world")  # fmt: skip

    def __init__(self, submission: Submission, accepted_at: float, queue_seconds: float) -> None:
        self.submission = submission
        self.accepted_at = accepted_at
        send_at = submission.send_at
        self.start = accepted_at if send_at is None or send_at < accepted_at else send_at
        self.sent_at = self.start + queue_seconds
        self.failed = False
        self.cancelled_at: float | None = None
        self.world: World | None = None  # set until the attempt is decided
        self.number = ""
        self.attempt = 0
        self.outcome = SmsOutcome.DELIVERED
        self.reason: str | None = None
        self.rule = ""
        self.after = 0.0  # the world's "after"
        self.ends_at = self.sent_at


def reason_token(reason: str) -> str:
    """The world's reason as a platform token: ``unknown subscriber`` -> ``unknown-subscriber``."""
    return "-".join(reason.split())


class SmsDelivery:
    def __init__(
        self,
        runtime: WorldRuntime,
        *,
        max_messages: int = DEFAULT_MAX_MESSAGES,
        queue_seconds: float = 1.0,
        utc_offset: timezone = MOSCOW,
    ) -> None:
        if max_messages < 1:
            raise ValueError("max_messages must be at least 1")
        if not 0.0 <= queue_seconds < 86400.0:
            raise ValueError("queue_seconds must be from 0 to a day")
        self.runtime = runtime
        self.max_messages = max_messages
        self.queue_seconds = queue_seconds
        self.utc_offset = utc_offset
        self._ids = itertools.count(int(runtime.clock.wall()) * IDS_PER_SECOND + 1)
        self._messages: dict[str, _Message] = {}

    @property
    def clock(self) -> SimClock:
        return self.runtime.clock

    def __len__(self) -> int:
        return len(self._messages)

    # --- accepting ----------------------------------------------------------
    def accept(self, submission: Submission, *, fail: bool = False) -> str:
        """Take a message: its new provider id. The world decides its fate now."""
        message = _Message(submission, self.clock.now(), self.queue_seconds)
        if fail:
            message.failed = True
        else:
            runtime = self.runtime
            message.number, message.attempt = runtime.reserve_sms(submission.address)
            message.world = runtime.world
        provider_id = str(next(self._ids))
        messages = self._messages
        messages[provider_id] = message
        if len(messages) > self.max_messages:
            del messages[next(iter(messages))]
        return provider_id

    # --- reading ------------------------------------------------------------
    def status(self, provider_id: str, account: str | None = None) -> StatusView | None:
        """The message's status now; None for an id this platform does not know
        (or, given ``account``, one that account did not send)."""
        message = self._messages.get(provider_id)
        if message is None or (account is not None and message.submission.account != account):
            return None
        return self._view(provider_id, message, self.clock.now())

    def _decide(self, message: _Message) -> None:
        world, message.world = message.world, None
        if world is None:
            return
        decision = self.runtime.decide_reserved_sms(
            world, message.number, message.attempt, message.accepted_at
        )
        message.rule, message.after = decision.rule, decision.after
        validity = message.submission.validity
        if decision.outcome is SmsOutcome.EXPIRED or decision.after > validity:
            message.outcome, message.reason = SmsOutcome.EXPIRED, EXPIRED
            message.ends_at = message.sent_at + min(decision.after, validity)
        else:
            message.outcome = decision.outcome
            if decision.reason is not None and decision.outcome is SmsOutcome.UNDELIVERED:
                message.reason = reason_token(decision.reason)
            message.ends_at = message.sent_at + decision.after

    def _view(self, provider_id: str, message: _Message, now: float) -> StatusView:
        if message.world is not None:
            self._decide(message)
        if message.cancelled_at is not None:
            return StatusView(provider_id, SmsStatus.CANCELLED, message.cancelled_at, None)
        if now < message.start:
            return StatusView(provider_id, SmsStatus.DELAYED, message.accepted_at, None)
        if now < message.sent_at:
            return StatusView(provider_id, SmsStatus.ENQUEUED, message.start, None)
        if message.failed:
            return StatusView(provider_id, SmsStatus.FAILED, message.ends_at, PLATFORM_ERROR)
        if now < message.ends_at:
            return StatusView(provider_id, SmsStatus.SENT, message.sent_at, None)
        if message.outcome is SmsOutcome.DELIVERED:
            return StatusView(provider_id, SmsStatus.DELIVERED, message.ends_at, None)
        return StatusView(provider_id, SmsStatus.UNDELIVERED, message.ends_at, message.reason)

    def cancel(self, provider_id: str) -> StatusView:
        """Cancel a message "manually on the platform"; only one not yet final."""
        message = self._messages.get(provider_id)
        if message is None:
            raise DeliveryError(f"no message with providerId {provider_id!r}")
        now = self.clock.now()
        current = self._view(provider_id, message, now)
        if current.status.final:
            raise DeliveryError(
                f"message {provider_id} is already {current.status.value}: it cannot be cancelled"
            )
        message.cancelled_at = now
        return self._view(provider_id, message, now)

    # --- time ---------------------------------------------------------------
    def wall_time(self, at: float) -> datetime:
        """The platform's local time (naive) of a simulated instant."""
        # Rounded to the millisecond: a time read from a file (instant_of) comes back whole.
        moment = datetime.fromtimestamp(round(self.clock.wall_of(at), 3), self.utc_offset)
        return moment.replace(tzinfo=None)

    def instant_of(self, moment: datetime) -> float:
        """The simulated instant of a time; a naive time is the platform's local time."""
        aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=self.utc_offset)
        return float(self.clock.now() - (self.clock.wall() - aware.timestamp()))

    # --- the journal --------------------------------------------------------
    def _newest(self, platform: str | None, account: str | None) -> Iterator[tuple[str, _Message]]:
        for provider_id in reversed(self._messages):
            message = self._messages[provider_id]
            submission = message.submission
            if platform is not None and submission.platform != platform:
                continue
            if account is not None and submission.account != account:
                continue
            yield provider_id, message

    def messages(
        self, limit: int = 100, platform: str | None = None, account: str | None = None
    ) -> list[dict[str, object]]:
        """The newest ``limit`` accepted messages (newest last), with the world's decision."""
        now = self.clock.now()
        chosen = list(itertools.islice(self._newest(platform, account), max(0, limit)))
        return [self._entry(pid, message, now) for pid, message in reversed(chosen)]

    def _entry(self, provider_id: str, message: _Message, now: float) -> dict[str, object]:
        view = self._view(provider_id, message, now)
        submission = message.submission
        decision: dict[str, object] | None = None
        if not message.failed:
            decision = {
                "outcome": message.outcome.value,
                "after": message.after,
                "reason": message.reason,
                "attempt": message.attempt,
                "rule": message.rule,
            }
        return {
            "provider_id": provider_id,
            "platform": submission.platform,
            "account": submission.account,
            "address": submission.address,
            "sender": submission.sender,
            "text": submission.text,
            "client_id": submission.client_id,
            "accepted": self._display(message.accepted_at),
            "send_at": None if submission.send_at is None else self._display(message.start),
            "validity": submission.validity,
            "decision": decision,
            "status": view.status.value,
            "status_at": self._display(view.at),
            "reason": view.reason,
        }

    def _display(self, at: float) -> str:
        return self.wall_time(at).isoformat(sep=" ", timespec="seconds")

    def counts(self) -> dict[str, int]:
        """How many messages are in each status now."""
        now = self.clock.now()
        counts = dict.fromkeys((status.value for status in SmsStatus), 0)
        for provider_id, message in self._messages.items():
            counts[self._view(provider_id, message, now).status.value] += 1
        return counts

    def reset(self) -> None:
        """Forget every message; ids keep counting, so none is ever reused."""
        self._messages.clear()
