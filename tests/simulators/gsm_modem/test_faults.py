"""Fault hooks: each makes the modem fail the way the real failure does."""

from __future__ import annotations

import pytest

from tests.simulators.gsm_modem.harness import ANSWERS, Harness
from tests.simulators.gsm_modem.test_sms import send_pdu, submit_hex


@pytest.fixture
def modem() -> Harness:
    harness = Harness()
    harness.send("ATE0;+CMEE=1;+CREG=1")
    return harness


def test_no_sim_then_sim_back(modem: Harness) -> None:
    modem.modem.remove_sim()
    assert modem.take() == "\r\n+CREG: 0\r\n"
    assert modem.lines("AT+CPIN?") == ["+CME ERROR: 10"]
    assert modem.lines("AT+CIMI") == ["+CME ERROR: 10"]
    assert modem.lines(f"ATD{ANSWERS};") == ["+CME ERROR: 10"]
    modem.modem.insert_sim()
    assert modem.take() == "\r\n+CREG: 2\r\n"  # searching
    assert modem.lines("AT+CPIN?") == ["+CPIN: READY", "OK"]
    modem.advance(3)
    assert modem.take() == "\r\n+CREG: 1\r\n"


def test_pin_required(modem: Harness) -> None:
    modem.modem.require_pin()
    assert modem.take() == "\r\n+CREG: 0\r\n"
    assert modem.lines("AT+CPIN?") == ["+CPIN: SIM PIN", "OK"]
    assert modem.lines('AT+CPIN="0000"', 3) == ["OK", "+CREG: 2", "+CREG: 1"]


@pytest.mark.parametrize(
    ("outcome", "stat"), [("denied", 3), ("roaming", 5), ("searching", 2), ("none", 0)]
)
def test_registration_faults(modem: Harness, outcome: str, stat: int) -> None:
    modem.modem.set_registration(outcome)
    assert modem.take() == f"\r\n+CREG: {stat}\r\n"
    assert modem.lines("AT+CREG?") == [f"+CREG: 1,{stat}", "OK"]
    expected = "+CSQ: 21,99" if stat == 5 else "+CSQ: 99,99"
    assert modem.lines("AT+CSQ") == [expected, "OK"]


def test_signal_99(modem: Harness) -> None:
    modem.modem.set_signal(99)
    assert modem.lines("AT+CSQ") == ["+CSQ: 99,99", "OK"]
    modem.modem.set_signal(10, 0)
    assert modem.lines("AT+CSQ") == ["+CSQ: 10,0", "OK"]
    with pytest.raises(ValueError):
        modem.modem.set_signal(40)


def test_sim_busy_for_a_while(modem: Harness) -> None:
    modem.modem.sim_busy(5)
    assert modem.lines("AT+CPIN?") == ["+CME ERROR: 14"]
    assert modem.lines("AT+CPMS?") == ["+CMS ERROR: 314"]
    modem.advance(5)
    assert modem.lines("AT+CPIN?") == ["+CPIN: READY", "OK"]


def test_cms_error_on_send(modem: Harness) -> None:
    modem.modem.fail_sms(38, count=1)
    assert send_pdu(modem, submit_hex("x", "+" + ANSWERS)) == "\r\n+CMS ERROR: 38\r\n"
    assert send_pdu(modem, submit_hex("x", "+" + ANSWERS)).startswith("\r\n+CMGS: 0")


def test_stops_answering_then_answers_again(modem: Harness) -> None:
    modem.modem.stop_answering(10)
    assert modem.send("AT", 5) == ""
    modem.advance(5)
    assert modem.lines("AT") == ["OK"]


def test_unplug_and_replug_reboots(modem: Harness) -> None:
    quectel = Harness("quectel")
    quectel.modem.unplug(20)
    assert quectel.send("AT", 5) == ""
    quectel.advance(15)  # back at 20 s, RDY 3 s later
    assert quectel.lines(b"", 5) == [
        "RDY",
        "+CFUN: 1",
        "+CPIN: READY",
        "+QUSIM: 1",
        "+QIND: SMS DONE",
    ]
    assert quectel.send("AT") == "AT\r\r\nOK\r\n"  # factory echo after the reboot


def test_garbled_bytes(modem: Harness) -> None:
    modem.modem.garble(1.0, seed=3)
    garbled = modem.send("AT+CSQ")
    assert len(garbled) == len("\r\n+CSQ: 21,99\r\n\r\nOK\r\n")
    assert garbled != "\r\n+CSQ: 21,99\r\n\r\nOK\r\n"
    modem.modem.garble(0.0)
    assert modem.lines("AT+CSQ") == ["+CSQ: 21,99", "OK"]


def test_delayed_bytes_keep_their_order(modem: Harness) -> None:
    modem.modem.delay_output(2)
    assert modem.send("AT+CSQ", 1) == ""
    modem.advance(1.5)
    assert modem.take() == "\r\n+CSQ: 21,99\r\n\r\nOK\r\n"


def test_urc_burst_waits_for_a_running_command(modem: Harness) -> None:
    modem.modem.receive(b"AT+CSQ\r")
    modem.modem.urc_burst(5, ['+CMTI: "SM",1'])
    modem.advance(1)
    assert modem.writes[0] == b"\r\n+CSQ: 21,99\r\n\r\nOK\r\n"
    assert modem.writes[1:] == [b'\r\n+CMTI: "SM",1\r\n'] * 5


def test_clear_faults_and_state(modem: Harness) -> None:
    modem.modem.set_registration("denied")
    modem.modem.sim_busy()
    modem.modem.fail_sms()
    assert modem.modem.faults_json()["registration"] == "denied"
    modem.modem.clear_faults()
    state = modem.modem.faults_json()
    assert (
        state["registration"] == "home" and not state["sim_busy"] and state["sms_failure"] is None
    )
    assert modem.lines("AT+CREG?")[-2:] == ["+CREG: 1,1", "OK"]
    kinds = [e.text for e in modem.modem.journal.entries(kinds=frozenset({"event"}))]
    assert "fault: registration" in kinds and "faults cleared" in kinds
