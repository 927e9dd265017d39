"""End to end: the server's engine calls through simulated GSM modems, registers each call
with the ATS hub, collects DTMF confirmations, and its report agrees with the world's journal.

The GSM simulator runs in this process at a high speed factor (``nabatgsm://`` ports,
instant command timing) with the world's anti-fraud path pointed at the ATS simulator:
a call the server did not register is blocked by the far end's operator. The server's
engine clock runs at the same speed, so retry intervals and DTMF windows pass quickly.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from nabat.simulators.gsm_modem import Timing
from nabat.simulators.pytest_plugin import AtsSimulatorHandle, GsmSimulatorFactory
from nabat.system.protocol import Abonent, ChannelType, Phone, abonent_request
from nabat.system.server.channelconfig import ChannelSpec
from nabat.system.verification.settings import VerificationSettings

from tests.server.conftest import Running, Start
from tests.server.wire import WireClient

SPEED = 40.0
FAST = "health_interval=0.5;reopen_initial=0.1;reopen_max=0.4;command_timeout=3"
# operator 2 (127.0.0.2); half stored with their "+" (the ATS API takes digits only)
NUMBERS = [f"{'+' if index % 2 else ''}791000000{index:02d}" for index in range(1, 9)]


async def _setup(client: WireClient, numbers: list[str], confirm: str, addinfo: str,
                 ttype: str = "0") -> str:  # fmt: skip
    lid = (await client.request("ADDLIST", "Учения", "")).head[0]
    gid = (await client.request("ADDGROUP", "Смена", "")).head[0]
    ids = []
    for index, number in enumerate(numbers):
        abonent = Abonent(gid=int(gid), name=f"Сотрудник {index}", phones=(Phone(phone=number),))
        await client.send_lines(abonent_request(abonent))
        reply = await client.collect("ADDABONENT")
        assert reply.ok, reply
        ids.append(reply.head[0])
    assert (await client.request("LISTADDABONENTS", lid, ",".join(ids))).ok
    mid = (await client.request("ADDMESSAGE", "2", "Тревога", "Внимание, учения", "", "")).head[0]
    reply = await client.request("ADDTASK", ttype, "0", "Учения", lid, mid, "0", "", "", "", "",
                                 "", confirm, addinfo)  # fmt: skip
    assert reply.ok, reply
    return reply.head[0]


async def _wait_finished(client: WireClient, tid: str, seconds: float = 60) -> tuple[str, ...]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        info = await client.request("GETTASKINFO", tid)
        assert info.ok, info
        if info.head[1] == "3":
            return info.head
        await asyncio.sleep(0.1)
    raise AssertionError(f"task {tid} did not finish: {info.head}")


def _calls_by_number(journal: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    calls: dict[str, list[dict[str, Any]]] = {}
    for entry in journal:
        if entry["kind"] == "voice":
            calls.setdefault(entry["address"], []).append(entry)
    return calls


async def test_voice_task_with_confirmation_matches_the_world(
    start_server: Start, gsm_simulator_factory: GsmSimulatorFactory,
    ats_simulator: AtsSimulatorHandle,
) -> None:  # fmt: skip
    sim = gsm_simulator_factory(modems=2, profile="simcom", timing=Timing.instant(), pty=False,
                                in_process=True,
                                speed=SPEED, ats_url=ats_simulator.url)  # fmt: skip
    channels = tuple(ChannelSpec(ctype=ChannelType.GSM, name=f"Модем {i}",
                                 settings=f"port={url};{FAST}")
                     for i, url in enumerate(sim.urls))  # fmt: skip
    server: Running = await start_server(
        channels=channels, clock_speed=SPEED,
        verification=VerificationSettings(primary_url=ats_simulator.url),
    )
    admin = await server.client("admin")
    tid = await _setup(admin, NUMBERS, "key=1;repeat=2;wait=10", "attempts=2;interval=60")
    started = await admin.request("STARTTASK", tid, "1")
    assert started.ok and started.head[3] == "1", started
    info = await _wait_finished(admin, tid)
    report = await admin.request("GETREPORT", tid, "HTML")
    assert report.ok and "Сотрудник 0".encode() in report.data()
    await admin.close()

    targets = server.context.store.progress.report_targets(int(tid))
    world = _calls_by_number(await asyncio.to_thread(sim.world.journal, 1000))
    for target in targets:
        number = target.addresses[0].lstrip("+")
        placed = [a for a in target.attempts if a.outcome not in ("not_attempted",)]
        decided = world.get(number, [])
        # one world decision per call the engine placed, in the same order
        assert len(decided) == len(placed), (number, decided, placed)
        for attempt, decision in zip(placed, decided, strict=True):
            assert attempt.verification == "registered"
            if decision["outcome"] == "answered" and decision["dtmf"] == "confirm":
                assert attempt.confirmed and target.state.value == "confirmed"
            else:
                assert not attempt.confirmed
        confirmed = [a for a in target.attempts if a.confirmed]
        assert len(confirmed) <= 1 and (not confirmed or confirmed[-1] is target.attempts[-1])
    total, processed = int(info[2]), int(info[3])
    assert total == len(NUMBERS) == processed
