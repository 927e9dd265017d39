"""Call tracking as tables: call reports from URCs, the call machine, outcomes, dialects, DTMF."""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import given
from hypothesis import strategies as st
from nabat.system.channels.base import CallOutcome
from nabat.system.channels.gsm import call_reports, dialects
from nabat.system.channels.gsm.call_reports import CallReport, EndReason, ReportKind
from nabat.system.channels.gsm.calls import (
    TRANSITIONS,
    CallMove,
    CallPhase,
    CallTracker,
    IllegalCallMove,
)
from nabat.system.channels.gsm.state import (
    TRANSITIONS as MODEM_TRANSITIONS,
)
from nabat.system.channels.gsm.state import (
    IllegalTransition,
    ModemEvent,
    ModemMachine,
    ModemState,
)
from nabat.system.wire.at import ResponseParser, Urc, urc_name

from tests.channels.gsm.fakes import ManualClock


def urc(line: str) -> Urc:
    return Urc(urc_name(line), line)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("RING", CallReport(ReportKind.RING)),
        ("+CRING: VOICE", CallReport(ReportKind.RING)),
        (
            '+CLIP: "+79000000020",145,"",0,"",0',
            CallReport(ReportKind.CALLER, number="+79000000020"),
        ),
        ("NO CARRIER", CallReport(ReportKind.ENDED, reason=EndReason.NORMAL)),
        ("BUSY", CallReport(ReportKind.ENDED, reason=EndReason.BUSY)),
        ("NO ANSWER", CallReport(ReportKind.ENDED, reason=EndReason.NO_ANSWER)),
        ('+CLCC: 1,0,3,0,0,"+7900",145,""', CallReport(ReportKind.ALERTING, 1, "+7900")),
        ('+CLCC: 1,1,4,0,0,"+7900",145', CallReport(ReportKind.INCOMING, 1, "+7900")),
        ('+CLCC: 2,0,0,0,0,"",129', CallReport(ReportKind.ACTIVE, 2)),
        (
            '+CLCC: 1,0,6,0,0,"+7900",145,""',
            CallReport(ReportKind.ENDED, 1, "+7900", EndReason.NORMAL, authoritative=False),
        ),
        ("^ORIG:1,0", CallReport(ReportKind.DIALING, 1)),
        ("^CONF:1", CallReport(ReportKind.ALERTING, 1)),
        ("^CONN:1,0", CallReport(ReportKind.ACTIVE, 1)),
        ("^CEND:1,0,104,17", CallReport(ReportKind.ENDED, 1, reason=EndReason.BUSY)),
        ("^CEND:1,12,29,16", CallReport(ReportKind.ENDED, 1, reason=EndReason.NORMAL)),
        ("^CEND:1,0,104,21", CallReport(ReportKind.ENDED, 1, reason=EndReason.REJECTED)),
        ("^CEND:1,0,104,19", CallReport(ReportKind.ENDED, 1, reason=EndReason.NO_ANSWER)),
        ("^CEND:1,0,104,18", CallReport(ReportKind.ENDED, 1, reason=EndReason.UNREACHABLE)),
    ],
)
def test_call_urcs_of_every_dialect_become_reports(line: str, expected: CallReport) -> None:
    assert call_reports.from_urc(urc(line)) == expected


@pytest.mark.parametrize(
    "line", ["+CSQ: 21,99", "+CLCC: x", "+CLCC: 1,0", "+CLIP: ", "+CRING: FAX"]
)
def test_other_or_broken_lines_are_no_call_report(line: str) -> None:
    assert call_reports.from_urc(urc(line)) is None


@given(st.text(max_size=80))
def test_any_urc_text_is_read_without_raising(text: str) -> None:
    for name in ("+CLCC", "^CEND", "^CONN", "+CLIP", "RING", "+DTMF", "+QTONEDET", "^DDTMF"):
        line = f"{name}: {text}"
        call_reports.from_urc(urc(line))
        dialects.dtmf_key(urc(line))


@given(st.binary(max_size=200))
def test_parsed_modem_output_never_breaks_the_call_readers(data: bytes) -> None:
    parser = ResponseParser()
    for event in parser.feed(data + b"\r\n"):
        if isinstance(event, Urc):
            call_reports.from_urc(event)
            dialects.dtmf_key(event)


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("+DTMF: 5", "5"),
        ("+DTMF:#", "#"),
        ("+QTONEDET: 49", "1"),
        ("+QTONEDET: 35", "#"),
        ("^DDTMF: *", "*"),
        ("+RXDTMF: A", "A"),
        ("+QTONEDET: 120", None),
        ("+DTMF: 12", None),
        ("+CSQ: 5", None),
    ],
)
def test_dtmf_keys_from_every_vendors_urc(line: str, key: str | None) -> None:
    assert dialects.dtmf_key(urc(line)) == key


@pytest.mark.parametrize(
    ("manufacturer", "model", "name"),
    [
        ("SIMCOM_Ltd", "SIMCOM_SIM800", "simcom"),
        ("", "SIM7600E-H", "simcom"),
        ("Quectel", "EC25", "quectel"),
        ("", "EG25", "quectel"),
        ("huawei", "E1550", "huawei"),
        ("Nabat", "NBT-GSM1", "generic"),
        ("", "", "generic"),
    ],
)
def test_the_dialect_is_detected_from_cgmi_and_cgmm(
    manufacturer: str, model: str, name: str
) -> None:
    assert dialects.detect(manufacturer, model).name == name


def test_the_call_table_allows_exactly_the_listed_moves() -> None:
    for phase in CallPhase:
        for move in CallMove:
            tracker = CallTracker("1", incoming=phase is CallPhase.RINGING, started=0.0)
            tracker.phase = phase
            if (phase, move) in TRANSITIONS:
                tracker.move(move, 1.0)
                assert tracker.phase is TRANSITIONS[(phase, move)]
            else:
                with pytest.raises(IllegalCallMove):
                    tracker.move(move, 1.0)


def test_modem_reports_the_table_forbids_are_ignored_not_raised() -> None:
    tracker = CallTracker("+7900", incoming=False, started=0.0)
    tracker.end(EndReason.BUSY, 1.0)
    assert not tracker.observe(CallReport(ReportKind.ACTIVE), 2.0)
    assert tracker.phase is CallPhase.ENDED and tracker.reason is EndReason.BUSY
    assert not CallTracker("1", incoming=False, started=0).observe(CallReport(ReportKind.RING), 1)


def test_a_provisional_end_is_refined_by_the_result_code_that_follows() -> None:
    tracker = CallTracker("+7900", incoming=False, started=0.0)
    tracker.observe(CallReport(ReportKind.ALERTING), 1.0)
    tracker.observe(CallReport(ReportKind.ENDED, reason=EndReason.NORMAL, authoritative=False), 5)
    assert tracker.provisional
    tracker.observe(CallReport(ReportKind.ENDED, reason=EndReason.BUSY), 5.1)
    assert not tracker.provisional and tracker.result("m", 6).outcome is CallOutcome.BUSY
    tracker.observe(CallReport(ReportKind.ENDED, reason=EndReason.NO_ANSWER), 5.2)
    assert tracker.reason is EndReason.BUSY  # an authoritative end is final


def test_while_we_hang_up_every_end_is_ours() -> None:
    tracker = CallTracker("+7900", incoming=False, started=0.0)
    tracker.move(CallMove.CONNECT, 3.0)
    tracker.hanging_up = EndReason.LOCAL
    tracker.observe(CallReport(ReportKind.ENDED, reason=EndReason.NORMAL, authoritative=False), 9)
    result = tracker.result("m", 10)
    assert result.detail == "hung up by the driver" and result.talk_seconds == 6


@pytest.mark.parametrize(
    ("alerted", "answered", "reason", "outcome"),
    [
        (True, True, EndReason.NORMAL, CallOutcome.ANSWERED),
        (True, False, EndReason.NORMAL, CallOutcome.NO_ANSWER),
        (False, False, EndReason.NORMAL, CallOutcome.UNREACHABLE),
        (False, False, EndReason.BUSY, CallOutcome.BUSY),
        (True, False, EndReason.REJECTED, CallOutcome.REJECTED),
        (True, False, EndReason.TIMEOUT, CallOutcome.NO_ANSWER),
        (False, False, EndReason.LINK_LOST, CallOutcome.FAILED),
        (True, True, EndReason.LINK_LOST, CallOutcome.ANSWERED),
    ],
)
def test_outcomes_follow_from_how_the_call_went(
    alerted: bool, answered: bool, reason: EndReason, outcome: CallOutcome
) -> None:
    tracker = CallTracker("+7900", incoming=False, started=10.0)
    if alerted:
        tracker.observe(CallReport(ReportKind.ALERTING), 11.0)
    if answered:
        tracker.observe(CallReport(ReportKind.ACTIVE), 14.0)
    tracker.end(reason, 20.0)
    result = tracker.result("gsm0", 21.0)
    assert result.outcome is outcome
    assert result.ring_seconds == (4.0 if answered else 10.0)
    assert result.talk_seconds == (6.0 if answered else 0.0)


async def test_waiting_for_keys_follows_the_clock() -> None:
    clock = ManualClock()
    tracker = CallTracker("+7900", incoming=False, started=clock.now())
    tracker.move(CallMove.CONNECT, clock.now())
    waiting = asyncio.ensure_future(
        tracker.wait_until(lambda: "1" in tracker.keys, clock, timeout=10)
    )
    await asyncio.sleep(0)
    tracker.add_key("9")
    clock.advance(5)
    await asyncio.sleep(0)
    assert not waiting.done()
    tracker.add_key("1")
    assert await waiting
    late = asyncio.ensure_future(tracker.wait_until(lambda: "#" in tracker.keys, clock, 3))
    for _ in range(5):
        await asyncio.sleep(0)
    clock.advance(3)
    assert not await late


def test_the_modem_machine_allows_exactly_the_listed_moves() -> None:
    for state in ModemState:
        for event in ModemEvent:
            machine = ModemMachine()
            machine.state = state
            if (state, event) in MODEM_TRANSITIONS:
                assert machine.fire(event) is MODEM_TRANSITIONS[(state, event)]
            else:
                with pytest.raises(IllegalTransition):
                    machine.fire(event)


def test_the_modem_machine_walks_the_usual_path() -> None:
    machine = ModemMachine()
    path = [
        ModemEvent.START,
        ModemEvent.OPENED,
        ModemEvent.READY,
        ModemEvent.NETWORK_LOST,
        ModemEvent.READY,
        ModemEvent.LINK_LOST,
        ModemEvent.RETRY,
        ModemEvent.OPENED,
        ModemEvent.PIN_NEEDED,
        ModemEvent.RECHECK,
        ModemEvent.READY,
        ModemEvent.STOP,
    ]
    states = [machine.fire(event) for event in path]
    assert states[2] is ModemState.READY and states[5] is ModemState.RECOVERING
    assert states[8] is ModemState.PIN_REQUIRED and states[-1] is ModemState.STOPPED


@pytest.mark.parametrize("line", ["+QTONEDET: ²", "^CEND:¹,0,0,17", "+CLCC: ١,0,3,0,0"])
def test_digits_that_are_not_ascii_are_not_numbers(line: str) -> None:
    assert dialects.dtmf_key(urc(line)) is None
    report = call_reports.from_urc(urc(line))
    assert report is None or report.index is None
