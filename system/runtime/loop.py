"""The event loop of every Nabat process: uvloop when installed, else asyncio's.

``new_event_loop`` makes one (for threads and ``asyncio.Runner``);
``run`` is ``asyncio.run`` on such a loop; ``uvloop_installed`` says which
one you get. Nothing here changes the global event loop policy.
"""

from __future__ import annotations

import asyncio
import importlib.util
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def uvloop_installed() -> bool:
    """True when uvloop can be imported (``new_event_loop`` then uses it)."""
    return importlib.util.find_spec("uvloop") is not None


def new_event_loop() -> asyncio.AbstractEventLoop:
    """A new uvloop event loop when uvloop is installed, else asyncio's default."""
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


def run(main: Coroutine[Any, Any, T], *, debug: bool | None = None) -> T:
    """``asyncio.run(main)`` on a loop from ``new_event_loop``."""
    with asyncio.Runner(debug=debug, loop_factory=new_event_loop) as runner:
        return runner.run(main)
