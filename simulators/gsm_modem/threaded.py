"""A modem bank on its own event loop in a background thread, for synchronous users.

``BankThread(bank)`` starts a thread running an asyncio loop, starts the bank
there and waits for it (``with BankThread(ModemBank(2)) as running: ...``).
``call(fn, *args)`` runs ``fn`` on the loop thread and returns its result —
the way to touch a modem (faults, clock advances, journal reads) from a test
thread or a synchronous library such as python-gsmmodem, since the modems are
single-threaded. ``advance(seconds)`` moves the bank's simulated clock and
runs what became due.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Callable
from types import TracebackType
from typing import TypeVar

from nabat.simulators.gsm_modem.bank import ModemBank

T = TypeVar("T")
START_TIMEOUT = 10.0


class BankThread:
    def __init__(self, bank: ModemBank) -> None:
        self.bank = bank
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._serve, name="gsm modem bank", daemon=True)
        self.paths: list[str] = []

    def _serve(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    def start(self) -> BankThread:
        self._thread.start()
        future = asyncio.run_coroutine_threadsafe(self.bank.start(), self.loop)
        self.paths = future.result(START_TIMEOUT)
        return self

    def stop(self) -> None:
        if not self._thread.is_alive():
            return
        asyncio.run_coroutine_threadsafe(self.bank.stop(), self.loop).result(START_TIMEOUT)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(START_TIMEOUT)
        self.loop.close()

    def call(self, function: Callable[..., T], *args: object) -> T:
        """Run ``function(*args)`` on the bank's loop and return what it returned."""
        future: concurrent.futures.Future[T] = concurrent.futures.Future()

        def run() -> None:
            try:
                future.set_result(function(*args))
            except BaseException as error:
                future.set_exception(error)

        self.loop.call_soon_threadsafe(run)
        return future.result(START_TIMEOUT)

    def advance(self, seconds: float) -> None:
        self.call(self.bank.scheduler.advance, seconds)

    def __enter__(self) -> BankThread:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
