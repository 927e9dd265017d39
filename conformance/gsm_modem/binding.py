"""Binds the GSM suite to one modem for a run, and opens each case's environment.

:class:`GsmBinding` parses the options; :meth:`GsmBinding.preflight` opens the
line and readies the modem (``preflight.py``) and keeps the one open line for
the whole run. :meth:`GsmBinding.open` yields a :class:`GsmEnv` whose AT
client records every byte of the case into the case's evidence (a fresh
byte journal per case). A case changes a setting through
:meth:`GsmEnv.change` and registers other undo steps with
:meth:`GsmEnv.later`; when the case ends, pass or fail, the environment
cancels an open SMS prompt (Esc), runs the undo steps and puts every setting
it changed back (restoring the working mode ATE0, ATV1, ATQ0, +CMEE=1 and
the values found at the pre-flight). With ``--sim-control URL`` (the target is
Nabat's simulator) the environment also carries a recording
:class:`~nabat.conformance.gsm_modem.control.SimControl`, probed once
(capability ``control``). :meth:`GsmBinding.close` gives +CMEE and the echo
their values from before the run and closes the line.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
from nabat.conformance.framework.config import RunConfig
from nabat.conformance.framework.context import CaseContext
from nabat.conformance.framework.http.client import HttpClient
from nabat.conformance.framework.setup import SetupError
from nabat.conformance.gsm_modem.client import ESC, AtClient, Response
from nabat.conformance.gsm_modem.control import SimControl, probe
from nabat.conformance.gsm_modem.evidence import AtExchange
from nabat.conformance.gsm_modem.options import GsmSettings, settings_from
from nabat.conformance.gsm_modem.port import Opener, open_serial
from nabat.conformance.gsm_modem.preflight import Found, identity, preflight, redact
from nabat.conformance.gsm_modem.state import WORKING, ModemState

SMS, STATUS_REPORT, CALL, FAR_DTMF, PIN = "sms", "status-report", "call", "far-dtmf", "pin"
CONTROL = "control"


@dataclass
class GsmEnv:
    """What a case uses to talk to the modem."""

    ctx: CaseContext
    settings: GsmSettings
    modem: AtClient
    state: ModemState
    run_id: str
    preflight_evidence: list[AtExchange] = field(default_factory=list)
    control: SimControl | None = None
    pin_verified: bool = False  # the pre-flight entered --pin and the SIM took it
    _touched: list[str] = field(default_factory=list)
    _later: list[tuple[str, str | None]] = field(default_factory=list)

    def at(self, command: str, **options: Any) -> Response:
        return self.modem.command(command, **options)

    def has(self, name: str) -> bool:
        """Can the suite put ``name`` back (a working value, or one read at the pre-flight)?"""
        return name in WORKING or name in self.state.settings

    def require(self, *names: str) -> None:
        missing = [name for name in names if not self.has(name)]
        if missing:
            self.ctx.unsupported(
                f"the modem did not answer {', '.join(f'AT{n}?' for n in missing)} at the "
                "pre-flight: the suite never changes a setting it cannot put back")

    def unlock_again(self) -> None:
        """The SIM was re-read (a fault) and asks for its PIN again: enter the PIN the
        pre-flight verified, once, its evidence redacted. Never an unverified one."""
        pin = self.settings.pin
        if not self.pin_verified or pin is None:
            self.ctx.note("the SIM asks for its PIN again; the suite has no verified PIN")
            return
        entered: list[AtExchange] = []
        saved, self.modem.recorder = self.modem.recorder, entered.append
        try:
            self.modem.command(f'AT+CPIN="{pin}"')
        finally:
            self.modem.recorder = saved
        for exchange in redact(entered, pin):
            self.ctx.record(exchange)

    def require_control(self) -> SimControl:
        if self.control is None:
            self.ctx.unsupported("no simulator control API (--sim-control URL)")
        return self.control

    def touch_all(self) -> None:
        """Everything may have changed (ATZ, AT&F): put every known setting back."""
        for name in (*WORKING, *self.state.settings):
            self.touch(name)

    def touch(self, name: str) -> None:
        """``name`` is being changed: put it back when the case ends."""
        if name not in self._touched:
            self._touched.append(name)

    def change(self, name: str, value: str) -> Response:
        """``AT<name>=<value>``, undone when the case ends."""
        self.touch(name)
        return self.at(f"AT{name}={value}")

    def later(self, command: str, fallback: str | None = None) -> None:
        """Run ``command`` when the case ends (before the settings are put back); when
        the modem refuses it, run ``fallback`` instead."""
        self._later.append((command, fallback))

    def numeric(self, on: bool) -> None:
        """Tell the client whether ATV0 is in force (how to read final result codes)."""
        self.modem.numeric = on

    def restore(self) -> None:
        modem = self.modem
        if modem.silent:
            self.ctx.note("the modem stopped answering: nothing could be put back")
            return
        if modem.at_prompt:
            modem.write_raw(ESC, "Esc: cancel the SMS prompt left open")
            modem.silence(0.3, "after Esc")
            modem.at_prompt = False
        for name in ("Q", "V"):
            if name in self._touched:
                modem.numeric = True  # the answer may still be numeric
                modem.command(WORKING[name], label=f"put back: {WORKING[name]}")
                modem.numeric = False
        for command, fallback in reversed(self._later):
            if not modem.command(command, label=f"undo: {command}").ok and fallback:
                modem.command(fallback, label=f"undo (the value read was refused): {fallback}")
        for name in reversed(self._touched):
            line = self.state.restore_command(name)
            if name not in ("Q", "V") and line is not None:
                modem.command(line, label=f"put back: {line}")


class GsmBinding:
    def __init__(self, config: RunConfig, opener: Opener = open_serial) -> None:
        self.config = config
        self.settings = settings_from(config.target, config.suite_options)
        self.opener = opener
        self.found: Found | None = None
        self.target_info: dict[str, str] = {}
        self.run_id = secrets.token_hex(3)  # marks the suite's messages (and stored ones)
        self.http = httpx.Client(timeout=config.timeout, trust_env=False)
        self._control_problem: str | None = None

    @classmethod
    def from_config(cls, config: RunConfig) -> GsmBinding:
        return cls(config)

    def preflight(self) -> None:
        s = self.settings
        self.found = preflight(self.opener, s.device, s.baud, self.config.timeout, s.pin)
        self.target_info = identity(self.found.client)

    def _found(self) -> Found:
        if self.found is None:
            raise SetupError("the pre-flight did not run")
        return self.found

    def absent_capabilities(self) -> Mapping[str, str]:
        s = self.settings
        absent: dict[str, str] = {}
        if s.sms_to is None:
            absent[SMS] = absent[STATUS_REPORT] = "no --sms-to NUMBER given"
        if s.call_to is None:
            absent[CALL] = absent[FAR_DTMF] = "no --call-to NUMBER given"
        if self.found is not None and not self.found.pin_entered:
            absent[PIN] = "the SIM did not ask for a PIN"
        if s.sim_control is None:
            absent[CONTROL] = "no --sim-control URL given (a real modem has no control API)"
        elif CONTROL not in self.config.without:
            self._control_problem = probe(self.http, s.sim_control)
            if self._control_problem is not None:
                absent[CONTROL] = self._control_problem
        return absent

    @contextmanager
    def open(self, ctx: CaseContext) -> Iterator[GsmEnv]:
        found = self._found()
        client = found.client
        client.port.new_tape()
        client.recorder = ctx.record
        client.urcs.clear()
        started = dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")
        ctx.note(f"byte journal of this case: times are seconds from {started}")
        control = None
        s = self.settings
        if s.sim_control is not None and self._control_problem is None:
            recorder = HttpClient(self.http, s.sim_control, ctx.record, label="control")
            control = SimControl(recorder, s.sim_modem)
        env = GsmEnv(ctx, s, client, found.state, self.run_id, found.evidence, control,
                     found.pin_entered)
        try:
            yield env
        finally:
            env.restore()
            client.recorder = None

    def describe(self) -> Mapping[str, Any]:
        s = self.settings
        info: dict[str, Any] = {"port": s.device, "baud": s.baud,
                                "simulator control": s.sim_control or "",
                                "sms to": s.sms_to or "", "call to": s.call_to or "",
                                "PIN": "given (not shown)" if s.pin else "not given"}
        info.update(self.target_info)
        if self.found is not None:
            info["pin entered by the pre-flight"] = "yes" if self.found.pin_entered else "no"
        return info

    def close(self) -> None:
        self.http.close()
        if self.found is None:
            return
        client = self.found.client
        try:
            if not client.silent:
                for command in self.found.state.final_commands():
                    client.command(command)
        except OSError:
            pass
        finally:
            client.port.close()
