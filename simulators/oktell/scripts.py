"""Service scripts: pluggable Python callables run by execsvcscript.

A script is ``async def script(ctx: ScriptContext) -> ScriptOutput``; it
reads ``ctx.params`` (startparam1..5, "" when absent) and may use the PBX
(``ctx.pbx``: calls, clock, world). Raising ``ScriptFailed`` makes the
start fail (startresult 2). ``ScriptRegistry`` maps names (case-insensitive,
as Oktell's script names) to callables; configuration can add
``name = "package.module:function"``.

Shipped scripts:

- ``notify``: startparam1 the number, startparam2 the message (a file name
  under UploadData/ or a text), startparam3 the key(s) to collect,
  startparam4 seconds to wait for them after the message (default 30),
  startparam5 "pbx"/"city" (default: auto-detection). Dials through a free
  trunk, plays the message, collects keys, hangs up. The return value is
  ``key:<keys>`` (answered, keys pressed: exactly what was pressed, up to the
  expected length), ``nokey`` (answered, nothing pressed in time),
  ``hungup`` (answered, hung up before pressing), ``noanswer``, ``busy``,
  ``unreachable``, ``rejected``, ``blocked`` (anti-fraud), ``noline`` (no free
  trunk). A call that was placed appends ``;ring=<s>;talk=<s>`` (simulated
  seconds from the dial to the answer or the end, and from the answer to
  the hang-up; talk 0 when unanswered), e.g. ``key:1;ring=4;talk=6``. The
  output (execsvcscriptplain) is a JSON object with the result word, the
  keys, the call id, the world's rule, ring and talk. A call ended by
  ``stop`` (or wp_autocallstop) while ringing returns ``stopped``.
- ``stop``: ends every notify call up to the number in startparam1 (the
  hang-up of a caller that gave up on its notify run: the channel's
  ``stop_script``); returns ``stopped:<count>``.
- ``echo``: returns startparam1 (output: startparam1..5 joined by ";"); also
  registered as ``SvcScript1``, the name the spec's example URLs use.
- ``fail``: fails to start (startresult 2).
- ``sleep``: waits startparam1 simulated seconds (default 3600), returns "slept".
"""

from __future__ import annotations

import asyncio
import importlib
import json
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from nabat.simulators.oktell.calls import Call, CallPhase, CallRefused

if TYPE_CHECKING:
    from nabat.simulators.oktell.pbx import OktellPbx

PARAM_COUNT = 5
MAX_NAME = 200
DEFAULT_KEY_SECONDS = 30.0
MAX_WAIT_SECONDS = 86_400.0
SECONDS_PER_TEXT_CHAR = 0.08  # a synthesised message plays this long per character
WAV_BYTES_PER_SECOND = 16_000  # 8 kHz 16-bit mono
MIN_PLAY_SECONDS = 1.0
MAX_REPORTED_SECONDS = 999_999.999  # the contract's ;ring=/;talk= take 6 digits


class ScriptFailed(Exception):
    """The script could not start or run; the text is journaled."""


class ScriptConfigError(ValueError):
    """A configured script entry does not name an importable callable."""


@dataclass(frozen=True, slots=True)
class ScriptOutput:
    return_value: str | None = None
    output: str | None = None


@dataclass(frozen=True, slots=True)
class ScriptContext:
    name: str
    params: tuple[str, ...]  # startparam1..5
    pbx: OktellPbx

    def param(self, index: int) -> str:
        """startparam<index> (1-based)."""
        return self.params[index - 1]


Script = Callable[[ScriptContext], Awaitable[ScriptOutput]]


class ScriptRegistry:
    def __init__(self, scripts: Mapping[str, Script] | None = None) -> None:
        self._scripts: dict[str, Script] = {}
        for name, script in (scripts if scripts is not None else BUILTIN_SCRIPTS).items():
            self.register(name, script)

    def register(self, name: str, script: Script) -> None:
        if not name or len(name) > MAX_NAME:
            raise ScriptConfigError(f"a script name must be 1..{MAX_NAME} characters")
        self._scripts[name.lower()] = script

    def get(self, name: str) -> Script | None:
        return self._scripts.get(name.lower())

    def names(self) -> list[str]:
        return sorted(self._scripts)


def import_script(target: str) -> Script:
    """``"package.module:function"`` -> the callable."""
    module_name, _, attribute = target.partition(":")
    if not module_name or not attribute:
        raise ScriptConfigError(f"script {target!r} is not 'module:function'")
    try:
        found = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError) as error:
        raise ScriptConfigError(f"script {target!r}: {error}") from None
    if not callable(found):
        raise ScriptConfigError(f"script {target!r} is not callable")
    script: Script = found
    return script


# --- shipped scripts ------------------------------------------------------------
async def echo(ctx: ScriptContext) -> ScriptOutput:
    return ScriptOutput(ctx.param(1), ";".join(ctx.params))


async def fail(ctx: ScriptContext) -> ScriptOutput:
    raise ScriptFailed(ctx.param(1) or "the fail script always fails")


async def sleep(ctx: ScriptContext) -> ScriptOutput:
    seconds = _seconds(ctx.param(1), 3600.0, "startparam1")
    await ctx.pbx.sleep(seconds)
    return ScriptOutput("slept", "slept")


def _seconds(text: str, default: float, what: str) -> float:
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        raise ScriptFailed(f"{what} must be a number of seconds, got {text!r}") from None
    if not 0 <= value <= MAX_WAIT_SECONDS:
        raise ScriptFailed(f"{what} must be within [0, {MAX_WAIT_SECONDS:.0f}] seconds")
    return value


def play_seconds(ctx: ScriptContext, message: str) -> float:
    """How long the message plays: an uploaded WAV by its size, a text by its length."""
    upload_dir = ctx.pbx.files_dir / "UploadData"
    if message and "/" not in message and "\\" not in message and message not in (".", ".."):
        candidate = upload_dir / message
        if candidate.is_file():
            return max(MIN_PLAY_SECONDS, candidate.stat().st_size / WAV_BYTES_PER_SECOND)
    return max(MIN_PLAY_SECONDS, len(message) * SECONDS_PER_TEXT_CHAR)


async def notify(ctx: ScriptContext) -> ScriptOutput:
    number, message, expected = ctx.param(1).strip(), ctx.param(2), ctx.param(3).strip()
    if not number:
        raise ScriptFailed("startparam1 (the number) is required")
    key_seconds = _seconds(ctx.param(4), DEFAULT_KEY_SECONDS, "startparam4")
    direction = ctx.param(5).strip().lower() or None
    if direction not in (None, "pbx", "city"):
        raise ScriptFailed("startparam5 must be pbx or city")
    pbx = ctx.pbx
    try:
        call = pbx.calls.start(
            None, number, direction or "city", "direct", expected or None, "notify"
        )
    except CallRefused as refused:
        return _notify_result("noline" if refused.status == 503 else "refused", "", None, None)
    changed = call.changed or asyncio.Event()
    call.changed = changed
    while call.phase not in (CallPhase.TALKING, CallPhase.ENDED):
        changed.clear()
        await changed.wait()
    if call.phase is CallPhase.ENDED:
        return _notify_result(call.result, "", call.id, call)
    deadline = pbx.clock.now() + play_seconds(ctx, message) + key_seconds
    wanted = max(1, len(expected))
    while call.active and len(call.keys) < wanted:
        remaining = deadline - pbx.clock.now()
        if remaining <= 0:
            break
        changed.clear()
        await pbx.wait_event(changed, remaining)
    keys = "".join(call.keys[:wanted])
    if call.active:
        pbx.calls.hang_up(call, "confirmed" if keys else "nokey")
        result = f"key:{keys}" if keys else "nokey"
    else:
        result = f"key:{keys}" if keys else "hungup"
    return _notify_result(result, keys, call.id, call)


async def stop(ctx: ScriptContext) -> ScriptOutput:
    number = ctx.param(1).strip()
    if not number:
        raise ScriptFailed("startparam1 (the number) is required")
    calls = ctx.pbx.calls
    ended = [
        call
        for call in list(calls.calls.values())
        if call.script == "notify" and call.number == number and call.active
    ]
    for call in ended:
        calls.hang_up(call, "stopped")
    output = json.dumps({"stopped": [call.id for call in ended]})
    return ScriptOutput(f"stopped:{len(ended)}", output)


def call_durations(call: Call) -> tuple[float, float]:
    """(ring, talk) simulated seconds of an ended call."""
    ended = call.ended if call.ended is not None else call.created
    if call.answered is None:
        return max(0.0, ended - call.created), 0.0
    return max(0.0, call.answered - call.created), max(0.0, ended - call.answered)


def _seconds_text(value: float) -> str:
    """Seconds as the channel's contract reads them: digits, at most 3 decimals."""
    return f"{min(value, MAX_REPORTED_SECONDS):.3f}".rstrip("0").rstrip(".")


def _notify_result(result: str, keys: str, call_id: str | None, call: Call | None) -> ScriptOutput:
    fields: dict[str, object] = {"result": result, "keys": keys, "call": call_id, "rule": None}
    return_value = result
    if call is not None:
        fields["rule"] = call.decision.rule if call.decision is not None else None
        ring, talk = call_durations(call)
        fields["ring"], fields["talk"] = round(ring, 3), round(talk, 3)
        return_value = f"{result};ring={_seconds_text(ring)};talk={_seconds_text(talk)}"
    return ScriptOutput(return_value, json.dumps(fields, ensure_ascii=False))


BUILTIN_SCRIPTS: Mapping[str, Script] = {
    "notify": notify,
    "echo": echo,
    "fail": fail,
    "sleep": sleep,
    "stop": stop,
    "SvcScript1": echo,  # the name in the spec's example URLs
}
