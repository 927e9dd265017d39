"""Oktell channels driven by line drivers: GETCHANNELS shows the line's real state.

An Oktell simulator runs in this process (``oktell_simulator_factory``); the
server's Oktell channel names its URL in the settings. The drivers run on the
real clock with a short poll interval, so states are awaited by polling
GETCHANNELS with a bounded wait.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable
from typing import Any

from nabat.system.protocol import ChannelType
from nabat.system.server.channelconfig import ChannelSpec

from tests.server.conftest import Start
from tests.server.wire import WireClient

IDLE, BUSY, FAULT = "0", "1", "2"
FAST = "poll_interval=0.1;backoff_initial=0.1;backoff_max=0.2;connect_timeout=1;timeout=2"
WAIT = 10.0


def oktell(name: str, settings: str) -> ChannelSpec:
    return ChannelSpec(ctype=ChannelType.OKTELL, name=name, settings=settings)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def wait_states(client: WireClient, wanted: list[str]) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT
    seen: list[str] = []
    while loop.time() < deadline:
        reply = await client.request("GETCHANNELS")
        assert reply.ok, reply
        seen = [row[4] for row in reply.rows]
        if seen == wanted:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"channels never became {wanted} in {WAIT} s; states {seen}")


async def test_an_oktell_line_is_idle_and_a_closed_port_is_fault(
    start_server: Start, oktell_simulator_factory: Callable[..., Any]
) -> None:
    sim = oktell_simulator_factory(password="abc")
    good = f"url={sim.url};line=16038;password=abc;{FAST}"
    dead = f"url=http://127.0.0.1:{closed_port()};line=16038;{FAST}"
    wrong = f"url={sim.url};line=16038;password=nope;{FAST}"
    server = await start_server(
        channels=(oktell("PBX", good), oktell("Dead", dead), oktell("Wrong", wrong))
    )
    admin = await server.client("admin")
    await wait_states(admin, [IDLE, FAULT, FAULT])
    # the line rings at the PBX: BUSY while it rings
    await asyncio.to_thread(sim.control.incoming_call, "79035550000", "16038")
    await wait_states(admin, [BUSY, FAULT, FAULT])


async def test_setchaninfo_points_a_channel_at_the_pbx(
    start_server: Start, oktell_simulator_factory: Callable[..., Any]
) -> None:
    sim = oktell_simulator_factory()
    dead = f"url=http://127.0.0.1:{closed_port()};line=16038;{FAST}"
    server = await start_server(channels=(oktell("PBX", dead),))
    admin = await server.client("admin")
    await wait_states(admin, [FAULT])
    reply = await admin.request("SETCHANINFO", "1", "PBX", "1", f"url={sim.url};line=16038;{FAST}")
    assert reply.ok, reply
    await wait_states(admin, [IDLE])
    bad = await admin.request("SETCHANINFO", "1", "PBX", "1", "url=ftp://x")
    assert not bad.ok and "url" in str(bad)
