"""The pytest plugin's gsm_simulator fixture, used as a CI user would."""

from __future__ import annotations

import time

import serial
from nabat.simulators.gsm_modem import Timing
from nabat.simulators.gsm_modem.control_client import journal_bytes
from nabat.simulators.pytest_plugin import GsmSimulatorFactory, GsmSimulatorHandle


def exchange(port: serial.SerialBase, command: bytes, end: bytes = b"OK\r\n") -> bytes:
    port.write(command)
    deadline = time.monotonic() + 5
    received = b""
    while end not in received and time.monotonic() < deadline:
        received += port.read(port.in_waiting or 1)
    return received


def test_the_handle_reaches_every_modem(gsm_simulator: GsmSimulatorHandle) -> None:
    assert len(gsm_simulator.paths) == len(gsm_simulator.links) == len(gsm_simulator.urls) == 2
    with serial.Serial(str(gsm_simulator.links[1]), timeout=0.1) as port:
        assert exchange(port, b"AT+CNUM\r").endswith(b'"+79010000001",145\r\n\r\nOK\r\n')
    with serial.serial_for_url(gsm_simulator.urls[0], timeout=0.1) as port:
        assert exchange(port, b"AT\r") == b"AT\r\r\nOK\r\n"
    sent = gsm_simulator.control.journal(0, kinds=["tx"])["entries"]
    assert journal_bytes(sent) == b"AT\r\r\nOK\r\n"


def test_faults_and_world_through_the_handle(gsm_simulator: GsmSimulatorHandle) -> None:
    gsm_simulator.control.add_fault(0, "no_sim")
    gsm_simulator.world.incoming_sms("79000000002", 1, "PIN 1234")
    with serial.Serial(gsm_simulator.paths[0], timeout=0.1) as port:
        assert exchange(port, b"AT+CMEE=1;+CPIN?\r", b"ERROR: 10\r\n").endswith(
            b"+CME ERROR: 10\r\n"
        )
    deadline = time.monotonic() + 5
    while gsm_simulator.control.modem(1)["sms"]["memories"]["SM"]["used"] == 0:
        assert time.monotonic() < deadline, "the scripted SMS never arrived"
        time.sleep(0.02)
    on_loop = gsm_simulator.call(lambda: gsm_simulator.background.bank.modem(0).sim.inserted)
    assert on_loop is False


def test_each_test_starts_from_the_start_up_state(gsm_simulator: GsmSimulatorHandle) -> None:
    # Whatever the tests before did (the one above removed a SIM and stored an SMS):
    modems = gsm_simulator.control.modems()
    assert [m["sim"]["state"] for m in modems] == ["READY", "READY"]
    assert [m["sms"]["memories"]["SM"]["used"] for m in modems] == [0, 0]


def test_the_factory_starts_what_a_test_asks_for(
    gsm_simulator_factory: GsmSimulatorFactory,
) -> None:
    quectel = gsm_simulator_factory(modems=1, profile="quectel", timing=Timing.instant())
    with serial.serial_for_url(quectel.urls[0], timeout=0.1) as port:
        assert exchange(port, b"AT+CGMM\r") == b"AT+CGMM\r\r\nEC25\r\n\r\nOK\r\n"
    assert quectel.control.state()["modems"][0]["profile"] == "quectel"


def test_the_anti_fraud_link_blocks_unregistered_calls(
    gsm_simulator_factory: GsmSimulatorFactory, ats_simulator: object
) -> None:
    url = ats_simulator.url  # type: ignore[attr-defined]
    guarded = gsm_simulator_factory(modems=1, timing=Timing.instant(), ats_url=url)
    assert guarded.control.state()["antifraud"] is True
    with serial.serial_for_url(guarded.urls[0], timeout=0.1) as port:
        exchange(port, b"ATE0\r")
        answer = exchange(port, b"ATD+79100000001;\r", b"NO CARRIER\r\n")
    assert answer.endswith(b"NO CARRIER\r\n"), answer
    verdicts = [e for e in guarded.world.journal() if e["kind"] == "antifraud"]
    assert [(v["step"], v["address"], v["to"], v["allowed"]) for v in verdicts] == [
        ("check", "79010000000", "79100000001", False)
    ]
