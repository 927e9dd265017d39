"""Pre-flight of the server suite, end to end through `nabat conformance server`
on loopback: each setup mistake ends within seconds with exit code 3 (could
not test), one line naming the cause and no traceback, before any case; a
wrong password is tried once, so the administrator is not locked out."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from nabat.conformance.framework import RunConfig
from nabat.conformance.server.binding import ServerBinding
from nabat.simulators.server_fixture import NabatServerHandle, start_nabat_server
from nabat.system.server.settings import LoginPolicy
from nabat.system.tls.certs import make_self_signed

from tests.conformance_server.conftest import ADMIN, ADMIN_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
NABAT = Path(sys.executable).with_name("nabat")
NOT_TESTED = 3
FAST = 20.0  # seconds: generous on a loaded 2-core machine; the old behaviour took minutes


@pytest.fixture(scope="module")
def strict_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NabatServerHandle]:
    """A server that locks the administrator after two failed logins."""
    running = start_nabat_server(tmp_path_factory.mktemp("nabat-preflight"), synthesiser=None,
                                 login=LoginPolicy(delay=0.1, max_failures=2, lockout=300.0))
    yield running
    running.stop()


def _suite(target: str, *extra: str, ca: str | None = None,
           password: str = ADMIN_PASSWORD) -> subprocess.CompletedProcess[str]:
    args = [str(NABAT), "conformance", "server", "--target", target, "--login", ADMIN,
            "--password", password, "--target-timeout", "1", "--run-prefix", "conf-pre"]
    args += ["--ca", ca] if ca else ["--insecure"]
    started = time.monotonic()
    done = subprocess.run([*args, *extra], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert time.monotonic() - started < FAST, done.stdout[-2000:]
    return done


def _assert_not_tested(done: subprocess.CompletedProcess[str], cause: str) -> str:
    output = done.stdout + done.stderr
    assert done.returncode == NOT_TESTED, output[-3000:]
    assert "Traceback" not in output, output[-3000:]
    # ONE line, on stderr, before pytest starts: no session header, no "!!! Exit" frame
    assert done.stdout == "" and len(done.stderr.splitlines()) == 1, output[-3000:]
    line = done.stderr.strip()
    assert line.startswith("nabat conformance server: could not test: "), line
    assert cause in line, line
    return line


def _admin_can_log_in(server: NabatServerHandle) -> bool:
    config = RunConfig(target=server.target, timeout=3.0,
                       suite_options={"login": ADMIN, "password": ADMIN_PASSWORD,
                                      "ca": str(server.cafile)})
    binding = ServerBinding(config)
    binding.preflight()  # raises SetupError when the login is refused
    return True


def test_a_wrong_password_is_tried_once_and_locks_nothing(strict_server: NabatServerHandle,
                                                         tmp_path: Path) -> None:
    # The server locks the pair after two failures: one run must make exactly one.
    done = _suite(strict_server.target, ca=str(strict_server.cafile), password="not-the-password")
    line = _assert_not_tested(done, "wrong --login or --password")
    assert "will not retry" in line and "not-the-password" not in done.stdout + done.stderr
    assert "%20" not in line  # the server's reason decoded, as a person reads it
    assert _admin_can_log_in(strict_server)


def test_connection_refused(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    _assert_not_tested(_suite(f"127.0.0.1:{port}"), "connection refused")


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A listening socket that accepts and never says anything."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    for sock in accepted:
        sock.close()
    listener.close()


def test_a_silent_port(silent_port: int) -> None:
    _assert_not_tested(_suite(f"127.0.0.1:{silent_port}"), "sent no TLS ServerHello within 1 s")


@pytest.fixture
def plain_tcp_port() -> Iterator[int]:
    """A plain-text line service: answers every connection with a greeting line."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn = listener.accept()[0]
            except TimeoutError:
                continue
            with conn:
                conn.sendall(b"PING OK\r\nHELLO plain text service\r\n")
                conn.settimeout(0.2)
                with contextlib.suppress(OSError):
                    conn.recv(4096)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    listener.close()


def test_a_plain_tcp_target(plain_tcp_port: int) -> None:
    _assert_not_tested(_suite(f"127.0.0.1:{plain_tcp_port}"),
                       "the target does not speak TLS on this port")


def test_a_wrong_ca(strict_server: NabatServerHandle, tmp_path: Path) -> None:
    other = tmp_path / "other-ca.pem"
    other.write_bytes(make_self_signed("127.0.0.1")[0])
    line = _assert_not_tested(_suite(strict_server.target, ca=str(other)), "is not trusted by")
    assert str(other) in line


def test_a_ca_file_that_is_not_pem(strict_server: NabatServerHandle, tmp_path: Path) -> None:
    garbage = tmp_path / "ca.der"
    garbage.write_bytes(b"\x30\x82\x01\x0a not a certificate at all")
    done = _suite(strict_server.target, ca=str(garbage))
    line = _assert_not_tested(done, "is not a PEM certificate")  # was 3,050 lines
    assert str(garbage) in line


def test_the_reports_asked_for_say_why_nothing_was_tested(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    junit = tmp_path / "not" / "yet" / "there" / "server.xml"
    report = tmp_path / "json" / "server.json"
    done = _suite(f"127.0.0.1:{port}", "--junit", str(junit), "--json", str(report))
    _assert_not_tested(done, "connection refused")
    assert "connection refused" in junit.read_text(encoding="utf-8")
    assert '"not tested"' in report.read_text(encoding="utf-8")
