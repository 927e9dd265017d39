"""The engine seam: what the server asks of whatever runs tasks.

``Engine`` is the small interface the task handlers use; the engine itself
is ``nabat.system.engine.engine.TaskEngine``. The task status table
(``Event``, ``TRANSITIONS``, ``next_status``, ``IllegalTransition``) is the
engine's (``system/engine/status.py``), re-exported here for the handlers.
"""

from __future__ import annotations

from typing import Protocol

from nabat.system.engine.status import (
    STOPPABLE,
    TRANSITIONS,
    Event,
    IllegalTransition,
    next_status,
)
from nabat.system.protocol import TaskProgress, TaskSummary

__all__ = ["STOPPABLE", "TRANSITIONS", "Engine", "Event", "IllegalTransition", "next_status"]


class Engine(Protocol):
    def available_gsm_modems(self) -> int: ...

    def available_sms_routes(self) -> int:
        """SMS platform routes (MFMS, FTP) that work now (the licence's ``sms_gateway``)."""
        ...

    async def open(self) -> None:
        """Once the channels run: start dispatching and resume open runs."""
        ...

    async def close(self) -> None: ...

    async def start(self, task_id: int, restart: bool) -> TaskSummary: ...

    async def stop(self, task_id: int) -> TaskSummary: ...

    async def progress(self, task_id: int) -> TaskProgress: ...

    async def report(self, task_id: int, fmt: str | None = None) -> tuple[str, bytes] | None:
        """(format tag, file) of the task's current or last run, or None when it has not
        run; ``fmt`` (HTML, XLS, XLSX) overrides the task's and the server's choice."""
        ...
