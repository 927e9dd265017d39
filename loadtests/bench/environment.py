"""What the figures were measured on: recorded with them in the JSON.

How it works: cheap reads only — Python and library versions, the kernel,
the CPU model from /proc/cpuinfo, the CPU count, ``wrk -v``'s first line
and the git commit of the code measured (``+dirty`` with uncommitted
changes to tracked files). Absolute figures drift between machines; this
says which one and which code.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def cpu_model() -> str | None:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.partition(":")[2].strip()
    except OSError:
        pass
    return platform.processor() or None


def wrk_version(wrk: str | None) -> str | None:
    if wrk is None:
        return None
    try:
        completed = subprocess.run(
            [wrk, "-v"], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    output = (completed.stdout or completed.stderr).strip()
    return output.splitlines()[0] if output else None


def git_revision(directory: Path) -> str | None:
    """``<commit>`` or ``<commit>+dirty`` of the checkout holding the code, if any."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"], cwd=directory,
            capture_output=True, text=True, timeout=10, check=False,
        )
        if head.returncode != 0:
            return None
        status = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=directory,
            capture_output=True, text=True, timeout=10, check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    dirty = "+dirty" if status.returncode == 0 and status.stdout.strip() else ""
    return head.stdout.strip() + dirty


def describe_environment(wrk: str | None) -> dict[str, Any]:
    return {
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "kernel": platform.release(),
        "cpu_model": cpu_model(),
        "cpu_count": os.cpu_count(),
        "uvloop": _version("uvloop"),
        "httptools": _version("httptools"),
        "wrk": wrk_version(wrk),
        "git": git_revision(Path(__file__).resolve().parent),
    }
