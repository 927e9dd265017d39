"""The MFMS pre-flight failures end at once with exit code 3 and one
line naming the cause (no traceback, no case run); --inventory and --help need no
target. The wrong password of a refused login is never tried a second time."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from nabat.conformance.framework.setup import SetupError
from nabat.conformance.mfms.binding import MfmsBinding
from nabat.simulators.mfms.fixture import MfmsSimulatorHandle, start_mfms_simulator

from tests.conformance_mfms.sim import LOGIN, PASSWORD, run_config
from tests.suite_preflight import free_port, nabat_conformance, silent_listener


def _nabat(*args: str) -> subprocess.CompletedProcess[str]:
    return nabat_conformance("mfms", *args)


def _run(target: str, **options: str) -> tuple[int, str, float]:
    """The pre-flight in process: (3, its one line, seconds) or (0, "", seconds)."""
    started = time.monotonic()
    config = run_config(target, timeout=2.0, address=["79031111111"], **options)
    binding = MfmsBinding(config)
    try:
        binding.preflight()
    except SetupError as exc:
        text = str(exc)
        assert "\n" not in text
        return 3, text, time.monotonic() - started
    finally:
        binding.close()
    return 0, "", time.monotonic() - started


@pytest.fixture(scope="module")
def sim() -> Iterator[MfmsSimulatorHandle]:
    handle = start_mfms_simulator()
    yield handle
    handle.stop()


@pytest.fixture
def silent_port() -> Iterator[int]:
    with silent_listener() as port:
        yield port


def test_a_url_without_scheme_or_connector_path_is_not_tested(sim: MfmsSimulatorHandle) -> None:
    host = sim.url.split("//", 1)[1]
    for target, words in (
        (f"{host}/CLIENT/connectorX", "http:// or https://"),
        (sim.url, "name the client and the connector"),
        (sim.url + "/CLIENT/connectorX/send", "without /send"),
    ):
        code, text, _ = _run(target)
        assert code == 3 and words in text, text


def test_refused_and_silent_ports_are_not_tested(silent_port: int) -> None:
    free = free_port()
    code, text, _ = _run(f"http://127.0.0.1:{free}/CLIENT/connectorX")
    assert code == 3 and "connection refused" in text
    code, text, seconds = _run(f"http://127.0.0.1:{silent_port}/CLIENT/connectorX")
    assert code == 3 and "no HTTP answer within 2 s" in text and seconds < 20


def test_tls_mixups_and_an_untrusted_certificate(sim: MfmsSimulatorHandle, tmp_path: Path) -> None:
    tls_host = sim.tls_url.split("//", 1)[1]
    plain_host = sim.url.split("//", 1)[1]
    code, text, _ = _run(f"http://{tls_host}/CLIENT/connectorX")
    assert code == 3 and "https://" in text
    code, text, _ = _run(f"https://{plain_host}/CLIENT/connectorX", ca=str(sim.ca_file))
    assert code == 3 and "does not speak TLS" in text
    code, text, _ = _run(f"https://{tls_host}/CLIENT/connectorX")
    assert code == 3 and "not trusted" in text
    other = tmp_path / "other-ca.pem"
    import trustme

    trustme.CA().cert_pem.write_to_path(str(other))
    code, text, _ = _run(f"https://{tls_host}/CLIENT/connectorX", ca=str(other))
    assert code == 3 and f"--ca {other}" in text


def test_a_wrong_password_is_tried_once_and_stops_the_run(sim: MfmsSimulatorHandle) -> None:
    def refused() -> int:
        simulator = sim.background.simulator
        assert simulator is not None
        return sum(n for (m, p, s), n in simulator.counters.items() if p == "status")

    before = sim.call(refused)
    done = _nabat(
        "--target",
        sim.url + "/CLIENT/connectorX",
        "--login",
        LOGIN,
        "--password",
        "wrong",
        "--address",
        "79031111111",
    )
    assert done.returncode == 3
    assert "error-auth" in done.stdout + done.stderr and "not retried" in done.stdout + done.stderr
    assert sim.call(refused) - before == 1  # one STATUS request, never repeated


def test_the_cli_runs_the_suite_and_lists_the_inventory(sim: MfmsSimulatorHandle) -> None:
    done = _nabat(
        "--target",
        sim.url + "/CLIENT/connectorX",
        "--login",
        LOGIN,
        "--password",
        PASSWORD,
        "--sim-control",
        sim.url,
        "--strict",
    )
    assert done.returncode == 0, done.stdout[-2000:]
    inventory = _nabat("--inventory")
    assert inventory.returncode == 0 and "statements checked" in inventory.stdout
    assert "MFMS-CODE-AUTH" in inventory.stdout and "MFMS-PUSH-STATUS" in inventory.stdout
    shown = _nabat("--help").stdout
    assert "--address" in shown and "charges" in shown and "--error-profile" in shown
    missing = _nabat(
        "--target", sim.url + "/CLIENT/connectorX", "--login", LOGIN, "--password", PASSWORD
    )
    assert missing.returncode == 2 and "--address" in missing.stdout + missing.stderr
