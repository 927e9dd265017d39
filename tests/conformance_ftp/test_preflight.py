"""The FTP suite's pre-flight: each setup mistake ends at once with one line naming
the cause (exit code 3 from the command line, no traceback, no case run), and a
refused login is tried exactly once (accounts lock)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from nabat.conformance.framework import RunConfig
from nabat.conformance.framework.setup import SetupError
from nabat.conformance.ftp_platform.binding import FtpBinding

from tests.conformance_ftp.fakes import listener
from tests.conformance_ftp.sim import LOGIN, PASSWORD, platform
from tests.suite_preflight import free_port

ROOT = Path(__file__).resolve().parents[2]
NABAT = Path(sys.executable).with_name("nabat")
NOT_TESTED, USAGE = 3, 2
FAST = 20.0

FTP_NO_TLS = {
    "USER": b"331 Password required.\r\n",
    "PASS": b"230 Logged in.\r\n",
    "AUTH": b"500 Command not understood.\r\n",
    "QUIT": b"221 Bye.\r\n",
}
FTP_REFUSING = {
    "USER": b"331 Password required.\r\n",
    "PASS": b"530 Authentication failed.\r\n",
    "QUIT": b"221 Bye.\r\n",
}


def preflight_error(target: str, **options: object) -> str:
    values = {"login": LOGIN, "password": PASSWORD, "address": ["79030000001"], **options}
    binding = FtpBinding(RunConfig(target=target, timeout=1.0, suite_options=values))
    started = time.monotonic()
    with pytest.raises(SetupError) as caught:
        binding.preflight()
    binding.close()
    assert time.monotonic() - started < 5.0
    line = str(caught.value)
    assert "\n" not in line
    return line


def test_connection_refused() -> None:
    port = free_port()
    assert "connection refused by 127.0.0.1:" in preflight_error(f"127.0.0.1:{port}")


def test_a_silent_port() -> None:
    with listener(None) as (port, _):
        assert "sent no FTP greeting" in preflight_error(f"127.0.0.1:{port}")


def test_not_an_ftp_greeting() -> None:
    with listener(b"HTTP/1.1 400 Bad Request\r\n\r\n") as (port, _):
        assert "does not speak FTP" in preflight_error(f"127.0.0.1:{port}")


def test_tls_against_a_server_without_auth_tls() -> None:
    with listener(b"220 ready\r\n", FTP_NO_TLS) as (port, seen):
        line = preflight_error(f"127.0.0.1:{port}", tls=True, insecure=True)
    assert "does not offer explicit FTPS" in line
    assert seen["USER"] == 0 and seen["PASS"] == 0  # no password sent in clear text


def test_a_refused_login_is_tried_once() -> None:
    with listener(b"220 ready\r\n", FTP_REFUSING) as (port, seen):
        line = preflight_error(f"127.0.0.1:{port}")
    assert "refused the login" in line and "will not try again" in line
    assert seen["PASS"] == 1


def test_an_untrusted_certificate_and_a_missing_ca() -> None:
    with platform() as sim:
        target = f"{sim.host}:{sim.port}"
        line = preflight_error(target, tls=True)
        assert "is not trusted by the system CAs" in line
        line = preflight_error(target, tls=True, ca=str(ROOT / "pyproject.toml"))
        assert "--ca" in line and "pyproject.toml" in line
        line = preflight_error(target, tls=True, ca=str(ROOT / "no-such-ca.pem"))
        assert "no such file" in line


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    started = time.monotonic()
    done = subprocess.run(
        [str(NABAT), "conformance", "ftp", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert time.monotonic() - started < FAST, done.stdout[-2000:]
    return done


def assert_not_tested(done: subprocess.CompletedProcess[str], cause: str) -> None:
    output = done.stdout + done.stderr
    assert done.returncode == NOT_TESTED, output[-3000:]
    assert "Traceback" not in output, output[-3000:]
    lines = [line for line in output.splitlines() if "could not test:" in line]
    assert len(lines) == 1 and cause in lines[0], output[-3000:]
    assert " PASSED" not in output and " FAILED" not in output


def test_the_command_says_could_not_test_in_one_line() -> None:
    port = free_port()
    base = ["--login", "guest", "--password", "guest", "--address", "79030000001"]
    assert_not_tested(cli("--target", f"127.0.0.1:{port}", *base), "connection refused")
    with listener(b"220 ready\r\n", FTP_REFUSING) as (port, seen):
        assert_not_tested(cli("--target", f"127.0.0.1:{port}", *base), "refused the login")
    assert seen["PASS"] == 1


def test_usage_mistakes_are_exit_code_2() -> None:
    done = cli("--target", "127.0.0.1:2121", "--login", "guest", "--password", "guest")
    assert done.returncode == USAGE, done.stdout + done.stderr
    assert "--address" in done.stdout + done.stderr
