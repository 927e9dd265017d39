"""The Oktell channels the server drives: one ``OktellLine`` per enabled Oktell channel with a URL.

How it works: like ``gsm_channels.GsmChannels``, a
``channel_drivers.ChannelDrivers``. ``OktellChannels`` reads the
channel rows from the store and reconciles the running drivers with them.
An Oktell channel (ctype 3) that is enabled and whose settings text names a
``url`` (``url=http://127.0.0.1:4055;line=16038;password=abc;script=notify``;
keys in docs/oktell-channel.md) gets an ``OktellLine`` built by
``channelconfig.oktell_line_settings`` (named ``oktell<num>``) and started:
it probes its line at the PBX and shows the line's real state (IDLE, BUSY
while a call or an incoming call is on it, FAULT when the PBX cannot be
reached, refuses the password or has no such line). Lines whose settings
agree on the PBX (URL, password, TLS, timeouts) share one ``OktellPbx``
client, and with it the uploaded audio. Settings that do not parse leave the
channel without a driver and FAULT (a warning is logged, never the
settings: they hold the password).

The server calls ``start`` once it listens, ``sync(num)`` after each
SETCHANINFO and ``stop`` at shutdown. What others read: ``states()``,
``lines()`` (the running drivers by channel number, for the engine's voice
pool) and ``subscribe(listener)`` (called whenever that set changes).
"""

from __future__ import annotations

import logging

import httpx
from nabat.system.channels.clock import Clock
from nabat.system.channels.oktell import OktellLine, OktellLineSettings, OktellPbx
from nabat.system.protocol import ChannelType
from nabat.system.server.channel_drivers import ChannelDrivers
from nabat.system.server.channelconfig import oktell_line_settings
from nabat.system.speech.synthesiser import Synthesiser
from nabat.system.store import Store

log = logging.getLogger("nabat.server.oktell")


def driver_name(num: int) -> str:
    return f"oktell{num}"


class OktellChannels(ChannelDrivers[OktellLine, OktellLineSettings]):
    ctype = ChannelType.OKTELL
    settings_kind = "Oktell line"
    listener_failed = "an Oktell channel listener failed"

    def __init__(
        self,
        store: Store,
        *,
        clock: Clock | None = None,
        synthesiser: Synthesiser | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        super().__init__(
            store, parse_settings=oktell_line_settings, driver_name=driver_name, log=log
        )
        self._clock = clock
        self._synthesiser = synthesiser
        self._transport = transport
        self._pbxes: dict[tuple[object, ...], OktellPbx] = {}

    def lines(self) -> dict[int, OktellLine]:
        """The running drivers by channel number."""
        return dict(self._drivers)

    def make(self, settings: OktellLineSettings) -> OktellLine:
        key = settings.pbx_key()
        pbx = self._pbxes.get(key)
        if pbx is None:
            pbx = self._pbxes[key] = OktellPbx(settings, transport=self._transport)
        return OktellLine(settings, pbx, clock=self._clock, synthesiser=self._synthesiser)

    def describe(self, driver: OktellLine) -> str:
        return f"Oktell line {driver.settings.line}"

    async def release(self) -> None:
        """Close the PBX clients no running line uses."""
        used = {line.settings.pbx_key() for line in self._drivers.values()}
        for key in [key for key in self._pbxes if key not in used]:
            await self._pbxes.pop(key).aclose()
