"""The GSM channels the server drives: one ``GsmModem`` per enabled GSM channel with a port.

How it works: ``GsmChannels`` is the ``channel_drivers.ChannelDrivers`` of
GSM channels: it reads the channel rows from the store and reconciles the
running drivers with them. A GSM channel that is enabled and
whose settings text names a ``port`` (``port=/dev/ttyUSB0;pin=1234``, a
pseudo-terminal path, ``nabatgsm://modem0`` of the simulator) gets a
``GsmModem`` built by ``channelconfig.gsm_modem_settings`` (named
``gsm<num>``) and started; the driver opens the port, initialises the
modem, checks its health and reopens it with backoff on its own, so a
modem that cannot be opened is FAULT and retried, never an error of the
server. A driver whose channel was switched off, removed or given other
settings is stopped (and one for the new settings started).

The server calls ``start`` once it listens, ``sync(num)`` after each
SETCHANINFO and ``stop`` at shutdown (every driver stopped; ``sync`` after
``stop`` does nothing). One lock orders the reconciliations, and each reads
the store under it, so the settings stored last always win. Settings that
no longer parse (stored before they were checked) leave the channel
without a driver and FAULT, with a warning in the log (never the settings
themselves: they may hold a PIN).

What others read: ``states()`` (channel number -> the GETCHANNELS state of
every driven channel: the driver's ``status().protocol_state``),
``working()`` (drivers IDLE or BUSY: the in-process engine's
``available_gsm_modems`` adds them), ``modems()`` (the running drivers by
channel number, for the engine to put in a ``ChannelPool``) and
``subscribe(listener)`` (called whenever that set changes, so an engine can
rebuild its pool).
"""

from __future__ import annotations

import logging

from nabat.system.channels.clock import Clock
from nabat.system.channels.gsm import GsmModem, GsmModemSettings
from nabat.system.channels.gsm.link import Opener, open_serial
from nabat.system.protocol import ChannelState, ChannelType
from nabat.system.server.channel_drivers import ChannelDrivers
from nabat.system.server.channelconfig import gsm_modem_settings
from nabat.system.store import Store

log = logging.getLogger("nabat.server.gsm")

_WORKING = frozenset({ChannelState.IDLE, ChannelState.BUSY})


def driver_name(num: int) -> str:
    return f"gsm{num}"


class GsmChannels(ChannelDrivers[GsmModem, GsmModemSettings]):
    ctype = ChannelType.GSM
    settings_kind = "GSM modem"
    listener_failed = "a GSM channel listener failed"
    stopping_note = "stopping the modem driver"

    def __init__(
        self, store: Store, *, clock: Clock | None = None, opener: Opener = open_serial
    ) -> None:
        super().__init__(store, parse_settings=gsm_modem_settings, driver_name=driver_name, log=log)
        self._clock = clock
        self._opener = opener

    def modems(self) -> dict[int, GsmModem]:
        """The running drivers by channel number."""
        return dict(self._drivers)

    def working(self) -> int:
        """Drivers whose modem works (IDLE or BUSY)."""
        return sum(1 for state in self.states().values() if state in _WORKING)

    def make(self, settings: GsmModemSettings) -> GsmModem:
        if self._clock is None:
            return GsmModem(settings, opener=self._opener)
        return GsmModem(settings, clock=self._clock, opener=self._opener)

    def describe(self, driver: GsmModem) -> str:
        return f"the modem on {driver.settings.port}"
