"""Every channel type wired into the server: MFMS, FTP and SMTP routes, one index, own numbers.

The MFMS simulator and the SMTP sink run in this process (session fixtures);
a route whose server is down points at a loopback port nothing listens on.
A GSM simulator with instant timing stands for the modem whose own number
(+CNUM) the driver reads. States are awaited by polling GETCHANNELS with a
bounded wait (the drivers run on the real clock).
"""

from __future__ import annotations

import socket
from typing import Any

from nabat.simulators.gsm_modem import Timing
from nabat.simulators.pytest_plugin import GsmSimulatorFactory
from nabat.system.channels.base import (
    BulkSmsRoute,
    EmailRoute,
    EventSource,
    NumberedChannel,
    VoiceChannel,
)
from nabat.system.protocol import ChannelType
from nabat.system.server.channelconfig import ChannelSpec
from nabat.system.server.route_probe import ProbedBulkSmsRoute, ProbedEmailRoute

from tests.server.conftest import Start
from tests.server.test_gsm_channels import FAST, FAULT, IDLE, states, wait_state


def dead_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def spec(ctype: ChannelType, name: str, settings: str = "") -> ChannelSpec:
    return ChannelSpec(ctype=ctype, name=name, settings=settings)


def mfms_settings(url: str) -> str:
    return f"base_url={url}/CLIENT/connectorX;login=CLIENT;password=P@ssw0rd;subject=NABAT"


def smtp_settings(host: str, port: int) -> str:
    return f"host={host};port={port};starttls=off;from_address=nabat@example.org"


async def test_routes_are_driven_indexed_and_their_state_follows_the_server(
    start_server: Start, mfms_simulator: Any, smtp_sink: Any
) -> None:
    down = dead_port()
    server = await start_server(channels=(
        spec(ChannelType.MFMS, "mfms", mfms_settings(mfms_simulator.url)),
        spec(ChannelType.SMTP, "mail", smtp_settings(smtp_sink.host, smtp_sink.port)),
        spec(ChannelType.MFMS, "undriven"),
        spec(ChannelType.MFMS, "down", mfms_settings(f"http://127.0.0.1:{down}")),
        spec(ChannelType.FTP_PLATFORM, "ftp", f"host=127.0.0.1;port={down};sender=NABAT"),
        spec(ChannelType.SMTP, "mail down", smtp_settings("127.0.0.1", down)),
    ))  # fmt: skip
    admin = await server.client("admin")
    assert await states(admin) == [IDLE, IDLE, IDLE, FAULT, FAULT, FAULT]
    info = await admin.request("GETCHANINFO", "4")
    assert info.ok, info
    index = server.context.channels
    assert set(index.bulk_sms()) == {1, 4, 5} and set(index.email()) == {2, 6}
    assert index.voice() == {} and index.sms() == {}
    assert set(index.sources()) == {1, 2, 4, 5, 6}
    assert all(isinstance(route, BulkSmsRoute) for route in index.bulk_sms().values())
    assert all(isinstance(route, EmailRoute) for route in index.email().values())
    assert all(isinstance(source, EventSource) for source in index.sources().values())
    down_route = index.bulk_sms()[4]
    assert isinstance(down_route, ProbedBulkSmsRoute)
    assert "cannot reach" in down_route.status().text
    mail = index.email()[2]
    assert isinstance(mail, ProbedEmailRoute) and mail.reachable
    assert mail.name == "smtp2"


async def test_setchaninfo_restarts_a_route_and_refuses_bad_settings(
    start_server: Start, mfms_simulator: Any
) -> None:
    down = dead_port()
    server = await start_server(channels=(
        spec(ChannelType.MFMS, "mfms", mfms_settings(f"http://127.0.0.1:{down}")),
        spec(ChannelType.SMTP, "mail"),
    ))  # fmt: skip
    admin = await server.client("admin")
    await wait_state(admin, 1, FAULT)
    index = server.context.channels
    before = index.bulk_sms()[1]
    changes: list[int] = []
    cancel = index.subscribe(lambda: changes.append(len(index.bulk_sms())))
    reply = await admin.request("SETCHANINFO", "1", "mfms", "1", mfms_settings(mfms_simulator.url))
    assert reply.ok, reply
    await wait_state(admin, 1, IDLE)
    after = index.bulk_sms()[1]
    assert after is not before and changes and changes[-1] == 1
    cancel()
    for ctype_num, text, named in (
        ("1", "base_url=ftp://127.0.0.1/x", "base_url"),
        ("1", "base_url=http://127.0.0.1:1/C/x;colour=red", "colour: not an MFMS setting"),
        ("1", "base_url=http://127.0.0.1:1/C/x;name=x", "name"),
        ("2", "host=127.0.0.1;port=0", "port"),
        ("2", "host=127.0.0.1;starttls=maybe", "starttls"),
    ):
        refused = await admin.request("SETCHANINFO", ctype_num, "x", "1", text)
        assert refused.error is not None, text
        assert str(refused.error.code) == "ERR_SETCHANINFO" and named in refused.error.text, text
    assert index.bulk_sms()[1] is after  # a refused change keeps the running route
    reply = await admin.request("SETCHANINFO", "1", "mfms", "0", mfms_settings(mfms_simulator.url))
    assert reply.ok and index.bulk_sms() == {}


async def test_a_modem_knows_its_sims_number_and_number_overrides_it(
    start_server: Start, gsm_simulator_factory: GsmSimulatorFactory
) -> None:
    sim = gsm_simulator_factory(modems=1, timing=Timing.instant(), pty=False)
    number = sim.control.modem(0)["number"]
    assert number and number.isdigit()
    port = sim.urls[0]
    server = await start_server(channels=(
        ChannelSpec(ctype=ChannelType.GSM, name="g", settings=f"port={port};{FAST}"),
    ))  # fmt: skip
    admin = await server.client("admin")
    await wait_state(admin, 1, IDLE)
    voice = server.context.channels.voice()
    modem = voice[1]
    assert isinstance(modem, VoiceChannel) and isinstance(modem, NumberedChannel)
    assert modem.own_number == number  # read with AT+CNUM
    assert set(server.context.channels.sms()) == {1}
    reply = await admin.request("SETCHANINFO", "1", "g", "1", f"port={port};{FAST};number=+70001")
    assert reply.ok, reply
    await wait_state(admin, 1, IDLE)
    overridden = server.context.channels.voice()[1]
    assert isinstance(overridden, NumberedChannel) and overridden.own_number == "70001"
    refused = await admin.request("SETCHANINFO", "1", "g", "1", f"port={port};number=12a")
    assert refused.error is not None and str(refused.error.code) == "ERR_SETCHANINFO"
    assert "number" in refused.error.text
