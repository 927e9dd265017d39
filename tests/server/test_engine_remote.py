"""End to end: a WAITING task started from outside, by a verified call or by an SMS.

The GSM simulator (profile ``simcom``, in this process, speed 40) runs the world's
scripted incoming traffic: ``world.incoming_call(caller, modem, keys)`` rings modem 0 and
presses the keys once answered; a genuine call is first registered with the ATS
simulator by the caller's operator (the world's anti-fraud path), a ``spoofed`` one never
is. The server checks the caller with CheckCall (fail-closed), answers only a verified
caller, reads the keys and starts the task whose ``rkey`` + ``rpin`` they equal. Every
attempt, accepted or refused, is in the store's remote-start log and the task's report.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from nabat.simulators.gsm_modem import Timing
from nabat.simulators.pytest_plugin import AtsSimulatorHandle, GsmSimulatorFactory
from nabat.system.channels.base import IncomingSms
from nabat.system.engine.engine import TaskEngine
from nabat.system.engine.records import RemoteStartRecord
from nabat.system.protocol import ChannelType
from nabat.system.server.channelconfig import ChannelSpec
from nabat.system.verification.settings import VerificationSettings

from tests.server.conftest import Running, Start
from tests.server.test_engine_routes import FAST, SPEED, add_task, statuses_seen, wait_finished
from tests.server.wire import WireClient

CALLER = "79100000009"  # operator 2: registered by 127.0.0.2
ABONENT = "79100000001"
ADDINFO = "sms_wait=30"


async def _setup(start_server: Start, gsm_simulator_factory: GsmSimulatorFactory,
                 ats: AtsSimulatorHandle | None) -> tuple[Any, Running]:  # fmt: skip
    sim = gsm_simulator_factory(modems=1, profile="simcom", timing=Timing.instant(), pty=False,
                                in_process=True, speed=SPEED,
                                ats_url=ats.url if ats else None)  # fmt: skip
    sim.world.add_override({"number": ABONENT, "sms": {"outcomes": {"delivered": 1},
                                                       "report": 1.0, "delivery": 1}})  # fmt: skip
    channels = (ChannelSpec(ctype=ChannelType.GSM, name="Модем 0",
                            settings=f"port={sim.urls[0]};{FAST}"),)  # fmt: skip
    settings: dict[str, object] = {"channels": channels, "clock_speed": SPEED}
    if ats is not None:
        settings["verification"] = VerificationSettings(primary_url=ats.url)
    return sim, await start_server(**settings)


async def _logged(server: Running, count: int, seconds: float = 10) -> list[RemoteStartRecord]:
    """The remote-start log once it has ``count`` entries."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = await asyncio.to_thread(server.context.store.progress.remote_starts)
        if len(found) >= count:
            return found
        await asyncio.sleep(0.05)
    raise AssertionError(f"{count} remote starts expected, got {found}")


async def _status(client: WireClient, tid: str) -> str:
    return (await client.request("GETTASKINFO", tid)).head[1]


async def test_remote_start_by_verified_call_spoofed_and_wrong_pin_refused(
    start_server: Start, gsm_simulator_factory: GsmSimulatorFactory,
    ats_simulator: AtsSimulatorHandle,
) -> None:  # fmt: skip
    sim, server = await _setup(start_server, gsm_simulator_factory, ats_simulator)
    admin = await server.client("admin")
    watcher = await server.client("viewer")
    assert (await watcher.request("MONITORING", "1")).ok
    tid = await add_task(admin, "2", numbers=[ABONENT], status="2", rkey="5", rpin="1234",
                         addinfo=ADDINFO)  # fmt: skip
    await asyncio.sleep(1.0)  # the modem is up and its number known

    sim.world.incoming_call(CALLER, 0, "5 1 2 3 4 #", spoofed=True)
    (spoofed,) = await _logged(server, 1)
    assert not spoofed.accepted and spoofed.caller == CALLER and spoofed.via == "call"
    assert "not verified" in spoofed.reason
    sim.world.incoming_call(CALLER, 0, "5 9 9 9 9 #")
    wrong = (await _logged(server, 2))[-1]
    assert not wrong.accepted and wrong.reason == "wrong code or PIN"
    assert await _status(admin, tid) == "2"  # still waiting

    sim.world.incoming_call(CALLER, 0, "5 1 2 3 4 #")
    accepted = (await _logged(server, 3))[-1]
    assert accepted.accepted and accepted.task_id == int(tid) and accepted.caller == CALLER
    await wait_finished(admin, tid)
    assert await statuses_seen(watcher, tid, last=3) == [1, 3]
    report = (await admin.request("GETREPORT", tid, "HTML")).data().decode()
    assert CALLER in report
    await watcher.close()
    await admin.close()

    # the world: the spoofed call was never registered, the genuine ones were; only
    # verified calls were answered (the refused one rang out unanswered)
    world = await asyncio.to_thread(sim.world.journal, 1000)
    registered = [(e["allowed"], e["detail"]) for e in world
                  if e["kind"] == "antifraud" and e["step"] == "register"]  # fmt: skip
    assert [allowed for allowed, _ in registered] == [False, True, True]
    assert registered[0][1] == "spoofed"
    checks = [e for e in ats_simulator.control.journal(100) if e["path"] == "/CheckCall"]
    assert [e["status"] for e in checks] == [404, 200, 200]
    assert all(e["params"]["call_id"] for e in checks)


async def test_remote_start_by_call_is_fail_closed_without_verification(
    start_server: Start, gsm_simulator_factory: GsmSimulatorFactory
) -> None:
    sim, server = await _setup(start_server, gsm_simulator_factory, None)
    admin = await server.client("admin")
    tid = await add_task(admin, "2", numbers=[ABONENT], status="2", rkey="5", rpin="1234",
                         addinfo=ADDINFO)  # fmt: skip
    await asyncio.sleep(1.0)
    sim.world.incoming_call(CALLER, 0, "5 1 2 3 4 #")
    (refused,) = await _logged(server, 1)
    assert not refused.accepted and "fail-closed" in refused.reason
    assert await _status(admin, tid) == "2"
    await admin.close()


async def test_remote_start_by_sms_once_and_wrong_pin_refused(
    start_server: Start, gsm_simulator_factory: GsmSimulatorFactory
) -> None:
    sim, server = await _setup(start_server, gsm_simulator_factory, None)
    admin = await server.client("admin")
    tid = await add_task(admin, "2", numbers=[ABONENT], status="2", rsms="СТАРТ", rpin="1234",
                         addinfo=ADDINFO)  # fmt: skip
    await asyncio.sleep(1.0)
    sim.world.incoming_sms(CALLER, 0, "СТАРТ 9999")
    (wrong,) = await _logged(server, 1)
    assert not wrong.accepted and wrong.reason == "wrong PIN" and wrong.via == "sms"
    assert await _status(admin, tid) == "2"

    sim.world.incoming_sms(CALLER, 0, "старт 1234")
    started = (await _logged(server, 2))[-1]
    assert started.accepted and started.task_id == int(tid) and started.caller == CALLER
    await wait_finished(admin, tid)
    await admin.close()


async def test_a_redelivered_start_sms_starts_nothing_twice(start_server: Start) -> None:
    server = await start_server(simulated_gsm_modems=1)  # the licence's working modem
    admin = await server.client("admin")
    tid = await add_task(admin, "2", numbers=[ABONENT], status="2", rsms="СТАРТ", rpin="1234",
                         addinfo=ADDINFO)  # fmt: skip
    engine = server.context.engine
    assert isinstance(engine, TaskEngine)
    remote = engine.remote
    sms = IncomingSms("gsm1", "+" + CALLER, "СТАРТ 1234", None, 1, key="sms-key-1")
    await remote.on_sms(sms)
    assert await _status(admin, tid) == "1"
    assert (await admin.request("STOPTASK", tid)).head[3] == "0"  # a second start would show
    await remote.on_sms(sms)  # the modem hands the same SMS over again
    assert await _status(admin, tid) == "0"
    records = await asyncio.to_thread(server.context.store.progress.remote_starts)
    assert [(r.accepted, r.via, r.task_id) for r in records] == [(True, "sms", int(tid))]
    await admin.close()


@pytest.fixture(autouse=True)
def _quiet_engine_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("ERROR", logger="nabat.engine.remote")
