"""The GSM suite's pre-flight: the line opens, the modem answers AT, the SIM is ready.

Before any case, once: the device opens (else one line: no such device,
permission denied, busy); ``ATQ0V1`` is answered OK within
``min(--target-timeout, 5)`` s (after one Esc, in case a program left the SMS
prompt open), else "no answer to AT" (a silent line) or "answered AT with
... but never OK" (garbage: a wrong --baud); the echo seen tells whether
echo was on. Then ATE0 and +CMEE=1 (the working mode; +CMEE? is read first
to put it back at the end), and the SIM: ``+CPIN?`` READY is fine; ``SIM PIN``
needs --pin, which is entered ONCE — a refused PIN stops the run and is never
retried, since three wrong PINs lock the SIM with its PUK; ``SIM PUK``, no
SIM, or any other code stops the run without entering anything. Every
failure raises :class:`~nabat.conformance.framework.setup.SetupError` (exit
code 3, "could not test").
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from nabat.conformance.framework.setup import SetupError
from nabat.conformance.gsm_modem.client import ESC, AtClient, Response, unquote
from nabat.conformance.gsm_modem.evidence import AtExchange, Chunk, printable
from nabat.conformance.gsm_modem.port import Opener, Port, open_cause
from nabat.conformance.gsm_modem.state import ModemState, read_settings

PREFLIGHT_TIMEOUT = 5.0
PIN_TIMEOUT = 20.0  # a SIM may take this long to verify a PIN and become ready
READY_POLL = 0.5


@dataclass
class Found:
    """What the pre-flight learnt."""

    client: AtClient
    state: ModemState
    pin_entered: bool = False
    evidence: list[AtExchange] = field(default_factory=list)  # the PIN entry, redacted


def open_port(opener: Opener, device: str, baud: int) -> Port:
    try:
        return Port(opener(device, baud))
    except Exception as exc:  # pyserial raises SerialException, ValueError, OSError
        raise SetupError(open_cause(device, exc)) from None


def _wake(client: AtClient, device: str, wait: float) -> Response:
    """``ATQ0V1`` answered OK; else SetupError naming a silent line or garbage."""
    first = client.command("ATQ0V1", timeout=wait)
    if first.ok:
        return first
    client.silent = False
    client.write_raw(ESC, "Esc (cancels an SMS prompt left open)")
    client.silence(0.3, "after Esc")
    second = client.command("ATQ0V1", timeout=wait)
    if second.ok:
        return second
    seen = first.raw + second.raw
    if not seen.strip():
        raise SetupError(f"{device}: no answer to AT within {wait:g} s (a silent line: wrong "
                         "port or --baud, or the modem is off)")
    raise SetupError(f"{device} answered AT with {printable(seen[:60])!r} but never OK "
                     "(a wrong --baud, or not a modem)")


def redact(exchanges: list[AtExchange], secret: str) -> list[AtExchange]:
    hidden = secret.encode()
    return [
        AtExchange(e.label.replace(secret, "****"), e.outcome, tuple(
            Chunk(c.direction, c.at, c.data.replace(hidden, b"****")) for c in e.chunks),
            e.elapsed_ms)
        for e in exchanges
    ]


def _wait_ready(client: AtClient, what: str) -> None:
    deadline = time.monotonic() + PIN_TIMEOUT
    while time.monotonic() < deadline:
        if client.command("AT+CPIN?").first("+CPIN:") == "READY":
            return
        time.sleep(READY_POLL)
    raise SetupError(f"the SIM is not READY {PIN_TIMEOUT:g} s after {what}")


def unlock_sim(client: AtClient, pin: str | None) -> tuple[bool, list[AtExchange]]:
    """Make sure the SIM is ready: (whether the PIN was entered, its redacted evidence)."""
    status = client.command("AT+CPIN?")
    code = status.first("+CPIN:")
    if code == "READY":
        return False, []
    if status.cme() == "10" or "not inserted" in (status.final or "").lower():
        raise SetupError("no SIM card in the modem (+CPIN? answered "
                         f"{status.final}): insert one")
    if code == "SIM PUK":
        raise SetupError("the SIM is locked with its PUK (three wrong PINs were entered): "
                         "unlock it first; the suite never enters a PUK")
    if code != "SIM PIN":
        raise SetupError(f"the SIM is not ready: +CPIN? answered {status.describe()!r}")
    if pin is None:
        raise SetupError("the SIM asks for its PIN: give --pin PIN (it is entered once)")
    evidence: list[AtExchange] = []
    saved, client.recorder = client.recorder, evidence.append
    try:
        entered = client.command(f'AT+CPIN="{pin}"', timeout=max(client.timeout, 10.0))
        if not entered.ok:
            raise SetupError(
                f"the SIM refused --pin (+CPIN=**** answered {entered.describe()!r}): the "
                "suite will not try again (three wrong PINs lock the SIM with its PUK)")
        _wait_ready(client, "the PIN")
    finally:
        client.recorder = saved
    return True, redact(evidence, pin)


def sms_ready(client: AtClient) -> None:
    """After a PIN the SMS part of a modem takes a moment: wait until +CPMS? works."""
    deadline = time.monotonic() + PIN_TIMEOUT
    while time.monotonic() < deadline and not client.command("AT+CPMS?").ok:
        time.sleep(READY_POLL)


def preflight(opener: Opener, device: str, baud: int, timeout: float,
              pin: str | None) -> Found:
    """Open, wake, set the working mode, unlock; raise SetupError with the cause."""
    port = open_port(opener, device, baud)
    wait = min(timeout, PREFLIGHT_TIMEOUT)
    client = AtClient(port, timeout)
    try:
        woke = _wake(client, device, wait)
        state = ModemState(echo=woke.echo is not None)
        client.command("ATE0")
        cmee = client.command("AT+CMEE?").first("+CMEE:")
        state.cmee = cmee if cmee is not None and cmee.isdigit() else None
        client.command("AT+CMEE=1")
        entered, evidence = unlock_sim(client, pin)
        if entered:
            sms_ready(client)
        state.settings = read_settings(client.command)
    except SetupError:
        port.close()
        raise
    except OSError as exc:  # the line failed while talking (a vanished USB device)
        port.close()
        raise SetupError(f"{device}: the line failed during the pre-flight: {exc}") from None
    if client.silent:
        port.close()
        raise SetupError(f"{device} stopped answering during the pre-flight")
    return Found(client, state, entered, evidence)


def identity(client: AtClient) -> dict[str, str]:
    """Manufacturer, model, revision and registration, for the reports' target description."""
    found: dict[str, str] = {}
    for name in ("+CGMI", "+CGMM", "+CGMR"):
        answer = client.command(f"AT{name}")
        if answer.ok and answer.lines:
            found[name] = " ".join(answer.lines)[:80]
    registration = client.command("AT+CREG?").first("+CREG:")
    if registration is not None:
        found["+CREG?"] = registration
    operator = client.command("AT+COPS?").first("+COPS:")
    if operator is not None:
        found["+COPS?"] = unquote(operator)
    return found
