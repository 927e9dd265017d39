"""Every command that starts child processes stops them all when it is SIGTERMed.

Each test starts one command (``nabat demo``, ``nabat bench``, ``nabat load``)
as a subprocess with small, loopback-only settings, waits until the children
it must have are running (read from /proc: the descendants of the command),
sends the command SIGTERM mid-run, and checks that the command exits
promptly and that none of its descendants survives (polled in /proc, with a
deadline). The unit tests at the bottom pin the helper itself
(``nabat.simulators.processes``): normal exit, an exception, SIGINT and a
SIGKILLed parent.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from nabat.simulators.processes import ChildProcesses
from nabat.simulators.pytest_plugin import AtsSimulatorHandle

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads child processes from /proc (Linux)"
)

PROC = Path("/proc")
EXIT_DEADLINE_S = 30.0  # the command itself (Locust writes its reports first)
CHILDREN_GONE_DEADLINE_S = 10.0
Process = tuple[int, str]  # (pid, start time in ticks): a pid reused later is another process


def _stat(pid: int) -> tuple[int, str, str] | None:
    """(ppid, state, start time) of a live process, None when it is gone."""
    try:
        text = (PROC / str(pid) / "stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    fields = text[text.rfind(")") + 2 :].split()
    return int(fields[1]), fields[0], fields[19]


def _cmdline(pid: int) -> str:
    try:
        return (PROC / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def descendants(root: int) -> dict[Process, str]:
    """Every live descendant of ``root``: (pid, start time) -> command line."""
    children: dict[int, list[int]] = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))) is not None:
            children.setdefault(stat[0], []).append(int(entry.name))
    found: dict[Process, str] = {}
    stack = list(children.get(root, []))
    while stack:
        pid = stack.pop()
        stat = _stat(pid)
        if stat is not None and stat[1] != "Z":
            found[(pid, stat[2])] = _cmdline(pid)
        stack.extend(children.get(pid, []))
    return found


def is_alive(process: Process) -> bool:
    stat = _stat(process[0])
    return stat is not None and stat[2] == process[1] and stat[1] not in ("Z", "X")


def wait_until(condition: Callable[[], bool], deadline_s: float, poll_s: float = 0.05) -> bool:
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(poll_s)
    return condition()


@pytest.fixture
def run_and_terminate(tmp_path: Path) -> Iterator[Callable[..., None]]:
    """Runs ``nabat ARGS``, waits for children matching every marker (a marker
    given twice needs two) and for ``output_marker`` in its output, SIGTERMs
    it and checks the command ends (with ``exit_code``, 143 unless told) and its
    children with it."""
    seen: dict[Process, str] = {}

    def run(
        args: list[str],
        markers: list[str],
        output_marker: str = "",
        ready_deadline_s: float = 60.0,
        exit_code: int = 128 + signal.SIGTERM,
    ) -> None:
        log = tmp_path / "command.log"
        with log.open("wb") as output:
            command = subprocess.Popen(
                [sys.executable, "-m", "nabat.system.cli.main", *args],
                cwd=tmp_path, stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip

        def children_running() -> bool:
            running = descendants(command.pid)
            seen.update(running)
            return output_marker in log.read_text(errors="replace") and all(
                sum(marker in line for line in running.values()) >= markers.count(marker)
                for marker in markers
            )

        try:
            started = wait_until(children_running, ready_deadline_s, poll_s=0.1)
            assert started, (
                f"children {markers} never ran; saw {list(seen.values())}\n{log.read_text()}"
            )
            assert command.poll() is None, log.read_text()
            os.kill(command.pid, signal.SIGTERM)
            try:
                code = command.wait(timeout=EXIT_DEADLINE_S)
            except subprocess.TimeoutExpired:
                pytest.fail(f"nabat {args[:2]} ignored SIGTERM\n{log.read_text()}")
            assert code == exit_code, f"exit code {code}\n{log.read_text()}"
            seen.update(descendants(command.pid))
            gone = wait_until(lambda: not any(is_alive(p) for p in seen), CHILDREN_GONE_DEADLINE_S)
            survivors = [cmd for p, cmd in seen.items() if is_alive(p)]
            assert gone, f"children survived SIGTERM of nabat {args[:2]}: {survivors}"
        finally:
            if command.poll() is None:
                command.kill()
                command.wait()

    yield run
    for process in seen:  # never leave anything behind, whatever failed
        if is_alive(process):
            os.kill(process[0], signal.SIGKILL)


def test_demo_ats(run_and_terminate: Callable[..., None]) -> None:
    # SIGTERM while the suite runs (in the command's own process, under pytest).
    run_and_terminate(["demo", "ats", "--reports", "reports"], ["sim ats"], "ATS simulator:")


def test_demo_server(run_and_terminate: Callable[..., None]) -> None:
    run_and_terminate(
        ["demo", "server", "--reports", "reports"], [" serve "], "notification server:"
    )


def test_demo_full(run_and_terminate: Callable[..., None]) -> None:
    # SIGTERM while the tasks run: the whole system runs in the command's own process
    # (threads, pseudo-terminals); whatever it started must end with it.
    run_and_terminate(["demo", "--out", "reports"], [], "system up in")


def test_up(run_and_terminate: Callable[..., None], tmp_path: Path) -> None:
    # `nabat up` runs everything in its own process (threads, pseudo-terminals): SIGTERM is
    # its normal way to stop, so it exits 0 (docs/system.md), with nothing left behind.
    from nabat.simulators.system.config import SystemConfig, to_toml, with_free_ports

    config = tmp_path / "nabat.toml"
    config.write_text(to_toml(with_free_ports(SystemConfig())), encoding="utf-8")
    run_and_terminate(["up", "--config", str(config)], [], "Ctrl-C stops everything", exit_code=0)


def test_bench_ats(run_and_terminate: Callable[..., None]) -> None:
    run_and_terminate(
        ["bench", "ats", "--loadgen", "python", "--duration", "30", "--warmup", "0",
         "--rounds", "1", "--registrations", "0", "--quiet-wait", "0", "--noise-retries", "0"],
        ["reference_responder", "bench.loadgen"],
    )  # fmt: skip


def test_bench_verification(run_and_terminate: Callable[..., None]) -> None:
    run_and_terminate(
        ["bench", "verification", "--locust-seconds", "30", "--locust-users", "2"],
        ["sim ats", "locust"],
    )


def test_bench_server(run_and_terminate: Callable[..., None]) -> None:
    run_and_terminate(
        ["bench", "server", "--abonents", "200", "--add-count", "20", "--sessions", "2",
         "--duration", "30", "--warmup", "0"],
        [" serve ", "bench.server_load"],
    )  # fmt: skip


def test_bench_engine(run_and_terminate: Callable[..., None]) -> None:
    run_and_terminate(
        ["bench", "engine", "--abonents", "2000", "--channels", "2", "--speed", "5",
         "--skip-sms", "--skip-recovery"],
        ["sim ats", "sim gsm", " serve "],
    )  # fmt: skip


def test_load_ats(
    run_and_terminate: Callable[..., None], ats_simulator: AtsSimulatorHandle
) -> None:
    run_and_terminate(
        ["load", "ats", "--host", ats_simulator.url, "--users", "2", "--run-time", "60s"],
        ["locust"],
    )


def test_load_ats_with_workers(
    run_and_terminate: Callable[..., None], ats_simulator: AtsSimulatorHandle
) -> None:
    run_and_terminate(
        ["load", "ats", "--host", ats_simulator.url, "--users", "2", "--run-time", "60s",
         "--workers", "2"],
        ["--master", "--worker", "--worker"],
    )  # fmt: skip


# -- the helper itself ---------------------------------------------------------

SLEEPER = [sys.executable, "-c", "import time; time.sleep(60)"]


def _process(pid: int) -> Process:
    stat = _stat(pid)
    assert stat is not None
    return pid, stat[2]


def test_children_stop_on_normal_exit_and_on_an_exception() -> None:
    with ChildProcesses(grace=2.0) as children:
        first = _process(children.start(SLEEPER).pid)
    assert not is_alive(first)
    with pytest.raises(RuntimeError), ChildProcesses(grace=2.0) as children:
        second = _process(children.start(SLEEPER).pid)
        raise RuntimeError("boom")
    assert not is_alive(second)


def test_a_child_ignoring_sigterm_is_killed_after_the_grace_period() -> None:
    stubborn = [sys.executable, "-c",
                "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
                "print('ready', flush=True); time.sleep(60)"]  # fmt: skip
    with ChildProcesses(grace=0.5) as children:
        process = children.start(stubborn, stdout=subprocess.PIPE)
        assert process.stdout is not None and process.stdout.readline() == b"ready\n"
    assert process.returncode == -signal.SIGKILL


PARENT = textwrap.dedent(
    """
    import sys, time
    from nabat.simulators.processes import ChildProcesses
    with ChildProcesses() as children:
        child = children.start([sys.executable, "-c", "import time; time.sleep(60)"])
        print(child.pid, flush=True)
        time.sleep(60)
    """
)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
def test_the_child_dies_with_its_parent(signum: signal.Signals) -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT], stdout=subprocess.PIPE, start_new_session=True
    )
    assert parent.stdout is not None
    child = _process(int(parent.stdout.readline()))
    try:
        parent.send_signal(signum)
        code = parent.wait(timeout=EXIT_DEADLINE_S)
        assert code == (-signal.SIGKILL if signum == signal.SIGKILL else 128 + signum)
        assert wait_until(lambda: not is_alive(child), CHILDREN_GONE_DEADLINE_S)
    finally:
        if is_alive(child):
            os.kill(child[0], signal.SIGKILL)
        if parent.poll() is None:
            parent.kill()
            parent.wait()
