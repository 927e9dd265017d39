"""The transports: real pseudo-terminals opened with pyserial, and nabatgsm:// in-process ports."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import serial
from nabat.simulators.gsm_modem import BankThread, ModemBank


def exchange(port: serial.SerialBase, command: bytes, until: bytes = b"OK\r\n") -> bytes:
    port.write(command)
    deadline = time.monotonic() + 5
    received = b""
    while until not in received and time.monotonic() < deadline:
        received += port.read(port.in_waiting or 1)
    return received


@pytest.fixture
def running(tmp_path: Path) -> Iterator[BankThread]:
    with BankThread(ModemBank(2, profile="quectel", link_dir=tmp_path / "dev")) as bank:
        yield bank


@pytest.mark.parametrize("rtscts", [True, False])
@pytest.mark.parametrize("dsrdtr", [True, False])
def test_pyserial_opens_the_pty_with_any_flow_control(
    running: BankThread, rtscts: bool, dsrdtr: bool
) -> None:
    with serial.Serial(running.paths[0], 115200, rtscts=rtscts, dsrdtr=dsrdtr, timeout=0.2) as port:
        assert exchange(port, b"ATE0\r").endswith(b"\r\nOK\r\n")
        assert exchange(port, b"AT+CGMM\r") == b"\r\nEC25\r\n\r\nOK\r\n"


def test_closing_and_reopening_keeps_the_modem(running: BankThread) -> None:
    for _ in range(3):
        with serial.Serial(running.paths[1], timeout=0.2) as port:
            assert exchange(port, b"AT+CNUM\r").endswith(b"\r\nOK\r\n")
    with serial.Serial(running.paths[1], timeout=0.2) as port:
        answer = exchange(port, b"AT+CNUM\r")
        assert b'"+79010000001"' in answer


def test_links_point_at_the_devices(running: BankThread, tmp_path: Path) -> None:
    for index, path in enumerate(running.paths):
        assert os.path.realpath(tmp_path / "dev" / f"modem{index}") == os.path.realpath(path)


def test_in_process_url_handler(running: BankThread) -> None:
    url = running.bank.urls[0]
    assert url == "nabatgsm://modem0"
    with serial.serial_for_url(url, timeout=0.5, rtscts=True, dsrdtr=True) as port:
        assert port.cts and port.dsr
        assert exchange(port, b"AT+CGMI\r").endswith(b"Quectel\r\n\r\nOK\r\n")
    with pytest.raises(serial.SerialException):
        serial.serial_for_url("nabatgsm://nobody", timeout=0.5)


def test_unplugged_port_raises_and_comes_back(running: BankThread, tmp_path: Path) -> None:
    modem = running.bank.modem(0)
    old_path = running.paths[0]
    with (
        serial.serial_for_url("nabatgsm://modem0", timeout=0.5) as local,
        serial.Serial(old_path, timeout=0.2) as tty,
    ):
        exchange(tty, b"ATE0\r")
        running.call(modem.unplug, 30.0)
        with pytest.raises(serial.SerialException):
            local.read(1)
        with pytest.raises(serial.SerialException):
            tty.read(1)
    assert not (tmp_path / "dev" / "modem0").exists()
    with pytest.raises(serial.SerialException):
        serial.serial_for_url("nabatgsm://modem0", timeout=0.5)
    running.advance(31)  # back, and booting (Quectel: RDY after 3 s)
    with serial.serial_for_url("nabatgsm://modem0", timeout=0.5) as local:
        running.advance(5)
        boot = local.read(200)
        assert b"RDY" in boot and b"+QIND: SMS DONE" in boot
        assert exchange(local, b"ATE0\r").endswith(b"OK\r\n")
    new_path = running.call(lambda: running.bank.paths[0])
    assert os.path.realpath(tmp_path / "dev" / "modem0") == os.path.realpath(new_path)


def test_stop_removes_links(tmp_path: Path) -> None:
    bank = BankThread(ModemBank(1, link_dir=tmp_path)).start()
    assert (tmp_path / "modem0").is_symlink()
    bank.stop()
    assert not (tmp_path / "modem0").exists()
    with pytest.raises(serial.SerialException):
        serial.serial_for_url("nabatgsm://modem0", timeout=0.1)


def test_every_profile_answers_on_a_pty() -> None:
    profiles: list[str | object] = ["generic", "simcom", "quectel", "huawei"]
    with BankThread(ModemBank(4, profiles=profiles, in_process=False)) as running:  # type: ignore[arg-type]
        makers = []
        for path in running.paths:
            with serial.Serial(path, timeout=0.2) as port:
                exchange(port, b"ATE0\r")
                makers.append(exchange(port, b"AT+CGMI\r").split(b"\r\n")[1])
    assert makers == [b"Nabat", b"SIMCOM_Ltd", b"Quectel", b"huawei"]
