"""Single sends grouped into batches: ``SmsRoute.send_sms`` on top of ``send_batch``.

How it works: an SMS platform takes many messages per request (an HPG GET,
an FTP archive), so ``SendBatcher.send(message)`` does not send at once: it
adds the message to the open batch and waits for its own result. The batch
is sent ``window`` seconds (of the injected clock) after its first message,
or at once when it holds ``max_batch`` messages, through the ``send_batch``
function it was given; each waiting sender gets the ``SmsSubmission`` at
its position, or the exception the whole batch raised. Senders that arrive
while a batch is on the wire start the next one, so batches never overlap
more than the route allows (the route serialises itself if it must).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Sequence

from nabat.system.channels.base import OutgoingSms, SmsSubmission
from nabat.system.channels.clock import Clock

BatchSender = Callable[[Sequence[OutgoingSms]], Awaitable[list[SmsSubmission]]]


class SendBatcher:
    def __init__(
        self, send_batch: BatchSender, clock: Clock, *, window: float, max_batch: int
    ) -> None:
        if window < 0 or max_batch < 1:
            raise ValueError("window >= 0 and max_batch >= 1")
        self._send_batch = send_batch
        self._clock = clock
        self._window = window
        self._max_batch = max_batch
        self._messages: list[OutgoingSms] = []
        self._waiters: list[asyncio.Future[SmsSubmission]] = []
        self._timer: asyncio.Task[None] | None = None
        self._flushes: set[asyncio.Task[None]] = set()

    @property
    def waiting(self) -> int:
        return len(self._messages)

    async def send(self, message: OutgoingSms) -> SmsSubmission:
        future: asyncio.Future[SmsSubmission] = asyncio.get_running_loop().create_future()
        self._messages.append(message)
        self._waiters.append(future)
        if len(self._messages) >= self._max_batch:
            self._flush_now()
        elif self._timer is None:
            self._timer = asyncio.ensure_future(self._flush_later())
        return await future

    async def _flush_later(self) -> None:
        await self._clock.sleep(self._window)
        self._timer = None
        self._flush_now()

    def _flush_now(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        messages, waiters = self._messages, self._waiters
        self._messages, self._waiters = [], []
        if messages:
            task = asyncio.ensure_future(self._deliver(messages, waiters))
            self._flushes.add(task)
            task.add_done_callback(self._flushes.discard)

    async def _deliver(
        self, messages: list[OutgoingSms], waiters: list[asyncio.Future[SmsSubmission]]
    ) -> None:
        try:
            results = await self._send_batch(messages)
        except BaseException as error:  # every waiter learns what happened to its message
            for waiter in waiters:
                if not waiter.done():
                    waiter.set_exception(error)
            if isinstance(error, asyncio.CancelledError):
                raise
            return
        for waiter, result in zip(waiters, results, strict=True):
            if not waiter.done():
                waiter.set_result(result)

    async def close(self) -> None:
        """Send what is waiting now and wait for the batches on the wire."""
        self._flush_now()
        for task in list(self._flushes):
            with contextlib.suppress(Exception):
                await task
