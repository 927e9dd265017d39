"""Fake channels for engine tests: scripted voice channels, SMS routes and a channel source.

``FakeVoice`` answers each number as ``script[number]`` says (a list of
outcomes consumed one per call; the last repeats): ``"confirm"`` answers and
presses the key, ``"answer"`` answers without a key, or any ``CallOutcome``
value. Every call is appended to ``calls`` (the fake's own journal, what a
test compares the engine's report with).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from nabat.system.channels.base import (
    Activity,
    AnswerHook,
    BulkSmsRoute,
    CallOutcome,
    CallResult,
    CallSession,
    ChannelStatus,
    DeliveryReport,
    DeliveryStatus,
    EmailRoute,
    EventHandler,
    EventSource,
    OutgoingSms,
    SmsRoute,
    SmsSubmission,
    SubmitOutcome,
    VoiceChannel,
)


class _Session:
    def __init__(self, number: str, keys: str) -> None:
        self._number = number
        self._keys = keys
        self.ended = False

    @property
    def number(self) -> str | None:
        return self._number

    @property
    def keys(self) -> str:
        return self._keys

    async def wait_for_keys(self, wanted: str, timeout: float) -> bool:
        await asyncio.sleep(0)
        return wanted in self._keys

    async def next_key(self, timeout: float) -> str | None:
        if not self._keys:
            return None
        key, self._keys = self._keys[0], self._keys[1:]
        return key

    async def send_tones(self, tones: str) -> None:
        return None

    async def hang_up(self) -> None:
        self.ended = True


@dataclass
class FakeVoice:
    name: str
    script: dict[str, list[str]] = field(default_factory=dict)
    confirm_key: str = "1"
    own_number: str | None = "79990000001"
    delay: float = 0.0
    calls: list[tuple[str, str]] = field(default_factory=list)  # (number, outcome)
    activity: Activity = Activity.IDLE
    handlers: list[EventHandler] = field(default_factory=list)

    def status(self) -> ChannelStatus:
        return ChannelStatus(self.name, self.activity, self.activity.value, 0.0)

    def subscribe(self, handler: EventHandler) -> Callable[[], None]:
        self.handlers.append(handler)
        return lambda: self.handlers.remove(handler)

    async def call(
        self,
        number: str,
        *,
        confirm: str | None = None,
        on_answer: AnswerHook | None = None,
        dtmf_timeout: float = 30.0,
        ring_timeout: float | None = None,
    ) -> CallResult:
        plan = self.script.get(number, ["answer"])
        outcome = plan.pop(0) if len(plan) > 1 else plan[0]
        self.calls.append((number, outcome))
        self.activity = Activity.IN_CALL
        try:
            if self.delay:
                await asyncio.sleep(self.delay)
            if outcome in ("confirm", "answer", "wrong"):
                keys = {"confirm": self.confirm_key, "wrong": "9", "answer": ""}[outcome]
                session = _Session(number, keys)
                if on_answer is not None:
                    await on_answer(session)  # type: ignore[arg-type]
                confirmed = bool(confirm) and keys == confirm
                return CallResult(self.name, number, CallOutcome.ANSWERED, 5.0, 10.0, keys,
                                  confirmed)  # fmt: skip
            return CallResult(self.name, number, CallOutcome(outcome), 5.0, 0.0)
        finally:
            self.activity = Activity.IDLE


@dataclass
class FakeBulk:
    name: str
    sent: list[OutgoingSms] = field(default_factory=list)
    handlers: list[EventHandler] = field(default_factory=list)
    reject: frozenset[str] = frozenset()

    def status(self) -> ChannelStatus:
        return ChannelStatus(self.name, Activity.IDLE, "idle", 0.0)

    def subscribe(self, handler: EventHandler) -> Callable[[], None]:
        self.handlers.append(handler)
        return lambda: self.handlers.remove(handler)

    async def send_sms(
        self, number: str, text: str, *, status_report: bool = True
    ) -> SmsSubmission:
        (result,) = await self.send_batch([OutgoingSms(number, text)])
        return result

    async def send_batch(self, messages: Sequence[OutgoingSms]) -> list[SmsSubmission]:
        results = []
        for message in messages:
            if message.number in self.reject:
                results.append(SmsSubmission(self.name, message.number, SubmitOutcome.REJECTED,
                                             (), 1, code="error-address-format"))  # fmt: skip
                continue
            self.sent.append(message)
            provider_id = str(len(self.sent))
            results.append(SmsSubmission(self.name, message.number, SubmitOutcome.SUBMITTED, (),
                                         1, provider_id=provider_id, code="ok"))  # fmt: skip
        return results

    async def report(self, provider_id: str, status: DeliveryStatus) -> None:
        number = self.sent[int(provider_id) - 1].number
        report = DeliveryReport(self.name, number, 0, status, -1, None, provider_id=provider_id,
                                platform_status=status.value)  # fmt: skip
        for handler in list(self.handlers):
            await handler(report)


@dataclass
class FakeSource:
    voice_channels: dict[int, VoiceChannel] = field(default_factory=dict)
    sms_routes: dict[int, SmsRoute] = field(default_factory=dict)
    bulk_routes: dict[int, BulkSmsRoute] = field(default_factory=dict)
    email_routes: dict[int, EmailRoute] = field(default_factory=dict)
    listeners: list[Callable[[], None]] = field(default_factory=list)

    def voice(self) -> Mapping[int, VoiceChannel]:
        return self.voice_channels

    def sms(self) -> Mapping[int, SmsRoute]:
        return self.sms_routes

    def bulk_sms(self) -> Mapping[int, BulkSmsRoute]:
        return self.bulk_routes

    def email(self) -> Mapping[int, EmailRoute]:
        return self.email_routes

    def sources(self) -> Mapping[int, EventSource]:
        found: dict[int, EventSource] = {}
        for group in (self.voice_channels, self.sms_routes, self.bulk_routes, self.email_routes):
            for number, channel in group.items():
                if isinstance(channel, EventSource):
                    found[number] = channel
        return found

    def subscribe(self, listener: Callable[[], None]) -> Callable[[], None]:
        self.listeners.append(listener)
        return lambda: self.listeners.remove(listener)


_: type[CallSession] = _Session  # type: ignore[assignment]
