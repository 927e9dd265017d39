"""Resident memory of a process, read from /proc/PID/status.

How it works: ``VmRSS`` is the resident set size the kernel reports in kB;
the benchmark reads it before and after filling the simulator's store and
divides the difference by the number of entries added. Resident memory
includes what the allocator keeps but has not returned, so it is an upper
bound of the store's own footprint, which is what an operator pays for.
"""

from __future__ import annotations

from pathlib import Path


class MemoryProbeError(RuntimeError):
    """The process's memory cannot be read (not Linux, or it has exited)."""


def read_status_kb(pid: int, field: str, proc_root: Path = Path("/proc")) -> int:
    """A ``kB`` field (``VmRSS``, ``VmHWM``...) of /proc/PID/status, in kB."""
    try:
        text = (proc_root / str(pid) / "status").read_text(encoding="ascii", errors="replace")
    except OSError as exc:
        raise MemoryProbeError(f"cannot read /proc/{pid}/status: {exc}") from exc
    return parse_status_kb(text, field)


def parse_status_kb(status_text: str, field: str) -> int:
    prefix = field + ":"
    for line in status_text.splitlines():
        if line.startswith(prefix):
            parts = line[len(prefix):].split()
            if len(parts) == 2 and parts[1] == "kB" and parts[0].isdigit():
                return int(parts[0])
    raise MemoryProbeError(f"no {field} in /proc status")


def rss_bytes(pid: int) -> int:
    """The process's resident set size in bytes."""
    return read_status_kb(pid, "VmRSS") * 1024
