"""GSM modems on serial ports as voice channels and SMS routes (issue 11, section 2).

Public API::

    from nabat.system.channels.gsm import GsmModem, GsmModemSettings, modem_pool

    settings = GsmModemSettings(name="gsm0", port="/dev/ttyUSB0", pin="1234")
    async with GsmModem(settings) as modem:          # or await modem.start() / stop()
        await modem.wait_ready(timeout=60)
        result = await modem.call("79000000001", confirm="1", dtmf_timeout=30)
        sent = await modem.send_sms("79000000001", "Проверка связи", status_report=True)
        modem.subscribe(handler)                     # IncomingCall, IncomingSms, DeliveryReport
        modem.status()                               # ChannelStatus for GETCHANNELS

    pool = modem_pool([settings0, settings1])        # ChannelPool of GsmModem

Modules: settings (configuration), link (pyserial + reader thread),
commander (one AT command at a time, URCs), state (the modem machine),
initialise (start-up and health checks), dialects (generic, simcom,
quectel, huawei), calls + call_reports + voice (calls), sms_out and sms_in
(SMS), errors (the exception tree), modem (the supervisor and facade).
The port comes from the settings, so the same code drives a real modem,
a pseudo-terminal or the simulator's ``nabatgsm://`` in-process port.
See docs/gsm-channel.md.
"""

from __future__ import annotations

from collections.abc import Sequence

from nabat.system.channels.clock import Clock
from nabat.system.channels.gsm.dialects import DIALECTS, Dialect, detect
from nabat.system.channels.gsm.errors import (
    CommandRejected,
    GsmError,
    LinkError,
    ModemNotReady,
    ModemReportedError,
    ModemTimeout,
    PortLost,
    PortUnavailable,
)
from nabat.system.channels.gsm.link import Opener, SerialPort, open_serial
from nabat.system.channels.gsm.modem import GsmModem
from nabat.system.channels.gsm.settings import GsmModemSettings
from nabat.system.channels.gsm.state import ModemState
from nabat.system.channels.pool import ChannelPool


def modem_pool(
    settings: Sequence[GsmModemSettings],
    *,
    clock: Clock | None = None,
    opener: Opener = open_serial,
    name: str = "gsm",
    max_failures: int = 3,
    quarantine: float = 60.0,
) -> ChannelPool:
    """A pool of ``GsmModem`` (not started: start each of ``pool.members``)."""
    modems = [GsmModem(one, clock=clock, opener=opener) for one in settings]
    return ChannelPool(
        modems, name=name, clock=clock, max_failures=max_failures, quarantine=quarantine
    )


__all__ = [
    "DIALECTS",
    "CommandRejected",
    "Dialect",
    "GsmError",
    "GsmModem",
    "GsmModemSettings",
    "LinkError",
    "ModemNotReady",
    "ModemReportedError",
    "ModemState",
    "ModemTimeout",
    "Opener",
    "PortLost",
    "PortUnavailable",
    "SerialPort",
    "detect",
    "modem_pool",
    "open_serial",
]
