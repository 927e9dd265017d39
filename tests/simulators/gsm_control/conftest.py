"""One GSM simulator per test module (instant timing, 2 modems, loopback control API),
reset before each test, and a serial line helper over the in-process ports."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import serial
from nabat.simulators.gsm_modem import Timing
from nabat.simulators.gsm_modem.control_client import GsmControlClient
from nabat.simulators.gsm_modem.runner import BackgroundGsmSimulator, GsmSimConfig

ANSWER_TIMEOUT = 3.0
_prefixes = iter(range(1, 1_000_000))


class Line:
    """A DTE on one modem: send a command line, read what comes back."""

    def __init__(self, url: str) -> None:
        self.port = serial.serial_for_url(url, timeout=0.02)

    def close(self) -> None:
        self.port.close()

    def read_until(self, *ends: bytes, timeout: float = ANSWER_TIMEOUT) -> bytes:
        deadline = time.monotonic() + timeout
        received = b""
        while time.monotonic() < deadline:
            received += self.port.read(self.port.in_waiting or 1)
            if any(end in received for end in ends):
                break
        return received

    def send(self, line: str, *ends: bytes, timeout: float = ANSWER_TIMEOUT) -> str:
        self.port.write(line.encode("latin-1") + b"\r")
        wanted = ends or (b"OK\r\n", b"ERROR")
        return self.read_until(*wanted, timeout=timeout).decode("latin-1")

    def lines(self, line: str, *ends: bytes) -> list[str]:
        return [part for part in self.send(line, *ends).split("\r\n") if part]

    def quiet_for(self, seconds: float) -> bytes:
        """Everything that arrives within ``seconds`` (expected: nothing)."""
        return self.read_until(b"\x00never\x00", timeout=seconds)


@pytest.fixture(scope="module")
def simulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BackgroundGsmSimulator]:
    config = GsmSimConfig(
        modems=2,
        link_dir=tmp_path_factory.mktemp("gsm-control") / "dev",
        control_port=0,
        in_process=True,
        name_prefix=f"control-test{next(_prefixes)}-",
        timing=Timing.instant(),
    )
    with BackgroundGsmSimulator(config) as running:
        yield running


@pytest.fixture(scope="module")
def control(simulator: BackgroundGsmSimulator) -> Iterator[GsmControlClient]:
    with GsmControlClient(simulator.control_url) as client:
        yield client


@pytest.fixture
def client(control: GsmControlClient) -> GsmControlClient:
    """The module's control client, its simulator reset to its start-up state."""
    control.reset()
    return control


@pytest.fixture
def line(simulator: BackgroundGsmSimulator, client: GsmControlClient) -> Iterator[Line]:
    """Modem 0, with echo off and verbose errors."""
    opened = Line(simulator.bank.urls[0])
    try:
        assert opened.send("ATE0;+CMEE=1").endswith("OK\r\n")
        yield opened
    finally:
        opened.close()
