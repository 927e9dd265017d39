"""Settings of one GSM modem: a frozen, validated dataclass (architecture principle 7).

How it works: ``GsmModemSettings`` holds everything the driver needs to open
and run one modem: the serial ``port`` as pyserial understands it (a device
``/dev/ttyUSB0``, a pseudo-terminal path, or a URL such as
``nabatgsm://modem0`` or ``socket://127.0.0.1:7000``), the line settings,
the SIM PIN, the dialect (``auto`` detects it from +CGMI/+CGMM), the SMSC,
the SIM's own number when the SIM does not tell it (``number``: stored as
digits without ``+``; it overrides what ``AT+CNUM`` reads),
and every timeout and interval in seconds of the driver's clock.
``__post_init__`` rejects impossible values with ``ValueError`` naming the
field. ``from_pairs`` reads the server's channel ``settings`` text
(``port=/dev/ttyUSB0;pin=1234;dialect=simcom``), so a configured GSM
channel becomes a modem without more code; unknown keys are an error.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass

from nabat.system.channels.settings_text import calling_number, convert_fields, parse_pairs

DIALECT_NAMES = ("auto", "generic", "simcom", "quectel", "huawei")
INCOMING_MODES = ("stored", "direct")
STORAGES = ("SM", "ME", "MT")


@dataclass(frozen=True, slots=True, kw_only=True)
class GsmModemSettings:
    name: str = "gsm0"
    port: str = "/dev/ttyUSB0"
    baudrate: int = 115200
    rtscts: bool = False
    pin: str | None = None
    dialect: str = "auto"
    smsc: str | None = None  # "+79..." written with AT+CSCA; None keeps the SIM's
    number: str | None = None  # the SIM's own number (digits, no +); None: AT+CNUM tells
    storage: str = "SM"  # +CPMS memory for received messages
    incoming_sms: str = "stored"  # "stored": +CMTI then read and delete; "direct": +CMT
    status_reports: bool = True  # ask for SMS status reports by default
    command_timeout: float = 10.0  # an ordinary command's final result code
    sms_timeout: float = 60.0  # +CMGS: the network round trip
    health_interval: float = 30.0  # +CSQ / +CREG? while idle
    call_poll_interval: float = 1.0  # +CLCC while a call is up (dialects without call URCs)
    ring_timeout: float = 60.0  # unanswered outgoing calls are hung up after this
    clip_wait: float = 1.0  # RING without +CLIP: announce the call after this
    end_grace: float = 0.5  # a call end seen in +CLCC waits this long for its result code
    reopen_initial: float = 1.0  # first backoff after the link is lost
    reopen_max: float = 60.0  # longest backoff
    read_poll: float = 0.05  # the reader thread's serial read timeout (real seconds)
    write_timeout: float = 5.0  # real seconds a serial write may block

    def __post_init__(self) -> None:
        if not self.name:
            raise ValueError("name: a modem needs a name")
        if not self.port:
            raise ValueError("port: give a device path or a pyserial URL")
        if not 300 <= self.baudrate <= 4_000_000:
            raise ValueError("baudrate: 300 to 4000000")
        if self.pin is not None and not (
            4 <= len(self.pin) <= 8 and self.pin.isascii() and self.pin.isdigit()
        ):
            raise ValueError("pin: 4 to 8 digits")
        if self.dialect not in DIALECT_NAMES:
            raise ValueError(f"dialect: one of {', '.join(DIALECT_NAMES)}")
        if self.smsc is not None and not _is_number(self.smsc):
            raise ValueError("smsc: a phone number such as +79168999100")
        if self.number is not None:
            object.__setattr__(self, "number", calling_number("number", self.number))
        if self.storage not in STORAGES:
            raise ValueError(f"storage: one of {', '.join(STORAGES)}")
        if self.incoming_sms not in INCOMING_MODES:
            raise ValueError(f"incoming_sms: one of {', '.join(INCOMING_MODES)}")
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if field.type == "float" and not (math.isfinite(value) and value > 0):
                raise ValueError(f"{field.name}: a number of seconds above 0")
        if self.reopen_max < self.reopen_initial:
            raise ValueError("reopen_max: at least reopen_initial")

    @classmethod
    def from_pairs(cls, text: str, **defaults: object) -> GsmModemSettings:
        """Settings from ``key=value;key=value`` (the server's channel settings text)."""
        return cls.from_mapping(parse_pairs(text, defaults))

    @classmethod
    def from_mapping(cls, values: Mapping[str, object]) -> GsmModemSettings:
        """Settings from a mapping of strings or typed values (a TOML table)."""
        converted = convert_fields(cls, values, what="a GSM modem setting")
        return cls(**converted)  # type: ignore[arg-type]


def _is_number(text: str) -> bool:
    digits = text[1:] if text.startswith("+") else text
    return 3 <= len(digits) <= 20 and digits.isascii() and digits.isdigit()
