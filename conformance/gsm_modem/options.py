"""GSM suite options: the serial line, the SIM's PIN and the two parties it may reach.

Declared as framework :class:`OptionSpec` objects so pytest and
``nabat conformance gsm`` offer the same flags (the device itself is the
framework's target option, shown as ``--port``). :func:`settings_from`
validates them into :class:`GsmSettings`; a bad value raises ValueError with
a message meant for the command line (a usage error, exit code 2).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from nabat.conformance.framework.options import OptionSpec

DEFAULT_BAUD = 115200
_NUMBER = re.compile(r"^\+?[0-9]{3,20}$")
_PIN = re.compile(r"^[0-9]{4,8}$")

OPTIONS: tuple[OptionSpec, ...] = (
    OptionSpec("--baud", "serial line speed in bit/s (a USB modem ignores it)",
               str(DEFAULT_BAUD), "B"),
    OptionSpec("--pin", "the SIM's PIN, entered once if the SIM asks for it (a refused PIN "
               "is never tried again: three wrong PINs lock the SIM)", metavar="PIN"),
    OptionSpec("--sms-to", "a phone number that may receive the suite's test SMS (seven "
               "messages); without it the sending cases are unsupported", metavar="NUMBER"),
    OptionSpec("--call-to", "a phone number the suite may call (voice): it should answer and, "
               "for the DTMF case, press a key; without it the call cases are unsupported",
               metavar="NUMBER"),
    OptionSpec("--sms-wait", "seconds to wait for an SMS status report", "120", "SECONDS"),
    OptionSpec("--call-wait", "seconds to wait for the called party to answer, and then to "
               "press a key", "60", "SECONDS"),
    OptionSpec("--sim-control", "when the target is Nabat's GSM simulator: its control API "
               "(http://HOST:PORT), through which the suite makes SMS and calls arrive and "
               "causes faults; without it those cases are unsupported", metavar="URL"),
    OptionSpec("--sim-modem", "which of the simulator's modems --port is", "0", "INDEX"),
)


@dataclass(frozen=True)
class GsmSettings:
    device: str
    baud: int
    pin: str | None
    sms_to: str | None
    call_to: str | None
    sms_wait: float
    call_wait: float
    sim_control: str | None = None
    sim_modem: int = 0


def _number(option: str, value: Any) -> str | None:
    if value in (None, ""):
        return None
    text = str(value).replace(" ", "").replace("-", "")
    if not _NUMBER.match(text):
        raise ValueError(f"{option} must be a phone number like +79001234567, got {value!r}")
    return text


def _seconds(option: str, value: Any, default: str) -> float:
    try:
        seconds = float(default if value in (None, "") else value)
    except ValueError:
        raise ValueError(f"{option} must be a number of seconds, got {value!r}") from None
    if not 0 < seconds <= 3600:
        raise ValueError(f"{option} must be above 0 and at most 3600 seconds")
    return seconds


def settings_from(device: str, values: Mapping[str, Any]) -> GsmSettings:
    if not device.strip():
        raise ValueError("--port must name the modem's serial device or a pyserial URL")
    raw_baud = values.get("baud")
    try:
        baud = int(DEFAULT_BAUD if raw_baud in (None, "") else raw_baud)
    except ValueError:
        raise ValueError(f"--baud must be a whole number of bit/s, got {raw_baud!r}") from None
    if not 50 <= baud <= 4_000_000:
        raise ValueError(f"--baud {baud} is not a serial line speed")
    pin = values.get("pin") or None
    if pin is not None and not _PIN.match(str(pin)):
        raise ValueError("--pin must be 4 to 8 digits")
    control = values.get("sim_control") or None
    if control is not None:
        parts = urlsplit(str(control))
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"--sim-control must be an http:// URL, got {control!r}")
    raw_modem = values.get("sim_modem")
    modem = str(0 if raw_modem in (None, "") else raw_modem)
    if not modem.isdigit() or int(modem) > 255:
        raise ValueError(f"--sim-modem must be a modem index 0-255, got {raw_modem!r}")
    return GsmSettings(
        device=device.strip(),
        baud=baud,
        pin=None if pin is None else str(pin),
        sms_to=_number("--sms-to", values.get("sms_to")),
        call_to=_number("--call-to", values.get("call_to")),
        sms_wait=_seconds("--sms-wait", values.get("sms_wait"), "120"),
        call_wait=_seconds("--call-wait", values.get("call_wait"), "60"),
        sim_control=None if control is None else str(control).rstrip("/"),
        sim_modem=int(modem),
    )
