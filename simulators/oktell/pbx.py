"""The Oktell simulator's state: clock, directory, calls, scripts, files.

``OktellPbx`` is what every command handler receives. It holds the simulated
clock and its scheduler, the world runtime, the directory (directory.py),
the call engine (calls.py), the service scripts (scripts.py), the working
directory for files (``UploadData/``, ``rec/``, ``fax/`` under ``files_dir``),
the licence (licence.py), the upload limits and the recordings made by
calls (record id or link -> file). ``run_script`` runs a script with a
timeout on the simulated clock: past it the caller gets ``timed_out`` and
the script runs on. ``events`` is a bounded journal of what happened to
users (wp_setuserstate's refusals, control-API changes).
"""

from __future__ import annotations

import asyncio
from collections import ChainMap, deque
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from nabat.simulators.control.clock import SimClock
from nabat.simulators.control.scheduler import Scheduler
from nabat.simulators.oktell.calls import CallEngine
from nabat.simulators.oktell.directory import Directory, default_directory
from nabat.simulators.oktell.recordings import Recorder
from nabat.simulators.oktell.scripts import (
    PARAM_COUNT,
    ScriptContext,
    ScriptFailed,
    ScriptRegistry,
)
from nabat.simulators.world.antifraud import AntiFraudLink
from nabat.simulators.world.runtime import WorldRuntime
from nabat.system.runtime.tasks import cancel_and_wait

DEFAULT_PORT = 4055
MAX_RUNNING_SCRIPTS = 1000
EVENT_JOURNAL_SIZE = 1000


@dataclass(frozen=True, slots=True)
class OktellLimits:
    """Upload limits: bytes per file, bytes per request, files per request."""

    max_upload_file_bytes: int = 8 * 1024 * 1024
    max_upload_request_bytes: int = 16 * 1024 * 1024
    max_upload_files: int = 32


@dataclass(frozen=True, slots=True)
class ScriptResult:
    """What a service script run gave: its return value and output, or why not."""

    return_value: str | None = None
    output: str | None = None
    timed_out: bool = False
    error: str | None = None
    started: bool = True


class OktellPbx:
    def __init__(
        self,
        *,
        clock: SimClock,
        files_dir: Path,
        licence: object,
        limits: OktellLimits | None = None,
        runtime: WorldRuntime | None = None,
        directory: Directory | None = None,
        scripts: ScriptRegistry | None = None,
        antifraud: AntiFraudLink | None = None,
        scheduler: Scheduler | None = None,
        record_calls: bool = True,
    ) -> None:
        self.clock = clock
        self.files_dir = files_dir
        self.licence = licence
        self.limits = limits or OktellLimits()
        self.runtime = runtime or WorldRuntime(clock=clock)
        self.scheduler = scheduler or Scheduler(clock)
        self.directory = directory or default_directory()
        self.scripts = scripts or ScriptRegistry()
        for folder in ("UploadData", "rec", "fax"):
            (files_dir / folder).mkdir(parents=True, exist_ok=True)
        self.recorder = Recorder(files_dir / "rec") if record_calls else None
        self._added_recordings: dict[str, Path] = {}
        self.calls = CallEngine(
            self.directory, self.runtime, self.scheduler, antifraud, recorder=self.recorder
        )
        self.events: deque[dict[str, object]] = deque(maxlen=EVENT_JOURNAL_SIZE)
        self._running: set[asyncio.Task[ScriptResult]] = set()

    @property
    def recordings(self) -> Mapping[str, Path]:
        """Record id or record link -> the recorded file (recordings.py, add_recording)."""
        if self.recorder is None:
            return self._added_recordings
        return ChainMap(self._added_recordings, self.recorder.index)

    def add_recording(self, key: str, path: Path) -> None:
        """File a recording made elsewhere (tests, the control API) under ``key``."""
        self._added_recordings[key] = path

    def note(self, kind: str, **fields: object) -> None:
        self.events.append({"at": self.clock.wall(), "kind": kind, **fields})

    # --- waiting on the simulated clock -------------------------------------------
    async def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` of simulated time."""
        await self.wait_event(asyncio.Event(), seconds)

    async def wait_event(self, event: asyncio.Event, seconds: float) -> bool:
        """Wait until ``event`` is set or ``seconds`` of simulated time pass; True if set."""
        if event.is_set():
            return True
        expired = False

        def expire() -> None:
            nonlocal expired
            expired = True
            event.set()

        timer = self.scheduler.call_later(seconds, expire, "oktell wait")
        try:
            await event.wait()
        finally:
            timer.cancel()
        return not expired

    # --- service scripts --------------------------------------------------------------
    async def run_script(
        self, name: str, startparams: list[str], timeout: float | None
    ) -> ScriptResult:
        """Run the service script ``name`` with startparam1..5 (within ``timeout``)."""
        task = self.start_script(name, startparams)
        if isinstance(task, ScriptResult):
            return task
        if timeout is None:
            return await asyncio.shield(task)
        finished = asyncio.Event()
        task.add_done_callback(lambda _: finished.set())
        await self.wait_event(finished, timeout)
        if not task.done():
            return ScriptResult(timed_out=True)
        return task.result()

    def start_script(
        self, name: str, startparams: list[str]
    ) -> asyncio.Task[ScriptResult] | ScriptResult:
        """Start ``name`` running on its own (async=1); a ScriptResult when it cannot start."""
        script = self.scripts.get(name)
        if script is None:
            return ScriptResult(error=f"no service script {name!r}", started=False)
        if len(self._running) >= MAX_RUNNING_SCRIPTS:
            return ScriptResult(error="too many scripts running", started=False)
        params = tuple((list(startparams) + [""] * PARAM_COUNT)[:PARAM_COUNT])
        context = ScriptContext(name, params, self)

        async def run() -> ScriptResult:
            try:
                output = await script(context)
            except ScriptFailed as failed:
                self.note("script", name=name, error=str(failed))
                return ScriptResult(error=str(failed))
            self.note("script", name=name, returnvalue=output.return_value)
            return ScriptResult(output.return_value, output.output)

        task = asyncio.get_running_loop().create_task(run())
        self._running.add(task)
        task.add_done_callback(self._running.discard)
        return task

    def reset(self) -> None:
        for task in list(self._running):
            task.cancel()
        self.calls.reset()
        if self.recorder is not None:
            self.recorder.clear()
        self.events.clear()

    async def close(self) -> None:
        for task in list(self._running):
            task.cancel()
        for task in list(self._running):
            await cancel_and_wait(task, errors="ignore")
