"""Every fault the control API offers changes what the modem says on its line, and ends."""

from __future__ import annotations

import pytest
import serial
from nabat.simulators.gsm_modem.control_client import GsmControlClient, GsmControlError
from nabat.simulators.gsm_modem.runner import BackgroundGsmSimulator

from tests.simulators.gsm_control.conftest import Line

BUSY_NUMBER = "+79000000001"


def test_no_sim_then_cleared(client: GsmControlClient, line: Line) -> None:
    faults = client.add_fault(0, "no_sim")
    assert faults["sim"] == "ABSENT"
    assert line.lines("AT+CPIN?") == ["+CME ERROR: 10"]
    assert client.modem(0)["sim"]["inserted"] is False
    client.clear_faults(0)
    assert line.lines("AT+CPIN?") == ["+CPIN: READY", "OK"]


def test_pin_required(client: GsmControlClient, line: Line) -> None:
    client.add_fault(0, "pin_required")
    assert line.lines("AT+CPIN?") == ["+CPIN: SIM PIN", "OK"]
    assert client.modem(0)["sim"]["state"] == "SIM PIN"
    assert line.lines('AT+CPIN="0000"') == ["OK"]
    assert line.lines("AT+CPIN?") == ["+CPIN: READY", "OK"]


@pytest.mark.parametrize(
    ("outcome", "stat"), [("denied", 3), ("roaming", 5), ("searching", 2), ("none", 0)]
)
def test_registration(client: GsmControlClient, line: Line, outcome: str, stat: int) -> None:
    client.add_fault(0, "registration", outcome=outcome)
    client.advance_clock(5)  # the search lands on the outcome
    assert line.lines("AT+CREG?") == [f"+CREG: 0,{stat}", "OK"]
    assert client.modem(0)["registration"]["stat"] == stat
    client.clear_faults(0)
    client.advance_clock(5)
    assert line.lines("AT+CREG?") == ["+CREG: 0,1", "OK"]


def test_signal_99_and_a_chosen_signal(client: GsmControlClient, line: Line) -> None:
    client.add_fault(0, "signal", rssi=99)
    assert line.lines("AT+CSQ") == ["+CSQ: 99,99", "OK"]
    client.add_fault(0, "signal", rssi=7, ber=0)
    assert line.lines("AT+CSQ") == ["+CSQ: 7,0", "OK"]
    assert client.modem(0)["signal"] == {"rssi": 7, "ber": 0}


def test_sim_busy_for_n_seconds(client: GsmControlClient, line: Line) -> None:
    client.add_fault(0, "sim_busy", seconds=30)
    assert line.lines("AT+CPIN?") == ["+CME ERROR: 14"]
    client.advance_clock(29)
    assert line.lines("AT+CPIN?") == ["+CME ERROR: 14"]
    client.advance_clock(1)
    assert line.lines("AT+CPIN?") == ["+CPIN: READY", "OK"]


def test_cms_error_on_send_for_count_submissions(client: GsmControlClient, line: Line) -> None:
    client.add_fault(0, "sms_error", code=38, count=2)
    assert line.lines("AT+CMGF=1") == ["OK"]
    for expected in ("+CMS ERROR: 38", "+CMS ERROR: 38", "+CMGS: "):
        assert line.send(f'AT+CMGS="{BUSY_NUMBER}"', b"> ").endswith("> ")
        line.port.write(b"hello\x1a")
        answer = line.read_until(b"OK\r\n", b"ERROR").decode()
        assert expected in answer, answer


def test_stops_answering_then_answers(client: GsmControlClient, line: Line) -> None:
    client.add_fault(0, "silent", seconds=60)
    line.port.write(b"AT\r")
    assert line.quiet_for(0.3) == b""
    client.advance_clock(60)
    assert line.lines("AT") == ["OK"]


def test_unplugged_port_comes_back(
    client: GsmControlClient, simulator: BackgroundGsmSimulator, line: Line
) -> None:
    client.add_fault(0, "unplug", seconds=10)
    assert client.modem(0)["path"] is None
    with pytest.raises(serial.SerialException):
        line.port.write(b"AT\r")
        line.port.read(1)
    client.advance_clock(10)
    state = client.modem(0)
    assert state["faults"]["unplugged"] is False and state["path"] is not None
    again = Line(simulator.bank.urls[0])
    try:
        client.advance_clock(10)  # the rebooted modem boots and registers
        assert again.send("AT") == "AT\r\r\nOK\r\n"  # a fresh boot: echo is on again
    finally:
        again.close()


def test_garbled_output(client: GsmControlClient, line: Line) -> None:
    client.add_fault(0, "garble", probability=1.0, seed=3)
    line.port.write(b"AT\r")
    garbled = line.read_until(b"\xff", timeout=0.5)
    assert len(garbled) == len(b"\r\nOK\r\n") and garbled != b"\r\nOK\r\n"
    client.clear_faults(0)
    assert line.lines("AT") == ["OK"]


def test_delayed_output(client: GsmControlClient, line: Line) -> None:
    client.freeze_clock(True)
    client.add_fault(0, "delay", seconds=2)
    line.port.write(b"AT\r")
    assert line.quiet_for(0.3) == b""
    client.advance_clock(2)
    assert line.read_until(b"OK\r\n") == b"\r\nOK\r\n"


def test_urc_burst(client: GsmControlClient, line: Line) -> None:
    client.add_fault(0, "urc_burst", count=5, lines=["+CREG: 1", "RING"])
    received = line.read_until(b"+CREG: 1\r\n\r\nRING\r\n\r\n+CREG: 1\r\n").decode()
    assert received.split() == ["+CREG:", "1", "RING", "+CREG:", "1", "RING", "+CREG:", "1"]


def test_faults_show_in_the_state_and_the_journal(client: GsmControlClient) -> None:
    client.add_fault(1, "sms_error", code=500, count=3)
    assert client.state()["modems"][1]["faults"]["sms_failure"] == {"code": 500, "left": 3}
    events = client.journal(1, kinds=["event"])["entries"]
    assert events[-1]["what"] == "fault: SMS submissions fail"
    assert events[-1]["detail"] == {"code": 500, "count": 3}


@pytest.mark.parametrize(
    ("kind", "spec", "words"),
    [
        ("meteor", {}, "not a fault"),
        ("signal", {"rssi": 40}, "rssi"),
        ("signal", {}, "needs rssi"),
        ("signal", {"rssi": True}, "rssi"),
        ("registration", {"outcome": "mars"}, "outcome"),
        ("sms_error", {"code": 512}, "code"),
        ("sms_error", {"count": 0}, "count"),
        ("sim_busy", {"seconds": -1}, "seconds"),
        ("sim_busy", {"seconds": 1e12}, "seconds"),
        ("garble", {"probability": 1.5}, "probability"),
        ("delay", {"seconds": 3601}, "seconds"),
        ("urc_burst", {"count": 10_001}, "count"),
        ("urc_burst", {"lines": ["a\r\nOK"]}, "one line"),
        ("urc_burst", {"lines": []}, "lines"),
        ("no_sim", {"seconds": 3}, "unknown fields"),
    ],
)
def test_bad_faults_are_refused_and_change_nothing(
    client: GsmControlClient, kind: str, spec: dict[str, object], words: str
) -> None:
    before = client.faults(0)
    with pytest.raises(GsmControlError) as refused:
        client.add_fault(0, kind, **spec)
    assert refused.value.status == 400 and words in refused.value.message
    assert client.faults(0) == before


def test_no_such_modem(client: GsmControlClient) -> None:
    for index in (2, 999999):
        with pytest.raises(GsmControlError) as refused:
            client.add_fault(index, "no_sim")
        assert refused.value.status == 404
