"""Binds the FTP suite to one platform for a run, and opens each case's environment.

:class:`FtpBinding` parses the options, runs the pre-flight (one session:
greeting, AUTH TLS with --tls, one login, QUIT) and probes ``--sim-control``
once (capability ``control``; ``tls`` is the --tls flag). :meth:`FtpBinding.open`
yields an :class:`FtpEnv`: sessions recorded into the case's evidence (closed
when the case ends), archive names unique for the run
(``<login>_<YYYYMMDDhhmmss>.zip``, from a random second of the last day, one
second apart in upload order), a
marker in every message text so the case finds its own messages, and
:meth:`FtpEnv.wait_processed`, which waits for archives to leave the folder:
with the control API by advancing the simulated clock one poll period at a
time (at most two periods), else in real time, at most twice ``--poll-period``
and five seconds of slack.
"""

from __future__ import annotations

import datetime as dt
import ftplib
import os
import secrets
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
from nabat.conformance.framework.config import RunConfig
from nabat.conformance.framework.context import CaseContext
from nabat.conformance.framework.http.client import HttpClient
from nabat.conformance.ftp_platform.archives import archive_name
from nabat.conformance.ftp_platform.client import FtpClient
from nabat.conformance.ftp_platform.control import SimControl, probe
from nabat.conformance.ftp_platform.options import FtpSettings, settings_from
from nabat.conformance.ftp_platform.preflight import open_session, preflight

CONTROL, TLS = "control", "tls"
POLLS_ALLOWED = 2  # a file seen mid-poll may need the next one (size stable)
SLACK = 5.0


@dataclass
class FtpEnv:
    ctx: CaseContext
    settings: FtpSettings
    binding: FtpBinding
    control: SimControl | None = None
    _sessions: list[FtpClient] = field(default_factory=list)

    @property
    def login(self) -> str:
        return self.settings.login

    def session(self, protect: bool = True) -> FtpClient:
        """A new logged-in session, recorded; closed when the case ends."""
        client = open_session(self.settings, self.binding.config.timeout, self.ctx.record, protect)
        self._sessions.append(client)
        return client

    def name(self, login: str | None = None) -> str:
        """A fresh archive name for ``login`` (default: ours), later than every earlier one."""
        return archive_name(login or self.login, self.binding.next_stamp())

    def marker(self, tag: str) -> str:
        return f"conf{self.binding.run_id}-{tag}"

    def require_control(self) -> SimControl:
        if self.control is None:
            self.ctx.unsupported("no simulator control API (--sim-control URL)")
        return self.control

    def present(self, client: FtpClient, names: set[str]) -> set[str]:
        reply, listed = client.names()
        if not reply.startswith("2") and not reply.startswith("550"):
            raise ftplib.error_reply(f"NLST answered {reply!r}")
        return names & set(listed)

    def wait_processed(self, client: FtpClient, names: set[str]) -> bool:
        """Wait until none of ``names`` is in the folder; False when one still is after
        two poll periods (and some slack)."""
        if not self.present(client, names):
            return True
        period = self.settings.poll_period
        if self.control is not None:
            for _ in range(POLLS_ALLOWED):
                self.control.advance(period)
                if not self.present(client, names):
                    return True
            deadline = time.monotonic() + 1.0  # a poll that finishes on another thread
            while time.monotonic() < deadline:
                time.sleep(0.1)
                if not self.present(client, names):
                    return True
            return False
        deadline = time.monotonic() + POLLS_ALLOWED * period + SLACK
        while time.monotonic() < deadline:
            time.sleep(min(1.0, period / 4))
            if not self.present(client, names):
                return True
        return False

    def close(self) -> None:
        for client in self._sessions:
            try:
                client.quit()
            except (ftplib.Error, EOFError, OSError):
                pass
            finally:
                client.close()


class FtpBinding:
    def __init__(self, config: RunConfig) -> None:
        self.config = config
        self.settings = settings_from(config.target, config.suite_options, os.environ)
        self.run_id = secrets.token_hex(3)
        # Names unique across runs too: a random second of the last day, then one apart.
        now = dt.datetime.now().replace(microsecond=0)
        self._stamp = now - dt.timedelta(seconds=3600 + secrets.randbelow(20 * 3600))
        self.http = httpx.Client(timeout=config.timeout, trust_env=False)
        self._control_problem: str | None = None

    @classmethod
    def from_config(cls, config: RunConfig) -> FtpBinding:
        return cls(config)

    def next_stamp(self) -> dt.datetime:
        self._stamp += dt.timedelta(seconds=1)
        return self._stamp

    def preflight(self) -> None:
        preflight(self.settings, self.config.timeout)
        if self.settings.sim_control is not None:
            self._control_problem = probe(self.http, self.settings.sim_control)

    def absent_capabilities(self) -> Mapping[str, str]:
        absent: dict[str, str] = {}
        if self.settings.sim_control is None:
            absent[CONTROL] = (
                "no --sim-control URL (a real platform's personal account is a "
                "web site the suite does not read)"
            )
        elif self._control_problem is not None:
            absent[CONTROL] = self._control_problem
        if not self.settings.tls:
            absent[TLS] = "no --tls given"
        return absent

    @contextmanager
    def open(self, ctx: CaseContext) -> Iterator[FtpEnv]:
        control = None
        if self.settings.sim_control is not None and self._control_problem is None:
            recorder = HttpClient(self.http, self.settings.sim_control, ctx.record, label="control")
            control = SimControl(recorder, self.settings.login)
        env = FtpEnv(ctx, self.settings, self, control)
        try:
            yield env
        finally:
            env.close()

    def describe(self) -> Mapping[str, Any]:
        s = self.settings
        return {
            "target": s.where,
            "login": s.login,
            "password": "given (not shown)",
            "tls": "explicit FTPS (AUTH TLS, PROT P)" if s.tls else "plain FTP",
            "ca": s.ca or ("not verified (--insecure)" if s.insecure else "system CAs"),
            "addresses": ", ".join(s.addresses),
            "sender": s.sender,
            "poll period": f"{s.poll_period:g} s",
            "simulator control": s.sim_control or "",
        }

    def close(self) -> None:
        self.http.close()
