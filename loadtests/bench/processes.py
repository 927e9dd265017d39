"""Starting the servers under test and making sure they die with the benchmark.

How it works: ``ProcessSupervisor`` is a context manager. ``start_server``
launches a command in its own session (so a Ctrl-C at the terminal reaches
the benchmark, which then shuts children down in order), pinned to a CPU
and niced through ``preexec_fn`` (``Placement``), with a fresh ready-file path appended as
``--ready-file``; it polls that file until it holds JSON with a ``primary``
URL (the simulators) or a ``host`` and ``port`` (``nabat serve``, whose URL
is then ``tls://host:port``), failing early if the process exits and
showing its output. ``env`` adds variables to the child's environment. On exit —
normal, exception, Ctrl-C or SIGTERM (turned into ``SystemExit`` by
``terminate_on_sigterm``) — every process still running is sent SIGTERM,
then SIGKILL after a grace period. Only the processes started here are
signalled, by their process-group id (each is its own group leader).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType, TracebackType

from nabat.loadtests.bench.cpus import Placement


class ServerStartError(RuntimeError):
    """A server under test did not come up."""


@dataclass
class ServerProcess:
    """A started server: its process, its URL and where its output goes."""

    name: str
    process: subprocess.Popen[bytes]
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


class ProcessSupervisor:
    """Owns every child process of one benchmark run."""

    def __init__(self, grace_seconds: float = 5.0) -> None:
        self._grace = grace_seconds
        self._children: list[subprocess.Popen[bytes]] = []
        self._workdir = Path(tempfile.mkdtemp(prefix="nabat-bench-"))

    def __enter__(self) -> ProcessSupervisor:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop_all()
        shutil.rmtree(self._workdir, ignore_errors=True)

    @property
    def workdir(self) -> Path:
        return self._workdir

    def start_server(
        self,
        name: str,
        command: Sequence[str],
        placement: Placement,
        timeout: float = 60.0,
        env: dict[str, str] | None = None,
    ) -> ServerProcess:
        """Start ``command + ["--ready-file", F]`` and wait until F names its URL."""
        ready_path = self._workdir / f"{name}.ready.json"
        log_path = self._workdir / f"{name}.log"
        ready_path.unlink(missing_ok=True)
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [*command, "--ready-file", str(ready_path)],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=placement.preexec(),
                start_new_session=True,
                env=None if env is None else {**os.environ, **env},
            )
        self._children.append(process)
        deadline = time.monotonic() + timeout
        while True:
            ready = _read_ready_file(ready_path)
            if ready is not None:
                return ServerProcess(name, process, ready_url(ready) or "", log_path, ready)
            if process.poll() is not None:
                server = ServerProcess(name, process, "", log_path)
                raise ServerStartError(
                    f"{name} exited with code {process.returncode} before it was ready; "
                    f"command: {' '.join(command)}\n--- its output ---\n{server.log_tail()}"
                )
            if time.monotonic() > deadline:
                self.stop(process)
                raise ServerStartError(f"{name} was not ready within {timeout:.0f} s")
            time.sleep(0.05)

    def stop(self, process: subprocess.Popen[bytes]) -> None:
        """SIGTERM, wait, then SIGKILL one child (by its process group)."""
        if process.poll() is None:
            _signal_group(process, signal.SIGTERM)
            try:
                process.wait(timeout=self._grace)
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait()
        if process in self._children:
            self._children.remove(process)

    def stop_all(self) -> None:
        # Newest first; keep going even when one of them misbehaves.
        for process in reversed(list(self._children)):
            with contextlib.suppress(Exception):
                self.stop(process)


def _signal_group(process: subprocess.Popen[bytes], signum: signal.Signals) -> None:
    """Signal the child's process group (it leads one: ``start_new_session``)."""
    try:
        os.killpg(process.pid, signum)
    except ProcessLookupError:
        pass
    except PermissionError:
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signum)


def _read_ready_file(path: Path) -> dict[str, object] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if isinstance(data, dict) and ready_url(data) is not None:
        return data
    return None


def ready_url(ready: dict[str, object]) -> str | None:
    """The server's URL from its ready file: ``primary``, else ``tls://host:port``."""
    primary = ready.get("primary")
    if isinstance(primary, str):
        return primary
    host, port = ready.get("host"), ready.get("port")
    if isinstance(host, str) and isinstance(port, int) and not isinstance(port, bool):
        return f"tls://{host}:{port}"
    return None


@contextlib.contextmanager
def terminate_on_sigterm() -> Iterator[None]:
    """Turn SIGTERM into SystemExit(143) while inside, so ``finally`` blocks run."""

    def handler(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread: nothing to install
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def python_module_command(module: str, *args: str) -> list[str]:
    """``[sys.executable, "-m", module, *args]``: children use the same interpreter."""
    return [sys.executable, "-m", module, *args]
