"""The ATS suite's setup mistakes through `nabat conformance ats`: a --target
without a scheme, a refused or a silent port cannot be tested (3, a setup
mistake, as issue 10 asks); each in one line, with no traceback and no case run."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NABAT = Path(sys.executable).with_name("nabat")


def _ats(target: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(NABAT), "conformance", "ats", "--target", target,
                           "--target-timeout", "1"],
                          capture_output=True, text=True, timeout=60, cwd=ROOT)


def _check(done: subprocess.CompletedProcess[str], code: int, cause: str) -> None:
    output = done.stdout + done.stderr
    assert done.returncode == code, output[-3000:]
    # one line on stderr, before pytest starts
    assert done.stdout == "" and len(done.stderr.splitlines()) == 1, output[-3000:]
    assert done.stderr.startswith("nabat conformance ats: ") and cause in done.stderr, output


def test_a_target_without_a_scheme_cannot_be_tested() -> None:
    _check(_ats("127.0.0.1:8085"), 3,
           "could not test: --target must be an http:// or https:// URL")


def test_a_refused_port_cannot_be_tested() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    _check(_ats(f"http://127.0.0.1:{port}"), 3, "connection refused by 127.0.0.1")


def test_a_silent_port_cannot_be_tested() -> None:
    with socket.create_server(("127.0.0.1", 0), backlog=8) as listener:  # never accepted
        port = listener.getsockname()[1]
        _check(_ats(f"http://127.0.0.1:{port}"), 3, "sent no HTTP answer within 1 s")
