"""An asyncio event loop in a native thread, awaited cooperatively from greenlets.

Why: Locust runs users as gevent greenlets in a monkey-patched interpreter,
while the system's verification client is asyncio + aiohttp. An asyncio loop
cannot run inside a greenlet, so it gets a native OS thread of its own
(started with the *original* ``_thread.start_new_thread``, which gevent's
patching would otherwise turn into a greenlet). uvloop is used when present:
it does its I/O in libuv, untouched by gevent's patched ``selectors``.

How a greenlet waits: ``run(coro)`` submits the coroutine with
``asyncio.run_coroutine_threadsafe`` and blocks on a ``gevent.event.AsyncResult``.
The future's done-callback (in the loop thread) appends (future, result) to a
deque and calls ``send()`` on a gevent *async watcher* — the one libev/libuv
primitive meant to wake a hub from another thread. The watcher holds a
reference on the hub only while a call is pending, so an idle bridge never
keeps the hub alive and a waiting greenlet never gets gevent's "this
operation would block forever". The hub then drains the deque in its own
thread and sets each AsyncResult, so greenlet state is only ever touched by
the hub's thread. Other greenlets keep running meanwhile;
thousands of calls can be in flight without tying up a thread each.
"""

from __future__ import annotations

import asyncio
import collections
import concurrent.futures
from collections.abc import Coroutine
from typing import Any, TypeVar

import gevent
import gevent.event
from gevent import monkey
from nabat.system.runtime.loop import new_event_loop

T = TypeVar("T")

_start_new_thread = monkey.get_original("_thread", "start_new_thread")
_allocate_lock = monkey.get_original("_thread", "allocate_lock")


class BridgeClosed(RuntimeError):
    """The bridge was closed; no coroutine can run on it any more."""


class AsyncioBridge:
    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._started = _allocate_lock()
        self._started.acquire()
        self._finished = _allocate_lock()
        self._finished.acquire()
        self._done: collections.deque[
            tuple[concurrent.futures.Future[Any], gevent.event.AsyncResult]
        ] = collections.deque()
        self._watcher = gevent.get_hub().loop.async_()
        self._watcher.ref = False  # keeps the hub alive only while a call is pending
        self._watcher.start(self._drain)
        self._pending = 0
        self._closed = False
        _start_new_thread(self._thread_main, ())
        self._started.acquire()  # a few milliseconds, once

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        if self._loop is None:
            raise BridgeClosed("the bridge's loop is not running")
        return self._loop

    def _thread_main(self) -> None:
        loop = new_event_loop()
        asyncio.set_event_loop(loop)
        self._loop = loop
        self._started.release()
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()
            self._finished.release()

    def _drain(self) -> None:
        """Runs in the hub's thread when the loop thread has woken it."""
        while self._done:
            future, result = self._done.popleft()
            if future.cancelled():
                result.set_exception(concurrent.futures.CancelledError())
                continue
            error = future.exception()
            if error is None:
                result.set(future.result())
            else:
                result.set_exception(error)

    def run(self, coro: Coroutine[Any, Any, T], timeout: float | None = None) -> T:
        """Run ``coro`` on the loop; block this greenlet (only) until it is done."""
        if self._closed:
            coro.close()
            raise BridgeClosed("the bridge is closed")
        result = gevent.event.AsyncResult()
        future = asyncio.run_coroutine_threadsafe(coro, self.loop)

        def wake(done: concurrent.futures.Future[Any]) -> None:
            self._done.append((done, result))
            self._watcher.send()

        future.add_done_callback(wake)
        self._pending += 1
        self._watcher.ref = True
        try:
            return result.get(timeout=timeout)  # type: ignore[no-any-return]
        except gevent.Timeout:
            future.cancel()
            raise TimeoutError(f"coroutine did not finish within {timeout} s") from None
        except BaseException:
            future.cancel()
            raise
        finally:
            self._pending -= 1
            if not self._pending:
                self._watcher.ref = False

    def close(self, timeout: float = 5.0) -> None:
        """Stop the loop and wait for its thread (pending coroutines are cancelled)."""
        if self._closed:
            return
        self._closed = True
        loop = self._loop
        if loop is not None:

            def stop() -> None:
                for pending in asyncio.all_tasks(loop):
                    pending.cancel()
                loop.call_soon(loop.stop)

            loop.call_soon_threadsafe(stop)
            self._finished.acquire(True, timeout)
            self._loop = None
        self._watcher.stop()
        self._watcher.close()
