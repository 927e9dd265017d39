"""Running a simulator: in the foreground until a signal, or on a loop in a daemon thread.

Foreground (``nabat sim ...``): ``run_on_new_loop`` runs the serving
coroutine on a fresh project event loop (uvloop when installed) and closes
the loop after; inside it, ``stop_on_signals`` gives an event that SIGINT or
SIGTERM sets (install it before reporting ready, so a signal sent at once is
not lost). Background (tests, the pytest plugin): ``LoopThread`` runs an
event loop forever in a daemon thread; ``run`` waits for a coroutine on it,
``call`` runs a plain function there (where the simulator's state lives) and
``stop`` ends the loop, joins the thread and closes the loop once it ended.
"""

from __future__ import annotations

import asyncio
import signal
import threading
from collections.abc import Callable, Coroutine
from concurrent.futures import Future
from typing import Any, TypeVar

from nabat.system.runtime.loop import new_event_loop

T = TypeVar("T")


def stop_on_signals() -> asyncio.Event:
    """An event that SIGINT or SIGTERM sets (handlers on the running loop)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    return stop


def run_on_new_loop(main: Coroutine[Any, Any, T]) -> T:
    """Run ``main`` to its end on a new event loop, then close the loop."""
    loop = new_event_loop()
    try:
        return loop.run_until_complete(main)
    finally:
        loop.close()


class LoopThread:
    """An event loop running forever in a daemon thread named ``name``."""

    def __init__(self, name: str) -> None:
        self.loop = new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name=name, daemon=True)

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def start(self) -> None:
        self._thread.start()

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float) -> T:
        """Run ``coroutine`` on the loop; its result (waits at most ``timeout`` s)."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def call(self, function: Callable[..., T], *args: object, timeout: float = 10.0) -> T:
        """Run ``function(*args)`` on the loop; its result (or its exception)."""
        result: Future[T] = Future()

        def run() -> None:
            try:
                result.set_result(function(*args))
            except BaseException as error:
                result.set_exception(error)

        self.loop.call_soon_threadsafe(run)
        return result.result(timeout)

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the loop, join the thread, and close the loop once the thread ended."""
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout)
        if not self._thread.is_alive():
            self.loop.close()
