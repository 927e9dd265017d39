"""The console's live state: one snapshot of the world, every simulator and the server.

How it works: ``collect_simulators`` asks each simulator's typed control
client for its state (blocking; the console runs it in a worker thread) and
keeps a bounded summary of it: GSM modems with SIM, registration, signal,
calls in progress and faults; the ATS pair's listening state, registrations,
checks and recent requests; MFMS and FTP platform message counts by status
(SMS in flight); Oktell lines and calls; SMTP message counts and faults. A
simulator that does not answer shows its error instead, the others still
show. ``AdminSession`` keeps one logged-in ``NabatClient`` on the console's
loop (reconnecting after a failure) and reads GETCHANNELS, GETTASKS and
GETTASKINFO of the newest ``MAX_TASKS`` tasks.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from functools import partial
from typing import Any

from nabat.simulators.console.stack_view import ConsoleStack, ats_reserve_control

MAX_TASKS = 20
MAX_CALLS = 8
MAX_LINES = 64
RECENT = 8


def _guarded(read: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    try:
        return read()
    except Exception as error:  # one simulator down must not hide the others
        return {"error": f"{type(error).__name__}: {error}"[:300]}


def _world(stack: ConsoleStack) -> dict[str, Any]:
    world = stack.world
    rules = stack.gsm.world.rules()
    return {
        "seed": getattr(world, "seed", rules.get("seed")),
        "overrides": len(getattr(world, "overrides", ())),
        "events": len(getattr(world, "events", ())),
        "rules": {key: rules[key] for key in ("voice", "sms", "email") if key in rules},
    }


def _modem(modem: dict[str, Any]) -> dict[str, Any]:
    faults = modem.get("faults", {})
    return {
        "index": modem.get("index"),
        "number": modem.get("number"),
        "sim": modem.get("sim", {}).get("state"),
        "sim_busy": bool(modem.get("sim", {}).get("busy")),
        "registration": modem.get("registration", {}).get("state"),
        "rssi": modem.get("signal", {}).get("rssi"),
        "calls": modem.get("calls", [])[:MAX_CALLS],
        "faults": {k: v for k, v in faults.items() if v not in (False, None, 0, "")}
        if isinstance(faults, dict)
        else faults,
    }


def _gsm(stack: ConsoleStack) -> dict[str, Any]:
    state = stack.gsm.control.state()
    return {"modems": [_modem(m) for m in state.get("modems", [])[:64]],
            "clock": state.get("clock")}  # fmt: skip


def _ats(stack: ConsoleStack) -> dict[str, Any]:
    control = ats_reserve_control(stack)
    state = control.state()
    return {
        "servers": state.get("servers"),
        "registrations": state.get("registrations"),
        "checks": state.get("calls"),
        "counters": state.get("counters"),
        "recent": control.journal(RECENT),
    }


def _mfms(stack: ConsoleStack) -> dict[str, Any]:
    state = stack.mfms.control.state()
    return {"messages": state.get("messages"), "statuses": state.get("statuses"),
            "faults": len(stack.mfms.control.faults())}  # fmt: skip


def _ftp(stack: ConsoleStack) -> dict[str, Any]:
    state = stack.ftp.control.state()
    return {"messages": state.get("messages"), "polls": state.get("polls"),
            "open_uploads": state.get("open_uploads")}  # fmt: skip


def _oktell(stack: ConsoleStack) -> dict[str, Any]:
    control = stack.oktell.control
    state = control.state()
    lines = state.get("lines", {})
    shown = dict(list(lines.items())[:MAX_LINES]) if isinstance(lines, dict) else {}
    return {"lines": shown, "active_calls": state.get("active_calls"),
            "calls": control.calls(RECENT)}  # fmt: skip


def _smtp(stack: ConsoleStack) -> dict[str, Any]:
    state = stack.smtp.control.state()
    return {key: state.get(key) for key in ("messages", "bounces", "connections")} | {
        "faults": len(state.get("faults", []))
    }


READERS: dict[str, Callable[[ConsoleStack], dict[str, Any]]] = {
    "world": _world,
    "gsm": _gsm,
    "ats": _ats,
    "mfms": _mfms,
    "ftp": _ftp,
    "oktell": _oktell,
    "smtp": _smtp,
}


def collect_simulators(stack: ConsoleStack) -> dict[str, Any]:
    """Every simulator's summary (blocking: call it in a worker thread)."""
    return {name: _guarded(partial(read, stack)) for name, read in READERS.items()}


class AdminSession:
    """One logged-in admin ``NabatClient`` on the console's loop, made on first use."""

    def __init__(self, stack: ConsoleStack) -> None:
        self._stack = stack
        self._client: Any = None

    async def read(self) -> dict[str, Any]:
        """The server's channels and tasks with progress, or the error that stopped it."""
        try:
            if self._client is None:
                server = self._stack.server
                self._client = await server.connect(server.admin_login, server.admin_password)
            return await self._read(self._client)
        except Exception as error:
            await self.close()
            return {"error": f"{type(error).__name__}: {error}"[:300]}

    async def _read(self, client: Any) -> dict[str, Any]:
        channels = [
            {"num": c.num, "type": c.ctype.name if c.ctype is not None else None, "name": c.name,
             "enabled": c.enabled, "state": c.state.name if c.state is not None else None}
            for c in await client.get_channels()
        ]  # fmt: skip
        tasks = sorted(await client.get_tasks(), key=lambda t: t.id, reverse=True)[:MAX_TASKS]
        shown = []
        for task in tasks:
            info = await client.get_task_info(task.id)
            shown.append({"id": task.id, "name": task.name, "type": task.ttype.name,
                          "status": info.status.name, "total": info.total,
                          "processed": info.processed, "confirmed": info.confirmed,
                          "failed": info.failed})  # fmt: skip
        return {"channels": channels, "tasks": shown}

    async def close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            with contextlib.suppress(Exception):
                await client.close()
