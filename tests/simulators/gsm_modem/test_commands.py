"""V.250 and 27.007 commands of the engine, driven in-process on a frozen clock."""

from __future__ import annotations

import pytest

from tests.simulators.gsm_modem.harness import Harness


@pytest.fixture
def modem() -> Harness:
    harness = Harness()
    harness.send("ATE0")
    return harness


def test_echo_then_ok_exactly_as_a_modem_writes_it() -> None:
    harness = Harness()
    assert harness.send("AT") == "AT\r\r\nOK\r\n"
    assert harness.send("ATE0") == "ATE0\r\r\nOK\r\n"
    assert harness.send("AT") == "\r\nOK\r\n"


def test_numeric_and_quiet_result_codes(modem: Harness) -> None:
    assert modem.send("ATV0") == "0\r"
    assert modem.send("AT+CSQ") == "+CSQ: 21,99\r\n0\r"
    assert modem.send("AT+NOPE") == "4\r"
    assert modem.send("ATV1Q1") == ""
    assert modem.send("AT+CSQ") == "\r\n+CSQ: 21,99\r\n"
    assert modem.send("ATQ0") == "\r\nOK\r\n"


def test_cmee_decides_how_errors_look(modem: Harness) -> None:
    assert modem.lines('AT+CPIN="1234"') == ["ERROR"]
    assert modem.lines("AT+CMEE=1") == ["OK"]
    assert modem.lines('AT+CPIN="1234"') == ["+CME ERROR: 3"]
    assert modem.lines("AT+CMEE=2") == ["OK"]
    assert modem.lines('AT+CPIN="1234"') == ["+CME ERROR: operation not allowed"]
    assert modem.lines("AT+CMEE?") == ["+CMEE: 2", "OK"]
    assert modem.lines("AT+CMEE=?") == ["+CMEE: (0-2)", "OK"]
    assert modem.lines("AT+CMEE=3") == ["+CME ERROR: incorrect parameters"]


@pytest.mark.parametrize(
    ("profile", "manufacturer", "unknown"),
    [
        ("generic", "Nabat", "ERROR"),
        ("simcom", "SIMCOM_Ltd", "ERROR"),
        ("quectel", "Quectel", "ERROR"),
        ("huawei", "huawei", "COMMAND NOT SUPPORT"),
    ],
)
def test_identification_and_unknown_commands_per_profile(
    profile: str, manufacturer: str, unknown: str
) -> None:
    harness = Harness(profile)
    harness.send("ATE0")
    assert harness.lines("AT+CGMI") == [manufacturer, "OK"]
    assert harness.lines("AT+CGMI=?") == ["OK"]
    assert harness.lines("AT+CGSN")[0] == harness.modem.device.imei
    assert harness.lines("AT+CIMI") == [harness.modem.sim.card.imsi, "OK"]
    assert harness.lines("AT+FROBNICATE") == [unknown]
    assert harness.lines("AT+CFUN?") == ["+CFUN: 1", "OK"]


def test_identities_differ_between_modems() -> None:
    from nabat.simulators.gsm_modem.identity import default_device, default_sim, luhn_digit

    sims = [default_sim(i) for i in range(3)]
    assert len({s.imsi for s in sims}) == len({s.msisdn for s in sims}) == 3
    imei = default_device(5).imei
    assert len(imei) == 15 and luhn_digit(imei[:-1]) == imei[-1]
    assert sims[1].pin == "0000" and sims[1].puk == "12345678"


def test_cnum_and_clac(modem: Harness) -> None:
    assert modem.lines("AT+CNUM") == ['+CNUM: "","+79010000000",145', "OK"]
    names = modem.lines("AT+CLAC")
    assert names[-1] == "OK" and "+CMGS" in names and "+VTS" in names
    assert "+DDET" not in names


def test_several_commands_on_one_line_and_syntax_errors(modem: Harness) -> None:
    assert modem.lines('AT+CMGF=1;+CSCS="UCS2";+CMGF?;+CSCS?') == [
        "+CMGF: 1",
        '+CSCS: "UCS2"',
        "OK",
    ]
    # commands before a syntax error run, then ERROR
    assert modem.lines("AT+CMGF=0;+CMGF?;+") == ["+CMGF: 0", "ERROR"]
    assert modem.lines("AT+CMGF=7") == ["ERROR"]


def test_z_restores_saved_profile_and_f_the_factory_one(modem: Harness) -> None:
    modem.send("AT+CMEE=2;+CMGF=1;&W")
    modem.send("AT+CMEE=0;+CMGF=0")
    assert modem.lines("ATZ;+CMEE?;+CMGF?") == ["+CMEE: 2", "+CMGF: 1", "OK"]
    assert modem.lines("AT&F;+CMEE?") == ["+CMEE: 0", "OK"]
    assert modem.send("AT") == "AT\r\r\nOK\r\n"  # the factory profile echoes


def test_s_registers(modem: Harness) -> None:
    assert modem.lines("ATS0?") == ["000", "OK"]
    assert modem.lines("ATS0=2") == ["OK"]
    assert modem.lines("ATS0?") == ["002", "OK"]
    assert modem.lines("ATS99?") == ["ERROR"]


def test_pin_then_puk_then_blocked() -> None:
    harness = Harness(pin=True)
    harness.send("ATE0;+CMEE=1")
    assert harness.lines("AT+CPIN?") == ["+CPIN: SIM PIN", "OK"]
    assert harness.lines("AT+CIMI") == ["+CME ERROR: 11"]
    assert harness.lines("AT+CREG?") == ["+CREG: 0,0", "OK"]
    for _ in range(3):
        assert harness.lines('AT+CPIN="9999"') == ["+CME ERROR: 16"]
    assert harness.lines("AT+CPIN?") == ["+CPIN: SIM PUK", "OK"]
    assert harness.lines('AT+CPIN="0000"') == ["+CME ERROR: 12"]  # a PUK needs a new PIN
    assert harness.lines('AT+CPIN="12345678","4321"') == ["OK"]
    assert harness.lines("AT+CPIN?") == ["+CPIN: READY", "OK"]
    harness.advance(5)  # registers
    assert harness.lines("AT+CREG?") == ["+CREG: 0,1", "OK"]
    # the new PIN is the PIN now
    harness.send('AT+CLCK="SC",1,"4321"')
    harness.modem.reboot()
    harness.advance(10)
    harness.take()
    harness.send("ATE0;+CMEE=1")
    assert harness.lines("AT+CPIN?") == ["+CPIN: SIM PIN", "OK"]
    for _ in range(3):
        harness.send('AT+CPIN="0000"')
    for _ in range(9):
        assert harness.lines('AT+CPIN="00000000","1111"') == ["+CME ERROR: 16"]
    assert harness.lines('AT+CPIN="00000000","1111"') == ["+CME ERROR: 16"]
    assert harness.lines("AT+CPIN?") == ["+CME ERROR: 13"]
    assert harness.lines('AT+CPIN="12345678","1111"') == ["+CME ERROR: 13"]


def test_creg_forms_and_unsolicited_creg(modem: Harness) -> None:
    assert modem.lines("AT+CREG?") == ["+CREG: 0,1", "OK"]
    assert modem.lines("AT+CREG=2;+CREG?") == ['+CREG: 2,1,"1A2B","00C3"', "OK"]
    assert modem.lines("AT+CREG=1") == ["OK"]
    modem.modem.set_registration("roaming")
    assert modem.lines(b"", 0.1) == ["+CREG: 5"]
    modem.send("AT+CFUN=4")
    assert modem.take() == ""
    assert modem.lines("AT+CREG?") == ["+CREG: 1,0", "OK"]
    assert modem.lines("AT+CFUN=1", 0.2) == ["OK", "+CREG: 2"]
    modem.advance(3)
    assert modem.take() == "\r\n+CREG: 5\r\n"


def test_cops_and_csq(modem: Harness) -> None:
    assert modem.lines("AT+COPS?") == ['+COPS: 0,0,"Nabat Mobile"', "OK"]
    assert modem.lines("AT+COPS=3,2;+COPS?") == ['+COPS: 0,2,"25099"', "OK"]
    assert modem.lines("AT+COPS=?", 1.0) == []  # the scan takes seconds
    modem.advance(10)
    assert modem.take().split("\r\n")[1].startswith('+COPS: (2,"Nabat Mobile","NABAT","25099")')
    assert modem.lines("AT+CSQ=?") == ["+CSQ: (0-31,99),(0-7,99)", "OK"]
    quectel = Harness("quectel")
    quectel.send("ATE0")
    assert quectel.lines("AT+COPS?") == ['+COPS: 0,0,"Nabat Mobile",0', "OK"]


def test_read_and_test_forms_of_sms_settings(modem: Harness) -> None:
    assert modem.lines("AT+CSCA?") == ['+CSCA: "+79000000010",145', "OK"]
    assert modem.lines("AT+CSMP?") == ["+CSMP: 17,167,0,0", "OK"]
    assert modem.lines("AT+CNMI?") == ["+CNMI: 1,0,0,0,0", "OK"]
    assert modem.lines("AT+CPMS?") == ['+CPMS: "SM",0,30,"SM",0,30,"SM",0,30', "OK"]
    assert modem.lines("AT+CPMS=?") == ['+CPMS: ("SM","ME","SR"),("SM","ME"),("SM","ME")', "OK"]
    assert modem.lines('AT+CPMS="ME","ME","ME"') == ["+CPMS: 0,100,0,100,0,100", "OK"]
    assert modem.lines("AT+CSCS=?") == ['+CSCS: ("GSM","IRA","UCS2","HEX","8859-1")', "OK"]
    assert modem.lines('AT+CSCS="UCS2";+CSCA?') == [
        '+CSCA: "002B00370039003000300030003000300030003000310030",145',
        "OK",
    ]
    assert modem.lines("AT+CLIP?") == ["+CLIP: 0,1", "OK"]
    assert modem.lines("AT+CVHU=?") == ["+CVHU: (0,1)", "OK"]
    assert modem.lines("AT+VTS=?") == ["+VTS: (0-9,*,#,A,B,C,D)", "OK"]


def test_commands_take_simulated_time(modem: Harness) -> None:
    modem.modem.receive(b"AT+CSQ\r")
    assert modem.take() == ""  # nothing before the command's time has passed
    modem.advance(0.05)
    assert modem.take() == "\r\n+CSQ: 21,99\r\n\r\nOK\r\n"


def test_input_during_a_command_waits_for_its_result(modem: Harness) -> None:
    modem.modem.receive(b"AT+CSQ\rAT+CMGF?\r")
    modem.advance(1)
    assert modem.take() == "\r\n+CSQ: 21,99\r\n\r\nOK\r\n\r\n+CMGF: 0\r\n\r\nOK\r\n"


def test_a_slash_repeats_the_last_line(modem: Harness) -> None:
    modem.send("AT+CMGF?")
    assert modem.lines(b"A/") == ["+CMGF: 0", "OK"]
