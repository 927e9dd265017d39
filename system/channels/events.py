"""Fan-out of channel events to the subscribed async handlers.

How it works: ``publish(event)`` starts one task that awaits every handler in
subscription order and returns whether all of them returned normally. A
driver that must know an event was taken (an incoming SMS is deleted from
the modem only after that) awaits the task; others let it run. A handler
that raises is logged and makes the result False; it never reaches the
driver's reader. Tasks are kept until they finish, and ``close()`` cancels
the ones still running.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from nabat.system.channels.base import ChannelEvent, EventHandler

log = logging.getLogger("nabat.channels.events")


class EventHub:
    def __init__(self, name: str) -> None:
        self.name = name
        self._handlers: list[EventHandler] = []
        self._tasks: set[asyncio.Task[bool]] = set()

    def subscribe(self, handler: EventHandler) -> Callable[[], None]:
        self._handlers.append(handler)

        def unsubscribe() -> None:
            if handler in self._handlers:
                self._handlers.remove(handler)

        return unsubscribe

    @property
    def has_subscribers(self) -> bool:
        return bool(self._handlers)

    def publish(self, event: ChannelEvent) -> asyncio.Task[bool]:
        task = asyncio.get_running_loop().create_task(
            self._deliver(event, list(self._handlers)), name=f"{self.name} event"
        )
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _deliver(self, event: ChannelEvent, handlers: list[EventHandler]) -> bool:
        taken = True
        for handler in handlers:
            try:
                await handler(event)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("%s: a handler of %s failed", self.name, type(event).__name__)
                taken = False
        return taken

    def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
