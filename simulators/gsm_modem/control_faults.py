"""Fault requests of the control API: a JSON spec -> one fault hook of a modem (faults.py).

How it works: ``FAULTS`` maps each ``kind`` to the fields it takes and a
small function that checks them and calls the modem's hook; ``apply_fault``
refuses unknown kinds and unknown fields before anything changes, and turns
a hook's own ``ValueError`` into a ``ControlError`` (400). Durations are
simulated seconds; ``null`` means "until cleared" where a fault can last.

| kind | fields | hook |
|---|---|---|
| ``no_sim`` | | ``remove_sim`` |
| ``sim_inserted`` | | ``insert_sim`` (ends ``no_sim``) |
| ``pin_required`` | ``enabled`` (true) | ``require_pin`` |
| ``registration`` | ``outcome``: home, roaming, denied, searching, none, unknown | |
| ``signal`` | ``rssi`` 0..31 or 99, ``ber`` 0..7 or 99 (99) | ``set_signal`` |
| ``sim_busy`` | ``seconds`` (null) | ``sim_busy`` (+CME ERROR: 14) |
| ``sms_error`` | ``code`` 0..511 (500), ``count`` (1) | ``fail_sms`` (+CMS ERROR) |
| ``silent`` | ``seconds`` (null) | ``stop_answering`` |
| ``unplug`` | ``seconds`` (5; null: stays away) | ``unplug`` |
| ``replug`` | | ``replug`` |
| ``garble`` | ``probability`` 0..1, ``seed``, ``seconds`` (null) | ``garble`` |
| ``delay`` | ``seconds`` of delay per write, 0..3600 | ``delay_output`` |
| ``urc_burst`` | ``count`` 1..10000 (50), ``lines`` (up to 100 texts) | ``urc_burst`` |
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from nabat.simulators.control.json_api import (
    Body,
    ControlError,
    flag,
    number,
    only,
    optional_seconds,
    seconds,
    text,
    whole,
)
from nabat.simulators.gsm_modem.engine import Modem
from nabat.simulators.gsm_modem.faults import MAX_BURST
from nabat.simulators.gsm_modem.network import OUTCOMES, UNKNOWN_SIGNAL

MAX_BURST_LINES = 100
MAX_LINE = 256
MAX_DELAY = 3600.0


@dataclass(frozen=True)
class FaultKind:
    fields: tuple[str, ...]
    apply: Callable[[Modem, Body], None]


def _signal_value(value: object, name: str, high: int) -> int:
    if value == UNKNOWN_SIGNAL and not isinstance(value, bool):
        return UNKNOWN_SIGNAL
    return whole(value, f"{name} (or 99)", 0, high)


def _registration(modem: Modem, body: Body) -> None:
    outcome = body.get("outcome")
    if not isinstance(outcome, str) or outcome not in OUTCOMES:
        raise ControlError(f"outcome must be one of {', '.join(OUTCOMES)}")
    modem.set_registration(outcome)


def _signal(modem: Modem, body: Body) -> None:
    if "rssi" not in body:
        raise ControlError("signal needs rssi (0..31, or 99: not known)")
    rssi = _signal_value(body["rssi"], "rssi", 31)
    ber = _signal_value(body.get("ber", UNKNOWN_SIGNAL), "ber", 7)
    modem.set_signal(rssi, ber)


def _sms_error(modem: Modem, body: Body) -> None:
    code = whole(body.get("code", 500), "code", 0, 511)
    count = whole(body.get("count", 1), "count", 1, 1_000_000)
    modem.fail_sms(code, count)


def _garble(modem: Modem, body: Body) -> None:
    if "probability" not in body:
        raise ControlError("garble needs probability (0..1)")
    probability = number(body["probability"], "probability", 0.0, 1.0)
    seed = body.get("seed")
    if seed is not None:
        seed = whole(seed, "seed", 0, 2**63 - 1)
    modem.garble(probability, seed, optional_seconds(body, "seconds", None))


def _delay(modem: Modem, body: Body) -> None:
    if "seconds" not in body:
        raise ControlError("delay needs seconds (0..3600)")
    modem.delay_output(seconds(body["seconds"], "seconds", MAX_DELAY))


def _burst_lines(value: object) -> list[str] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not 1 <= len(value) <= MAX_BURST_LINES:
        raise ControlError(f"lines must be a list of 1 to {MAX_BURST_LINES} texts")
    lines = []
    for index, item in enumerate(value):
        line = text(item, f"lines[{index}]", MAX_LINE)
        if any(ord(char) > 0xFF or char in "\r\n" for char in line):
            raise ControlError(f"lines[{index}] must be one line of latin-1 characters")
        lines.append(line)
    return lines


def _urc_burst(modem: Modem, body: Body) -> None:
    count = whole(body.get("count", 50), "count", 1, MAX_BURST)
    modem.urc_burst(count, _burst_lines(body.get("lines")))


FAULTS: Mapping[str, FaultKind] = {
    "no_sim": FaultKind((), lambda modem, body: modem.remove_sim()),
    "sim_inserted": FaultKind((), lambda modem, body: modem.insert_sim()),
    "pin_required": FaultKind(
        ("enabled",),
        lambda modem, body: modem.require_pin(flag(body.get("enabled", True), "enabled")),
    ),
    "registration": FaultKind(("outcome",), _registration),
    "signal": FaultKind(("rssi", "ber"), _signal),
    "sim_busy": FaultKind(
        ("seconds",), lambda modem, body: modem.sim_busy(optional_seconds(body, "seconds", None))
    ),
    "sms_error": FaultKind(("code", "count"), _sms_error),
    "silent": FaultKind(
        ("seconds",),
        lambda modem, body: modem.stop_answering(optional_seconds(body, "seconds", None)),
    ),
    "unplug": FaultKind(
        ("seconds",), lambda modem, body: modem.unplug(optional_seconds(body, "seconds", 5.0))
    ),
    "replug": FaultKind((), lambda modem, body: modem.replug()),
    "garble": FaultKind(("probability", "seed", "seconds"), _garble),
    "delay": FaultKind(("seconds",), _delay),
    "urc_burst": FaultKind(("count", "lines"), _urc_burst),
}


def apply_fault(modem: Modem, body: Mapping[str, Any]) -> str:
    """Check ``body`` (``{"kind": ..., fields}``) and inject the fault; returns its kind."""
    kind = body.get("kind")
    fault = FAULTS.get(kind) if isinstance(kind, str) else None
    if fault is None:
        shown = repr(kind)[:40] if isinstance(kind, str) else "missing or not text"
        raise ControlError(f"kind {shown} is not a fault: one of {', '.join(FAULTS)}")
    only(body, ("kind", *fault.fields))
    try:
        fault.apply(modem, dict(body))
    except ControlError:
        raise
    except ValueError as error:
        raise ControlError(str(error)) from None
    assert isinstance(kind, str)
    return kind


def clear_faults(modem: Modem) -> None:
    """Every fault ends: ``clear_faults`` of the modem, and a removed SIM goes back in."""
    modem.clear_faults()
    if not modem.sim.inserted:
        modem.insert_sim()
