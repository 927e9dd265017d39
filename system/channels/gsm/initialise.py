"""Bringing a freshly opened modem into a known state, and the periodic health check.

How it works: the supervisor (modem.py) calls these steps in order after
every (re)connection; each talks through the commander and returns what it
learnt, raising only ``LinkError`` (the link is bad: reconnect):

1. ``synchronise``: ESC (leaves an SMS prompt a lost link left open), then
   ``AT`` until the modem answers (three tries);
2. ``configure_line``: ``ATZ``, ``ATE0`` (no echo), ``AT+CMEE=1`` (numeric
   +CME errors; the wire table reads verbose ones too), then +CGMI, +CGMM
   and +CGSN for the dialect and the status text;
3. ``check_sim``: ``AT+CPIN?``; SIM PIN with a configured PIN ->
   ``AT+CPIN="<pin>"`` once (a refused PIN is never sent again: the next
   refusal would count towards PUK); SIM busy / not ready -> ask again a
   second later, five times at most;
4. ``configure_sms``: PDU mode ``AT+CMGF=0``, ``AT+CSCA`` when an SMSC is
   configured, ``AT+CPMS`` for the storage, ``AT+CNMI=2,1,0,1,0`` (stored
   messages announced by +CMTI, status reports routed as +CDS) or
   ``2,2,0,1,0`` for direct +CMT;
5. ``configure_voice``: ``AT+CLIP=1`` (caller id), the dialect's setup and
   its DTMF-detection switch; these are best effort (a modem without DTMF
   detection still places calls);
6. ``network``: ``AT+CSQ`` and ``AT+CREG?`` (registered home or roaming);
7. ``own_number``: ``AT+CNUM`` once the SIM is ready, best effort: the
   SIM's own number (``+CNUM: "<alpha>","+79...",145``) as E.164 digits
   without ``+``, or None when the modem refuses it or the SIM holds none.

``check_sim`` and ``network`` are also the health check.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass

from nabat.system.channels.gsm.commander import Response
from nabat.system.channels.gsm.core import ModemCore
from nabat.system.channels.gsm.dialects import Dialect
from nabat.system.channels.gsm.errors import (
    CommandRejected,
    IncorrectPassword,
    ModemTimeout,
    SimBusy,
    SimFailure,
    SimNotInserted,
    SimPinRequired,
    SimPukRequired,
)
from nabat.system.wire.at import split_arguments

log = logging.getLogger("nabat.channels.gsm.init")

ESC = b"\x1b"
SYNC_TRIES = 3
SIM_TRIES = 5
SIM_RETRY_DELAY = 1.0
REGISTERED = frozenset({1, 5})  # home, roaming
REGISTRATION_TEXT = {
    0: "not registered",
    1: "registered (home)",
    2: "searching for a network",
    3: "registration denied",
    4: "registration unknown",
    5: "registered (roaming)",
}


class SimVerdict(enum.Enum):
    READY = "ready"
    ABSENT = "absent"
    PIN_NEEDED = "PIN needed"
    LOCKED = "locked"


@dataclass(frozen=True, slots=True)
class Identity:
    manufacturer: str = ""
    model: str = ""
    imei: str = ""


@dataclass(frozen=True, slots=True)
class SimCheck:
    verdict: SimVerdict
    text: str
    pin_refused: bool = False


@dataclass(frozen=True, slots=True)
class NetworkStatus:
    registered: bool
    stat: int | None
    rssi: int | None

    @property
    def text(self) -> str:
        registration = (
            REGISTRATION_TEXT.get(self.stat, "registration unknown")
            if (self.stat is not None)
            else "registration unknown"
        )
        signal = "unknown" if self.rssi in (None, 99) else f"{self.rssi}/31"
        return f"{registration}, signal {signal}"


async def run(core: ModemCore, line: str, timeout: float | None = None) -> Response:
    return await core.commander.run(line, timeout=timeout or core.settings.command_timeout)


async def optional(core: ModemCore, line: str) -> Response | None:
    """``line``'s response, or None (logged) when the modem refuses it."""
    try:
        return await run(core, line)
    except CommandRejected as error:
        log.info("%s: %s refused (%s): carrying on", core.name, line, error.line)
        return None


def _first_line(response: Response | None) -> str:
    if response is None or not response.lines:
        return ""
    return (
        response.lines[0].split(":", 1)[-1].strip()
        if response.lines[0].startswith("+")
        else (response.lines[0].strip())
    )


async def synchronise(core: ModemCore) -> None:
    await core.commander.write_raw(ESC)
    for attempt in range(1, SYNC_TRIES + 1):
        try:
            await core.commander.run("AT", timeout=core.settings.command_timeout)
            return
        except ModemTimeout:
            if attempt == SYNC_TRIES:
                raise
        except CommandRejected:
            return  # it answers: good enough to go on


async def configure_line(core: ModemCore) -> Identity:
    await optional(core, "ATZ")
    await run(core, "ATE0")
    await optional(core, "AT+CMEE=1")
    manufacturer = _first_line(await optional(core, "AT+CGMI"))
    model = _first_line(await optional(core, "AT+CGMM"))
    imei = _first_line(await optional(core, "AT+CGSN"))
    return Identity(manufacturer, model, imei)


async def check_sim(core: ModemCore, pin: str | None) -> SimCheck:
    pin_sent = False
    for _ in range(SIM_TRIES):
        try:
            response = await run(core, "AT+CPIN?")
        except SimBusy:
            await core.clock.sleep(SIM_RETRY_DELAY)
            continue
        except SimNotInserted:
            return SimCheck(SimVerdict.ABSENT, "no SIM card")
        except SimPinRequired:
            response = None
        except SimPukRequired:
            return SimCheck(SimVerdict.LOCKED, "SIM locked: PUK required")
        except SimFailure as error:
            return SimCheck(SimVerdict.ABSENT, f"SIM failure ({error.error.text})")
        state = (response.values("+CPIN")[0] if response and response.values("+CPIN")
                 else "SIM PIN").upper().strip('"')  # fmt: skip
        if state == "READY":
            return SimCheck(SimVerdict.READY, "SIM ready")
        if state in ("SIM PUK", "SIM PUK2", "PH-SIM PUK"):
            return SimCheck(SimVerdict.LOCKED, "SIM locked: PUK required")
        if state in ("SIM PIN", "PH-SIM PIN"):
            if pin is None:
                return SimCheck(SimVerdict.PIN_NEEDED, "SIM PIN required, none configured")
            if pin_sent:
                await core.clock.sleep(SIM_RETRY_DELAY)
                continue
            try:
                await run(core, f'AT+CPIN="{pin}"')
            except IncorrectPassword:
                return SimCheck(SimVerdict.LOCKED, "the configured PIN was refused", True)
            except SimBusy:
                await core.clock.sleep(SIM_RETRY_DELAY)
                continue
            pin_sent = True
            continue
        await core.clock.sleep(SIM_RETRY_DELAY)  # NOT READY and the like
    return SimCheck(SimVerdict.ABSENT, "the SIM did not become ready")


async def configure_sms(core: ModemCore) -> bool:
    """PDU mode, storage and routing; False if the modem refused the storage."""
    settings = core.settings
    await run(core, "AT+CMGF=0")
    if settings.smsc:
        await optional(core, f'AT+CSCA="{settings.smsc}",145')
    memory = settings.storage
    stored = await optional(core, f'AT+CPMS="{memory}","{memory}","{memory}"') is not None
    routing = "2,1,0,1,0" if settings.incoming_sms == "stored" else "2,2,0,1,0"
    await optional(core, f"AT+CNMI={routing}")
    return stored


async def configure_voice(core: ModemCore, dialect: Dialect) -> bool:
    """Caller id, the dialect's setup and DTMF detection; True if DTMF detection is on."""
    await optional(core, "AT+CLIP=1")
    for line in dialect.setup:
        await optional(core, line)
    if dialect.dtmf_setup is None:
        return False
    return await optional(core, dialect.dtmf_setup) is not None


def parse_own_number(values: list[str]) -> str | None:
    """The first usable number of ``+CNUM`` lines (``"","+79160000001",145``), digits only."""
    for value in values:
        try:
            args = split_arguments(value)[0]
        except ValueError:
            continue
        if len(args) < 2:
            continue
        digits = args[1].strip().removeprefix("+")
        if 1 <= len(digits) <= 32 and digits.isascii() and digits.isdigit():
            return digits
    return None


async def own_number(core: ModemCore) -> str | None:
    """The SIM's own number from ``AT+CNUM`` (None: refused or none stored)."""
    response = await optional(core, "AT+CNUM")
    return None if response is None else parse_own_number(response.values("+CNUM"))


def _numbers(value: str) -> list[int | None]:
    try:
        args = split_arguments(value)[0]
    except ValueError:
        return []
    return [int(arg) if arg.strip().isascii() and arg.strip().isdigit() else None for arg in args]


async def network(core: ModemCore) -> NetworkStatus:
    csq = await optional(core, "AT+CSQ")
    rssi = None
    if csq is not None and csq.values("+CSQ"):
        numbers = _numbers(csq.values("+CSQ")[0])
        rssi = numbers[0] if numbers else None
    creg = await optional(core, "AT+CREG?")
    stat = None
    if creg is not None and creg.values("+CREG"):
        numbers = _numbers(creg.values("+CREG")[0])
        # read form: <n>,<stat>[,<lac>,<ci>]; a lone value is <stat>
        stat = numbers[1] if len(numbers) >= 2 else (numbers[0] if numbers else None)
    return NetworkStatus(stat in REGISTERED, stat, rssi)
