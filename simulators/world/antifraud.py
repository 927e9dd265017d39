"""The anti-fraud path as the world's operators walk it (world.md).

``AntiFraudLink`` talks to an ATS hub (primary and optional reserve) with the
system's own ``VerificationClient``, one client per operator, bound to the
loopback address that stands for that operator in the world's numbering plan
(the hub identifies operators by client address, ruling 4).

- ``check_outgoing(a, b)``: the system calls ``b``; ``b``'s operator checks
  the call (CheckCall from its address). False: blocked, the person never
  rings. A hub that does not answer lets the call through (the terminating
  operator's fail-open policy for incoming calls).
- ``register_incoming(a, b)``: before a genuine scripted call from ``a``
  rings ``b`` (a modem or PBX line), ``a``'s operator registers it
  (RegisterCall from its address). ``admit_incoming(event, b)`` does that
  for a scripted event, except that a spoofed call is never registered.

Without a hub URL the link is disabled: outgoing calls are not checked
(``check_outgoing`` is True) and nothing is registered. A number outside the
plan has no operator, so it is neither checked nor registered. With a
runtime, every verdict is journaled (kind ``antifraud``).
"""

from __future__ import annotations

import asyncio
import itertools
import os
from types import TracebackType

from nabat.simulators.world.addresses import normalise_number
from nabat.simulators.world.events import EventKind, ScriptedEvent
from nabat.simulators.world.numbering import WorldPlan
from nabat.simulators.world.runtime import WorldRuntime
from nabat.system.verification.client import VerificationClient
from nabat.system.verification.results import Outcome, VerificationResult
from nabat.system.verification.settings import VerificationSettings


class AntiFraudLink:
    def __init__(
        self,
        plan: WorldPlan,
        primary_url: str | None,
        reserve_url: str | None = None,
        *,
        runtime: WorldRuntime | None = None,
        budget: float = 1.0,
    ) -> None:
        self.plan = plan
        self.primary_url = primary_url
        self.reserve_url = reserve_url if primary_url else None
        self.runtime = runtime
        self.budget = budget
        self._clients: dict[str, VerificationClient] = {}
        self._starting: asyncio.Lock | None = None
        self._call_ids = itertools.count(1)
        self._prefix = f"world-{os.getpid()}-{id(self):x}"

    @property
    def enabled(self) -> bool:
        return bool(self.primary_url)

    async def _client(self, source_address: str) -> VerificationClient:
        client = self._clients.get(source_address)
        if client is not None:
            return client
        if self._starting is None:
            self._starting = asyncio.Lock()
        async with self._starting:  # one client per operator, even under concurrency
            return await self._start_client(source_address)

    async def _start_client(self, source_address: str) -> VerificationClient:
        client = self._clients.get(source_address)
        if client is None:
            assert self.primary_url is not None
            settings = VerificationSettings(
                primary_url=self.primary_url,
                reserve_url=self.reserve_url,
                source_address=source_address,
                budget=self.budget,
                primary_attempt_timeout=self.budget / 2 if self.reserve_url else self.budget,
            )
            client = await VerificationClient(settings).start()
            self._clients[source_address] = client
        return client

    def _call_id(self) -> str:
        return f"{self._prefix}-{next(self._call_ids)}"

    def _record(self, step: str, a: str, b: str, allowed: bool, detail: str) -> None:
        if self.runtime is not None:
            fields = {"step": step, "to": b, "allowed": allowed, "detail": detail}
            self.runtime.record("antifraud", a, fields, "antifraud")

    @staticmethod
    def _detail(result: VerificationResult) -> str:
        text = f"{result.outcome.value} (HTTP {result.status})" if result.status else "unavailable"
        return f"{text} {result.detail}".strip()

    async def check_outgoing(self, a: str, b: str) -> bool:
        """May the system's call from ``a`` ring ``b``? (CheckCall by ``b``'s operator)"""
        a, b = normalise_number(a), normalise_number(b)
        if not self.enabled:
            return True
        source = self.plan.operator_address(b)
        if source is None:
            self._record("check", a, b, True, f"not checked: no operator for {b}")
            return True
        client = await self._client(source)
        result = await client.check_call(a, b, call_id=self._call_id())
        self._record("check", a, b, result.allowed, self._detail(result))
        return result.allowed

    async def register_incoming(self, a: str, b: str) -> bool:
        """``a``'s operator registers a call from ``a`` to ``b``; True when the hub took it."""
        a, b = normalise_number(a), normalise_number(b)
        if not self.enabled:
            return False
        source = self.plan.operator_address(a)
        if source is None:
            self._record("register", a, b, False, f"not registered: no operator for {a}")
            return False
        client = await self._client(source)
        result = await client.register_call(a, b, call_id=self._call_id())
        registered = result.outcome is Outcome.REGISTERED
        self._record("register", a, b, registered, self._detail(result))
        return registered

    async def admit_incoming(self, event: ScriptedEvent, b: str) -> bool:
        """Before scripted call ``event`` rings ``b``: registered unless spoofed."""
        if event.kind is not EventKind.CALL:
            raise ValueError("only calls go through the anti-fraud path")
        if event.spoofed:
            self._record("register", event.source, normalise_number(b), False, "spoofed")
            return False
        return await self.register_incoming(event.source, b)

    async def close(self) -> None:
        clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            await client.close()

    async def __aenter__(self) -> AntiFraudLink:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
