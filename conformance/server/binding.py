"""Binds the server suite to one server for a run; opens each case's environment.

:class:`ServerBinding` parses the options, builds the TLS context and picks a
run prefix (``conf-<random>``). :meth:`ServerBinding.open` yields a
:class:`ServerEnv`: an administrator session, more sessions on demand, unique
names and a :class:`~nabat.conformance.server.janitor.Janitor` that deletes what the
case created when the case ends, pass or fail. :meth:`ServerBinding.close`
sweeps the server for anything left with the run prefix.

:meth:`ServerBinding.preflight` runs before any case: the --ca file loads, a
TCP connection opens, the TLS handshake verifies and one administrator LOGIN
succeeds; otherwise it raises :class:`SetupError` with one line naming the
cause. Every administrator login goes through one :class:`AdminLogin`, which
never repeats a refused login (no lockout of the given account).
"""

from __future__ import annotations

import secrets
import socket
import ssl
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from nabat.conformance.framework.config import RunConfig
from nabat.conformance.framework.context import CaseContext
from nabat.conformance.framework.setup import SetupError, ca_cause, connect_cause, tls_cause
from nabat.conformance.server.admin_login import AdminLogin, refusal_line
from nabat.conformance.server.client import Connection, Target
from nabat.conformance.server.janitor import Janitor, sweep
from nabat.conformance.server.options import ServerSettings, settings_from

PREFLIGHT_TIMEOUT = 5.0  # at most this long for the pre-flight's connect and handshake


class SetupFailed(RuntimeError):
    """The suite could not prepare what a case needs (the case ends in error)."""


def tls_context(settings: ServerSettings) -> ssl.SSLContext:
    if settings.insecure:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context
    return ssl.create_default_context(cafile=settings.ca)


@dataclass
class ServerEnv:
    """What a case uses to talk to the server."""

    ctx: CaseContext
    settings: ServerSettings
    target: Target
    prefix: str
    janitor: Janitor
    admin_login: AdminLogin
    _connections: list[Connection] = field(default_factory=list)
    _admin: Connection | None = None
    _counter: int = 0

    def name(self, kind: str) -> str:
        """A fresh name with the run prefix: ``conf-ab12cd-group-3``."""
        self._counter += 1
        return f"{self.prefix}-{kind}-{self._counter}"

    def connect(self, label: str) -> Connection:
        """A new connection, not logged in, closed when the case ends."""
        connection = self.target.connect(label, self.ctx.record)
        self._connections.append(connection)
        return connection

    def session(self, label: str, login: str, password: str) -> Connection:
        connection = self.connect(label)
        reply = connection.login(login, password)
        if not reply.ok:
            raise SetupFailed(f"LOGIN as {login} failed: {reply.describe()}")
        return connection

    @property
    def admin(self) -> Connection:
        """The administrator session of this case (opened on first use)."""
        if self._admin is None or self._admin.closed:
            connection = self.connect("admin")
            self.admin_login.login(connection)
            self._admin = connection
        return self._admin

    def reusable_admin(self) -> Connection | None:
        """The case's administrator session if it is still in step (a PING answers
        PING OK), so cleanup need not log in again."""
        admin = self._admin
        if admin is None or admin.closed:
            return None
        reply = admin.request("PING")
        in_step = reply.ok and reply.first is not None and reply.first.word == "PING"
        return admin if in_step and not admin.buffer else None

    def close(self) -> None:
        for connection in self._connections:
            connection.close()


class ServerBinding:
    def __init__(self, config: RunConfig, settings: ServerSettings | None = None) -> None:
        self.config = config
        self.settings = settings or settings_from(config.target, config.suite_options)
        self.prefix = self.settings.prefix or f"conf-{secrets.token_hex(3)}"
        self.ca_problem: str | None = None
        try:
            context = tls_context(self.settings)
        except (ssl.SSLError, OSError) as exc:  # reported by the pre-flight, before any case
            self.ca_problem = ca_cause(self.settings.ca or "", exc)
            context = ssl.create_default_context()
        self.target = Target(self.settings.host, self.settings.port, context,
                             self.settings.server_name, config.timeout)
        self.admin_login = AdminLogin(self.target, self.settings)
        self.ready = False  # the pre-flight succeeded: only then is there anything to sweep
        self.swept: dict[str, int] = {}

    @classmethod
    def from_config(cls, config: RunConfig) -> ServerBinding:
        return cls(config)

    def preflight(self) -> None:
        """--ca loads, TCP connects, TLS verifies, one LOGIN succeeds: else SetupError."""
        if self.ca_problem is not None:
            raise SetupError(self.ca_problem)
        s, target = self.settings, self.target
        where = f"{s.host}:{s.port}"
        timeout = min(self.config.timeout, PREFLIGHT_TIMEOUT)
        try:
            raw = socket.create_connection((s.host, s.port), timeout=timeout)
        except OSError as exc:
            raise SetupError(connect_cause(where, exc, timeout)) from None
        try:
            sock = target.ssl_context.wrap_socket(raw, server_hostname=s.server_name or s.host)
        except OSError as exc:
            raw.close()
            raise SetupError(tls_cause(where, exc, timeout, s.ca)) from None
        connection = Connection(sock, "pre-flight", None, self.config.timeout)
        try:
            reply = connection.login(s.login, s.password)
        finally:
            connection.close()
        refused = reply.first is not None and reply.first.is_error
        if not reply.ok and (refused or not reply.lines):
            # Refused with an error code (or not answered at all): a setup
            # mistake, most likely the credentials; never retried.
            self.admin_login.refused = refusal_line(s.login, where, reply)
            raise SetupError(self.admin_login.refused)
        # OK, or an answer that is neither OK nor an error: the latter is the
        # target's deviation, for the cases to judge (SRV-LOGIN-OK), not a
        # setup mistake; no lockout can come of it, the server said no ERR_.
        self.ready = True

    def absent_capabilities(self) -> Mapping[str, str]:
        return {}

    @contextmanager
    def open(self, ctx: CaseContext) -> Iterator[ServerEnv]:
        env = ServerEnv(ctx, self.settings, self.target, self.prefix,
                        Janitor(self.admin_login, ctx), self.admin_login)
        try:
            yield env
        finally:
            env.janitor.clean(env.reusable_admin())
            env.close()

    def describe(self) -> Mapping[str, Any]:
        s = self.settings
        return {
            "target": f"{s.host}:{s.port}",
            "login": s.login,
            "tls": ("not verified (--insecure)" if s.insecure
                    else f"verified ({s.ca or 'system CAs'})"),
            "run_prefix": self.prefix,
        }

    def close(self) -> None:
        if self.ready:
            self.swept = sweep(self.admin_login, self.prefix)
