"""Several channels behind one voice channel / SMS route: pick an idle healthy one.

How it works: ``ChannelPool`` holds members that are each a ``VoiceChannel``,
an ``SmsRoute`` and an ``EventSource`` (GSM modems; later any driver). A
call or an SMS goes to the next idle member in round-robin order that is
neither reserved by another request of the pool nor quarantined; a member
that answers ``ChannelUnavailable`` (nothing attempted) is skipped and the
next one tried. When no member can take it, the pool raises
``ChannelUnavailable`` and the engine tries later.

Failures count per member: a call that ends FAILED, an SMS whose outcome is
UNKNOWN, or another ``ChannelError`` during the attempt. ``max_failures`` in
a row take the member out for ``quarantine`` seconds of the clock, doubling
each time it is taken out again (up to ``quarantine_max``); one success
resets both. A quarantined member shows as QUARANTINED in ``statuses()``
and comes back on its own when its time is over. Events of every member
reach the pool's subscribers.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol, TypeVar

from nabat.system.channels.base import (
    Activity,
    AnswerHook,
    CallOutcome,
    CallResult,
    ChannelError,
    ChannelStatus,
    ChannelUnavailable,
    EventHandler,
    SmsSubmission,
    SubmitOutcome,
)
from nabat.system.channels.clock import Clock, LoopClock

T = TypeVar("T")


class PoolMember(Protocol):
    @property
    def name(self) -> str: ...

    def status(self) -> ChannelStatus: ...

    def subscribe(self, handler: EventHandler) -> Callable[[], None]: ...

    async def call(
        self,
        number: str,
        *,
        confirm: str | None = None,
        on_answer: AnswerHook | None = None,
        dtmf_timeout: float = 30.0,
        ring_timeout: float | None = None,
    ) -> CallResult: ...

    async def send_sms(
        self, number: str, text: str, *, status_report: bool = True
    ) -> SmsSubmission: ...


@dataclass(slots=True)
class _Record:
    failures: int = 0  # in a row
    quarantines: int = 0  # in a row
    out_until: float = 0.0


class ChannelPool:
    def __init__(
        self,
        members: Sequence[PoolMember],
        *,
        name: str = "pool",
        clock: Clock | None = None,
        max_failures: int = 3,
        quarantine: float = 60.0,
        quarantine_max: float = 3600.0,
    ) -> None:
        names = [member.name for member in members]
        if len(set(names)) != len(names):
            raise ValueError("pool members need distinct names")
        if max_failures < 1 or quarantine <= 0 or quarantine_max < quarantine:
            raise ValueError("max_failures >= 1 and 0 < quarantine <= quarantine_max")
        self._name = name
        self._members = list(members)
        self._clock: Clock = clock or LoopClock()
        self._max_failures = max_failures
        self._quarantine = quarantine
        self._quarantine_max = quarantine_max
        self._records = {member.name: _Record() for member in members}
        self._reserved: set[str] = set()
        self._next = 0

    @property
    def name(self) -> str:
        return self._name

    @property
    def members(self) -> list[PoolMember]:
        return list(self._members)

    def quarantined(self, member: PoolMember) -> bool:
        return self._records[member.name].out_until > self._clock.now()

    def statuses(self) -> list[ChannelStatus]:
        """Each member's status (QUARANTINED while taken out), for GETCHANNELS."""
        out: list[ChannelStatus] = []
        for member in self._members:
            status = member.status()
            record = self._records[member.name]
            if self.quarantined(member):
                left = record.out_until - self._clock.now()
                status = replace(
                    status,
                    activity=Activity.QUARANTINED,
                    text=f"taken out after {self._max_failures} failures; back in {left:.0f} s",
                )
            out.append(status)
        return out

    def status(self) -> ChannelStatus:
        statuses = self.statuses()
        idle = sum(1 for status in statuses if status.idle)
        busy = sum(1 for status in statuses if status.protocol_state.name == "BUSY")
        if idle:
            activity = Activity.IDLE
        elif busy:
            activity = (
                Activity.IN_CALL
                if any(s.activity is Activity.IN_CALL for s in statuses)
                else Activity.SENDING
            )
        else:
            activity = Activity.FAILED
        text = f"{idle} idle, {busy} busy, {len(statuses) - idle - busy} out of {len(statuses)}"
        return ChannelStatus(self._name, activity, text, self._clock.now())

    def available(self) -> list[PoolMember]:
        """Members that could take work now, in the order the pool would try them."""
        count = len(self._members)
        order = [self._members[(self._next + i) % count] for i in range(count)]
        return [
            member
            for member in order
            if member.name not in self._reserved
            and not self.quarantined(member)
            and member.status().idle
        ]

    def subscribe(self, handler: EventHandler) -> Callable[[], None]:
        cancels = [member.subscribe(handler) for member in self._members]

        def unsubscribe() -> None:
            for cancel in cancels:
                cancel()

        return unsubscribe

    # --- work ------------------------------------------------------------------------------
    async def _on_one(
        self,
        attempt: Callable[[PoolMember], Awaitable[T]],
        failed: Callable[[T], bool],
        what: str,
    ) -> T:
        for member in self.available():
            self._reserved.add(member.name)
            self._next = (self._members.index(member) + 1) % len(self._members)
            try:
                result = await attempt(member)
            except ChannelUnavailable:
                continue
            except ChannelError:
                self._record(member, failed=True)
                raise
            finally:
                self._reserved.discard(member.name)
            self._record(member, failed=failed(result))
            return result
        raise ChannelUnavailable(f"{self._name}: no {what} channel can take it now")

    def _record(self, member: PoolMember, *, failed: bool) -> None:
        record = self._records[member.name]
        if not failed:
            record.failures = record.quarantines = 0
            return
        record.failures += 1
        if record.failures >= self._max_failures:
            period = min(self._quarantine * 2**record.quarantines, self._quarantine_max)
            record.out_until = self._clock.now() + period
            record.quarantines += 1
            record.failures = 0

    async def call(
        self,
        number: str,
        *,
        confirm: str | None = None,
        on_answer: AnswerHook | None = None,
        dtmf_timeout: float = 30.0,
        ring_timeout: float | None = None,
    ) -> CallResult:
        async def attempt(member: PoolMember) -> CallResult:
            return await member.call(
                number,
                confirm=confirm,
                on_answer=on_answer,
                dtmf_timeout=dtmf_timeout,
                ring_timeout=ring_timeout,
            )

        return await self._on_one(
            attempt, lambda result: result.outcome is CallOutcome.FAILED, "voice"
        )

    async def send_sms(
        self, number: str, text: str, *, status_report: bool = True
    ) -> SmsSubmission:
        async def attempt(member: PoolMember) -> SmsSubmission:
            return await member.send_sms(number, text, status_report=status_report)

        return await self._on_one(
            attempt, lambda result: result.outcome is SubmitOutcome.UNKNOWN, "SMS"
        )
