"""The console's HTTP API without a browser: token, snapshot stream, actions, journals, limits."""

from __future__ import annotations

import json
import time

import httpx
import pytest
from nabat.simulators.console import TOKEN_HEADER, ConsoleHandle, ConsoleLimits, start_console
from nabat.simulators.console.guard import ConnectionGuard
from nabat.simulators.console.stack_view import ats_reserve_control
from nabat.simulators.system.stack import SystemStack


def _client(console: ConsoleHandle, token: str | None = None) -> httpx.Client:
    headers = {TOKEN_HEADER: token if token is not None else console.token}
    return httpx.Client(base_url=console.base_url, headers=headers, timeout=10)


@pytest.mark.parametrize("path", ["/", "/console.js", "/api/state", "/api/journal?sim=ats"])
def test_every_request_without_the_token_is_refused(console: ConsoleHandle, path: str) -> None:
    assert httpx.get(console.base_url + path).status_code == 403
    with _client(console, "wrong-token") as client:
        assert client.get(path).status_code == 403
    assert httpx.post(console.base_url + "/api/action", json={}).status_code == 403


def test_the_printed_url_serves_the_page_with_its_files(
    console: ConsoleHandle, stack: SystemStack
) -> None:
    assert stack.console_url == console.url and "token=" in console.url
    page = httpx.get(console.url)
    assert page.status_code == 200 and "Nabat console" in page.text
    assert f"console.js?token={console.token}" in page.text
    assert page.headers["Cache-Control"] == "no-store"
    script = httpx.get(f"{console.base_url}/console.js?token={console.token}")
    assert script.status_code == 200 and "X-Nabat-Token" in script.text


def test_the_event_stream_sends_snapshots_of_every_part(console: ConsoleHandle) -> None:
    snapshots = []
    with _client(console) as client, client.stream("GET", "/api/events") as stream:
        assert stream.headers["Content-Type"].startswith("text/event-stream")
        for line in stream.iter_lines():
            if line.startswith("data: "):
                snapshots.append(json.loads(line[6:]))
            if len(snapshots) == 2:
                break
    first, second = snapshots
    assert second["seq"] > first["seq"]
    sims = first["simulators"]
    assert set(sims) == {"world", "gsm", "ats", "mfms", "ftp", "oktell", "smtp"}
    assert len(sims["gsm"]["modems"]) == 4 and sims["gsm"]["modems"][0]["registration"]
    assert sims["world"]["seed"] == 1 and "voice" in sims["world"]["rules"]
    assert sims["ats"]["servers"]["primary"]["listening"] is True
    kinds = {channel["type"] for channel in first["server"]["channels"]}
    assert {"GSM", "MFMS", "SMTP"} <= kinds


def test_a_fault_toggle_reaches_the_simulator_and_goes_away(
    console: ConsoleHandle, stack: SystemStack
) -> None:
    with _client(console) as client:
        reply = client.post("/api/action", json={"action": "gsm.sim_busy", "modem": 1, "on": True})
        assert reply.status_code == 200, reply.text
        assert stack.gsm.control.modem(1)["sim"]["busy"] is True
        reply = client.post("/api/action", json={"action": "gsm.sim_busy", "modem": 1, "on": False})
        assert reply.status_code == 200 and stack.gsm.control.modem(1)["sim"]["busy"] is False
        assert client.post("/api/action", json={"action": "smtp.rcpt_4xx", "on": True}).is_success
        assert stack.smtp.control.faults()[0]["paths"] == ["rcpt"]
        assert client.post("/api/action", json={"action": "smtp.rcpt_4xx", "on": False}).is_success
        assert stack.smtp.control.faults() == []
        assert client.post(
            "/api/action", json={"action": "ats.primary_down", "on": True}
        ).is_success
        assert ats_reserve_control(stack).state()["servers"]["primary"]["listening"] is False
        assert client.post(
            "/api/action", json={"action": "ats.primary_down", "on": False}
        ).is_success
        assert ats_reserve_control(stack).state()["servers"]["primary"]["listening"] is True


def test_a_scripted_sms_shows_in_the_filtered_journal(console: ConsoleHandle) -> None:
    with _client(console) as client:
        sms = {"action": "event.sms", "from": "79161234567", "modem": 2, "text": "1"}
        assert client.post("/api/action", json=sms).status_code == 200
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            query = {"sim": "world", "address": "79161234567", "last": "5"}
            entries = client.get("/api/journal", params=query).json()["entries"]
            if entries:
                break
            time.sleep(0.2)
        assert entries and all("79161234567" in json.dumps(e) for e in entries)
        assert client.get("/api/journal", params={"sim": "ats", "kind": "none-such"}).json() == {
            "entries": []
        }


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"not json", "the body must be JSON"),
        (b"[1]", "the body must be a JSON object"),
        (b'{"action": "gsm.explode"}', "action: must be one of"),
        (b'{"action": "gsm.no_network", "modem": 0}', "missing fields on"),
        (b'{"action": "gsm.no_network", "modem": 9, "on": true}', "modem: must be an integer 0-3"),
        (b'{"action": "gsm.no_network", "modem": 0, "on": "yes"}', "on: must be true or false"),
        (b'{"action": "mfms.http_500", "on": true, "x": 1}', "unknown fields x"),
        (b'{"action": "event.call", "from": "abc", "modem": 0, "keys": "1"}', "from: must be"),
        (b'{"action": "event.call", "from": "7916", "modem": 0, "keys": "1;"}', "keys: must be"),
    ],
)
def test_bad_input_is_a_clear_400(console: ConsoleHandle, body: bytes, message: str) -> None:
    with _client(console) as client:
        reply = client.post("/api/action", content=body)
    assert reply.status_code == 400 and message in reply.json()["error"], reply.text


@pytest.mark.parametrize(
    ("query", "message"),
    [("sim=nope", "sim: must be one of"), ("sim=gsm&last=0", "last: must be"),
     ("sim=gsm&modem=x", "modem: must be"), ("sim=gsm&extra=1", "unknown parameters extra")],
)  # fmt: skip
def test_bad_journal_queries_are_a_clear_400(
    console: ConsoleHandle, query: str, message: str
) -> None:
    with _client(console) as client:
        reply = client.get(f"/api/journal?{query}")
    assert reply.status_code == 400 and message in reply.json()["error"]


def test_a_large_body_is_refused(console: ConsoleHandle) -> None:
    with _client(console) as client:
        reply = client.post("/api/action", content=b"{" + b" " * 64 * 1024 + b"}")
    assert reply.status_code == 413


def test_the_console_listens_on_loopback_only(stack: SystemStack) -> None:
    with pytest.raises(ValueError, match="loopback only"):
        start_console(stack, "0.0.0.0", 0)


def test_the_guard_drops_slow_and_idle_connections() -> None:
    now = [0.0]
    guard = ConnectionGuard(ConsoleLimits(request_timeout=2.0, max_per_address=1),
                            clock=lambda: now[0])  # fmt: skip

    class FakeTransport:
        aborted = False

        def get_extra_info(self, name: str) -> object:
            return ("127.0.0.2", 1)

        def get_write_buffer_size(self) -> int:
            return 0

        def abort(self) -> None:
            self.aborted = True

    slow, extra = FakeTransport(), FakeTransport()
    assert guard.admit(slow)
    assert not guard.admit(extra)  # one address, one slot
    now[0] = 1.9
    assert guard.sweep(now[0]) == 0 and not slow.aborted
    now[0] = 2.0
    assert guard.sweep(now[0]) == 1 and slow.aborted and len(guard) == 0
