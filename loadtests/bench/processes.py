"""Starting the servers under test and making sure they die with the benchmark.

How it works: ``ProcessSupervisor`` is the project's supervised-children
helper (``nabat.simulators.processes.ChildProcesses``: own process group,
death with the parent, SIGTERM/SIGINT turned into a clean shutdown, every
child stopped on the way out) plus a scratch directory and ``start_server``.
That launches a command pinned to a CPU and niced (``Placement``) with a
fresh ready-file path appended as ``--ready-file``, and waits
(``nabat.system.runtime.ready``) until the file holds a ``primary`` URL
(the simulators) or a ``host`` and ``port`` (``nabat serve``, whose URL is
then ``tls://host:port``), failing early with the server's output if it
exits first.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from nabat.loadtests.bench.cpus import Placement
from nabat.simulators.processes import ChildProcesses
from nabat.system.runtime.ready import ReadyFileError, wait_for_ready_file


class ServerStartError(RuntimeError):
    """A server under test did not come up."""


@dataclass
class ServerProcess:
    """A started server: its process, its URL and where its output goes."""

    name: str
    process: subprocess.Popen[Any]
    url: str
    log_path: Path
    ready: dict[str, object] = field(default_factory=dict)

    @property
    def pid(self) -> int:
        return self.process.pid

    def log_tail(self, max_chars: int = 4000) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return text[-max_chars:]


class ProcessSupervisor(ChildProcesses):
    """Owns every child process of one benchmark run, and a scratch directory."""

    def __init__(self, grace_seconds: float = 5.0) -> None:
        super().__init__(grace_seconds)
        self.workdir = Path(tempfile.mkdtemp(prefix="nabat-bench-"))

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            super().__exit__(exc_type, exc, tb)
        finally:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def start_server(
        self,
        name: str,
        command: Sequence[str],
        placement: Placement,
        timeout: float = 60.0,
        env: dict[str, str] | None = None,
    ) -> ServerProcess:
        """Start ``command + ["--ready-file", F]`` and wait until F names its URL."""
        ready_path = self.workdir / f"{name}.ready.json"
        log_path = self.workdir / f"{name}.log"
        ready_path.unlink(missing_ok=True)
        with log_path.open("wb") as log:
            process = self.start(
                [*command, "--ready-file", str(ready_path)],
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                preexec=placement.preexec(),
            )
        try:
            ready = wait_for_ready_file(
                ready_path, process, timeout=timeout, accept=lambda info: bool(ready_url(info))
            )
        except ReadyFileError as error:
            self.stop(process)
            output = ServerProcess(name, process, "", log_path).log_tail()
            raise ServerStartError(
                f"{name}: {error}; command: {' '.join(command)}\n--- its output ---\n{output}"
            ) from None
        return ServerProcess(name, process, ready_url(ready) or "", log_path, ready)


def ready_url(ready: dict[str, object]) -> str | None:
    """The server's URL from its ready file: ``primary``, else ``tls://host:port``."""
    primary = ready.get("primary")
    if isinstance(primary, str):
        return primary
    host, port = ready.get("host"), ready.get("port")
    if isinstance(host, str) and isinstance(port, int) and not isinstance(port, bool):
        return f"tls://{host}:{port}"
    return None


def python_module_command(module: str, *args: str) -> list[str]:
    """``[sys.executable, "-m", module, *args]``: children use the same interpreter."""
    return [sys.executable, "-m", module, *args]
