"""Fault toggles and scripted events: a JSON request -> one typed control-client call.

How it works: ``ACTIONS`` maps each action name to the fields it takes and a
function that checks them and calls the simulator's typed control client
(synchronous; the console runs it in a worker thread). ``parse_action``
refuses an unknown action, an unknown or missing field, or a value of the
wrong shape with an ``ActionError`` naming the field, before anything
changes; a simulator's own refusal (``ControlApiError``) is reported with its
message. Toggles are idempotent: ``on`` true injects the fault, false removes it.

| action | fields | what it does (``on`` false: the simulator's faults cleared) |
|---|---|---|
| ``gsm.no_network`` | ``modem``, ``on`` | modem ``i`` loses its network (registration none) |
| ``gsm.sim_busy`` | ``modem``, ``on`` | modem ``i``'s SIM answers +CME ERROR: 14 |
| ``mfms.http_500`` | ``on`` | every HPG request gets HTTP 500 |
| ``mfms.latency`` | ``ms`` | fixed latency of every HPG request (0: none) |
| ``smtp.rcpt_4xx`` | ``on`` | ``451`` at RCPT TO |
| ``ats.primary_down`` | ``on`` | the primary ATS stops listening (failover to the reserve) |
| ``event.call`` | ``from``, ``modem``, ``keys`` | ``from`` calls modem ``i``, presses ``keys`` |
| ``event.sms`` | ``from``, ``modem``, ``text`` | ``from`` sends ``text`` to modem ``i`` |
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from nabat.simulators.console.stack_view import ConsoleStack, ats_reserve_control

MAX_MODEMS = 64
MAX_LATENCY_MS = 60_000
MAX_SMS_TEXT = 1000
PHONE = re.compile(r"\+?[0-9]{3,15}")
KEYS = re.compile(r"[0-9*#]{0,32}")

Run = Callable[[ConsoleStack, Mapping[str, Any]], object]


class ActionError(ValueError):
    """A console request that cannot be carried out as given (HTTP 400)."""


@dataclass(frozen=True)
class Action:
    fields: tuple[str, ...]
    run: Run


def _flag(body: Mapping[str, Any], name: str) -> bool:
    value = body.get(name)
    if not isinstance(value, bool):
        raise ActionError(f"{name}: must be true or false, got {value!r}")
    return value


def _whole(body: Mapping[str, Any], name: str, low: int, high: int) -> int:
    value = body.get(name)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ActionError(f"{name}: must be an integer {low}-{high}, got {value!r}")
    return value


def _text(body: Mapping[str, Any], name: str, pattern: re.Pattern[str], what: str) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise ActionError(f"{name}: must be {what}, got {str(value)[:40]!r}")
    return value


def _modem(stack: ConsoleStack, body: Mapping[str, Any]) -> int:
    count = len(stack.gsm.links) if hasattr(stack.gsm, "links") else MAX_MODEMS
    return _whole(body, "modem", 0, max(count - 1, 0))


def _gsm_toggle(kind: str, spec: Mapping[str, Any]) -> Run:
    def run(stack: ConsoleStack, body: Mapping[str, Any]) -> object:
        modem, on = _modem(stack, body), _flag(body, "on")
        if on:
            return stack.gsm.control.add_fault(modem, kind, **spec)
        stack.gsm.control.clear_faults(modem)
        return stack.gsm.control.faults(modem)

    return run


def _mfms_500(stack: ConsoleStack, body: Mapping[str, Any]) -> object:
    if _flag(body, "on"):
        return {"id": stack.mfms.control.add_fault("status", status=500)}
    stack.mfms.control.clear_faults()
    return {"faults": []}


def _mfms_latency(stack: ConsoleStack, body: Mapping[str, Any]) -> object:
    ms = _whole(body, "ms", 0, MAX_LATENCY_MS)
    if ms == 0:
        return stack.mfms.control.set_latency("none")
    return stack.mfms.control.set_latency("fixed", ms=ms)


def _smtp_rcpt(stack: ConsoleStack, body: Mapping[str, Any]) -> object:
    if _flag(body, "on"):
        return {"id": stack.smtp.control.add_fault("status", stages=["rcpt"], status=451)}
    stack.smtp.control.clear_faults()
    return {"faults": []}


def _ats_primary(stack: ConsoleStack, body: Mapping[str, Any]) -> object:
    ats_reserve_control(stack).set_listening("primary", not _flag(body, "on"))
    return {"primary_listening": not body["on"]}


def _call(stack: ConsoleStack, body: Mapping[str, Any]) -> object:
    source = _text(body, "from", PHONE, "a phone number of 3-15 digits")
    modem = _modem(stack, body)
    keys = _text(body, "keys", KEYS, "up to 32 keys of 0-9 * #")
    return {"event": stack.gsm.world.incoming_call(source, modem, keys)}


def _sms(stack: ConsoleStack, body: Mapping[str, Any]) -> object:
    source = _text(body, "from", PHONE, "a phone number of 3-15 digits")
    modem = _modem(stack, body)
    text = body.get("text")
    if not isinstance(text, str) or not 0 < len(text) <= MAX_SMS_TEXT:
        raise ActionError(f"text: must be a text of 1-{MAX_SMS_TEXT} characters")
    return {"event": stack.gsm.world.incoming_sms(source, modem, text)}


ACTIONS: dict[str, Action] = {
    "gsm.no_network": Action(("modem", "on"), _gsm_toggle("registration", {"outcome": "none"})),
    "gsm.sim_busy": Action(("modem", "on"), _gsm_toggle("sim_busy", {})),
    "mfms.http_500": Action(("on",), _mfms_500),
    "mfms.latency": Action(("ms",), _mfms_latency),
    "smtp.rcpt_4xx": Action(("on",), _smtp_rcpt),
    "ats.primary_down": Action(("on",), _ats_primary),
    "event.call": Action(("from", "modem", "keys"), _call),
    "event.sms": Action(("from", "modem", "text"), _sms),
}


def parse_action(body: object) -> tuple[Action, dict[str, Any]]:
    """The action a JSON body names and its fields; ``ActionError`` when malformed."""
    if not isinstance(body, dict):
        raise ActionError("the body must be a JSON object")
    name = body.get("action")
    action = ACTIONS.get(name) if isinstance(name, str) else None
    if action is None:
        raise ActionError(f"action: must be one of {', '.join(ACTIONS)}, got {str(name)[:40]!r}")
    fields = {key: value for key, value in body.items() if key != "action"}
    unknown = sorted(set(fields) - set(action.fields))
    if unknown:
        raise ActionError(f"{name}: unknown fields {', '.join(k[:40] for k in unknown)}")
    missing = [key for key in action.fields if key not in fields]
    if missing:
        raise ActionError(f"{name}: missing fields {', '.join(missing)}")
    return action, fields


def run_action(stack: ConsoleStack, action: Action, fields: Mapping[str, Any]) -> object:
    """Carry the action out (blocking: call it in a worker thread)."""
    return action.run(stack, fields)
