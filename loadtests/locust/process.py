"""Runs a load plan: one Locust process, or a master plus local workers; cleans up.

How it works: every Locust process is a supervised child
(``nabat.simulators.processes.ChildProcesses``: its own session, killed with
this runner if the runner is SIGKILLed). A Ctrl-C at the terminal or a SIGTERM
reaches only this runner, which then sends SIGTERM to the master (or the
single process): Locust's SIGTERM handler stops the test, writes its CSV/HTML
reports and tells its workers to quit. Whatever happens — normal end, Ctrl-C,
SIGTERM, an exception — workers get a grace period to quit by themselves, and
then every child still running is terminated (SIGTERM), and finally killed
(SIGKILL), so no worker outlives the run. The exit code is the master's
(Locust exits 1 when any request failed, thanks to ``--exit-code-on-error 1``);
a local worker that died by itself during the run makes it 1 as well.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from dataclasses import replace
from typing import Any

from nabat.loadtests.locust.command import (
    LoadPlan,
    master_command,
    remote_worker_hint,
    standalone_command,
    worker_command,
)
from nabat.simulators.processes import ChildProcesses

MASTER_GRACE = 30.0  # after our SIGTERM: time for Locust to stop and write its reports
WORKER_GRACE = 10.0  # after the master ended: time for workers to quit by themselves


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _wait(process: subprocess.Popen[Any], seconds: float) -> int | None:
    with contextlib.suppress(subprocess.TimeoutExpired):
        return process.wait(timeout=seconds)
    return None


def _wait_for_lead(children: ChildProcesses, lead: subprocess.Popen[Any]) -> int:
    """Wait for the master/standalone; on Ctrl-C or SIGTERM, stop it gracefully first."""
    try:
        return lead.wait()
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM (ChildProcesses raises Shutdown)
        print("nabat load: stopping Locust (reports are being written) ...", file=sys.stderr)
        return children.stop(lead, grace=MASTER_GRACE)  # the block exits 128 + signal


def run_plan(plan: LoadPlan) -> int:
    """Run ``plan`` to its end (bounded by its run time); return the exit code."""
    if not plan.distributed:
        with ChildProcesses(grace=MASTER_GRACE) as children:
            return _wait_for_lead(children, children.start(standalone_command(plan)))
    if plan.master_port == 0:
        plan = replace(plan, master_port=free_port(plan.master_bind_host))
    if plan.remote_workers:
        print(f"nabat load: waiting for {plan.remote_workers} remote worker(s); on each run:")
        print(f"  {remote_worker_hint(plan)}", flush=True)
    with ChildProcesses(grace=MASTER_GRACE) as children:
        lead = children.start(master_command(plan))
        workers = [children.start(worker_command(plan)) for _ in range(plan.workers)]
        try:
            code = _wait_for_lead(children, lead)
            died = [w.returncode for w in workers if w.poll() is not None and w.returncode != 0]
            if died and code == 0:
                print(f"nabat load: {len(died)} worker(s) died during the run", file=sys.stderr)
                code = 1
            return code
        finally:
            # Interrupted: the master has written its reports; the workers just go.
            grace = 0.0 if children.signalled is not None else WORKER_GRACE
            deadline = time.monotonic() + grace
            for worker in workers:
                _wait(worker, max(0.0, deadline - time.monotonic()))
