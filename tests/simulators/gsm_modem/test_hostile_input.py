"""Whatever bytes arrive, the modem never crashes and every command line gets a final result."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nabat.simulators.gsm_modem.states import LineState
from nabat.system.wire.at import classify_final

from tests.simulators.gsm_modem.harness import Harness

NAMES = [
    "",
    "E0",
    "E1",
    "V0",
    "Z",
    "&F",
    "I",
    "H",
    "A",
    "D123;",
    "D+79000000001;",
    "S0?",
    "S7=5",
    "+CMEE=1",
    "+CMEE=2",
    "+CFUN?",
    "+CFUN=1",
    "+CFUN=4",
    "+CPIN?",
    '+CPIN="1234"',
    "+CREG=2",
    "+COPS?",
    "+COPS=3,1",
    "+CSQ",
    "+CMGF=1",
    "+CMGF=0",
    '+CSCS="UCS2"',
    "+CSMP=49,167,0,8",
    "+CSCA?",
    '+CPMS="ME"',
    "+CNMI=2,2,0,1,0",
    "+CMGR=1",
    "+CMGL=4",
    '+CMGL="ALL"',
    "+CMGD=1,4",
    "+CLCC",
    "+VTS=1",
    "+CVHU=1",
    "+CHUP",
    "+CLIP=1",
    "+CLAC",
    "+CNUM",
    "+CGMI",
    "+CIMI",
    "+COLP=1",
    "^DDSETEX=2",
    "+DDET=1",
    "+XYZ",
    "+CMGS=?",
    "+CMGW=?",
]
JUNK = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=12)


def quiet_line(text: str) -> bool:
    return "Q1" in text.upper().replace(" ", "")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(NAMES), JUNK), min_size=1, max_size=4), st.booleans())
def test_every_command_line_ends_with_a_final_result(parts: list[str], huawei: bool) -> None:
    line = ";".join(parts)
    if "\r" in line or quiet_line(line) or "+CMGS=" in line.replace("=?", "") or "+CMGW" in line:
        return
    harness = Harness("huawei" if huawei else "generic", world=None)
    harness.send("ATE0")
    harness.modem.receive(b"AT" + line.encode("latin-1") + b"\r")
    harness.advance(120)
    assert harness.modem.line.state is LineState.COMMAND
    out = harness.take()
    verbose = harness.modem.settings.verbose
    frames = [f for f in out.replace("\r\n", "\r").split("\r") if f]
    finals = [f for f in frames if classify_final(f, verbose=verbose) or f == "COMMAND NOT SUPPORT"]
    assert finals, out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.binary(max_size=64), max_size=8))
def test_hostile_bytes_never_crash_and_the_modem_recovers(chunks: list[bytes]) -> None:
    harness = Harness(world=None)
    for chunk in chunks:
        harness.modem.receive(chunk)
        harness.advance(1)
    harness.advance(300)  # calls end, reboots finish
    harness.modem.receive(b"\x1b\r")  # leave an SMS body, end a half-typed line
    harness.advance(10)
    harness.take()
    harness.modem.receive(b"ATE0V1Q0\r")
    harness.advance(10)
    assert harness.take().endswith("\r\nOK\r\n")


@settings(max_examples=100, deadline=None)
@given(st.binary(min_size=1, max_size=400))
def test_any_pdu_body_gets_cmgs_or_a_cms_error(body: bytes) -> None:
    harness = Harness(world=None)
    harness.send("ATE0")
    harness.send("AT+CMGS=20")
    clean = bytes(b for b in body if b not in (0x1A, 0x1B))
    harness.modem.receive(clean + b"\x1a")
    harness.advance(10)
    out = harness.take()
    assert out.startswith("\r\n+CMGS: ") or out == "\r\nERROR\r\n", out
    assert harness.modem.line.state is LineState.COMMAND
