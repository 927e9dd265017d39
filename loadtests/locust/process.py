"""Runs a load plan: one Locust process, or a master plus local workers; cleans up.

How it works: every Locust process is a child in its own session, so a
Ctrl-C at the terminal reaches only this runner, which then sends SIGTERM to
the master (or the single process): Locust's SIGTERM handler stops the test,
writes its CSV/HTML reports and tells its workers to quit (SIGTERM rather
than SIGINT because a child started with SIGINT ignored keeps ignoring it).
SIGTERM to the runner is handled the same way. Whatever happens — normal end, Ctrl-C, an exception —
the ``finally`` block waits a grace period for the children and then
terminates (SIGTERM), and finally kills (SIGKILL), any that are left, so no
worker outlives the run. The exit code is the master's (Locust exits 1 when
any request failed, thanks to ``--exit-code-on-error 1``); a local worker
that died by itself during the run makes it 1 as well.
"""

from __future__ import annotations

import contextlib
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from types import FrameType
from typing import Any

from nabat.loadtests.locust.command import (
    LoadPlan,
    master_command,
    remote_worker_hint,
    standalone_command,
    worker_command,
)

MASTER_GRACE = 30.0  # after our SIGINT: time for Locust to stop and write its reports
WORKER_GRACE = 10.0  # after the master ended: time for workers to quit by themselves
KILL_GRACE = 5.0  # after SIGTERM


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _spawn(argv: list[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(argv, start_new_session=True)


def _wait(process: subprocess.Popen[bytes], seconds: float) -> int | None:
    with contextlib.suppress(subprocess.TimeoutExpired):
        return process.wait(timeout=seconds)
    return None


def _stop(processes: list[subprocess.Popen[bytes]], grace: float) -> None:
    """Wait up to ``grace`` for all, then SIGTERM, then SIGKILL what is left."""
    deadline = time.monotonic() + grace
    for process in processes:
        _wait(process, max(0.0, deadline - time.monotonic()))
    alive = [p for p in processes if p.poll() is None]
    for process in alive:
        with contextlib.suppress(ProcessLookupError):
            process.terminate()
    deadline = time.monotonic() + KILL_GRACE
    for process in alive:
        if _wait(process, max(0.0, deadline - time.monotonic())) is None:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            process.wait()


class _Interrupted(Exception):
    pass


@contextlib.contextmanager
def _signals_interrupt() -> Iterator[None]:
    """Inside the block, SIGINT and SIGTERM raise ``_Interrupted``.

    SIGINT is handled explicitly because Python leaves it ignored when the
    runner was started with SIGINT ignored (e.g. ``&`` in a script). Only the
    first signal raises: later ones must not interrupt the clean-up.
    """
    raised = False

    def handler(signum: int, frame: FrameType | None) -> None:
        nonlocal raised
        if not raised:
            raised = True
            raise _Interrupted()

    previous: dict[signal.Signals, Any] = {}
    try:
        for caught in (signal.SIGINT, signal.SIGTERM):
            previous[caught] = signal.signal(caught, handler)
    except ValueError:  # not the main thread: leave the signals alone
        pass
    try:
        yield
    finally:
        for caught, old in previous.items():
            signal.signal(caught, old)


def _wait_for_lead(lead: subprocess.Popen[bytes]) -> int:
    """Wait for the master/standalone; on Ctrl-C or SIGTERM, stop it gracefully first."""
    try:
        return lead.wait()
    except (KeyboardInterrupt, _Interrupted):
        print("nabat load: stopping Locust (reports are being written) ...", file=sys.stderr)
        with contextlib.suppress(ProcessLookupError):
            lead.terminate()
        code = _wait(lead, MASTER_GRACE)
        return 130 if code is None or code == 0 else code


def run_plan(plan: LoadPlan) -> int:
    """Run ``plan`` to its end (bounded by its run time); return the exit code."""
    if not plan.distributed:
        lead = _spawn(standalone_command(plan))
        with _signals_interrupt():
            try:
                return _wait_for_lead(lead)
            finally:
                _stop([lead], 0.0 if lead.poll() is not None else MASTER_GRACE)
    if plan.master_port == 0:
        plan = replace(plan, master_port=free_port(plan.master_bind_host))
    if plan.remote_workers:
        print(f"nabat load: waiting for {plan.remote_workers} remote worker(s); on each run:")
        print(f"  {remote_worker_hint(plan)}", flush=True)
    lead = _spawn(master_command(plan))
    workers: list[subprocess.Popen[bytes]] = []
    with _signals_interrupt():
        try:
            workers = [_spawn(worker_command(plan)) for _ in range(plan.workers)]
            code = _wait_for_lead(lead)
            died = [w.returncode for w in workers if w.poll() is not None and w.returncode != 0]
            if died and code == 0:
                print(f"nabat load: {len(died)} worker(s) died during the run", file=sys.stderr)
                code = 1
            return code
        finally:
            _stop([lead], MASTER_GRACE if lead.poll() is None else 0.0)
            _stop(workers, WORKER_GRACE)
