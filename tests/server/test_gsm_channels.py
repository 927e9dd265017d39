"""GSM channels driven by real modem drivers: GETCHANNELS shows the modem's state.

A GSM simulator runs in this process (``gsm_simulator_factory``, instant
command timing, ``nabatgsm://`` ports) and the server's GSM channels name
those ports in their settings, with short health and reconnection intervals
so the driver notices faults quickly. The drivers run on the real clock, so
state changes are awaited by polling GETCHANNELS with a bounded wait.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from nabat.simulators.gsm_modem import Timing
from nabat.simulators.pytest_plugin import GsmSimulatorFactory, GsmSimulatorHandle
from nabat.system.channels.base import Activity
from nabat.system.channels.gsm import ModemState
from nabat.system.protocol import ChannelState, ChannelType
from nabat.system.server.channelconfig import (
    ChannelSpec,
    check_settings,
    gsm_modem_settings,
    parse_channels,
)
from nabat.system.server.handlers.channels import channel_states
from nabat.system.store.channels import StoredChannel

from tests.server.conftest import Running, Start
from tests.server.wire import WireClient

FAST = "health_interval=0.2;reopen_initial=0.1;reopen_max=0.4;command_timeout=2"
IDLE, BUSY, FAULT, DISABLED = "0", "1", "2", "3"
WAIT = 10.0  # real seconds a state change may take at most


def simulator(factory: GsmSimulatorFactory, modems: int = 1) -> GsmSimulatorHandle:
    return factory(modems=modems, timing=Timing.instant(), pty=False)


def gsm(name: str, settings: str = "", enabled: bool = True) -> ChannelSpec:
    return ChannelSpec(ctype=ChannelType.GSM, name=name, enabled=enabled, settings=settings)


async def states(client: WireClient) -> list[str]:
    reply = await client.request("GETCHANNELS")
    assert reply.ok, reply
    return [row[4] for row in reply.rows]


async def wait_state(client: WireClient, num: int, wanted: str, timeout: float = WAIT) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    seen: list[str] = []
    while loop.time() < deadline:
        seen = await states(client)
        if seen[num - 1] == wanted:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"channel {num} never became {wanted} in {timeout} s; states {seen}")


async def fault(sim: GsmSimulatorHandle, kind: str, **spec: object) -> None:
    await asyncio.to_thread(sim.control.add_fault, 0, kind, **spec)


async def admin_of(start_server: Start, *channels: ChannelSpec) -> tuple[Running, WireClient]:
    server = await start_server(channels=channels)
    return server, await server.client("admin")


async def test_a_working_modem_is_idle_fault_without_sim_and_idle_again(
    start_server: Start, gsm_simulator_factory: GsmSimulatorFactory
) -> None:
    sim = simulator(gsm_simulator_factory)
    server, admin = await admin_of(
        start_server, gsm("Модем", f"port={sim.urls[0]};{FAST}"), gsm("Без порта")
    )
    await wait_state(admin, 1, IDLE)
    assert (await states(admin))[1] == FAULT  # no port, simulated_gsm_modems 0
    assert (await admin.request("GETCHANINFO", "1")).head[4] == IDLE
    assert server.context.engine.available_gsm_modems() == 1  # STARTTASK agrees
    status = server.context.gsm_channels.statuses()[1]
    assert status.name == "gsm1" and status.activity is Activity.IDLE

    await fault(sim, "no_sim")
    await wait_state(admin, 1, FAULT)
    assert server.context.gsm_channels.statuses()[1].activity is Activity.NO_SIM
    assert server.context.engine.available_gsm_modems() == 0
    assert (await admin.request("GETCHANINFO", "1")).head[4] == FAULT

    await fault(sim, "sim_inserted")
    await wait_state(admin, 1, IDLE)
    assert server.context.engine.available_gsm_modems() == 1
    await admin.close()


async def test_an_unplugged_modem_is_fault_until_it_comes_back(
    start_server: Start, gsm_simulator_factory: GsmSimulatorFactory
) -> None:
    sim = simulator(gsm_simulator_factory)
    server, admin = await admin_of(start_server, gsm("Модем", f"port={sim.urls[0]};{FAST}"))
    await wait_state(admin, 1, IDLE)
    modem = server.context.gsm_channels.modems()[1]
    await fault(sim, "unplug", seconds=None)  # stays away until replugged
    await wait_state(admin, 1, FAULT)
    assert modem.state in (ModemState.RECOVERING, ModemState.CONNECTING)
    assert (await admin.request("PING")).ok  # the server keeps serving
    await fault(sim, "replug")
    await wait_state(admin, 1, IDLE)
    assert modem.reconnects >= 1 and server.context.gsm_channels.modems()[1] is modem
    await admin.close()


async def test_a_port_that_does_not_exist_is_fault_and_retried(
    start_server: Start, tmp_path: Path
) -> None:
    missing = tmp_path / "ttyUSB-none"
    server, admin = await admin_of(
        start_server, gsm("Модем", f"port={missing};{FAST}"), gsm("Другой")
    )
    assert await states(admin) == [FAULT, FAULT]
    await asyncio.sleep(0.5)  # several reopen attempts (backoff 0.1 .. 0.4 s)
    assert await states(admin) == [FAULT, FAULT]
    status = server.context.gsm_channels.statuses()[1]
    assert status.activity in (Activity.RECOVERING, Activity.STARTING), status
    assert (await admin.request("GETGROUPS")).ok  # the server keeps serving
    assert server.context.engine.available_gsm_modems() == 0
    await admin.close()


async def test_a_modem_absent_at_start_is_retried_until_it_appears(
    start_server: Start, gsm_simulator_factory: GsmSimulatorFactory
) -> None:
    sim = simulator(gsm_simulator_factory)
    await fault(sim, "unplug", seconds=None)  # the port is gone before the server starts
    server, admin = await admin_of(start_server, gsm("Модем", f"port={sim.urls[0]};{FAST}"))
    await asyncio.sleep(0.3)
    assert await states(admin) == [FAULT]
    assert server.context.gsm_channels.statuses()[1].activity in (
        Activity.RECOVERING, Activity.STARTING,
    )  # fmt: skip
    await fault(sim, "replug")
    await wait_state(admin, 1, IDLE)
    await admin.close()


async def test_setchaninfo_stops_starts_and_restarts_the_driver(
    start_server: Start, gsm_simulator_factory: GsmSimulatorFactory
) -> None:
    sim = simulator(gsm_simulator_factory, modems=2)
    first, second = sim.urls
    settings = f"port={first};{FAST}"
    server, admin = await admin_of(start_server, gsm("Модем", settings), gsm("Запас"))
    drivers = server.context.gsm_channels
    await wait_state(admin, 1, IDLE)
    modem = drivers.modems()[1]

    reply = await admin.request("SETCHANINFO", "1", "Модем", "0", settings)
    assert reply.ok and reply.head[4] == DISABLED, reply
    assert drivers.modems() == {} and modem.state is ModemState.STOPPED
    assert await states(admin) == [DISABLED, FAULT]

    assert (await admin.request("SETCHANINFO", "1", "Модем", "1", settings)).ok
    await wait_state(admin, 1, IDLE)
    restarted = drivers.modems()[1]
    assert restarted is not modem

    renamed = await admin.request("SETCHANINFO", "1", "Модем 1", "1", settings)
    assert renamed.ok and drivers.modems()[1] is restarted  # same settings: left running

    bad = await admin.request("SETCHANINFO", "1", "Модем 1", "1", f"port={first};pin=12")
    assert bad.error is not None and str(bad.error.code) == "ERR_SETCHANINFO"
    assert "pin" in bad.error.text and drivers.modems()[1] is restarted
    unknown = await admin.request("SETCHANINFO", "1", "Модем 1", "1", f"port={first};speed=9")
    assert unknown.error is not None and "speed" in unknown.error.text

    moved = f"port={second};{FAST}"
    assert (await admin.request("SETCHANINFO", "1", "Модем 1", "1", moved)).ok
    assert restarted.state is ModemState.STOPPED
    assert drivers.modems()[1].settings.port == second
    await wait_state(admin, 1, IDLE)

    assert (await admin.request("SETCHANINFO", "2", "Запас", "1", settings)).ok
    await wait_state(admin, 2, IDLE)
    assert sorted(drivers.modems()) == [1, 2]
    assert server.context.engine.available_gsm_modems() == 2
    await admin.close()


async def test_shutdown_stops_every_driver(
    start_server: Start, gsm_simulator_factory: GsmSimulatorFactory
) -> None:
    sim = simulator(gsm_simulator_factory)
    server, admin = await admin_of(start_server, gsm("Модем", f"port={sim.urls[0]};{FAST}"))
    await wait_state(admin, 1, IDLE)
    modem = server.context.gsm_channels.modems()[1]
    await admin.close()

    async def tasks() -> list[str]:
        return [task.get_name() for task in asyncio.all_tasks()]

    assert any("gsm1" in name for name in await asyncio.to_thread(server.handle.run, tasks()))
    await asyncio.to_thread(server.handle.run, server.server.stop())
    assert not any("gsm1" in name for name in await asyncio.to_thread(server.handle.run, tasks()))
    assert modem.state is ModemState.STOPPED
    assert server.context.gsm_channels.modems() == {}
    assert not server.context.gsm_channels.running
    assert not any(thread.name.startswith("gsm1") for thread in threading.enumerate())


# --------------------------------------------------------------------------- pure parts


def test_channel_states_mix_drivers_and_simulated_modems() -> None:
    rows = [
        StoredChannel(1, ChannelType.GSM, "a", True, "port=/dev/ttyUSB0"),
        StoredChannel(2, ChannelType.GSM, "b", True, ""),
        StoredChannel(3, ChannelType.GSM, "c", False, ""),
        StoredChannel(4, ChannelType.GSM, "d", True, ""),
        StoredChannel(5, ChannelType.SMTP, "e", True, ""),
        StoredChannel(6, ChannelType.GSM, "f", False, "port=/dev/ttyUSB1"),
    ]
    driven = {1: ChannelState.BUSY}
    assert channel_states(rows, 1, driven) == {
        1: ChannelState.BUSY,
        2: ChannelState.IDLE,
        3: ChannelState.DISABLED,
        4: ChannelState.FAULT,
        5: ChannelState.IDLE,
        6: ChannelState.DISABLED,
    }


def test_gsm_settings_are_the_drivers() -> None:
    settings = gsm_modem_settings("port=nabatgsm://m0;pin=1234;dialect=simcom;baudrate=9600", "g")
    assert settings is not None
    assert (settings.name, settings.port, settings.pin, settings.dialect, settings.baudrate) == (
        "g", "nabatgsm://m0", "1234", "simcom", 9600,
    )  # fmt: skip
    assert gsm_modem_settings("pin=1234", "g") is None  # no port: not driven
    assert gsm_modem_settings("", "g") is None
    for text, message in (
        ("port=", "port"),
        ("port=/dev/x;pin=12", "pin: 4 to 8 digits"),
        ("port=/dev/x;dialect=nokia", "dialect"),
        ("port=/dev/x;baudrate=fast", "baudrate"),
        ("port=/dev/x;health_interval=0", "health_interval"),
        ("port=/dev/x;name=other", "name"),
        ("port=/dev/x;colour=red", "colour: not a GSM modem setting"),
        ("port=/dev/x;", "pair 2"),
    ):
        with pytest.raises(ValueError, match=message):
            check_settings(text, ChannelType.GSM)
    assert check_settings("colour=red", ChannelType.BOARD) == "colour=red"  # undriven: grammar
    with pytest.raises(ValueError, match="channel 1: settings: pin"):
        parse_channels([{"type": "GSM", "name": "x", "settings": "port=/dev/x;pin=1"}])


@given(st.text(max_size=80))
def test_hostile_gsm_settings_are_refused_or_accepted_never_crash(text: str) -> None:
    try:
        check_settings(text, ChannelType.GSM)
    except ValueError as exc:
        assert str(exc).startswith("settings: ")
