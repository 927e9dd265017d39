"""Binds the Oktell suite to one PBX for a run, and opens each case's environment.

:class:`OktellBinding` parses the URL and options, builds one httpx client for
the PBX and one for the control API (``--sim-control``), runs the pre-flight
(preflight.py) and says which capabilities are absent: ``state`` without
``--allow-state-changes``, ``password`` without ``--password``, ``internal``
without ``--internal-number``, ``scripts``
without ``--echo-script``/``--sleep-script``, ``control`` without a working
control API. :meth:`OktellBinding.open` yields an :class:`OktellEnv` whose
requests are recorded into the case's context with the password masked.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, quote_plus

import httpx
from nabat.conformance.framework.config import RunConfig
from nabat.conformance.framework.context import CaseContext
from nabat.conformance.framework.control_link import ControlLink
from nabat.conformance.framework.evidence import Exchange
from nabat.conformance.framework.http.client import HttpClient
from nabat.conformance.framework.http.exchange import HttpExchange
from nabat.conformance.framework.setup import SetupError
from nabat.conformance.oktell.client import OktellClient
from nabat.conformance.oktell.control import SimControl, probe
from nabat.conformance.oktell.options import OktellSettings, settings_from
from nabat.conformance.oktell.preflight import PREFLIGHT_TIMEOUT, check_url, preflight

STATE, PASSWORD, SCRIPTS, CONTROL = "state", "password", "scripts", "control"
INTERNAL = "internal"


@dataclass
class OktellEnv:
    ctx: CaseContext
    settings: OktellSettings
    pbx: OktellClient
    control: SimControl | None

    def require_control(self) -> SimControl:
        if self.control is None:
            self.ctx.unsupported("no --sim-control")
        return self.control

    @property
    def user(self) -> str:
        assert self.settings.user is not None
        return self.settings.user

    @property
    def line(self) -> str:
        assert self.settings.line is not None
        return self.settings.line

    @property
    def number(self) -> str:
        assert self.settings.number is not None
        return self.settings.number

    @property
    def internal_number(self) -> str:
        assert self.settings.internal_number is not None
        return self.settings.internal_number


def _masking(sink: Callable[[Exchange], None], secret: str | None) -> Callable[[Exchange], None]:
    """A sink that writes ``secret`` as *** in the evidence (query and form body)."""
    if not secret:
        return sink
    forms = {quote(secret, safe=""), quote_plus(secret, safe="")}

    def record(exchange: Exchange) -> None:
        if isinstance(exchange, HttpExchange):
            url, path, body = exchange.url, exchange.path, exchange.request_body
            for form in forms:
                url, path = url.replace(form, "***"), path.replace(form, "***")
                body = body.replace(form.encode("ascii"), b"***")
            exchange = dataclasses.replace(exchange, url=url, path=path, request_body=body)
        sink(exchange)

    return record


class OktellBinding:
    def __init__(self, config: RunConfig) -> None:
        self.config = config
        self.url_problem: str | None = None
        try:
            check_url(config.target)
        except ValueError as exc:
            self.url_problem = str(exc)
        self.settings = settings_from(config.suite_options)
        self.target = config.target.strip().rstrip("/")
        self._client: httpx.Client | None = None
        self._control = ControlLink(self.settings.sim_control, config.timeout, probe)

    @classmethod
    def from_config(cls, config: RunConfig) -> OktellBinding:
        return cls(config)

    def _http(self, timeout: float) -> httpx.Client:
        return httpx.Client(
            transport=httpx.HTTPTransport(retries=0),
            timeout=timeout,
            follow_redirects=False,
            trust_env=False,
        )

    def _pbx(self, client: httpx.Client, sink: Callable[[Exchange], None]) -> OktellClient:
        http = HttpClient(
            client,
            self.target,
            _masking(sink, self.settings.password),
            label="pbx",
            default_source=None,
        )
        return OktellClient(http, self.settings.password)

    def preflight(self) -> None:
        if self.url_problem is not None:
            raise SetupError(self.url_problem)
        limit = min(self.config.timeout, PREFLIGHT_TIMEOUT)
        with self._http(limit) as client:
            preflight(self._pbx(client, lambda exchange: None), self.settings, self.target, limit)
        self._client = self._http(self.config.timeout)

    def absent_capabilities(self) -> Mapping[str, str]:
        absent: dict[str, str] = {}
        s = self.settings
        if not s.allow_state_changes:
            absent[STATE] = "no --allow-state-changes"
        if s.password is None:
            absent[PASSWORD] = "no --password"
        if s.internal_number is None:
            absent[INTERNAL] = "no --internal-number"
        if s.echo_script is None or s.sleep_script is None:
            absent[SCRIPTS] = "no --echo-script and --sleep-script"
        if CONTROL not in self.config.without:
            problem = self._control.problem()
            if problem is not None:
                absent[CONTROL] = problem
        return absent

    def describe(self) -> Mapping[str, Any]:
        s = self.settings
        return {
            "target": self.target,
            "password": "given (masked)" if s.password else "none",
            "user / line / number": f"{s.user or '-'} / {s.line or '-'} / {s.number or '-'}",
            "internal number": s.internal_number or "-",
            "state changes": "allowed" if s.allow_state_changes else "not allowed",
            "scripts": f"{s.echo_script or '-'}, {s.sleep_script or '-'}",
            "sim control": s.sim_control or "",
        }

    @contextmanager
    def open(self, ctx: CaseContext) -> Iterator[OktellEnv]:
        if self._client is None:
            self._client = self._http(self.config.timeout)
        http = self._control.http(ctx.record)
        control = (
            SimControl(http) if http is not None and CONTROL not in self.config.without else None
        )
        yield OktellEnv(ctx, self.settings, self._pbx(self._client, ctx.record), control)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
        self._control.close()
