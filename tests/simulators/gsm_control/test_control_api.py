"""The control API's routes: state, journal, world, clock, timing, reset, tokens, errors."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
from nabat.simulators.gsm_modem.control_client import (
    GsmControlClient,
    GsmControlError,
    journal_bytes,
)
from nabat.simulators.gsm_modem.runner import BackgroundGsmSimulator, GsmSimConfig

from tests.simulators.gsm_control.conftest import Line

CALLER = "79000000002"


@pytest.fixture(scope="module")
def http(control: GsmControlClient) -> Iterator[httpx.Client]:
    """Raw HTTP to the control API (one client: making one costs a TLS context)."""
    with httpx.Client(base_url=control.base_url) as raw:
        yield raw


def test_state_shows_every_modem(
    client: GsmControlClient, simulator: BackgroundGsmSimulator
) -> None:
    state = client.state()
    modems = state["modems"]
    assert [m["index"] for m in modems] == [0, 1]
    assert [m["number"] for m in modems] == ["79010000000", "79010000001"]
    assert [m["url"] for m in modems] == simulator.bank.urls
    assert [m["path"] for m in modems] == simulator.bank.paths
    first = modems[0]
    assert first["sim"]["state"] == "READY" and first["registration"]["stat"] == 1
    assert first["signal"] == {"rssi": 21, "ber": 99}
    assert first["sms"]["memories"]["SM"]["used"] == 0
    assert first["calls"] == [] and first["faults"]["silent"] is False
    assert state["timing"]["command"] == 0.0
    assert set(state["clock"]) >= {"now", "frozen", "speed"}


def test_journal_shows_bytes_as_text_and_hex(client: GsmControlClient, line: Line) -> None:
    start = client.journal(0)["last_seq"]
    assert line.lines("AT+CGMI") == ["Nabat", "OK"]
    journal = client.journal(0, since=start, kinds=["rx", "tx"])
    entries = journal["entries"]
    assert [e["kind"] for e in entries] == ["rx", "tx"]
    assert entries[0]["text"] == "AT+CGMI\\r" and entries[0]["hex"] == b"AT+CGMI\r".hex()
    assert entries[1]["text"] == "\\r\\nNabat\\r\\n\\r\\nOK\\r\\n"
    assert journal_bytes(entries) == b"\r\nNabat\r\n\r\nOK\r\n"
    assert journal_bytes(entries, "rx") == b"AT+CGMI\r"
    assert all(e["seq"] > start for e in entries)


def test_journal_pages_with_since_and_limit(client: GsmControlClient, line: Line) -> None:
    start = client.journal(0)["last_seq"]
    for _ in range(3):
        line.lines("AT")
    first = client.journal(0, since=start, kinds=["rx"], limit=2)
    assert len(first["entries"]) == 2 and first["more"] is True
    rest = client.journal(0, since=first["entries"][-1]["seq"], kinds=["rx"], limit=2)
    assert len(rest["entries"]) == 1 and rest["more"] is False
    client.clear_journal(0)
    assert client.journal(0)["entries"] == []


@pytest.mark.parametrize("query", ["kinds=rx,bytes", "since=-1", "limit=10001", "since=x"])
def test_bad_journal_queries(client: GsmControlClient, http: httpx.Client, query: str) -> None:
    answer = http.get(f"/__sim/modems/0/journal?{query}")
    assert answer.status_code == 400 and "error" in answer.json()


def test_scripted_incoming_sms_arrives(client: GsmControlClient, line: Line) -> None:
    assert line.lines("AT+CMGF=1;+CNMI=2,1") == ["OK"]
    index = client.world.incoming_sms(CALLER, 0, "PIN 1234")
    assert client.world.state()["rules"]["event"][index]["text"] == "PIN 1234"
    assert '+CMTI: "SM",1' in line.read_until(b"+CMTI").decode()
    assert client.modem(0)["sms"]["memories"]["SM"]["used"] == 1
    read = line.send("AT+CMGR=1")
    assert "PIN 1234" in read and "+79000000002" in read
    journal = client.world.journal()
    assert journal[-1]["kind"] == "event" and journal[-1]["address"] == CALLER


def test_scripted_incoming_call_rings_with_caller_id(client: GsmControlClient) -> None:
    ring = Line(client.state()["modems"][1]["url"])
    try:
        assert ring.send("ATE0;+CLIP=1").endswith("\r\nOK\r\n")
        client.world.incoming_call(CALLER, 1, "1 2", after=5)
        assert ring.quiet_for(0.2) == b""
        client.advance_clock(5)
        rang = ring.read_until(b"+CLIP").decode() + ring.read_until(b"\r\n", timeout=0.5).decode()
        assert "RING" in rang and '+CLIP: "+79000000002",145' in rang
        assert client.modem(1)["calls"][0]["direction"] == "incoming"
    finally:
        ring.close()


def test_events_for_a_missing_modem_or_bad_events_are_refused(client: GsmControlClient) -> None:
    for spec in (
        {"kind": "sms", "from": CALLER, "modem": 2, "text": "x"},
        {"kind": "sms", "from": CALLER, "to": "gsm:7", "text": "x", "at": 1},
        {"kind": "sms", "from": CALLER, "modem": 0, "to": "gsm:0", "text": "x"},
        {"kind": "call", "from": CALLER, "modem": 0, "keys": "1x"},
        {"kind": "fax", "from": CALLER, "modem": 0},
        {"kind": "sms", "from": CALLER, "modem": 0, "text": "x", "in": -1},
    ):
        with pytest.raises(GsmControlError) as refused:
            client.world.add_event(spec)
        assert refused.value.status == 400, spec
    assert client.world.rules()["event"] == []


def test_overrides_decide_and_go(client: GsmControlClient, line: Line) -> None:
    busy = "79000000077"
    key = client.world.add_override({"number": busy, "voice": {"outcomes": {"busy": 1}}})
    assert key == f"number {busy}"
    assert line.lines(f"ATD+{busy};", b"BUSY")[-1] == "BUSY"
    decided = client.world.journal()[-1]
    assert decided["kind"] == "voice" and decided["rule"] == f"override number {busy}"
    client.world.remove_override(key)
    assert client.world.rules()["override"] == []
    with pytest.raises(GsmControlError) as missing:
        client.world.remove_override(key)
    assert missing.value.status == 404
    with pytest.raises(GsmControlError) as bad:
        client.world.add_override({"number": busy, "voice": {"outcomes": {"flies": 1}}})
    assert bad.value.status == 400


def test_clock_advance_freeze_and_speed(client: GsmControlClient, http: httpx.Client) -> None:
    frozen = client.freeze_clock(True)
    assert frozen["frozen"] is True
    moved = client.advance_clock(3600)
    assert moved["now"] == pytest.approx(frozen["now"] + 3600)
    assert moved["elapsed"] == pytest.approx(frozen["elapsed"] + 3600)
    assert client.set_speed(50)["speed"] == 50
    for body in ({"advance": -1}, {"speed": 0}, {"freeze": "yes"}, {"rewind": 1}):
        answer = http.post("/__sim/clock", json=body)
        assert answer.status_code == 400, body


def test_advance_runs_callbacks_each_at_its_instant(client: GsmControlClient, line: Line) -> None:
    client.freeze_clock(True)
    client.add_fault(0, "silent", seconds=10)
    client.add_fault(0, "sim_busy", seconds=20)
    assert client.advance_clock(30)["callbacks"] >= 2
    faults = client.faults(0)
    assert faults["silent"] is False and faults["sim_busy"] is False


def test_timing_presets_and_fields(client: GsmControlClient, http: httpx.Client) -> None:
    assert client.timing()["sms_submit"] == 0.0
    realistic = client.set_timing("realistic", sms_submit=1.5)
    assert realistic["sms_submit"] == 1.5 and realistic["command"] == 0.02
    assert client.state()["timing"] == realistic
    for body in ({"preset": "slow"}, {"boot": -1}, {"ring_interval": 0}, {"warp": 1}):
        answer = http.put("/__sim/timing", json=body)
        assert answer.status_code == 400, body


def test_reset_restores_the_start_up_state(client: GsmControlClient, line: Line) -> None:
    assert line.lines("AT+CMGF=1;&W") == ["OK"]
    client.add_fault(0, "no_sim")
    client.add_fault(1, "unplug", seconds=None)
    client.world.add_override({"number": "79000000077", "voice": {"outcomes": {"busy": 1}}})
    client.world.incoming_sms(CALLER, 1, "later", after=100)
    client.set_timing("realistic")
    client.freeze_clock(True)
    client.advance_clock(86400)
    client.reset()
    state = client.state()
    assert [m["faults"]["sim"] for m in state["modems"]] == ["READY", "READY"]
    assert all(m["path"] for m in state["modems"])
    assert state["clock"]["frozen"] is False and abs(state["clock"]["offset"]) < 5
    assert state["timing"]["command"] == 0.0
    assert client.world.rules()["override"] == [] and client.world.rules()["event"] == []
    assert client.world.journal() == []
    assert line.send("AT+CMGF?") == "AT+CMGF?\r\r\n+CMGF: 0\r\n\r\nOK\r\n"  # factory settings


def test_routes_listing(client: GsmControlClient) -> None:
    listing = client.routes()
    assert "POST /__sim/modems/<i>/faults" in listing["routes"]
    assert listing["faults"]["urc_burst"] == ["count", "lines"]


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/ping", 404),
        ("GET", "/__sim/nothing", 404),
        ("DELETE", "/__sim/state", 405),
        ("PUT", "/__sim/modems/0/faults", 405),
        ("GET", "/__sim/modems/01x", 404),
        ("GET", "/__sim/modems/0/nothing", 404),
    ],
)
def test_unknown_routes(http: httpx.Client, method: str, path: str, status: int) -> None:
    answer = http.request(method, path)
    assert answer.status_code == status and "error" in answer.json()


@pytest.mark.parametrize(
    "body", [b"{", b"[1]", b'{"kind": NaN}', b'{"kind": 1e999}', b"\xff\xfe", b"[" * 60_000]
)
def test_bad_json_is_refused(client: GsmControlClient, http: httpx.Client, body: bytes) -> None:
    answer = http.post("/__sim/modems/0/faults", content=body)
    assert answer.status_code in (400, 413) and "error" in answer.text


def test_token_is_required_when_configured() -> None:
    config = GsmSimConfig(
        modems=1,
        control_port=0,
        pty=False,
        in_process=True,
        name_prefix=f"token{time.monotonic_ns()}-",
        control_token="s3cret",
    )
    with BackgroundGsmSimulator(config) as running:
        url = running.control_url + "/__sim/state"
        refused = httpx.get(url)
        assert refused.status_code == 401 and "Bearer" in refused.headers["www-authenticate"]
        assert httpx.get(url, headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert httpx.get(url, headers={"X-Sim-Token": "s3cret"}).status_code == 200
        with GsmControlClient(running.control_url, token="s3cret") as client:
            assert len(client.state()["modems"]) == 1
        with GsmControlClient(running.control_url) as anonymous, pytest.raises(GsmControlError):
            anonymous.state()


def test_answers_are_compact_unless_pretty(http: httpx.Client) -> None:
    compact, pretty = http.get("/__sim/clock"), http.get("/__sim/clock?pretty")
    assert b"\n" not in compact.content and b"\n " in pretty.content
    assert set(compact.json()) == set(pretty.json())


def test_reboot_forgets_the_settings(client: GsmControlClient, line: Line) -> None:
    assert line.lines("AT+CMGF=1") == ["OK"]
    client.reboot(0)
    events = [e["what"] for e in client.journal(0, kinds=["event"])["entries"]]
    assert "reboot" in events
    client.advance_clock(10)  # boot and registration
    assert line.send("AT+CMGF?").endswith("+CMGF: 0\r\n\r\nOK\r\n")
