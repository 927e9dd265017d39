"""Binds the MFMS suite to one platform for a run, and opens each case's environment.

:class:`MfmsBinding` parses the base URL and the options, builds one httpx
client for the platform (verifying its certificate against ``--ca``, the
system CAs, or not at all with ``--insecure``) and one for the control API
when ``--sim-control`` is given, and runs the pre-flight (preflight.py).
Its run-wide state keeps the suite honest and cheap: every providerId seen
(uniqueness across requests), the messages already accepted (later cases ask
STATUS of them instead of sending more SMS), and the ONE wrong-password
attempt the run may make. :meth:`MfmsBinding.open` yields an :class:`MfmsEnv`
whose requests are recorded into the case's context with the password masked.
"""

from __future__ import annotations

import dataclasses
import ssl
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

import httpx
from nabat.conformance.framework.config import RunConfig
from nabat.conformance.framework.context import CaseContext
from nabat.conformance.framework.control_link import ControlLink
from nabat.conformance.framework.evidence import Exchange
from nabat.conformance.framework.http.client import HttpClient
from nabat.conformance.framework.http.exchange import HttpExchange
from nabat.conformance.framework.setup import SetupError, ca_cause
from nabat.conformance.mfms.client import Credentials, HpgClient, Message
from nabat.conformance.mfms.control import SimControl, probe
from nabat.conformance.mfms.options import MfmsSettings, settings_from
from nabat.conformance.mfms.preflight import PREFLIGHT_TIMEOUT, check_base_url, preflight
from nabat.conformance.mfms.wire import SendLine, lines, read_send_line

CONTROL = "control"
HTTPS = "https"
MASK = "%2A%2A%2A"  # "***", percent-encoded as the query carries it


@dataclass
class RunState:
    """What the run has learnt so far, shared by its cases."""

    provider_ids: dict[str, str] = field(default_factory=dict)  # id -> case that got it
    accepted: list[tuple[Message, str]] = field(default_factory=list)  # (message, providerId)
    wrong_password_tried: bool = False

    def spend_wrong_password(self) -> bool:
        """Mark the run's one wrong-password attempt spent; True if it already was."""
        spent = self.wrong_password_tried
        self.wrong_password_tried = True
        return spent


@dataclass
class MfmsEnv:
    ctx: CaseContext
    settings: MfmsSettings
    hpg: HpgClient
    control: SimControl | None
    state: RunState
    https: bool

    def require_control(self) -> SimControl:
        if self.control is None:
            self.ctx.unsupported("no --sim-control")
        return self.control

    def wrong_password_attempt(self) -> Credentials:
        """The credentials with a wrong password: handed out ONCE per run."""
        if self.state.spend_wrong_password():
            self.ctx.unsupported("the run's one wrong-password attempt is already spent")
        creds = self.hpg.credentials
        return dataclasses.replace(creds, password=creds.password + "-nabat-wrong")

    def address(self, index: int = 0) -> str:
        found = self.settings.addresses
        return found[index % len(found)]

    def send_lines(self, messages: list[Message]) -> tuple[httpx.Response, list[SendLine]]:
        response = self.hpg.send(messages)
        return response, [read_send_line(line) for line in lines(response.text)]

    def remember(self, provider_id: str, message: Message) -> str | None:
        """Record an accepted message; returns the case that already got this
        providerId, if any (a reused id)."""
        earlier = self.state.provider_ids.get(provider_id)
        if earlier is None:
            self.state.provider_ids[provider_id] = self.ctx.case_name
            self.state.accepted.append((message, provider_id))
        return earlier


def _masking(sink: Callable[[Exchange], None], secret: str) -> Callable[[Exchange], None]:
    """A sink that writes ``secret`` (as the query carries it) as *** in the evidence."""
    encoded = quote(secret, safe="")

    def record(exchange: Exchange) -> None:
        if isinstance(exchange, HttpExchange) and encoded and encoded in exchange.url:
            exchange = dataclasses.replace(
                exchange,
                url=exchange.url.replace(encoded, MASK),
                path=exchange.path.replace(encoded, MASK),
            )
        sink(exchange)

    return record


class MfmsBinding:
    def __init__(self, config: RunConfig) -> None:
        self.config = config
        self.url_problem: str | None = None
        try:
            check_base_url(config.target)
        except ValueError as exc:
            self.url_problem = str(exc)
        self.settings = settings_from(config.suite_options)
        self.target = config.target.strip().rstrip("/")
        self.https = urlsplit(self.target).scheme == "https"
        self.state = RunState()
        self._verify: ssl.SSLContext | bool = True
        self._client: httpx.Client | None = None
        self._control = ControlLink(self.settings.sim_control, config.timeout, probe)

    @classmethod
    def from_config(cls, config: RunConfig) -> MfmsBinding:
        return cls(config)

    def _credentials(self) -> Credentials:
        s = self.settings
        return Credentials(s.login, s.password, s.login_param, s.password_param)

    def _http(self, timeout: float) -> httpx.Client:
        return httpx.Client(
            transport=httpx.HTTPTransport(retries=0, verify=self._verify),
            timeout=timeout,
            follow_redirects=False,
            trust_env=False,
        )

    def _hpg(
        self,
        client: httpx.Client,
        sink: Callable[[Exchange], None],
        credentials: Credentials | None = None,
    ) -> HpgClient:
        creds = credentials or self._credentials()
        http = HttpClient(
            client,
            self.target,
            _masking(sink, self.settings.password),
            label="platform",
            default_source=None,
        )
        return HpgClient(http, creds)

    def preflight(self) -> None:
        if self.url_problem is not None:
            raise SetupError(self.url_problem)
        s = self.settings
        if s.insecure:
            self._verify = False
        elif s.ca:
            try:
                self._verify = ssl.create_default_context(cafile=s.ca)
            except (OSError, ssl.SSLError) as exc:
                raise SetupError(ca_cause(s.ca, exc)) from None
        limit = min(self.config.timeout, PREFLIGHT_TIMEOUT)
        with self._http(limit) as client:
            preflight(self._hpg(client, lambda exchange: None), self.target, limit, s.ca)
        self._client = self._http(self.config.timeout)

    def absent_capabilities(self) -> Mapping[str, str]:
        absent: dict[str, str] = {}
        if CONTROL not in self.config.without:
            problem = self._control.problem()
            if problem is not None:
                absent[CONTROL] = problem
        if not self.https:
            absent[HTTPS] = "the target is an http:// URL"
        return absent

    def describe(self) -> Mapping[str, Any]:
        s = self.settings
        return {
            "target": self.target,
            "login": s.login,
            "parameter names": f"{s.login_param}, {s.password_param}",
            "subject": s.subject,
            "addresses": ", ".join(s.addresses),
            "certificate": "not verified (--insecure)"
            if s.insecure
            else (s.ca or "system CAs")
            if self.https
            else "",
            "sim control": s.sim_control or "",
            "error profile (--error-profile)": s.error_profile,
        }

    @contextmanager
    def open(self, ctx: CaseContext) -> Iterator[MfmsEnv]:
        if self._client is None:
            self._client = self._http(self.config.timeout)
        http = self._control.http(ctx.record)
        control = (
            SimControl(http) if http is not None and CONTROL not in self.config.without else None
        )
        yield MfmsEnv(
            ctx, self.settings, self._hpg(self._client, ctx.record), control, self.state, self.https
        )

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
        self._control.close()
