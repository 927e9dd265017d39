"""The asyncio bridge, driven by greenlets against stub coroutines."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import gevent
import pytest
from nabat.loadtests.locust.bridge import AsyncioBridge, BridgeClosed


@pytest.fixture
def bridge() -> Iterator[AsyncioBridge]:
    made = AsyncioBridge()
    try:
        yield made
    finally:
        made.close()


async def _echo(value: int, delay: float = 0.0) -> tuple[int, int]:
    await asyncio.sleep(delay)
    return value, threading.get_ident()


def test_runs_on_another_thread(bridge: AsyncioBridge) -> None:
    value, thread = bridge.run(_echo(7))
    assert value == 7
    assert thread != threading.get_ident()


def test_many_greenlets_wait_at_once(bridge: AsyncioBridge) -> None:
    greenlets = [gevent.spawn(bridge.run, _echo(i, 0.05)) for i in range(200)]
    gevent.joinall(greenlets, raise_error=True)
    assert [g.value[0] for g in greenlets] == list(range(200))


def test_other_greenlets_run_while_one_waits(bridge: AsyncioBridge) -> None:
    ticks: list[int] = []

    def ticker() -> None:
        for i in range(5):
            ticks.append(i)
            gevent.sleep(0.001)

    waiting = gevent.spawn(bridge.run, _echo(1, 0.2))
    gevent.spawn(ticker).join()
    assert ticks == [0, 1, 2, 3, 4]
    assert not waiting.ready()
    assert waiting.get()[0] == 1


def test_exceptions_and_timeouts(bridge: AsyncioBridge) -> None:
    async def boom() -> None:
        raise ValueError("stub failed")

    with pytest.raises(ValueError, match="stub failed"):
        bridge.run(boom())
    with pytest.raises(TimeoutError):
        bridge.run(_echo(1, 5.0), timeout=0.05)
    assert bridge.run(_echo(2))[0] == 2  # still usable


def test_closed_bridge_refuses() -> None:
    bridge = AsyncioBridge()
    bridge.close()
    coro = _echo(1)
    with pytest.raises(BridgeClosed):
        bridge.run(coro)
