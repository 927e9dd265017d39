"""``SystemVerificationUser``: the whole in-system path, via the system's own client.

How it works: each Locust process has one ``AsyncioBridge`` (an asyncio loop
in a native thread) and, on it, one started ``VerificationClient`` per
operator source address — as the notification server would have one client
for all its calls. Users are greenlets that submit the client's coroutines
to the bridge and wait cooperatively; each call is reported to Locust as
request type ``VERIFY`` with the time the greenlet waited (client, network
and hub included) and, when the outcome is not the expected one, a failure
saying why. The numbers and the mix are the API scenario's (``numbers``,
``mix``): genuine (REGISTERED then VERIFIED), cross (registered by
operator 1's client, VERIFIED by operator 2's), spoofed (NOT_FOUND) and
update (callUpdate of the latest verified call: UPDATED). Malformed and ping
weights are ignored here: the client builds its own requests.

``client_factory`` creates and starts a client on the loop; tests replace it
with a stub. The default imports ``nabat.system.verification.client`` lazily, so
the API scenario runs even where the system package is absent.
"""

from __future__ import annotations

import contextlib
import random
import time
from collections.abc import Callable, Coroutine
from typing import Any, ClassVar, Protocol

import gevent.lock
from locust import User, events, task
from nabat.loadtests.locust.bridge import AsyncioBridge
from nabat.loadtests.locust.expectations import ResultLike, outcome_problem
from nabat.loadtests.locust.mix import Action, MixPicker
from nabat.loadtests.locust.numbers import CallIds
from nabat.loadtests.locust.pacing import wait_function
from nabat.loadtests.locust.settings import AtsSettings, settings_for
from nabat.loadtests.locust.slots import LOCAL_SLOTS, claim_user_numbers

SYSTEM_ACTIONS = (Action.GENUINE, Action.CROSS, Action.SPOOFED, Action.UPDATE)


class VerifyingClient(Protocol):
    """The part of ``nabat.system.verification.client.VerificationClient`` this scenario uses."""

    def register_call(self, a: str, b: str, *, call_id: str) -> Coroutine[Any, Any, ResultLike]: ...

    def check_call(self, a: str, b: str, *, call_id: str) -> Coroutine[Any, Any, ResultLike]: ...

    def call_update(self, call_id: str, *, dur: int) -> Coroutine[Any, Any, ResultLike]: ...

    def close(self) -> Coroutine[Any, Any, None]: ...


ClientFactory = Callable[
    [str, str | None, str | None, float | None], Coroutine[Any, Any, VerifyingClient]
]


async def start_system_client(
    primary_url: str, reserve_url: str | None, source_address: str | None, budget: float | None
) -> VerifyingClient:
    """Create and start the system's verification client (inside the bridge's loop)."""
    # The interface the system's client documents: everything from its module.
    from nabat.system.verification.client import (
        VerificationClient,
        VerificationSettings,
    )

    extra: dict[str, Any] = {} if budget is None else {"budget": budget}
    settings = VerificationSettings(
        primary_url=primary_url,
        reserve_url=reserve_url,
        source_address=source_address,
        **extra,
    )
    client = VerificationClient(settings)
    await client.start()
    return client


class ProcessClients:
    """This process's bridge and its started clients, keyed by source address."""

    def __init__(self) -> None:
        self.bridge: AsyncioBridge | None = None
        self._clients: dict[str | None, VerifyingClient] = {}
        self._lock = gevent.lock.Semaphore()

    def get(
        self, factory: ClientFactory, host: str, settings: AtsSettings, source: str | None
    ) -> VerifyingClient:
        with self._lock:  # two users starting at once must not build two clients
            if self.bridge is None:
                self.bridge = AsyncioBridge()
            client = self._clients.get(source)
            if client is None:
                client = self.bridge.run(factory(host, settings.reserve, source, settings.budget))
                self._clients[source] = client
            return client

    def close(self) -> None:
        bridge, clients = self.bridge, list(self._clients.values())
        self._clients.clear()
        self.bridge = None
        if bridge is None:
            return
        for client in clients:
            with contextlib.suppress(Exception):  # best effort at shutdown
                bridge.run(client.close(), timeout=5)
        bridge.close()


PROCESS_CLIENTS = ProcessClients()


def _close_clients(**_: Any) -> None:
    PROCESS_CLIENTS.close()


events.quitting.add_listener(_close_clients)  # type: ignore[no-untyped-call]


class VerificationMismatch(Exception):
    """The client's result was not the expected one."""


class SystemVerificationUser(User):
    """The system-path scenario (``nabat load ats --scenario system``)."""

    client_factory: ClassVar[ClientFactory] = staticmethod(start_system_client)

    def __init__(self, environment: Any) -> None:
        super().__init__(environment)
        self.settings: AtsSettings = settings_for(environment.parsed_options)
        self.picker = MixPicker(self.settings.mix, only=SYSTEM_ACTIONS)
        self._wait = wait_function(self.settings)
        self._local_index: int | None = None
        self._latest_call: dict[str, str] = {}
        self._spoof_turn = 0

    def wait_time(self) -> float:
        return self._wait(self)

    def on_start(self) -> None:
        settings = self.settings
        worker_index = getattr(self.environment.runner, "worker_index", 0)
        self._local_index, slot, numbers = claim_user_numbers(worker_index, settings)
        self.a, self.spoofed_a = numbers.a, numbers.spoofed_a
        self.b1, self.b2 = numbers.b1, numbers.b2
        self.call_id = CallIds(f"s{random.getrandbits(32):08x}", slot).next
        host = self.host or self.environment.host
        factory = type(self).client_factory
        self.op1 = PROCESS_CLIENTS.get(factory, host, settings, settings.op1_source)
        self.op2 = (
            PROCESS_CLIENTS.get(factory, host, settings, settings.op2_source)
            if settings.op2_source
            else None
        )

    def on_stop(self) -> None:
        if self._local_index is not None:
            LOCAL_SLOTS.give_back(self._local_index)
            self._local_index = None

    # --- plumbing -----------------------------------------------------------
    def verify(self, name: str, call: Coroutine[Any, Any, ResultLike], expected: str) -> bool:
        """Run one client call on the bridge and report it to Locust; True if as expected."""
        bridge = PROCESS_CLIENTS.bridge
        assert bridge is not None, "on_start creates the bridge"
        started = time.perf_counter()
        error: Exception | None
        try:
            result: ResultLike = bridge.run(call, timeout=self.settings.timeout)
        except Exception as failure:  # every failure is reported to Locust
            error = VerificationMismatch(
                f"expected {expected}, got {type(failure).__name__}: {failure}"
            )
        else:
            reason = outcome_problem(expected, result)
            error = None if reason is None else VerificationMismatch(reason)
        self.environment.events.request.fire(
            request_type="VERIFY",
            name=name,
            response_time=(time.perf_counter() - started) * 1000.0,
            response_length=0,
            exception=error,
            context={},
        )
        return error is None

    # --- the mix --------------------------------------------------------------
    @task
    def step(self) -> None:
        action = self.picker.pick()
        if action is Action.GENUINE:
            self.genuine()
        elif action is Action.CROSS:
            self.cross()
        elif action is Action.SPOOFED:
            self.spoofed()
        else:
            self.update()

    def _pair(self, checker: str, checking: VerifyingClient, a: str, b: str, kind: str) -> None:
        registered = self.verify(
            f"RegisterCall {kind}",
            self.op1.register_call(a, b, call_id=self.call_id()),
            "REGISTERED",
        )
        if not registered:
            return
        call_id = self.call_id()
        suffix = " (op2)" if checker == "op2" else ""
        if self.verify(
            f"CheckCall {kind}{suffix}",
            checking.check_call(a, b, call_id=call_id),
            "VERIFIED",
        ):
            self._latest_call[checker] = call_id

    def genuine(self) -> None:
        self._pair("op1", self.op1, self.a.next(), self.b1.next(), "genuine")

    def cross(self) -> None:
        if self.op2 is not None:
            self._pair("op2", self.op2, self.a.next(), self.b2.next(), "cross")

    def spoofed(self) -> None:
        a = self.spoofed_a.next()
        self._spoof_turn += 1
        if self.op2 is not None and self._spoof_turn % 2:
            call = self.op2.check_call(a, self.b2.next(), call_id=self.call_id())
            self.verify("CheckCall spoofed (op2)", call, "NOT_FOUND")
        else:
            call = self.op1.check_call(a, self.b1.next(), call_id=self.call_id())
            self.verify("CheckCall spoofed", call, "NOT_FOUND")

    def update(self) -> None:
        if not self._latest_call:
            self.genuine()
        if not self._latest_call:
            return
        operator = random.choice(list(self._latest_call))
        client = self.op2 if operator == "op2" and self.op2 is not None else self.op1
        call = client.call_update(self._latest_call[operator], dur=random.randint(1, 600))
        self.verify(f"callUpdate ({operator})", call, "UPDATED")
