"""The channel pool: idle members in turn, skipping busy ones, quarantine and return."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from nabat.system.channels.base import (
    Activity,
    AnswerHook,
    CallOutcome,
    CallResult,
    ChannelStatus,
    ChannelUnavailable,
    EventHandler,
    SmsSubmission,
    SubmitOutcome,
)
from nabat.system.channels.pool import ChannelPool

from tests.channels.gsm.fakes import ManualClock


class Member:
    def __init__(self, name: str, outcome: CallOutcome = CallOutcome.ANSWERED) -> None:
        self.name = name
        self.outcome = outcome
        self.activity = Activity.IDLE
        self.calls: list[str] = []
        self.unavailable = False
        self.handlers: list[EventHandler] = []
        self.gate: asyncio.Event | None = None

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
        if self.unavailable:
            raise ChannelUnavailable(f"{self.name} is not ready")
        self.calls.append(number)
        if self.gate is not None:
            await self.gate.wait()
        return CallResult(self.name, number, self.outcome, 1.0, 0.0)

    async def send_sms(
        self, number: str, text: str, *, status_report: bool = True
    ) -> SmsSubmission:
        outcome = (
            SubmitOutcome.UNKNOWN
            if self.outcome is CallOutcome.FAILED
            else (SubmitOutcome.SUBMITTED)
        )
        return SmsSubmission(self.name, number, outcome, (1,), 1)


def pool_of(*members: Member, clock: ManualClock | None = None) -> ChannelPool:
    return ChannelPool(list(members), clock=clock or ManualClock(), max_failures=2, quarantine=60)


async def test_work_goes_round_the_idle_members() -> None:
    a, b, c = Member("a"), Member("b"), Member("c")
    b.activity = Activity.IN_CALL
    pool = pool_of(a, b, c)
    used = [(await pool.call("1")).channel for _ in range(4)]
    assert used == ["a", "c", "a", "c"]
    assert (await pool.send_sms("1", "x")).channel == "a"


async def test_a_member_that_cannot_take_it_is_skipped() -> None:
    a, b = Member("a"), Member("b")
    a.unavailable = True
    assert (await pool_of(a, b).call("1")).channel == "b"


async def test_nothing_idle_is_channel_unavailable() -> None:
    a = Member("a")
    a.activity = Activity.NO_SIM
    with pytest.raises(ChannelUnavailable):
        await pool_of(a).call("1")


async def test_concurrent_requests_never_share_a_member() -> None:
    a, b = Member("a"), Member("b")
    a.gate, b.gate = asyncio.Event(), asyncio.Event()
    pool = pool_of(a, b)
    first = asyncio.ensure_future(pool.call("1"))
    second = asyncio.ensure_future(pool.call("2"))
    await asyncio.sleep(0)
    with pytest.raises(ChannelUnavailable):
        await pool.call("3")
    a.gate.set()
    b.gate.set()
    assert {(await first).channel, (await second).channel} == {"a", "b"}


async def test_repeated_failures_quarantine_a_member_until_its_time_is_over() -> None:
    clock = ManualClock()
    bad, good = Member("bad", CallOutcome.FAILED), Member("good")
    pool = pool_of(bad, good, clock=clock)
    assert [(await pool.call(str(n))).channel for n in range(4)] == ["bad", "good", "bad", "good"]
    assert [(await pool.call(str(n))).channel for n in range(3)] == ["good"] * 3
    statuses = {status.name: status for status in pool.statuses()}
    assert statuses["bad"].activity is Activity.QUARANTINED
    assert statuses["bad"].protocol_state.name == "FAULT"
    clock.advance(61)
    bad.outcome = CallOutcome.ANSWERED
    assert {(await pool.call("x")).channel for _ in range(2)} == {"bad", "good"}
    assert not pool.quarantined(bad)


async def test_the_quarantine_doubles_when_a_member_keeps_failing() -> None:
    clock = ManualClock()
    bad = Member("bad", CallOutcome.FAILED)
    pool = pool_of(bad, clock=clock)
    for _ in range(2):
        await pool.call("1")
    clock.advance(61)
    for _ in range(2):
        await pool.call("1")
    clock.advance(61)
    assert pool.quarantined(bad)  # 120 s this time
    clock.advance(60)
    assert not pool.quarantined(bad)


async def test_unknown_sms_outcomes_count_as_failures() -> None:
    clock = ManualClock()
    bad = Member("bad", CallOutcome.FAILED)
    pool = pool_of(bad, clock=clock)
    for _ in range(2):
        assert (await pool.send_sms("1", "x")).outcome is SubmitOutcome.UNKNOWN
    with pytest.raises(ChannelUnavailable):
        await pool.send_sms("1", "x")


async def test_events_of_every_member_reach_the_pool_subscribers() -> None:
    a, b = Member("a"), Member("b")
    pool = pool_of(a, b)

    async def handler(event: object) -> None:
        return None

    stop = pool.subscribe(handler)
    assert a.handlers == [handler] and b.handlers == [handler]
    stop()
    assert a.handlers == [] and b.handlers == []


def test_member_names_must_differ() -> None:
    with pytest.raises(ValueError, match="distinct"):
        ChannelPool([Member("a"), Member("a")])
