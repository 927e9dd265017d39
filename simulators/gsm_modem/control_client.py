"""A typed, synchronous client of the GSM modem simulator's control API (/__sim/).

One method per route of control_api.py, over one pooled ``httpx.Client``, so
it works the same against a simulator in this process (the pytest fixture)
or in another (``nabat sim gsm``). Every failure raises ``GsmControlError``:
a non-2xx answer carries the HTTP status and the simulator's own error text;
a transport failure (refused, timed out) has ``status`` ``None``. With a
``token`` (the simulator's ``--control-token``) every request carries
``Authorization: Bearer TOKEN``. ``client.world`` groups the world's routes
(rules, decisions journal, overrides, scripted incoming calls and SMS);
``journal_bytes`` turns journal entries back into the bytes they stand for.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from nabat.simulators.control.client import ControlClient, ControlHttp

JOURNAL_KINDS = ("rx", "tx", "decision", "event")


class GsmControlError(RuntimeError):
    """The control API refused a call (``status``) or could not be reached (``None``)."""

    def __init__(self, status: int | None, message: str) -> None:
        where = "could not be reached" if status is None else f"answered {status}"
        super().__init__(f"GSM simulator control API {where}: {message}")
        self.status = status
        self.message = message


def journal_bytes(entries: Iterable[Mapping[str, Any]], kind: str = "tx") -> bytes:
    """The bytes of the journal ``entries`` of ``kind`` (``tx``: written by the modem), joined."""
    return b"".join(bytes.fromhex(e["hex"]) for e in entries if e.get("kind") == kind)


class GsmWorldControl:
    """The world's routes: ``client.world.incoming_call(...)`` and the rest."""

    def __init__(self, http: ControlHttp) -> None:
        self._http = http

    def rules(self) -> dict[str, Any]:
        """The world in its file's shape (seed, rules, overrides, events, plan)."""
        return self._http.call("GET", "world")["rules"]  # type: ignore[no-any-return]

    def state(self) -> dict[str, Any]:
        """Rules, runtime state (elapsed time, events handed out) and pending events."""
        return self._http.call("GET", "world")  # type: ignore[no-any-return]

    def journal(self, limit: int = 100) -> list[dict[str, Any]]:
        """What the world decided (newest last): the ground truth for reports."""
        return self._http.call("GET", "world/journal", limit=limit)["entries"]  # type: ignore[no-any-return]

    def add_override(self, spec: Mapping[str, Any]) -> str:
        """Add (or replace) an override, given as in a world file; returns its key."""
        return str(self._http.call("POST", "world/overrides", json=dict(spec))["key"])

    def remove_override(self, key: str) -> None:
        """Remove the override ``key`` (e.g. ``"number 79000000001"``)."""
        self._http.call("DELETE", "world/overrides", key=key)

    def add_event(self, spec: Mapping[str, Any]) -> int:
        """Append a scripted event as in a world file (``modem``/``in`` accepted); its index."""
        return int(self._http.call("POST", "world/events", json=dict(spec))["index"])

    def incoming_call(
        self,
        source: str,
        modem: int,
        keys: str | Sequence[Mapping[str, Any]] = "",
        *,
        at: float | None = None,
        after: float | None = None,
        spoofed: bool = False,
        **options: Any,
    ) -> int:
        """Subscriber ``source`` calls ``modem`` at world time ``at`` (or ``after`` s from
        now, default now) and presses ``keys`` once answered; ``options``: ``first_key``,
        ``key_gap``, ``ring_for``, ``talk_for``. Returns the event's index."""
        spec: dict[str, Any] = {"kind": "call", "from": source, "modem": modem, **options}
        if keys:
            spec["keys"] = keys if isinstance(keys, str) else [dict(k) for k in keys]
        if spoofed:
            spec["spoofed"] = True
        spec.update(_when(at, after))
        return self.add_event(spec)

    def incoming_sms(
        self,
        source: str,
        modem: int,
        text: str,
        *,
        at: float | None = None,
        after: float | None = None,
    ) -> int:
        """Subscriber ``source`` sends ``text`` to ``modem`` (at ``at`` / ``after`` s)."""
        spec = {"kind": "sms", "from": source, "modem": modem, "text": text, **_when(at, after)}
        return self.add_event(spec)


def _when(at: float | None, after: float | None) -> dict[str, float]:
    if at is not None and after is not None:
        raise ValueError("give at or after, not both")
    if at is not None:
        return {"at": at}
    return {"in": 0.0 if after is None else after}


class GsmControlClient(ControlClient):
    """See the module comment. ``base_url``: the simulator's control URL
    (``http://127.0.0.1:8095``); ``timeout``: seconds per call."""

    def __init__(self, base_url: str, timeout: float = 10.0, token: str | None = None) -> None:
        super().__init__(base_url, timeout, token, error=GsmControlError)
        self.world = GsmWorldControl(self._http)

    # --- everything -------------------------------------------------------------
    def routes(self) -> dict[str, Any]:
        return self._http.call("GET", "")  # type: ignore[no-any-return]

    def state(self) -> dict[str, Any]:
        """Every modem (SIM, registration, signal, calls, SMS storage, faults), the
        clock, the timing and the world's runtime state."""
        return self._http.call("GET", "state")  # type: ignore[no-any-return]

    def reset(self) -> None:
        """Back to the start-up state: faults, SIMs, storage, settings, world, clock."""
        self._http.call("POST", "reset")

    # --- modems -------------------------------------------------------------------
    def modems(self) -> list[dict[str, Any]]:
        return self._http.call("GET", "modems")["modems"]  # type: ignore[no-any-return]

    def modem(self, index: int) -> dict[str, Any]:
        return self._http.call("GET", f"modems/{index}")  # type: ignore[no-any-return]

    def paths(self) -> list[str | None]:
        """Each modem's current device path (it changes when an unplugged modem returns)."""
        return [modem["path"] for modem in self.modems()]

    def faults(self, index: int) -> dict[str, Any]:
        return self._http.call("GET", f"modems/{index}/faults")["faults"]  # type: ignore[no-any-return]

    def add_fault(self, index: int, kind: str, **spec: Any) -> dict[str, Any]:
        """Inject fault ``kind`` into modem ``index`` (kinds and fields: control_faults.py,
        docs/gsm-modem-simulator.md); the modem's faults after."""
        body = {"kind": kind, **spec}
        return self._http.call("POST", f"modems/{index}/faults", json=body)["faults"]  # type: ignore[no-any-return]

    def clear_faults(self, index: int) -> None:
        self._http.call("DELETE", f"modems/{index}/faults")

    def journal(
        self,
        index: int,
        since: int = 0,
        kinds: Iterable[str] | None = None,
        limit: int | None = None,
    ) -> dict[str, Any]:
        """Journal entries of modem ``index`` after sequence number ``since`` (oldest
        first): ``entries``, ``more`` (the limit cut them), ``last_seq``, ``dropped``."""
        shown = None if kinds is None else ",".join(kinds)
        return self._http.call(  # type: ignore[no-any-return]
            "GET", f"modems/{index}/journal", since=since, kinds=shown, limit=limit
        )

    def clear_journal(self, index: int) -> None:
        self._http.call("DELETE", f"modems/{index}/journal")

    def reboot(self, index: int) -> None:
        """Power-cycle modem ``index`` (boot URCs, then registration again)."""
        self._http.call("POST", f"modems/{index}/reboot")

    # --- clock and timing -------------------------------------------------------------
    def clock(self) -> dict[str, Any]:
        return self._http.call("GET", "clock")  # type: ignore[no-any-return]

    def advance_clock(self, seconds: float) -> dict[str, Any]:
        """Let ``seconds`` of simulated time pass, running what falls due in order."""
        return self._http.call("POST", "clock", json={"advance": seconds})  # type: ignore[no-any-return]

    def freeze_clock(self, frozen: bool = True) -> dict[str, Any]:
        return self._http.call("POST", "clock", json={"freeze": frozen})  # type: ignore[no-any-return]

    def set_speed(self, factor: float) -> dict[str, Any]:
        """Simulated seconds per real second."""
        return self._http.call("POST", "clock", json={"speed": factor})  # type: ignore[no-any-return]

    def timing(self) -> dict[str, float]:
        return self._http.call("GET", "timing")  # type: ignore[no-any-return]

    def set_timing(self, preset: str | None = None, **delays: float) -> dict[str, float]:
        """``preset`` ``"instant"`` or ``"realistic"``, then any delay (``sms_submit=1.0``)."""
        body: dict[str, object] = dict(delays)
        if preset is not None:
            body["preset"] = preset
        return self._http.call("PUT", "timing", json=body)  # type: ignore[no-any-return]
