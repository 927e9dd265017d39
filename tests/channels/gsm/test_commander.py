"""The commander: one command at a time, finals to named errors, URCs interleaved, timeouts."""

from __future__ import annotations

import asyncio
import contextlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nabat.system.channels.gsm import errors
from nabat.system.channels.gsm.commander import AtCommander
from nabat.system.wire.at import FinalKind, Urc

from tests.channels.gsm.fakes import ManualClock


class Line:
    """The commander's link: what it wrote, and a way to answer."""

    def __init__(self) -> None:
        self.clock = ManualClock()
        self.urcs: list[Urc] = []
        self.sent: list[bytes] = []
        self.commander = AtCommander(self.clock, self.urcs.append, "test")
        self.commander.attach(self.sent.append)

    def answer(self, text: str) -> None:
        self.commander.feed(text.encode("latin-1"))


async def spin() -> None:
    """Let every ready task run up to its next wait."""
    for _ in range(10):
        await asyncio.sleep(0)


async def started(line: Line, command: str, **options: object) -> asyncio.Task[object]:
    task = asyncio.ensure_future(line.commander.run(command, timeout=5.0, **options))  # type: ignore[arg-type]
    await spin()
    assert line.sent[-1] == command.encode() + b"\r"
    return task


async def test_information_lines_and_ok_make_the_response() -> None:
    line = Line()
    task = await started(line, "AT+CSQ")
    line.answer("\r\n+CSQ: 21,99\r\n\r\nOK\r\n")
    response = await task
    assert response.lines == ("+CSQ: 21,99",) and response.values("+CSQ") == ["21,99"]  # type: ignore[attr-defined]
    assert not line.commander.busy


@pytest.mark.parametrize(
    ("final", "kind", "code"),
    [
        ("+CME ERROR: 10", errors.SimNotInserted, 10),
        ("+CME ERROR: SIM PIN required", errors.SimPinRequired, 11),
        ("+CME ERROR: 14", errors.SimBusy, 14),
        ("+CME ERROR: 16", errors.IncorrectPassword, 16),
        ("+CMS ERROR: 310", errors.SimNotInserted, 310),
        ("+CMS ERROR: 330", errors.SmscAddressUnknown, 330),
        ("+CMS ERROR: 304", errors.InvalidPdu, 304),
        ("+CMS ERROR: 42", errors.MessageRejected, 42),
        ("+CMS ERROR: 500", errors.OtherCmsError, 500),
        ("+CME ERROR: 777", errors.OtherCmeError, 777),
    ],
)
async def test_cme_and_cms_errors_become_named_exceptions(
    final: str, kind: type[errors.ModemReportedError], code: int
) -> None:
    line = Line()
    task = await started(line, "AT+CPIN?")
    line.answer(f"\r\n{final}\r\n")
    with pytest.raises(kind) as raised:
        await task
    assert raised.value.code == code and raised.value.command == "AT+CPIN?"
    assert isinstance(raised.value, errors.GsmError)


@pytest.mark.parametrize("final", ["ERROR", "COMMAND NOT SUPPORT"])
async def test_plain_errors_and_huaweis_not_supported_are_rejections(final: str) -> None:
    line = Line()
    task = await started(line, "AT+QTONEDET=1")
    line.answer(f"\r\n{final}\r\n")
    with pytest.raises(errors.CommandRejected) as raised:
        await task
    assert not isinstance(raised.value, errors.ModemReportedError)
    follow = await started(line, "AT")
    line.answer("\r\nOK\r\n")
    assert (await follow).final.kind is FinalKind.OK  # type: ignore[attr-defined]


async def test_urcs_during_a_command_are_handed_on_and_the_command_completes() -> None:
    line = Line()
    task = await started(line, "AT+CREG?")
    line.answer('\r\n+CMTI: "SM",3\r\n\r\nRING\r\n\r\n+CREG: 0,1\r\n\r\nOK\r\n')
    response = await task
    assert response.lines == ("+CREG: 0,1",)  # type: ignore[attr-defined]
    assert [urc.name for urc in line.urcs] == ["+CMTI", "RING"]


async def test_a_call_ending_that_crosses_a_poll_is_a_urc_not_the_polls_final() -> None:
    line = Line()
    task = await started(line, "AT+CLCC")
    line.answer("\r\nBUSY\r\n")
    await spin()
    assert not task.done() and [urc.name for urc in line.urcs] == ["BUSY"]
    line.answer("\r\nOK\r\n")
    assert (await task).lines == ()  # type: ignore[attr-defined]


async def test_dial_results_are_returned_when_asked_for() -> None:
    line = Line()
    task = await started(line, "ATD+79000000002;", expect_ok=False)
    line.answer("\r\nBUSY\r\n")
    assert (await task).final.kind is FinalKind.BUSY  # type: ignore[attr-defined]
    task = await started(line, "ATD+79000000002;")
    line.answer("\r\nNO CARRIER\r\n")
    with pytest.raises(errors.CommandRejected):
        await task


async def test_no_answer_in_time_is_a_modem_timeout_and_the_next_command_works() -> None:
    line = Line()
    task = await started(line, "AT+CSQ")
    line.clock.advance(4.9)
    await spin()
    assert not task.done()
    line.clock.advance(0.2)
    with pytest.raises(errors.ModemTimeout):
        await task
    assert not line.commander.busy
    follow = await started(line, "AT")
    line.answer("\r\nOK\r\n")
    await follow


async def test_a_lost_link_fails_the_waiting_command_at_once() -> None:
    line = Line()
    task = await started(line, "AT+CSQ")
    line.commander.detach(errors.PortLost("unplugged"))
    with pytest.raises(errors.PortLost):
        await task
    with pytest.raises(errors.PortLost):
        await line.commander.run("AT", timeout=1)


async def test_cmgs_waits_for_the_prompt_then_sends_the_body_and_ctrl_z() -> None:
    line = Line()
    task = asyncio.ensure_future(line.commander.run_with_body("AT+CMGS=18", "0011AB", timeout=60))
    await spin()
    assert line.sent == [b"AT+CMGS=18\r"]
    line.answer("\r\n> ")
    await spin()
    assert line.sent[-1] == b"0011AB\x1a"
    line.answer("\r\n+CMGS: 7\r\n\r\nOK\r\n")
    assert (await task).values("+CMGS") == ["7"]


async def test_cmgs_refused_before_the_prompt_sends_no_body() -> None:
    line = Line()
    task = asyncio.ensure_future(line.commander.run_with_body("AT+CMGS=18", "0011AB", timeout=60))
    await spin()
    line.answer("\r\n+CMS ERROR: 331\r\n")
    with pytest.raises(errors.NoNetworkService):
        await task
    assert line.sent == [b"AT+CMGS=18\r"]


async def test_a_link_lost_after_the_body_makes_the_submission_uncertain() -> None:
    line = Line()
    task = asyncio.ensure_future(line.commander.run_with_body("AT+CMGS=18", "0011AB", timeout=60))
    await spin()
    line.answer("\r\n> ")
    await spin()
    line.commander.detach(errors.PortLost("unplugged"))
    with pytest.raises(errors.SubmissionUncertain):
        await task


HOSTILE_LINES = st.sampled_from(
    [
        "RING",
        "+CRING: VOICE",
        '+CLIP: "+7900",145',
        "+CLIP:",
        '+CMTI: "SM",x',
        "+CMTI: ,,,",
        "+CMT: ,999",
        "+CDS: 25",
        "ZZZZ",
        "+CDSI:",
        "^CEND:1,,,",
        "^CEND:x",
        "+CLCC: 1,0,9",
        "+CLCC: a,b",
        "+DTMF: Z",
        "+QTONEDET: 999999",
        "^DDTMF:",
        "NO CARRIER",
        "BUSY",
        "> ",
        ">",
        "OK",
        "ERROR",
        "+CME ERROR: x",
        "+CMS ERROR:",
        "\x00\xff\x1a\x1b",
        "+CREG: 5",
        "RDY",
        '"',
        "+CMGS: 300",
    ]
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    noise=st.lists(
        st.one_of(HOSTILE_LINES.map(lambda text: f"\r\n{text}\r\n".encode("latin-1")), st.binary()),
        max_size=30,
    )
)
def test_garbage_and_urc_storms_never_break_the_commander(noise: list[bytes]) -> None:
    async def scenario() -> None:
        line = Line()
        task = await started(line, "AT+CSQ")
        for chunk in noise:
            line.answer(chunk.decode("latin-1"))
        if not task.done():
            line.answer("\r\nOK\r\n")
        await spin()
        if not task.done():  # the noise left half a line or a URC header: time it out
            line.clock.advance(10)
        with contextlib.suppress(errors.GsmError):
            await task
        follow = await started(line, "AT")
        line.answer("\r\n\r\nOK\r\n")
        await spin()
        if not follow.done():
            line.clock.advance(10)
        with contextlib.suppress(errors.GsmError):
            await follow
        assert not line.commander.busy

    asyncio.run(scenario())


async def test_a_cancelled_command_leaves_the_commander_usable() -> None:
    line = Line()
    task = await started(line, "ATD+79000000001;", expect_ok=False)
    task.cancel()
    await spin()
    assert task.cancelled() and not line.commander.busy
    follow = await started(line, "AT+CHUP")
    line.answer("\r\nOK\r\n")
    await follow
