"""Who a simulated modem is: its SIM card (IMSI, ICCID, own number, SMSC, PIN,
PUK) and its device identity (IMEI), with distinct defaults per modem index.

Defaults for modem ``i`` (documented in docs/gsm-modem-simulator.md):
own number ``7901000000i`` padded to 11 digits (operator 1 of the ATS
simulator's default plan owns 79000000000-79099999999), IMSI ``25099`` + 10
digits, ICCID ``8970199`` + 12 digits + Luhn digit, IMEI ``86000000`` + 6
digits + Luhn digit, SMSC ``+79000000010``, PIN ``0000``, PUK ``12345678``.
The network the SIM belongs to is "Nabat Mobile" (MCC 250, MNC 99).
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_PIN = "0000"
DEFAULT_PUK = "12345678"
DEFAULT_SMSC = "+79000000010"
NUMBER_BASE = 79010000000
MAX_MODEMS = 10_000


@dataclass(frozen=True, slots=True)
class Operator:
    long_name: str = "Nabat Mobile"
    short_name: str = "NABAT"
    mcc_mnc: str = "25099"
    lac: int = 0x1A2B
    cell_id: int = 0x00C3


@dataclass(frozen=True, slots=True)
class SimCard:
    imsi: str
    iccid: str
    msisdn: str  # E.164 without '+'
    smsc: str  # with '+'
    pin: str = DEFAULT_PIN
    puk: str = DEFAULT_PUK
    pin_enabled: bool = False  # the SIM asks for the PIN at power-on


@dataclass(frozen=True, slots=True)
class DeviceIdentity:
    imei: str
    serial: str


def luhn_digit(digits: str) -> str:
    """The Luhn check digit for ``digits`` (as used by IMEI and ICCID)."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def _check_index(index: int) -> None:
    if not 0 <= index < MAX_MODEMS:
        raise ValueError(f"modem index must be within [0, {MAX_MODEMS})")


def default_sim(index: int, pin_enabled: bool = False) -> SimCard:
    _check_index(index)
    body = f"8970199{index:012d}"
    return SimCard(
        imsi=f"25099{index:010d}",
        iccid=body + luhn_digit(body),
        msisdn=str(NUMBER_BASE + index),
        smsc=DEFAULT_SMSC,
        pin_enabled=pin_enabled,
    )


def default_device(index: int) -> DeviceIdentity:
    _check_index(index)
    body = f"86000000{index:06d}"
    return DeviceIdentity(imei=body + luhn_digit(body), serial=f"NBT{index:08d}")
