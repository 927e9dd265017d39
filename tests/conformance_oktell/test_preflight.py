"""The Oktell pre-flight failures end at once with exit code 3 and one line naming the
cause (no traceback, no case run); a refused password is tried once; --inventory needs
no target."""

from __future__ import annotations

import socket
import subprocess
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from nabat.conformance.framework.setup import SetupError
from nabat.conformance.oktell.binding import OktellBinding
from nabat.simulators.oktell.fixture import OktellSimulatorHandle, start_oktell_simulator

from tests.conformance_oktell.sim import run_config
from tests.suite_preflight import free_port, nabat_conformance, silent_listener


def _nabat(*args: str) -> subprocess.CompletedProcess[str]:
    return nabat_conformance("oktell", *args)


def _run(target: str, **options: Any) -> tuple[int, str]:
    binding = OktellBinding(run_config(target, timeout=2.0, **options))
    try:
        binding.preflight()
    except SetupError as exc:
        assert "\n" not in str(exc)
        return 3, str(exc)
    finally:
        binding.close()
    return 0, ""


@pytest.fixture(scope="module")
def sim() -> Iterator[OktellSimulatorHandle]:
    handle = start_oktell_simulator(password="abc")
    yield handle
    handle.stop()


@pytest.fixture
def silent_port() -> Iterator[int]:
    with silent_listener() as port:
        yield port


def test_a_url_without_scheme_or_with_a_command_is_not_tested(sim: OktellSimulatorHandle) -> None:
    host = sim.url.split("//", 1)[1]
    assert _run(host, password="abc")[1].startswith("--target must be an http://")
    assert "without a command" in _run(sim.url + "/execsvcscript", password="abc")[1]


def test_refused_silent_and_not_http_ports_are_not_tested(silent_port: int) -> None:
    free = free_port()
    code, text = _run(f"http://127.0.0.1:{free}")
    assert code == 3 and "connection refused" in text
    code, text = _run(f"http://127.0.0.1:{silent_port}")
    assert code == 3 and "no HTTP answer within 2 s" in text


def test_tls_against_a_plain_port_is_not_tested(sim: OktellSimulatorHandle) -> None:
    code, text = _run(sim.url.replace("http://", "https://"), password="abc")
    assert code == 3 and "TLS" in text, text


def test_a_garbage_speaking_port_is_not_http() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        port = listener.getsockname()[1]

        def serve() -> None:
            connection, _ = listener.accept()
            with connection:
                connection.recv(1024)
                connection.sendall(b"\x16\x03\x01garbage that is not HTTP\r\n\r\n")

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        code, text = _run(f"http://127.0.0.1:{port}")
        thread.join(5)
    assert code == 3 and ("HTTP" in text), text


def test_a_wrong_password_is_refused_once(sim: OktellSimulatorHandle) -> None:
    before = len(sim.control.journal(1000))
    code, text = _run(sim.url, password="wrong")
    assert code == 3 and text.startswith("the PBX refused the password (HTTP 403")
    assert len(sim.control.journal(1000)) == before + 1
    code, text = _run(sim.url)
    assert code == 3 and "give --password" in text


def test_an_unknown_user_or_line_is_not_tested(sim: OktellSimulatorHandle) -> None:
    code, text = _run(sim.url, password="abc", user="nobody-here", line="16038")
    assert code == 3 and "does not know --user 'nobody-here'" in text
    code, text = _run(sim.url, password="abc", user="ivan", line="99999")
    assert code == 3 and "does not know --line '99999'" in text
    assert _run(sim.url, password="abc", user="ivan", line="16038") == (0, "")


def test_the_command_exits_3_with_one_line(sim: OktellSimulatorHandle) -> None:
    done = _nabat("--target", sim.url, "--password", "wrong", "--target-timeout", "2")
    assert done.returncode == 3, done.stdout + done.stderr
    assert "the PBX refused the password" in done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr


def test_inventory_needs_no_target() -> None:
    done = _nabat("--inventory")
    assert done.returncode == 0, done.stderr
    assert "OKT-SCRIPT-TIMEOUT" in done.stdout and "UNCHECKED" in done.stdout
