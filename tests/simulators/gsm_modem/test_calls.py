"""Voice calls through the engine: the world's far ends, dialect reports, incoming calls."""

from __future__ import annotations

import asyncio

import pytest
from nabat.simulators.world import Kind
from nabat.simulators.world import call as scripted_call

from tests.simulators.gsm_modem.harness import (
    ANSWERS,
    BUSY,
    NO_ANSWER,
    REJECTS,
    UNREACHABLE,
    Harness,
)


def started(profile: str = "generic", setup: str = "") -> Harness:
    harness = Harness(profile)
    harness.send("ATE0;+CMEE=1" + (";" + setup if setup else ""))
    harness.take()
    return harness


def lines_of(text: str) -> list[str]:
    return [line for line in text.split("\r\n") if line]


def test_outgoing_call_answered_then_far_end_hangs_up() -> None:
    modem = started()
    assert modem.lines(f"ATD{ANSWERS};", 0.1) == ["OK"]
    assert modem.lines("AT+CLCC") == [f'+CLCC: 1,0,2,0,0,"{ANSWERS}",129', "OK"]
    modem.advance(1.5)
    assert modem.lines("AT+CLCC") == [f'+CLCC: 1,0,3,0,0,"{ANSWERS}",129', "OK"]
    modem.advance(4)
    assert modem.lines("AT+CLCC") == [f'+CLCC: 1,0,0,0,0,"{ANSWERS}",129', "OK"]
    assert modem.lines("AT+VTS=5") == ["OK"]
    modem.advance(20)
    assert modem.take() == "\r\nNO CARRIER\r\n"
    assert modem.lines("AT+CLCC") == ["OK"]
    kinds = [e.text for e in modem.modem.journal.entries() if e.kind == "event"]
    assert kinds.count("far end pressed a key") == 2 and "DTMF sent" in kinds


@pytest.mark.parametrize(
    ("number", "after", "result"),
    [
        (BUSY, 1.5, "BUSY"),
        (UNREACHABLE, 1.5, "NO CARRIER"),
        (REJECTS, 6.5, "BUSY"),
        (NO_ANSWER, 46.5, "NO ANSWER"),
    ],
)
def test_outgoing_call_failures(number: str, after: float, result: str) -> None:
    modem = started()
    modem.send(f"ATD{number};")
    modem.advance(after - 0.6)
    assert modem.take() == ""
    modem.advance(0.2)
    assert lines_of(modem.take()) == [result]


def test_simcom_reports_call_states_and_dtmf() -> None:
    modem = started("simcom", "+CLCC=1;+DDET=1")
    output = modem.send(f"ATD{ANSWERS};", 30)
    entry = f'"{ANSWERS}",129,""'
    assert lines_of(output) == [
        "OK",
        f"+CLCC: 1,0,2,0,0,{entry}",
        f"+CLCC: 1,0,3,0,0,{entry}",
        f"+CLCC: 1,0,0,0,0,{entry}",
        "+DTMF: 1",
        "+DTMF: 2",
        "NO CARRIER",
        f"+CLCC: 1,0,6,0,0,{entry}",
    ]


def test_quectel_reports_dtmf_as_ascii_codes() -> None:
    modem = started("quectel", "+QTONEDET=1")
    output = modem.send(f"ATD{ANSWERS};", 30)
    assert lines_of(output) == ["OK", "+QTONEDET: 49", "+QTONEDET: 50", "NO CARRIER"]


def test_huawei_reports_orig_conf_conn_cend() -> None:
    modem = started("huawei", "^DDSETEX=2")
    output = modem.send(f"ATD{ANSWERS};", 30)
    assert lines_of(output) == [
        "OK",
        "^ORIG:1,0",
        "^CONF:1",
        "^CONN:1,0",
        "^DDTMF: 1",
        "^DDTMF: 2",
        "^CEND:1,20,104,16",
        "NO CARRIER",
    ]


def test_no_dtmf_report_unless_the_dte_asked() -> None:
    modem = started("simcom")
    assert lines_of(modem.send(f"ATD{ANSWERS};", 30)) == ["OK", "NO CARRIER"]


def test_generic_modem_refuses_vendor_commands() -> None:
    modem = started()
    assert modem.lines("AT+DDET=1") == ["ERROR"]
    assert modem.lines("AT+CLCC=1") == ["ERROR"]


def test_colp_makes_atd_wait_for_the_answer() -> None:
    modem = started(setup="+COLP=1")
    modem.modem.receive(f"ATD{ANSWERS};\r".encode())
    modem.advance(5)
    assert modem.take() == ""
    modem.advance(1)
    assert lines_of(modem.take()) == [f'+COLP: "{ANSWERS}",129,"",0,""', "OK"]
    # one command line, one final result: the dial's
    assert lines_of(modem.send(f"ATH;D{BUSY};", 3)) == ["BUSY"]


def test_ath_and_chup_hang_up_and_cvhu_1_keeps_the_call() -> None:
    modem = started()
    modem.send(f"ATD{ANSWERS};", 6)
    assert modem.lines("AT+CVHU=1;H") == ["OK"]
    assert len(modem.lines("AT+CLCC")) == 2
    assert modem.lines("AT+CHUP") == ["OK"]
    assert modem.lines("AT+CLCC") == ["OK"]
    modem.advance(60)
    assert modem.take() == ""  # a call hung up by the DTE gives no NO CARRIER


def test_vts_needs_an_active_call() -> None:
    modem = started()
    assert modem.lines("AT+VTS=1") == ["+CME ERROR: 3"]


def test_not_registered_means_no_carrier() -> None:
    modem = started()
    modem.modem.set_registration("denied")
    assert lines_of(modem.send(f"ATD{ANSWERS};", 3)) == ["NO CARRIER"]


def test_data_call_is_refused_and_ata_without_a_call_is_no_carrier() -> None:
    modem = started()
    assert modem.lines(f"ATD{ANSWERS}") == ["NO CARRIER"]
    assert modem.lines("ATA") == ["NO CARRIER"]
    assert modem.lines("ATD12x4;") == ["+CME ERROR: 27"]


def test_incoming_call_ring_and_clip_in_one_write_then_keys() -> None:
    modem = started(setup="+CLIP=1")
    event = scripted_call(0, "79100000004", "gsm:0", "1 2 3 #", ring_for=30, talk_for=20)
    modem.modem.scripted(event)
    assert modem.writes == [b'\r\nRING\r\n\r\n+CLIP: "+79100000004",145,"",0,"",0\r\n']
    modem.take()
    modem.advance(3)
    assert lines_of(modem.take()) == ["RING", '+CLIP: "+79100000004",145,"",0,"",0']
    assert modem.lines("AT+CLCC") == ['+CLCC: 1,1,4,0,0,"+79100000004",145', "OK"]
    assert modem.lines("ATA") == ["OK"]
    assert modem.lines("AT+CLCC") == ['+CLCC: 1,1,0,0,0,"+79100000004",145', "OK"]
    modem.advance(30)
    assert lines_of(modem.take()) == ["NO CARRIER"]
    pressed = [
        e.detail["key"] for e in modem.modem.journal.entries() if e.text.startswith("far end")
    ]
    assert pressed == ["1", "2", "3", "#"]


def test_incoming_call_with_crc_and_simcom_dtmf() -> None:
    modem = started("simcom", "+CLIP=1;+CRC=1;+DDET=1")
    modem.modem.scripted(scripted_call(0, "79100000004", "gsm:0", "9", first_key=1))
    assert lines_of(modem.take())[0] == "+CRING: VOICE"
    assert modem.lines("ATA", 2) == ["OK", "+DTMF: 9"]


def test_caller_gives_up() -> None:
    modem = started()
    modem.modem.scripted(scripted_call(0, "79100000004", "gsm:0", ring_for=10))
    modem.advance(11)
    assert lines_of(modem.take()) == ["RING"] * 4 + ["NO CARRIER"]


def test_urcs_wait_for_the_final_result_of_a_running_command() -> None:
    modem = started(setup="+CLIP=1")
    modem.modem.receive(b"AT+COPS=?\r")
    modem.advance(1)
    modem.modem.scripted(scripted_call(0, "79100000004", "gsm:0"))
    assert modem.take() == ""
    modem.advance(8)
    text = modem.take()
    assert text.index("OK") < text.index("RING")
    assert modem.writes == []


class FakeLink:
    """The world's anti-fraud link, as the modem sees it."""

    enabled = True

    def __init__(self, allow: bool) -> None:
        self.allow = allow
        self.checked: list[tuple[str, str]] = []
        self.admitted: list[str] = []

    async def check_outgoing(self, a: str, b: str) -> bool:
        self.checked.append((a, b))
        return self.allow

    async def admit_incoming(self, event: object, b: str) -> bool:
        self.admitted.append(b)
        return True


async def settle(modem: Harness, seconds: float) -> None:
    for _ in range(5):
        await asyncio.sleep(0)
    modem.advance(seconds)


async def test_unregistered_call_is_blocked_before_it_rings() -> None:
    link = FakeLink(allow=False)
    modem = Harness(antifraud=link)
    modem.send("ATE0")
    modem.modem.receive(f"ATD{ANSWERS};\r".encode())
    await settle(modem, 2)
    assert lines_of(modem.take()) == ["OK", "NO CARRIER"]
    assert link.checked == [("79010000000", ANSWERS)]
    assert modem.runtime.attempts(Kind.VOICE, ANSWERS) == 0  # the person never rang


async def test_registered_call_goes_through_and_incoming_is_registered_first() -> None:
    link = FakeLink(allow=True)
    modem = Harness(antifraud=link)
    modem.send("ATE0;+CLIP=1")
    modem.modem.receive(f"ATD{ANSWERS};\r".encode())
    await settle(modem, 30)
    assert lines_of(modem.take()) == ["OK", "NO CARRIER"]
    modem.modem.scripted(scripted_call(0, "79100000004", "gsm:0"))
    assert modem.take() == ""  # not before the originating operator registered it
    await settle(modem, 0)
    assert lines_of(modem.take())[0] == "RING"
    assert link.admitted == ["79010000000"]
