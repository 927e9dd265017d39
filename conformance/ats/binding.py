"""Binds the ATS suite to one target for a run, and opens each case's environment.

:class:`AtsBinding` owns the connection pool (one httpx client per source
address, through a transport factory tests may replace), probes the target
once for the simulator control API (``GET /__sim/state``) and knows whether a
reserve URL was given. The registration window is the run's own value
(``--ats-window``, default 60 s by ruling ATS 3), never the target's word: a
case compares what a control API reports against it. :meth:`AtsBinding.open`
yields an :class:`AtsEnv`:
clients for operator A, operator B and an unknown address on the primary (and
the reserve), the control API when present, fresh numbers and call ids — all
recording into the case's context.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
from nabat.conformance.ats.client import CALL_CYRILLIC, CALL_LATIN, AtsClient
from nabat.conformance.ats.control import SimControl
from nabat.conformance.ats.options import settings_from
from nabat.conformance.ats.plan import AtsSettings, NumberSource, Operator
from nabat.conformance.ats.preflight import check_url, preflight
from nabat.conformance.framework.config import RunConfig
from nabat.conformance.framework.context import CaseContext
from nabat.conformance.framework.http.client import (
    ClientPool,
    HttpClient,
    TransportFactory,
    default_transport,
)
from nabat.conformance.framework.setup import SetupError

CONTROL = "control"
RESERVE = "reserve"


@dataclass
class AtsEnv:
    """What a case uses to talk to the target."""

    ctx: CaseContext
    settings: AtsSettings
    numbers: NumberSource
    a: AtsClient
    b: AtsClient
    stranger: AtsClient
    control: SimControl | None
    window: float  # the window the run expects (--ats-window), never read from the target
    reserve_a: AtsClient | None = None
    reserve_b: AtsClient | None = None
    _call_paths: dict[str, bool] = field(default_factory=dict)
    _isolated: Callable[[str, str], AtsClient] | None = None

    @property
    def op_a(self) -> Operator:
        return self.settings.a

    @property
    def op_b(self) -> Operator:
        return self.settings.b

    def number_a(self) -> str:
        return self.numbers.number(self.settings.a)

    def number_b(self) -> str:
        return self.numbers.number(self.settings.b)

    def call_id(self) -> str:
        return self.numbers.call_id()

    def isolated_a(self) -> AtsClient:
        """Operator A on connections of its own, closed when the case ends: for
        requests that may leave a connection unusable (a body after HEAD, say)."""
        assert self._isolated is not None
        return self._isolated(self.settings.a.ip, "operator A, own connection")

    def require_control(self) -> SimControl:
        if self.control is None:
            self.ctx.unsupported("no simulator control API")
        return self.control

    def call_served(self, path: str) -> bool:
        """Does the target serve the universal method at ``path``? An empty POST is
        answered 400 with error bits where it is served; the answer is cached."""
        if path not in self._call_paths:
            response = self.a.call((), path)
            served = response.status_code == 400 and any(
                name in response.headers for name in ("X-Error-Bits", "X-errors-hex", "X-errors")
            )
            self._call_paths[path] = served
        return self._call_paths[path]

    def call_path(self) -> str:
        """The path to use for the universal method: the spec's literal /сall, else /call."""
        for path in (CALL_CYRILLIC, CALL_LATIN):
            if self.call_served(path):
                return path
        self.ctx.note("the target serves the universal method at neither /сall nor /call")
        return CALL_CYRILLIC


class AtsBinding:
    def __init__(
        self,
        config: RunConfig,
        settings: AtsSettings | None = None,
        transport_factory: TransportFactory = default_transport,
    ) -> None:
        self.config = config
        # A target URL that cannot be reached as written (no scheme, bad port) is a
        # setup mistake: the pre-flight reports it as "could not test" (exit 3).
        self.url_problem: str | None = None
        try:
            check_url("--target", config.target)
            if config.reserve:
                check_url("--reserve", config.reserve)
        except ValueError as exc:
            self.url_problem = str(exc)
        self.settings = settings or settings_from(config.suite_options)
        # A seed is always chosen and reported, so --ats-seed can repeat a run's numbers.
        self.seed = (
            self.settings.seed if self.settings.seed is not None
            else random.SystemRandom().randrange(2**31)
        )
        self.numbers = NumberSource(self.seed)
        self.pool = ClientPool(transport_factory, config.timeout)
        self._control_probe: tuple[bool, str] | None = None
        self._call_paths: dict[str, bool] = {}

    @classmethod
    def from_config(cls, config: RunConfig) -> AtsBinding:
        return cls(config)

    def preflight(self) -> None:
        """One request to the target (see ``ats/preflight.py``): else SetupError."""
        if self.url_problem is not None:
            raise SetupError(self.url_problem)
        preflight(self.pool.get(None), self.config.target, self.config.timeout)

    def _probe_control(self) -> tuple[bool, str]:
        if self._control_probe is None:
            client = self.pool.get(None)
            url = self.config.target.rstrip("/") + "/__sim/state"
            try:
                response = client.get(url)
                data = response.json() if response.status_code == 200 else None
            except (httpx.HTTPError, ValueError) as exc:
                self._control_probe = (False, f"GET {url} failed: {exc}")
            else:
                if isinstance(data, dict):
                    self._control_probe = (True, "")
                else:
                    self._control_probe = (
                        False,
                        f"no simulator control API (GET {url} answered {response.status_code})",
                    )
        return self._control_probe

    def absent_capabilities(self) -> Mapping[str, str]:
        absent: dict[str, str] = {}
        if CONTROL not in self.config.without:
            has_control, why = self._probe_control()
            if not has_control:
                absent[CONTROL] = why
        if self.config.reserve is None:
            absent[RESERVE] = "no --reserve URL given"
        return absent

    def describe(self) -> Mapping[str, Any]:
        s = self.settings
        return {
            "target": self.config.target,
            "reserve": self.config.reserve or "",
            "operator A": s.a.describe(),
            "operator B": s.b.describe(),
            "unknown client": s.unknown_ip,
            "unknown number": s.unknown_number,
            "window (--ats-window)": f"{s.window:g} s",
            "seed (--ats-seed)": str(self.seed),
        }

    def _client(self, ctx: CaseContext, base: str, source: str | None, label: str) -> HttpClient:
        return HttpClient(
            self.pool.get(source), base, ctx.record, source_address=source, label=label
        )

    @contextmanager
    def open(self, ctx: CaseContext) -> Iterator[AtsEnv]:
        s = self.settings
        target = self.config.target
        has_control = CONTROL not in self.config.without and self._probe_control()[0]
        control = (
            SimControl(self._client(ctx, target, None, "control")) if has_control else None
        )
        reserve = self.config.reserve
        env = AtsEnv(
            ctx=ctx,
            settings=s,
            numbers=self.numbers,
            a=AtsClient(self._client(ctx, target, s.a.ip, "operator A")),
            b=AtsClient(self._client(ctx, target, s.b.ip, "operator B")),
            stranger=AtsClient(self._client(ctx, target, s.unknown_ip, "unknown client")),
            control=control,
            window=s.window,
            reserve_a=AtsClient(self._client(ctx, reserve, s.a.ip, "reserve, operator A"))
            if reserve else None,
            reserve_b=AtsClient(self._client(ctx, reserve, s.b.ip, "reserve, operator B"))
            if reserve else None,
            _call_paths=self._call_paths,
        )
        own: list[httpx.Client] = []

        def isolated(source: str, label: str) -> AtsClient:
            client = self.pool.fresh(source)
            own.append(client)
            return AtsClient(
                HttpClient(client, target, ctx.record, source_address=source, label=label)
            )

        env._isolated = isolated
        try:
            yield env
        finally:
            for client in own:
                client.close()

    def close(self) -> None:
        self.pool.close()
