"""A platform route as the server drives it: the route plus a check that its server answers.

How it works: the MFMS, FTP platform and SMTP routes learn that their
server is down only when they send. A channel whose server is unreachable
should show FAULT in GETCHANNELS before any task tries it, so the server
wraps each such route in a ``ProbedRoute``: ``start`` starts the route
(when it has a ``start``) and opens one TCP connection to the route's
``host:port`` (``Target``), closed at once; a refused or timed-out
connection makes ``status()`` RECOVERING ("cannot reach ...", FAULT in
GETCHANNELS) and the probe is repeated every ``interval`` seconds of the
clock until it succeeds. A server that answered once is not probed again:
from then on the route's own health (its send failures, FAILED on refused
credentials) is the status. The change is published as ``StatusChanged``
to the subscribers, who also get every event of the route.

``ProbedBulkSmsRoute`` (MFMS, FTP) and ``ProbedEmailRoute`` (SMTP) add the
sending calls, delegated to the route, so the engine uses the wrapper
wherever it would use the route (``BulkSmsRoute`` / ``EmailRoute``); the
route itself is ``route``.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from nabat.system.channels.base import (
    Activity,
    ChannelStatus,
    EmailSubmission,
    EventHandler,
    OutgoingEmail,
    OutgoingSms,
    SmsSubmission,
    StatusChanged,
)
from nabat.system.channels.clock import Clock, LoopClock
from nabat.system.channels.events import EventHub
from nabat.system.runtime.tasks import cancel_and_wait

PROBE_INTERVAL = 30.0  # seconds between two probes of a server that did not answer


@dataclass(frozen=True, slots=True)
class Target:
    host: str
    port: int
    timeout: float  # seconds the TCP connection may take


class Route(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def settings(self) -> object: ...

    def status(self) -> ChannelStatus: ...

    def subscribe(self, handler: EventHandler) -> Callable[[], None]: ...


class BulkRoute(Route, Protocol):
    async def send_sms(
        self, number: str, text: str, *, status_report: bool = True
    ) -> SmsSubmission: ...

    async def send_batch(self, messages: Sequence[OutgoingSms]) -> list[SmsSubmission]: ...


class MailRoute(Route, Protocol):
    async def send_emails(self, messages: Sequence[OutgoingEmail]) -> list[EmailSubmission]: ...


R = TypeVar("R", bound=Route)


async def reachable(target: Target) -> str | None:
    """None when a TCP connection to ``target`` opens, else why not."""
    try:
        _, writer = await asyncio.wait_for(
            asyncio.open_connection(target.host, target.port), target.timeout
        )
    except TimeoutError:
        return f"no answer within {target.timeout:g} s"
    except OSError as exc:
        return exc.strerror or type(exc).__name__
    writer.close()
    with contextlib.suppress(OSError):
        await writer.wait_closed()
    return None


class ProbedRoute(Generic[R]):
    def __init__(
        self,
        route: R,
        target: Target,
        *,
        clock: Clock | None = None,
        interval: float = PROBE_INTERVAL,
    ) -> None:
        self.route = route
        self.target = target
        self._clock: Clock = clock or LoopClock()
        self._interval = interval
        self._hub = EventHub(route.name)
        self._problem: str | None = "not probed yet"
        self._since = 0.0
        self._task: asyncio.Task[None] | None = None

    @property
    def name(self) -> str:
        return self.route.name

    @property
    def settings(self) -> object:
        return self.route.settings

    @property
    def reachable(self) -> bool:
        return self._problem is None

    def status(self) -> ChannelStatus:
        status = self.route.status()
        if self._problem is None or status.activity not in (Activity.IDLE, Activity.STARTING):
            return status
        where = f"{self.target.host}:{self.target.port}"
        return ChannelStatus(
            self.name, Activity.RECOVERING, f"cannot reach {where}: {self._problem}", self._since
        )

    def subscribe(self, handler: EventHandler) -> Callable[[], None]:
        cancels = (self.route.subscribe(handler), self._hub.subscribe(handler))

        def cancel() -> None:
            for each in cancels:
                each()

        return cancel

    async def probe(self) -> bool:
        """Check the server now; True when it answered."""
        before = self.status()
        problem = await reachable(self.target)
        if problem != self._problem:
            self._problem, self._since = problem, self._clock.now()
            after = self.status()
            changed = (before.activity, before.text) != (after.activity, after.text)
            if changed and self._hub.has_subscribers:
                self._hub.publish(StatusChanged(after))
        return problem is None

    async def start(self) -> None:
        start = getattr(self.route, "start", None)
        if start is not None:
            await start()
        if not await self.probe():
            self._task = asyncio.get_running_loop().create_task(
                self._probe_until_reachable(), name=f"{self.name} probe"
            )

    async def stop(self) -> None:
        if self._task is not None:
            await cancel_and_wait(self._task)
            self._task = None
        stop = getattr(self.route, "stop", None)
        if stop is not None:
            await stop()
        self._hub.close()

    async def _probe_until_reachable(self) -> None:
        while True:
            await self._clock.sleep(self._interval)
            if await self.probe():
                return


class ProbedBulkSmsRoute(ProbedRoute[BulkRoute]):
    """An SMS platform route (``BulkSmsRoute``) with the probe."""

    async def send_sms(
        self, number: str, text: str, *, status_report: bool = True
    ) -> SmsSubmission:
        return await self.route.send_sms(number, text, status_report=status_report)

    async def send_batch(self, messages: Sequence[OutgoingSms]) -> list[SmsSubmission]:
        return await self.route.send_batch(messages)


class ProbedEmailRoute(ProbedRoute[MailRoute]):
    """An e-mail route (``EmailRoute``) with the probe."""

    async def send_emails(self, messages: Sequence[OutgoingEmail]) -> list[EmailSubmission]:
        return await self.route.send_emails(messages)
