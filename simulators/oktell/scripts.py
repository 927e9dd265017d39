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
  trunk). The output (execsvcscriptplain) is a JSON object with the result,
  the keys, the call id and the world's rule.
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

from nabat.simulators.oktell.calls import CallPhase, CallRefused

if TYPE_CHECKING:
    from nabat.simulators.oktell.pbx import OktellPbx

PARAM_COUNT = 5
MAX_NAME = 200
DEFAULT_KEY_SECONDS = 30.0
MAX_WAIT_SECONDS = 86_400.0
SECONDS_PER_TEXT_CHAR = 0.08  # a synthesised message plays this long per character
WAV_BYTES_PER_SECOND = 16_000  # 8 kHz 16-bit mono
MIN_PLAY_SECONDS = 1.0


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


def _notify_result(result: str, keys: str, call_id: str | None, call: object) -> ScriptOutput:
    rule = None
    decision = getattr(call, "decision", None)
    if decision is not None:
        rule = decision.rule
    output = json.dumps(
        {"result": result, "keys": keys, "call": call_id, "rule": rule}, ensure_ascii=False
    )
    return ScriptOutput(result, output)


BUILTIN_SCRIPTS: Mapping[str, Script] = {
    "notify": notify,
    "echo": echo,
    "fail": fail,
    "sleep": sleep,
    "SvcScript1": echo,  # the name in the spec's example URLs
}
