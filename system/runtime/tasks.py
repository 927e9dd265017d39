"""Stopping an asyncio task without losing the caller's own cancellation.

How it works: the usual ``task.cancel()`` then ``with suppress(CancelledError):
await task`` has a trap: if the *caller* is cancelled while it waits, that
CancelledError is suppressed too, so the caller carries on as if nothing
happened (a loop then never stops, and whoever cancelled it waits forever).
``cancel_and_wait`` cancels ``task`` and waits with ``asyncio.wait``, which
never raises the task's outcome: a cancellation of the caller propagates,
the task's own cancellation does not. The task's exception, if it ended with
one, is raised (``errors="raise"``) or retrieved and dropped
(``errors="ignore"``, for shutdown paths that must go on).
"""

from __future__ import annotations

import asyncio
from typing import Any, Literal


async def cancel_and_wait(
    task: asyncio.Future[Any], *, errors: Literal["raise", "ignore"] = "raise"
) -> None:
    """Cancel ``task`` and wait until it has ended; the caller's cancellation still propagates."""
    task.cancel()
    await asyncio.wait({task})
    if task.cancelled():
        return
    error = task.exception()
    if error is not None and errors == "raise":
        raise error
