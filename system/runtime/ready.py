"""The ready file: how a process tells its starter it is listening, and where.

``write_ready_file`` writes ``info`` plus the writer's ``pid`` as one JSON
object to a temporary file in the same directory, flushes it and renames it
over ``path`` (``os.replace`` is atomic on one file system), so a reader
sees either no file or the whole of it, never half. ``read_ready_file``
returns that object, or None while it does not exist yet (or is not a JSON
object). ``wait_for_ready_file`` polls it until it appears, the child
process exits, or the timeout passes.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any


class ReadyFileError(RuntimeError):
    """The process exited, or did not write its ready file in time."""


def write_ready_file(path: Path, info: Mapping[str, object]) -> None:
    """Write ``info`` and this process's pid to ``path`` as JSON, atomically."""
    text = json.dumps({**info, "pid": os.getpid()})
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read_ready_file(path: Path) -> dict[str, Any] | None:
    """The ready file's JSON object, or None when there is none (yet)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def wait_for_ready_file(
    path: Path,
    process: subprocess.Popen[Any] | None = None,
    *,
    timeout: float,
    accept: Callable[[dict[str, Any]], bool] = lambda info: True,
    poll_interval: float = 0.05,
) -> dict[str, Any]:
    """Poll ``path`` until it holds a JSON object that ``accept`` takes.

    ``ReadyFileError`` when ``process`` (if given) exits first or ``timeout``
    seconds pass; the process is left running in the latter case (the caller
    owns it and stops it).
    """
    deadline = time.monotonic() + timeout
    while True:
        info = read_ready_file(path)
        if info is not None and accept(info):
            return info
        if process is not None and process.poll() is not None:
            raise ReadyFileError(f"process exited with code {process.returncode} before ready")
        if time.monotonic() > deadline:
            raise ReadyFileError(f"no ready file at {path} after {timeout:g} s")
        time.sleep(poll_interval)
