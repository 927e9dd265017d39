"""The simulators of `nabat bench sms` as child processes, and peak memory of both sides.

How it works: ``start_simulator`` runs ``nabat sim <kind> ... --ready-file F``
through the benchmark's ``ProcessSupervisor`` (every child stopped however
the run ends), pinned by its ``Placement``, and waits until the ready file
holds the key the caller needs (``http`` for MFMS, ``control`` for the FTP
platform); a child that exits or stays silent fails with its output.
``cpu_seconds`` reads a process's CPU time from /proc; ``peak_rss_bytes``
reads ``VmHWM`` (the resident high-water mark) of a process;
``reset_own_peak`` resets this process's mark (``clear_refs``), so each part
of the benchmark reports its own peak rather than the previous part's.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nabat.loadtests.bench.cpus import Placement
from nabat.loadtests.bench.cpuwatch import parse_proc_stat_line
from nabat.loadtests.bench.memory import MemoryProbeError, read_status_kb
from nabat.loadtests.bench.processes import ProcessSupervisor, python_module_command
from nabat.system.runtime.ready import ReadyFileError, wait_for_ready_file

TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


class BenchFailed(RuntimeError):
    """A step of the benchmark could not be carried out."""


@dataclass
class Simulator:
    process: subprocess.Popen[Any]
    ready: dict[str, Any]
    log: Path

    def peak_rss(self) -> int | None:
        return peak_rss_bytes(self.process.pid)

    def cpu_seconds(self) -> float | None:
        """User + system CPU time the simulator used so far (every thread)."""
        return cpu_seconds(self.process.pid)


def start_simulator(
    supervisor: ProcessSupervisor,
    kind: str,
    arguments: list[str],
    placement: Placement,
    needs: str,
    timeout: float = 60.0,
) -> Simulator:
    """``nabat sim KIND ARGUMENTS`` until its ready file holds ``needs``."""
    ready_path = supervisor.workdir / f"{kind}.ready.json"
    log_path = supervisor.workdir / f"{kind}.log"
    command = python_module_command(
        "nabat.system.cli.main", "sim", kind, *arguments, "--ready-file", str(ready_path)
    )
    with log_path.open("wb") as log:
        process = supervisor.start(
            command, stdout=log, stderr=subprocess.STDOUT, preexec=placement.preexec()
        )
    try:
        ready = wait_for_ready_file(
            ready_path, process, timeout=timeout, accept=lambda info: bool(info.get(needs))
        )
    except ReadyFileError as error:
        supervisor.stop(process)
        output = log_path.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise BenchFailed(f"nabat sim {kind}: {error}\n--- its output ---\n{output}") from None
    return Simulator(process, ready, log_path)


def peak_rss_bytes(pid: int) -> int | None:
    """The process's peak resident memory (``VmHWM``), or None when it cannot be read."""
    try:
        return int(read_status_kb(pid, "VmHWM")) * 1024
    except MemoryProbeError:
        return None


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of a process from /proc, or None when unreadable."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    parsed = parse_proc_stat_line(text)
    return None if parsed is None else parsed[1] / TICKS


def reset_own_peak() -> None:
    """Start this process's ``VmHWM`` again from its current RSS (Linux; else nothing)."""
    with contextlib.suppress(OSError):
        Path(f"/proc/{os.getpid()}/clear_refs").write_text("5", encoding="ascii")
