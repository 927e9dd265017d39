"""Supervised child processes: whatever way the parent ends, its children end too.

How it works: ``ChildProcesses`` is a context manager that owns every child a
command starts (the demo's simulator or server, a benchmark's servers and
load generators, Locust's master and workers). ``start`` runs a command in a
new session, so it leads its own process group and a Ctrl-C at the terminal
reaches only the parent, which then shuts the children down in order. On
Linux the child also asks the kernel (``prctl(PR_SET_PDEATHSIG, SIGKILL)``,
between fork and exec) to be killed when the parent dies, which covers the
one way out no handler sees: a SIGKILLed parent. While inside the block,
SIGTERM and SIGINT raise ``Shutdown`` (a ``KeyboardInterrupt``) in the main
thread, once: ``finally`` blocks run and a second signal cannot interrupt the
clean-up. On leaving the block — normal end, exception or signal — every
child still running gets SIGTERM to its whole process group, then SIGKILL
after the grace period, newest first; when a signal arrived, the block then
ends with ``SystemExit(128 + signal number)`` (130 for SIGINT, 143 for
SIGTERM), whatever the code inside made of the interruption.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from types import FrameType, TracebackType
from typing import IO, Any, Self

PR_SET_PDEATHSIG = 1
DEFAULT_GRACE_SECONDS = 5.0


class Shutdown(KeyboardInterrupt):
    """SIGTERM or SIGINT arrived: stop now (raised like Ctrl-C's KeyboardInterrupt,
    which asyncio, pytest and Locust's runner already treat as "stop now")."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"stopped by signal {signum}")
        self.signum = signum


def _die_with_parent(parent_pid: int) -> None:
    """In the child, before exec: be SIGKILLed when the parent dies (Linux only)."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os.kill(os.getpid(), signal.SIGKILL)


def _before_exec(extra: Callable[[], None] | None) -> Callable[[], None]:
    parent_pid = os.getpid()

    def setup() -> None:
        _die_with_parent(parent_pid)
        if extra is not None:
            extra()

    return setup


def _signal_group(process: subprocess.Popen[Any], signum: int) -> None:
    """Signal the child's process group (it leads one), or the child alone."""
    try:
        os.killpg(process.pid, signum)
    except ProcessLookupError:
        pass
    except PermissionError:
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signum)


def stop_process(process: subprocess.Popen[Any], grace: float = DEFAULT_GRACE_SECONDS) -> int:
    """SIGTERM the child's group, wait up to ``grace`` s, then SIGKILL; its exit code."""
    if process.poll() is None:
        _signal_group(process, signal.SIGTERM)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            _signal_group(process, signal.SIGKILL)
            process.wait()
    # The leader is gone; anything it left in its group goes too.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    return process.returncode


class ChildProcesses:
    """Starts children and stops every one of them when the block is left."""

    def __init__(self, grace: float = DEFAULT_GRACE_SECONDS) -> None:
        self.grace = grace
        self._children: list[subprocess.Popen[Any]] = []
        self._previous: dict[int, Any] = {}
        self._shutting_down = False
        self.signalled: int | None = None

    def __enter__(self) -> Self:
        for signum in (signal.SIGTERM, signal.SIGINT):
            try:
                self._previous[signum] = signal.signal(signum, self._on_signal)
            except ValueError:  # not the main thread: the caller handles signals
                break
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._shutting_down = True
        try:
            self.stop_all()
        finally:
            for signum, previous in self._previous.items():
                signal.signal(signum, previous)
            self._previous.clear()
        if self.signalled is not None:
            raise SystemExit(128 + self.signalled) from exc

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        if not self._shutting_down:
            self._shutting_down = True
            self.signalled = signum
            raise Shutdown(signum)

    @property
    def children(self) -> list[subprocess.Popen[Any]]:
        return list(self._children)

    def start(
        self,
        command: Sequence[str],
        *,
        stdout: IO[Any] | int | None = None,
        stderr: IO[Any] | int | None = None,
        env: Mapping[str, str] | None = None,
        preexec: Callable[[], None] | None = None,
        text: bool = False,
    ) -> subprocess.Popen[Any]:
        """Start ``command`` in its own session; ``env`` adds to this environment."""
        process = subprocess.Popen(
            list(command),
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=stderr,
            env=None if env is None else {**os.environ, **env},
            preexec_fn=_before_exec(preexec),
            start_new_session=True,
            text=text,
        )
        self._children.append(process)
        return process

    def run(
        self,
        command: Sequence[str],
        *,
        timeout: float,
        preexec: Callable[[], None] | None = None,
        env: Mapping[str, str] | None = None,
    ) -> subprocess.CompletedProcess[str]:
        """Run ``command`` to its end, capturing its text output (stopped on timeout)."""
        process = self.start(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            preexec=preexec,
            text=True,
        )
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        finally:
            self.stop(process)
        return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)

    def stop(self, process: subprocess.Popen[Any], grace: float | None = None) -> int:
        """Stop one child (SIGTERM to its group, SIGKILL after ``grace``); its exit code."""
        try:
            return stop_process(process, self.grace if grace is None else grace)
        finally:
            if process in self._children:
                self._children.remove(process)

    def stop_all(self) -> None:
        """Stop every child still owned, newest first, whatever one of them does."""
        for process in reversed(self.children):
            with contextlib.suppress(Exception):
                self.stop(process)
